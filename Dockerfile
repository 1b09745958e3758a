# One image for the worker and the API (see docker-compose.yml):
#   docker build -t entente .
#   docker run ... entente                               # the API: node dist/api/main.js
#   docker run ... entente node dist/worker/main.js      # the worker
# Configuration comes from the environment only (config/env.ts; README, "Configuration").

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: install every dependency, compile TypeScript, keep production dependencies only ----
FROM ${NODE_IMAGE} AS build
# better-sqlite3 is compiled from source (.prebuild-installrc: buildFromSource=true): it needs python3, make, g++.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# node-gyp takes the headers of the image's own Node.js instead of downloading them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json .prebuild-installrc ./
# `npm install`, not `npm ci`: see .ci/run (the lock file lacks other platforms' optional packages).
RUN npm install --no-audit --no-fund
# The sources that tsconfig.build.json compiles (.dockerignore keeps out tests, local data and builds).
COPY . .
RUN npm run build \
  && test -f dist/worker/main.js && test -f dist/api/main.js \
  && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled JavaScript and production node_modules, as the unprivileged `node` user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The code is owned by root and read-only to the process; nothing is written under /app
# (the register is PostgreSQL in docker-compose.yml; a SQLite DATABASE_URL needs a volume the user can write).
USER node
EXPOSE 3000 9464
CMD ["node", "dist/api/main.js"]
