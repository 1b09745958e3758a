/**
 * The team deployment: docker-compose.yml, Dockerfile, .dockerignore. No Docker engine runs here,
 * so the files are parsed and checked against the code they deploy.
 *
 * | case                                             | expects                                                                      |
 * |--------------------------------------------------|------------------------------------------------------------------------------|
 * | services                                         | postgresql, temporal, temporal-search-attributes, temporal-ui, mail, worker, api |
 * | images                                           | every one has a tag, never `latest`; Temporal server 1.29.x; ours = package version |
 * | depends_on                                       | targets exist; service_healthy → target has a healthcheck; completed → one-shot |
 * | published ports                                  | API 3000 (= its PORT), Temporal UI 8080, mail UI 1080                         |
 * | environment read by the code (scanned)           | config/env.ts keys and process.env reads, per service: each set, minus allowlist |
 * | environment values                               | pass config/env.ts's own schema; point at the compose services               |
 * | COORDINATOR_API_KEY                              | required from the shell (`${COORDINATOR_API_KEY:?...}`), no default          |
 * | search attributes                                | the one-shot's list = workflows/search-attributes.ts; its script, run on a fake CLI, creates the missing ones only |
 * | Dockerfile                                       | two stages or more, pinned node bookworm-slim base, build tools, non-root USER last |
 * | entry points                                     | CMD and compose commands name dist/…/main.js that tsconfig.build.json emits  |
 * | .dockerignore                                    | keeps node_modules, dist, data, .git out of `COPY . .`                       |
 * | team mode (scripts/start-team.ts) vs compose     | same server and UI versions (images, provisioning script); same plugin,      |
 * |                                                  | databases, history shards, namespace, retention, dynamic config file (mounted)|
 * | dynamic config vs config/temporal-server.ts      | the team's file holds every value the dev servers are started with            |
 * | dynamic config, tests only                       | no forceSearchAttributesCacheRefreshOnRead ("not in production", says the server) |
 * | config/temporal/ templates                       | rendered as the servers do: every variable set by start-team.ts; ports,      |
 * |                                                  | loopback, membership ports below 32768; the UI's address, port, codec        |
 * | npm scripts                                      | start:team; provision (so npm test) and .ci/run build the server             |
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { loadEnv } from '../../config/env';
import { devServerDynamicConfigFlags, SERVER_DYNAMIC_CONFIG } from '../../config/temporal-server';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../workflows/search-attributes';
import { postgresTarget, serverEnv, serverPortsFrom, TEAM, uiEnv } from '../../scripts/start-team';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

// ---- the compose file ----

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | { target: number; published?: string | number })[];
  expose?: (string | number)[];
  healthcheck?: Healthcheck;
  restart?: string;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

/** Compose's environment, as a map (it may be a list of KEY=value). */
function environmentOf(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')), e.includes('=') ? e.slice(e.indexOf('=') + 1) : '']));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose's interpolation: $$, ${X}, ${X:-default}, ${X-default}, ${X:?error}, ${X?error}. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^{}]|\{[^{}]*\})*))?\}/g,
    (whole, name?: string, colon?: string, op?: string, arg?: string) => {
      if (whole === '$$') return '$';
      const set = name! in shell && (colon !== ':' || shell[name!] !== '');
      if (set) return shell[name!]!;
      if (op === '-') return interpolate(arg ?? '', shell);
      if (op === '?') throw new Error(`${name} is required: ${arg}`);
      return '';
    },
  );
}

const dependsOn = (s: Service): Record<string, string> =>
  Array.isArray(s.depends_on)
    ? Object.fromEntries(s.depends_on.map((d) => [d, 'service_started']))
    : Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([d, v]) => [d, v?.condition ?? 'service_started']));

/** Container ports that are published on the host, with their host port. */
function published(s: Service): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of s.ports ?? []) {
    if (typeof p === 'object') {
      if (p.published !== undefined) out.set(p.target, Number(p.published));
      continue;
    }
    const parts = String(p)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    if (parts.length < 2) continue; // "3000" alone publishes on a random host port
    out.set(Number(parts[parts.length - 1]), Number(parts[parts.length - 2]));
  }
  return out;
}

const commandOf = (s: Service): string => (Array.isArray(s.command) ? s.command.join(' ') : (s.command ?? ''));

// ---- what the code reads ----

/** The keys of the Env object of config/env.ts, read from its text. */
function envSchemaKeys(): string[] {
  const text = read('config/env.ts');
  const start = text.indexOf('const Env = z.object({');
  const end = text.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('config/env.ts: no `const Env = z.object({ ... });`');
  return [...text.slice(start, end).matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
}

function tsFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return tsFiles(relative(ROOT, path));
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative(ROOT, path)] : [];
  });
}

/** Variables a text dereferences: `env.X` (the parsed Env), `process.env.X`, `process.env['X']`. */
const directReads = (text: string): string[] => [
  ...[...text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)].map((m) => m[1]!),
  ...[...text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)\b/g)].map((m) => m[1]!),
  ...[...text.matchAll(/process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g)].map((m) => m[1]!),
];

/** Exported helpers of config/ (publicUrl, connectionOptions, ...) and the variables each reads. */
function configHelpers(): Map<string, string[]> {
  const helpers = new Map<string, string[]>();
  for (const file of tsFiles('config')) {
    const text = read(file);
    const starts = [...text.matchAll(/^export\s+(?:async\s+)?(?:function\s+([A-Za-z_$][\w$]*)|const\s+([A-Za-z_$][\w$]*))/gm)];
    starts.forEach((m, i) => {
      const chunk = text.slice(m.index, starts[i + 1]?.index ?? text.length);
      helpers.set((m[1] ?? m[2])!, [...new Set(directReads(chunk))]);
    });
  }
  return helpers;
}

/** What a service's code reads: its own direct reads, and those of the config/ helpers it calls. */
function readsOf(dir: string): Set<string> {
  const helpers = configHelpers();
  const reads = new Set<string>();
  for (const file of tsFiles(dir)) {
    const text = read(file);
    for (const v of directReads(text)) reads.add(v);
    for (const [name, vars] of helpers) if (new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\(`).test(text)) vars.forEach((v) => reads.add(v));
  }
  return reads;
}

/**
 * Read by the code but deliberately unset in docker-compose.yml: they only make sense against a
 * Temporal cluster with mTLS or Temporal Cloud (README, "Past one machine"), and config/env.ts
 * makes them optional.
 */
const OPTIONAL_UNSET = new Set(['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY']);

/** The compose service that runs each process, and the folder of its code. */
const PROCESSES = [
  { service: 'worker', dir: 'worker', main: 'dist/worker/main.js' },
  { service: 'api', dir: 'api', main: 'dist/api/main.js' },
] as const;

const SHELL = { COORDINATOR_API_KEY: 'compose-test-coordinator-key-0123456789', ENTENTE_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };

describe('docker-compose.yml', () => {
  test('has every service of the team deployment', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'mail', 'postgresql', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker'].sort());
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:/);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:/);
    expect(service('temporal-search-attributes').image).toMatch(/^temporalio\/admin-tools:/);
    expect(service('postgresql').image).toMatch(/^postgres:/);
    expect(service('mail').image).toMatch(/^maildev\/maildev:/);
    expect(service('temporal').environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  test('every image is pinned to a version tag', () => {
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    for (const [name, s] of Object.entries(services)) {
      expect({ name, image: s.image }).toEqual({ name, image: expect.any(String) });
      const image = s.image!;
      const lastSlash = image.lastIndexOf('/');
      const colon = image.indexOf(':', lastSlash + 1);
      expect({ name, tagged: colon > 0 }).toEqual({ name, tagged: true });
      const tag = image.slice(colon + 1).split('@')[0]!;
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^v?\d+\.\d+(\.\d+)?([-.][\w.-]+)?$/) });
      expect(tag).not.toMatch(/latest|stable|main|master|edge/);
    }
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:1\.29\.\d+$/);
    // Our own image, built from the Dockerfile, carries the package's version.
    for (const { service: name } of PROCESSES) {
      expect(service(name).build).toBeDefined();
      expect(service(name).image).toBe(`entente:${version}`);
    }
  });

  test('dependencies exist, wait on health checks, and the one-shot setup completes first', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(dependsOn(s))) {
        expect({ name, target, exists: target in services }).toEqual({ name, target, exists: true });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') {
          const hc = services[target]!.healthcheck;
          expect({ name, target, healthcheck: Boolean(hc?.test) && !hc?.disable }).toEqual({ name, target, healthcheck: true });
        }
        if (condition === 'service_completed_successfully') expect(services[target]!.restart).toBe('no');
      }
    }
    expect(dependsOn(service('temporal'))).toEqual({ postgresql: 'service_healthy' });
    expect(dependsOn(service('temporal-search-attributes'))).toEqual({ temporal: 'service_healthy' });
    expect(dependsOn(service('temporal-ui'))).toEqual({ temporal: 'service_healthy' });
    for (const { service: name } of PROCESSES) {
      expect(dependsOn(service(name))).toMatchObject({
        postgresql: 'service_healthy',
        temporal: 'service_healthy',
        'temporal-search-attributes': 'service_completed_successfully',
      });
    }
    expect(dependsOn(service('worker'))).toMatchObject({ mail: 'service_healthy' });
    // The Temporal check waits for the namespace too, not just a listening port.
    expect(JSON.stringify(service('temporal').healthcheck?.test)).toMatch(/temporal operator cluster health/);
    expect(JSON.stringify(service('temporal').healthcheck?.test)).toMatch(/namespace describe/);
  });

  test('publishes the API on 3000, the Temporal UI on 8080 and the mail UI on 1080', () => {
    const apiPort = Number(interpolate(environmentOf(service('api')).PORT ?? '', SHELL));
    expect(published(service('api')).get(apiPort)).toBe(3000);
    expect(published(service('temporal-ui')).get(8080)).toBe(8080);
    expect(published(service('mail')).get(1080)).toBe(1080);
    // Nothing else reaches PostgreSQL from the host.
    expect(published(service('postgresql')).size).toBe(0);
  });

  describe('environment', () => {
    const keys = envSchemaKeys();
    const reads = Object.fromEntries(PROCESSES.map((p) => [p.service, readsOf(p.dir)]));

    test('the scan finds what the code reads', () => {
      // Guards the scanner itself: an empty or wrong scan would make the next test vacuous.
      expect(keys).toEqual(expect.arrayContaining(['TEMPORAL_ADDRESS', 'DATABASE_URL', 'COORDINATOR_API_KEY', 'WORKER_METRICS_ADDRESS']));
      expect(keys.length).toBeGreaterThanOrEqual(10);
      expect([...reads.worker!]).toEqual(
        expect.arrayContaining(['SMTP_URL', 'MAIL_FROM', 'WORKER_METRICS_ADDRESS', 'TEMPORAL_ADDRESS', 'TEMPORAL_API_KEY', 'PUBLIC_URL']),
      );
      expect([...reads.api!]).toEqual(expect.arrayContaining(['COORDINATOR_API_KEY', 'PORT', 'DATABASE_URL', 'TEMPORAL_TLS_CERT']));
      // Every variable the code dereferences is one config/env.ts validates.
      for (const [name, vars] of Object.entries(reads)) for (const v of vars) expect({ name, v, known: keys.includes(v) }).toEqual({ name, v, known: true });
      // And every variable of config/env.ts is read by the worker or the API (or it would need a place here).
      const all = new Set([...reads.worker!, ...reads.api!]);
      expect(keys.filter((k) => !all.has(k))).toEqual([]);
    });

    test.each(PROCESSES.map((p) => [p.service]))('%s sets every variable its code reads (but the optional Temporal Cloud / mTLS ones)', (name) => {
      const env = environmentOf(service(name));
      const missing = [...reads[name]!].filter((v) => !OPTIONAL_UNSET.has(v) && !(v in env)).sort();
      expect(missing).toEqual([]);
      for (const v of OPTIONAL_UNSET) expect(keys).toContain(v);
      // Every value is set to something once interpolated.
      for (const [k, v] of Object.entries(env)) expect({ k, value: interpolate(v, SHELL) }).toEqual({ k, value: expect.stringMatching(/\S/) });
    });

    test.each(PROCESSES.map((p) => [p.service]))("%s's values pass config/env.ts and point at the compose services", (name) => {
      const env = loadEnv(Object.fromEntries(Object.entries(environmentOf(service(name))).map(([k, v]) => [k, interpolate(v, SHELL)])));
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(env.TEMPORAL_NAMESPACE).toBe(interpolate(environmentOf(service('temporal')).DEFAULT_NAMESPACE!, {}));
      const db = new URL(env.DATABASE_URL);
      expect(db.protocol).toBe('postgres:');
      expect(db.hostname).toBe('postgresql');
      const pg = environmentOf(service('postgresql'));
      expect(decodeURIComponent(db.username)).toBe(interpolate(pg.POSTGRES_USER!, {}));
      expect(decodeURIComponent(db.password)).toBe(interpolate(pg.POSTGRES_PASSWORD!, {}));
      expect(db.pathname).toBe(`/${interpolate(pg.POSTGRES_DB!, {})}`);
      expect(env.PUBLIC_URL).toBe('http://localhost:3000');
    });

    test('the worker mails the catcher and exposes its metrics where its health check looks', () => {
      const env = loadEnv(Object.fromEntries(Object.entries(environmentOf(service('worker'))).map(([k, v]) => [k, interpolate(v, SHELL)])));
      expect(new URL(env.SMTP_URL)).toMatchObject({
        protocol: 'smtp:',
        hostname: 'mail',
        port: interpolate(environmentOf(service('mail')).MAILDEV_SMTP_PORT!, {}),
      });
      const metricsPort = env.WORKER_METRICS_ADDRESS!.split(':').pop()!;
      expect(env.WORKER_METRICS_ADDRESS).toMatch(/^0\.0\.0\.0:\d+$/); // reachable from other containers
      expect((service('worker').expose ?? []).map(String)).toContain(metricsPort);
      expect(JSON.stringify(service('worker').healthcheck?.test)).toContain(`:${metricsPort}/metrics`);
      expect(JSON.stringify(service('api').healthcheck?.test)).toContain(`:${environmentOf(service('api')).PORT}/healthz`);
    });

    test('the worker and the API agree on namespace and task queue', () => {
      const [w, a] = PROCESSES.map((p) => environmentOf(service(p.service)));
      expect(w!.TEMPORAL_NAMESPACE).toBe(a!.TEMPORAL_NAMESPACE);
      expect(w!.TASK_QUEUE).toBe(a!.TASK_QUEUE);
      expect(environmentOf(service('temporal-search-attributes')).TEMPORAL_NAMESPACE).toBe(w!.TEMPORAL_NAMESPACE);
    });

    test('the payload keys come from the shell, required, the same for the worker and the API', () => {
      for (const name of ['worker', 'api']) {
        const value = environmentOf(service(name)).ENTENTE_CODEC_KEYS!;
        expect(value).toMatch(/^\$\{ENTENTE_CODEC_KEYS:\?[^}]+\}$/);
        expect(() => interpolate(value, {})).toThrow(/ENTENTE_CODEC_KEYS is required/);
      }
    });

    test('COORDINATOR_API_KEY comes from the shell, required, with no default', () => {
      const value = environmentOf(service('api')).COORDINATOR_API_KEY!;
      expect(value).toMatch(/^\$\{COORDINATOR_API_KEY:\?[^}]+\}$/);
      expect(() => interpolate(value, {})).toThrow(/COORDINATOR_API_KEY is required/);
      expect(interpolate(value, SHELL)).toBe(SHELL.COORDINATOR_API_KEY);
      expect(environmentOf(service('worker'))).not.toHaveProperty('COORDINATOR_API_KEY');
    });
  });

  describe('search attributes', () => {
    const setup = service('temporal-search-attributes');
    const declared = environmentOf(setup).SEARCH_ATTRIBUTES!.trim().split(/\s+/);

    test('the one-shot registers exactly those of workflows/search-attributes.ts', () => {
      expect(declared.sort()).toEqual(
        Object.entries(SEARCH_ATTRIBUTE_FLAGS)
          .map(([n, t]) => `${n}=${t}`)
          .sort(),
      );
      expect(setup.restart).toBe('no');
    });

    test('its script, run on a fake Temporal CLI, creates the missing ones with their types, and is idempotent', () => {
      const dir = mkdtempSync(join(tmpdir(), 'entente-sa-'));
      try {
        const log = join(dir, 'calls.log');
        const state = join(dir, 'state');
        // A `temporal` that keeps a list of search attributes in a file, as the real one prints them.
        writeFileSync(
          join(dir, 'temporal'),
          [
            '#!/bin/sh',
            'echo "$*" >> "$FAKE_LOG"',
            'case "$*" in',
            '  *"search-attribute list"*) echo "  Name  Type"; cat "$FAKE_STATE" 2>/dev/null; exit 0 ;;',
            '  *"search-attribute create"*)',
            '    while [ $# -gt 0 ]; do case "$1" in --name) n=$2; shift ;; --type) t=$2; shift ;; esac; shift; done',
            '    echo "  $n  $t" >> "$FAKE_STATE"; exit 0 ;;',
            'esac',
            'exit 3',
          ].join('\n'),
        );
        chmodSync(join(dir, 'temporal'), 0o755);
        writeFileSync(state, '  EntenteStage  Keyword\n  BuildIds  KeywordList\n');
        const script = interpolate(Array.isArray(setup.command) ? setup.command.join(' ') : setup.command!, {});
        expect(setup.entrypoint).toEqual(['/bin/sh', '-c']);
        const env = {
          PATH: `${dir}:${process.env.PATH}`,
          FAKE_LOG: log,
          FAKE_STATE: state,
          ...Object.fromEntries(Object.entries(environmentOf(setup)).map(([k, v]) => [k, interpolate(v, {})])),
        };
        execFileSync('/bin/sh', ['-c', script], { env, stdio: 'pipe' });
        const creates = () =>
          readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l.includes('search-attribute create'));
        const first = creates();
        expect(first.map((l) => / --name (\S+) --type (\S+)/.exec(l)?.slice(1).join('=')).sort()).toEqual(
          declared.filter((d) => !d.startsWith('EntenteStage=')).sort(),
        );
        for (const l of first) expect(l).toContain('--address temporal:7233 --namespace default');
        // A second run (a restarted stack) creates nothing.
        execFileSync('/bin/sh', ['-c', script], { env, stdio: 'pipe' });
        expect(creates()).toHaveLength(first.length);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const args = Object.fromEntries([...text.matchAll(/^ARG\s+([A-Za-z_]\w*)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
  const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => args[(a ?? b)!] ?? '');
  const stages = text
    .split(/^(?=FROM\s)/m)
    .filter((s) => /^FROM\s/.test(s))
    .map((body) => {
      const m = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(body)!;
      return { image: expand(m[1]!), name: m[2], body };
    });
  const final = stages[stages.length - 1]!;

  test('is a multi-stage build on a pinned node bookworm-slim image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
  });

  test('the build stage has the tools of better-sqlite3, installs and builds, then drops dev dependencies', () => {
    const build = stages[0]!.body;
    expect(build).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(build).toMatch(/RUN npm install\b/);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
  });

  test('the final stage runs as a non-root user with dist and production node_modules only', () => {
    const users = [...final.body.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(final.body).toMatch(/COPY --from=\S+ .*\/app\/dist /);
    expect(final.body).toMatch(/COPY --from=\S+ .*\/app\/node_modules /);
    expect(final.body).not.toMatch(/apt-get|g\+\+/);
  });

  test('CMD and the compose commands start files that the TypeScript build emits', () => {
    const tsconfig = JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string; rootDir: string } };
    const build = JSON.parse(read('tsconfig.build.json')) as { extends: string; include: string[] };
    expect(build.extends).toBe('./tsconfig.json');
    expect(tsconfig.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    const emitted = (js: string) => {
      // dist/<path>.js comes from <path>.ts under rootDir, if tsconfig.build.json includes its folder.
      const source = js.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      return existsSync(join(ROOT, source)) && build.include.includes(source.split('/')[0]!);
    };
    const cmd = /^CMD\s+(\[.*\])/m.exec(final.body);
    expect(cmd).not.toBeNull();
    const argv = JSON.parse(cmd![1]!) as string[];
    expect(argv).toEqual(['node', 'dist/api/main.js']);
    expect(emitted(argv[1]!)).toBe(true);
    for (const p of PROCESSES) {
      expect(commandOf(service(p.service))).toBe(`node ${p.main}`);
      expect(emitted(p.main)).toBe(true);
    }
    expect(emitted('dist/worker/missing.js')).toBe(false);
  });

  test('.dockerignore keeps local state and builds out of `COPY . .`', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git']));
  });
});

// ---- the team mode (npm run start:team) and the compose file: one deployment, two ways to run it ----

/**
 * The Temporal server's and UI server's configuration files are Go templates; they use only
 * `{{ env "X" }}`, `| default "d"` and `| quote`, which this renders as the servers do.
 */
function renderTemplate(path: string, env: Record<string, string>): { text: string; reads: string[] } {
  const reads: string[] = [];
  const text = read(path).replace(
    /\{\{\s*env\s+"([A-Z_][A-Z0-9_]*)"\s*(?:\|\s*default\s+"([^"]*)"\s*)?(\|\s*quote\s*)?\}\}/g,
    (_, name: string, fallback?: string, quote?: string) => {
      reads.push(name);
      const value = env[name] || fallback || '';
      return quote ? JSON.stringify(value) : value;
    },
  );
  expect({ path, unrendered: text.includes('{{') }).toEqual({ path, unrendered: false });
  return { text, reads };
}

interface ServerConfig {
  persistence: {
    numHistoryShards: number;
    defaultStore: string;
    visibilityStore: string;
    datastores: Record<string, { sql: { pluginName: string; databaseName: string; connectAddr: string; maxConns: number; maxIdleConns: number } }>;
  };
  services: Record<string, { rpc: { grpcPort: number; membershipPort: number; httpPort?: number; bindOnLocalHost: boolean } }>;
  clusterMetadata: { clusterInformation: { active: { rpcAddress: string } } };
  dynamicConfigClient: { filepath: string };
}

describe('the team mode and docker-compose.yml', () => {
  const temporal = environmentOf(service('temporal'));
  const dbs = { temporalDb: TEAM.temporalDb, visibilityDb: TEAM.visibilityDb };
  const pg = postgresTarget('postgres://entente:secret@db.example:5433/entente');
  const ports = serverPortsFrom(TEAM.ports.temporal);
  const env = serverEnv(ROOT, ports, pg, dbs);
  const defaults = parse(renderTemplate(TEAM.serverConfig, {}).text) as ServerConfig;
  const rendered = parse(renderTemplate(TEAM.serverConfig, env).text) as ServerConfig;
  const store = (c: ServerConfig, which: 'defaultStore' | 'visibilityStore') => c.persistence.datastores[c.persistence[which]]!.sql;
  const tag = (image: string | undefined) => image!.slice(image!.lastIndexOf(':') + 1);
  const provisionDefault = (name: string) => new RegExp(`^${name}="\\$\\{[A-Z_]+:-([^}]+)\\}"`, 'm').exec(read('scripts/provision-temporal-server.sh'))?.[1];

  test('the same Temporal server and UI versions: compose images, the provisioning script, start-team.ts', () => {
    expect(provisionDefault('SERVER_VERSION')).toBe(TEAM.serverVersion);
    expect(provisionDefault('UI_VERSION')).toBe(TEAM.uiVersion);
    expect(tag(service('temporal').image)).toBe(TEAM.serverVersion.replace(/^v/, ''));
    expect(tag(service('temporal-ui').image)).toBe(TEAM.uiVersion.replace(/^v/, ''));
    expect(tag(service('temporal-search-attributes').image)).toMatch(new RegExp(`^${TEAM.serverVersion.replace(/^v/, '').replace(/\./g, '\\.')}-`));
  });

  test('the same persistence: PostgreSQL through postgres12, the same databases and history shards', () => {
    for (const c of [defaults, rendered]) {
      expect(store(c, 'defaultStore').pluginName).toBe(temporal.DB);
      expect(store(c, 'visibilityStore').pluginName).toBe(temporal.DB);
      expect(c.persistence.numHistoryShards).toBe(Number(temporal.NUM_HISTORY_SHARDS));
    }
    expect(store(defaults, 'defaultStore').databaseName).toBe(temporal.DBNAME);
    expect(store(defaults, 'visibilityStore').databaseName).toBe(temporal.VISIBILITY_DBNAME);
    expect([temporal.DBNAME, temporal.VISIBILITY_DBNAME]).toEqual([TEAM.temporalDb, TEAM.visibilityDb]);
    // start-team.ts fills the address and the names in.
    expect(store(rendered, 'defaultStore')).toMatchObject({ databaseName: TEAM.temporalDb, connectAddr: 'db.example:5433' });
    expect(store(rendered, 'visibilityStore')).toMatchObject({ databaseName: TEAM.visibilityDb, connectAddr: 'db.example:5433' });
  });

  test('the same namespace, retention and dynamic configuration', () => {
    expect(interpolate(temporal.DEFAULT_NAMESPACE!, {})).toBe(TEAM.namespace);
    expect(interpolate(temporal.DEFAULT_NAMESPACE_RETENTION!, {})).toBe(`${TEAM.retentionHours}h`);
    // compose mounts the project's file where DYNAMIC_CONFIG_FILE_PATH (relative to /etc/temporal) points.
    const volumes = ((service('temporal') as { volumes?: string[] }).volumes ?? []).map((v) => v.split(':'));
    expect(volumes).toContainEqual([`./${TEAM.dynamicConfig}`, `/etc/temporal/${temporal.DYNAMIC_CONFIG_FILE_PATH}`, 'ro']);
    expect(defaults.dynamicConfigClient.filepath).toBe(TEAM.dynamicConfig);
    expect(rendered.dynamicConfigClient.filepath).toBe(join(ROOT, TEAM.dynamicConfig));
    const dynamic = parse(read(TEAM.dynamicConfig)) as Record<string, Array<{ value: unknown }>>;
    expect(dynamic['frontend.enableUpdateWorkflowExecution']?.[0]?.value).toBe(true);
  });

  test("the team's server is asked what the dev servers are (config/temporal-server.ts)", () => {
    const dynamic = parse(read(TEAM.dynamicConfig)) as Record<string, Array<{ value: unknown; constraints?: unknown }>>;
    expect(Object.keys(SERVER_DYNAMIC_CONFIG).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(SERVER_DYNAMIC_CONFIG)) expect([key, dynamic[key]]).toEqual([key, [{ value }]]);
    // As the Temporal CLI reads them: KEY=JSON value.
    expect(devServerDynamicConfigFlags()).toEqual(['--dynamic-config-value', 'system.enableActivityEagerExecution=true']);
  });

  test("the team's server has none of the settings the server says are for tests only", () => {
    const dynamic = parse(read(TEAM.dynamicConfig)) as Record<string, unknown>;
    expect(Object.keys(dynamic)).not.toContain('system.forceSearchAttributesCacheRefreshOnRead');
  });

  test('start-team.ts sets every variable the templates read, and the ports land where it says', () => {
    const { reads } = renderTemplate(TEAM.serverConfig, env);
    // Optional: the log level, and the pools (start-team.ts sets them for a small PostgreSQL).
    const optional = ['TEMPORAL_LOG_LEVEL', 'TEMPORAL_PG_MAX_CONNS', 'TEMPORAL_PG_VISIBILITY_MAX_CONNS'];
    expect(reads.filter((v) => !(v in env) && !optional.includes(v))).toEqual([]);
    expect(Object.keys(serverEnv(ROOT, ports, pg, dbs, { main: 4, visibility: 2 }))).toEqual(expect.arrayContaining(optional.slice(1)));
    const pools = parse(renderTemplate(TEAM.serverConfig, serverEnv(ROOT, ports, pg, dbs, { main: 4, visibility: 2 })).text) as ServerConfig;
    expect(store(pools, 'defaultStore')).toMatchObject({ maxConns: 4, maxIdleConns: 4 });
    expect(store(pools, 'visibilityStore')).toMatchObject({ maxConns: 2, maxIdleConns: 2 });
    expect(store(defaults, 'defaultStore')).toMatchObject({ maxConns: 20 });
    expect(rendered.services.frontend!.rpc).toMatchObject({ grpcPort: ports.frontend, membershipPort: ports.frontendMembership, httpPort: ports.http });
    expect(rendered.services.history!.rpc).toMatchObject({ grpcPort: ports.history, membershipPort: ports.historyMembership });
    expect(rendered.services.matching!.rpc).toMatchObject({ grpcPort: ports.matching, membershipPort: ports.matchingMembership });
    expect(rendered.services.worker!.rpc).toMatchObject({ grpcPort: ports.worker, membershipPort: ports.workerMembership });
    for (const s of Object.values(rendered.services)) {
      expect(s.rpc.bindOnLocalHost).toBe(true);
      // The server stores membership ports as a PostgreSQL smallint.
      expect(s.rpc.membershipPort).toBeLessThan(32_768);
    }
    expect(rendered.clusterMetadata.clusterInformation.active.rpcAddress).toBe(`127.0.0.1:${ports.frontend}`);
    // The defaults are upstream's development ports, 7233 for the frontend as in compose.
    expect(serverPortsFrom(7233)).toEqual({
      frontend: 7233,
      http: 7243,
      history: 7234,
      matching: 7235,
      worker: 7239,
      frontendMembership: 6933,
      historyMembership: 6934,
      matchingMembership: 6935,
      workerMembership: 6939,
    });
    expect(defaults.services.frontend!.rpc.grpcPort).toBe(TEAM.ports.temporal);
    const ui = renderTemplate(TEAM.uiConfig, uiEnv('127.0.0.1:7233', TEAM.ports.temporalUi, 'http://localhost:3000/codec'));
    expect(ui.reads.filter((v) => !(v in uiEnv('', 0, undefined)))).toEqual([]);
    expect(parse(ui.text)).toMatchObject({
      temporalGrpcAddress: '127.0.0.1:7233',
      port: TEAM.ports.temporalUi,
      host: '127.0.0.1',
      codec: { endpoint: 'http://localhost:3000/codec' },
    });
  });

  test('the same published ports: API, Temporal, its UI, the mail catcher', () => {
    expect(published(service('api')).get(3000)).toBe(TEAM.ports.api);
    expect(published(service('temporal')).get(7233)).toBe(TEAM.ports.temporal);
    expect(published(service('temporal-ui')).get(8080)).toBe(TEAM.ports.temporalUi);
    expect(published(service('mail')).get(1080)).toBe(TEAM.ports.mailUi);
    expect(environmentOf(service('mail')).MAILDEV_SMTP_PORT).toBe(String(TEAM.ports.smtp));
  });

  test('npm scripts: start:team runs the compiled start-team.ts; provision (so npm test) builds the server', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:team']).toMatch(/node dist\/scripts\/start-team\.js$/);
    expect(scripts.provision).toContain('scripts/provision-temporal-server.sh');
    expect(scripts.test).toContain('npm run provision');
    expect(read('.ci/run')).toContain('scripts/provision-temporal-server.sh');
  });
});
