#!/usr/bin/env bash
# A throwaway PostgreSQL for the register's tests: installed from Debian's packages when missing,
# a cluster under /tmp owned by the postgres user (the server refuses to run as root), listening
# on loopback only, on a free port. Idempotent: a second run finds the running server and prints
# the same URL. Prints only the URL on stdout; everything else goes to stderr.
#   export TEST_POSTGRES_URL=$(bash scripts/test-postgres.sh)
# Stop it with: runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D /tmp/entente-postgres/data stop
set -euo pipefail
base=${ENTENTE_PG_DIR:-/tmp/entente-postgres}
data=$base/data

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
  echo "== installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The package's own cluster is not used: ours lives under $base, on a port of our choosing.
  apt-get install -y -qq postgresql >&2
fi
bin=$(bindir)

# As root, run the server as postgres; as anyone else, as oneself.
if [ "$(id -u)" = 0 ]; then
  as_owner() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_owner() { "$@"; }
  owner=$(id -un)
fi

mkdir -p "$base"
chown "$owner" "$base"
if [ ! -s "$data/PG_VERSION" ]; then
  echo "== initdb in $data" >&2
  as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
fi

if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  echo "$port" > "$base/port"
  chown "$owner" "$base/port"
  echo "== starting PostgreSQL on 127.0.0.1:$port" >&2
  as_owner "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $base -c fsync=off -c max_connections=200" start >&2
fi
port=$(cat "$base/port")
"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30
echo "postgres://postgres@127.0.0.1:$port/postgres"
