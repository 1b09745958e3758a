/**
 * `npm run start:team`: the team deployment on this machine, without Docker. A real Temporal
 * server (built from the Go module proxy, scripts/provision-temporal-server.sh) on PostgreSQL for
 * persistence and visibility, configured by config/temporal/, its web UI, a mail catcher, the
 * register on PostgreSQL, WORKERS workers (2 by default) and the API, each a child process;
 * Ctrl-C stops them in reverse order. PostgreSQL is DATABASE_URL's, or a local one provisioned as
 * the tests provision theirs (scripts/test-postgres.sh, kept under the data directory).
 *
 * The pieces are exported for test/e2e/team-mode.test.ts, which starts the same team and kills
 * a worker and the Temporal server under it.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { Client as PgClient } from 'pg';
import { openRegister } from '../store/database';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/search-attributes';
import { waitForPort } from './wait-for-port';

/** The values docker-compose.yml shares with the team mode (test/unit/deployment.test.ts compares them). */
export const TEAM = {
  serverVersion: 'v1.29.1',
  uiVersion: 'v2.42.1',
  namespace: 'default',
  /** How long closed histories stay in Temporal; the register keeps the decisions for good. */
  retentionHours: 720,
  temporalDb: 'temporal',
  visibilityDb: 'temporal_visibility',
  registerDb: 'entente',
  serverConfig: 'config/temporal/development-postgres.yaml',
  dynamicConfig: 'config/temporal/dynamicconfig/development-postgres.yaml',
  uiConfig: 'config/temporal/ui/development.yaml',
  ports: { api: 3000, temporal: 7233, temporalUi: 8080, smtp: 1025, mailUi: 1080 },
} as const;

/** The directory holding package.json, whether this runs from scripts/ (tests) or dist/scripts/. */
export function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scripts', 'provision-temporal-server.sh'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root above ${from}`);
  }
}

export interface TemporalTools {
  server: string;
  sqlTool: string;
  uiServer: string;
  /** schema/postgresql of the server's module: v12/temporal/versioned, v12/visibility/versioned. */
  schemaDir: string;
}

/**
 * The binaries, built the first time (minutes) and cached in ~/.cache/entente-tools. With
 * `cachedOnly`, never builds: undefined when they are not there yet.
 */
export function provisionTemporalServer(root: string, options: { cachedOnly?: boolean } = {}): TemporalTools | undefined {
  let out: string;
  try {
    out = execFileSync('bash', [join(root, 'scripts', 'provision-temporal-server.sh'), ...(options.cachedOnly ? ['--cached-only'] : [])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', options.cachedOnly ? 'pipe' : 'inherit'],
    });
  } catch (err) {
    if (options.cachedOnly) return undefined;
    throw err;
  }
  const value = (key: string) => {
    const line = out.split('\n').find((l) => l.startsWith(`${key}=`));
    if (!line) throw new Error(`provision-temporal-server.sh printed no ${key}`);
    return line.slice(key.length + 1).trim();
  };
  return {
    server: value('TEMPORAL_SERVER'),
    sqlTool: value('TEMPORAL_SQL_TOOL'),
    uiServer: value('TEMPORAL_UI_SERVER'),
    schemaDir: value('TEMPORAL_SCHEMA_DIR'),
  };
}

/** Every port the Temporal server binds, on loopback. */
export interface ServerPorts {
  frontend: number;
  http: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
}

/**
 * Upstream's development ports (7233 gives 7234, 7235, 7239, 7243 and 6933 to 6939), moved
 * together by TEMPORAL_PORT so that a second team on the machine collides with nothing.
 */
export const serverPortsFrom = (frontend: number): ServerPorts => ({
  frontend,
  http: frontend + 10,
  history: frontend + 1,
  matching: frontend + 2,
  worker: frontend + 6,
  frontendMembership: frontend - 300,
  historyMembership: frontend - 299,
  matchingMembership: frontend - 298,
  workerMembership: frontend - 294,
});

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** A port nobody listens on now, chosen at random in [from, to). */
export async function freePortIn(from: number, to: number): Promise<number> {
  for (;;) {
    const port = from + Math.floor(Math.random() * (to - from));
    const free = await new Promise<boolean>((resolveFree) => {
      const server = createServer();
      server.once('error', () => resolveFree(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
    });
    if (free) return port;
  }
}

/**
 * Free ports for a server of its own (tests). Membership ports go below 32768: the server records
 * them in PostgreSQL as a smallint, and the kernel's ephemeral ports lie above.
 */
export async function freeServerPorts(): Promise<ServerPorts> {
  const ports: number[] = [];
  // Kept apart while allocating, so that no two are the same.
  while (ports.length < 9) {
    const p = ports.length < 5 ? await freePort() : await freePortIn(20_000, 32_000);
    if (!ports.includes(p)) ports.push(p);
  }
  const [frontend, http, history, matching, worker, fm, hm, mm, wm] = ports as [number, number, number, number, number, number, number, number, number];
  return { frontend, http, history, matching, worker, frontendMembership: fm, historyMembership: hm, matchingMembership: mm, workerMembership: wm };
}

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The same server, another database. */
  urlOf(database: string): string;
}

export function postgresTarget(url: string): PostgresTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new Error('the team mode needs PostgreSQL: DATABASE_URL must be a postgres:// URL');
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: decodeURIComponent(parsed.password),
    urlOf(database) {
      const u = new URL(url);
      u.pathname = `/${database}`;
      return u.toString();
    },
  };
}

/** Creates the database when missing; the URL's user must be allowed to (CREATEDB). */
export async function ensureDatabase(pg: PostgresTarget, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name} is not a plain identifier`);
  const client = new PgClient({ connectionString: pg.urlOf('postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

/** Drops these databases, whoever is connected to them (a run's own, at its end). */
export async function dropDatabases(pg: PostgresTarget, names: string[]): Promise<void> {
  const client = new PgClient({ connectionString: pg.urlOf('postgres') });
  await client.connect();
  try {
    for (const name of names) await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

/**
 * Creates or upgrades Temporal's two schemas, as the auto-setup image of docker-compose.yml does:
 * `setup-schema -v 0.0` is a no-op on a database already past it, `update-schema` applies the
 * versions it lacks.
 */
export async function setupTemporalSchemas(tools: TemporalTools, pg: PostgresTarget, dbs: { temporalDb: string; visibilityDb: string }): Promise<void> {
  for (const [database, schema] of [
    [dbs.temporalDb, 'temporal'],
    [dbs.visibilityDb, 'visibility'],
  ] as const) {
    await ensureDatabase(pg, database);
    const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--db', database];
    const env = { ...process.env, SQL_PASSWORD: pg.password };
    execFileSync(tools.sqlTool, [...base, 'setup-schema', '-v', '0.0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync(tools.sqlTool, [...base, 'update-schema', '-d', join(tools.schemaDir, 'v12', schema, 'versioned')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
}

/** Connections each of the server's four services may open, to its two databases. */
export interface PgConnections {
  main: number;
  visibility: number;
}

/** What config/temporal/development-postgres.yaml reads from the environment (it is a Go template). */
export function serverEnv(
  root: string,
  ports: ServerPorts,
  pg: PostgresTarget,
  dbs: { temporalDb: string; visibilityDb: string },
  connections?: PgConnections,
): Record<string, string> {
  return {
    ...(connections ? { TEMPORAL_PG_MAX_CONNS: String(connections.main), TEMPORAL_PG_VISIBILITY_MAX_CONNS: String(connections.visibility) } : {}),
    TEMPORAL_PORT: String(ports.frontend),
    TEMPORAL_HTTP_PORT: String(ports.http),
    TEMPORAL_HISTORY_PORT: String(ports.history),
    TEMPORAL_MATCHING_PORT: String(ports.matching),
    TEMPORAL_WORKER_PORT: String(ports.worker),
    TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    TEMPORAL_PG_ADDRESS: `${pg.host}:${pg.port}`,
    TEMPORAL_PG_USER: pg.user,
    TEMPORAL_PG_PASSWORD: pg.password,
    TEMPORAL_DB: dbs.temporalDb,
    TEMPORAL_VISIBILITY_DB: dbs.visibilityDb,
    TEMPORAL_DYNAMIC_CONFIG: join(root, TEAM.dynamicConfig),
  };
}

/** `server --config config/temporal --env development-postgres start`, reading TEAM.serverConfig. */
export function serverArgs(root: string): string[] {
  // --config is relative to --root.
  return ['--root', root, '--config', dirname(TEAM.serverConfig), '--env', basename(TEAM.serverConfig, '.yaml'), '--allow-no-auth', 'start'];
}

/** The UI server's configuration file is a Go template too; this is what it reads. */
export function uiEnv(temporalAddress: string, uiPort: number, codecEndpoint: string | undefined): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_DEFAULT_NAMESPACE: TEAM.namespace,
    TEMPORAL_CODEC_ENDPOINT: codecEndpoint ?? '',
  };
}

export function uiArgs(root: string): string[] {
  return ['--root', root, '--config', dirname(TEAM.uiConfig), '--env', basename(TEAM.uiConfig, '.yaml'), 'start'];
}

export interface ProcessOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Output to this file; to this process's stdout and stderr when unset. */
  logFile?: string;
  /** Ready once a line of its output contains this; otherwise as soon as it is spawned. */
  readyWhen?: string;
  /** Called when the process exits without being asked to (kill or stop). */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /**
   * In a process group of its own, so that a signal to the terminal's group (Ctrl-C) reaches the
   * parent alone, which stops the team in order; killed when the parent exits, whatever the reason.
   */
  ownProcessGroup?: boolean;
}

/** A child process that can be started again after a crash (SIGKILL) or a stop. */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private readonly log: WriteStream | undefined;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly options: ProcessOptions,
  ) {
    this.log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logFile(): string | undefined {
    return this.options.logFile;
  }

  /** Resolves with the milliseconds until it was ready. */
  start(timeoutMs = 60_000): Promise<number> {
    if (this.alive) throw new Error(`${this.name} is already running`);
    const started = Date.now();
    this.expectingExit = false;
    const child = spawn(this.command, this.args, {
      cwd: this.options.cwd,
      env: this.options.env,
      stdio: ['ignore', this.log || this.options.readyWhen ? 'pipe' : 'inherit', this.log ? 'pipe' : 'inherit'],
      detached: this.options.ownProcessGroup === true,
    });
    this.child = child;
    if (this.options.ownProcessGroup) {
      const reap = () => child.kill('SIGKILL');
      process.on('exit', reap);
      child.once('exit', () => process.off('exit', reap));
    }
    this.log?.write(`--- ${this.name} started (pid ${child.pid}) at ${new Date(started).toISOString()}\n`);
    this.exited = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => {
        this.log?.write(`--- ${this.name} exited (${signal ?? code}) at ${new Date().toISOString()}\n`);
        if (!this.expectingExit) this.options.onUnexpectedExit?.(code, signal);
        resolveExit();
      }),
    );
    if (this.log) child.stderr!.pipe(this.log, { end: false });
    return new Promise<number>((resolveReady, reject) => {
      const ready = this.options.readyWhen;
      if (!ready) {
        if (this.log) child.stdout!.pipe(this.log, { end: false });
        child.once('spawn', () => resolveReady(Date.now() - started));
        child.once('error', reject);
        return;
      }
      let buffer = '';
      let done = false;
      const timer = setTimeout(
        () => reject(new Error(`${this.name} was not ready within ${timeoutMs} ms${this.log ? ` (see ${this.options.logFile})` : ''}`)),
        timeoutMs,
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        if (this.log) this.log.write(chunk);
        else process.stdout.write(chunk);
        if (done) return;
        buffer = (buffer + chunk.toString('utf8')).slice(-64_000);
        if (buffer.includes(ready)) {
          done = true;
          clearTimeout(timer);
          resolveReady(Date.now() - started);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!done) reject(new Error(`${this.name} exited (${signal ?? code}) before it was ready${this.log ? ` (see ${this.options.logFile})` : ''}`));
      });
    });
  }

  /** `work`, unless the process exits first: then that exit is the error. */
  whileAlive<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolveWork, reject) => {
      let done = false;
      void this.exited.then(() => {
        if (!done) reject(new Error(`${this.name} exited${this.options.logFile ? ` (see ${this.options.logFile})` : ''}`));
      });
      work.then(
        (value) => {
          done = true;
          resolveWork(value);
        },
        (err: unknown) => {
          done = true;
          reject(err as Error);
        },
      );
    });
  }

  /** A crash: SIGKILL, no grace. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.expectingExit = true;
    this.log?.write(`--- SIGKILL ${this.name} at ${new Date().toISOString()}\n`);
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 25_000): Promise<void> {
    if (this.alive) {
      this.expectingExit = true;
      this.child!.kill('SIGTERM');
      const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** After the last stop: closes the log file. */
  async close(): Promise<void> {
    if (this.log) await new Promise<void>((r) => this.log!.end(() => r()));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `fn` until it resolves or `timeoutMs` passes; the last error says why. */
async function retry<T>(what: string, fn: () => Promise<T>, timeoutMs: number, going: () => boolean = () => true): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > until || !going()) throw new Error(`${what}: ${(err as Error).message}`);
      await pause(500);
    }
  }
}

/**
 * Waits for the server's frontend, then registers the namespace and Entente's search attributes
 * when missing (workflows/search-attributes.ts), and returns once the namespace serves them.
 * No payload crosses here, so a plain connection does (no codec).
 */
export async function registerNamespace(
  address: string,
  namespace: string = TEAM.namespace,
  retentionHours: number = TEAM.retentionHours,
  serverAlive: () => boolean = () => true,
): Promise<void> {
  const connection = await retry('the Temporal frontend', () => Connection.connect({ address, connectTimeout: 2_000 }), 120_000, serverAlive);
  try {
    const { workflowService, operatorService } = connection;
    await retry('the Temporal frontend', () => workflowService.getSystemInfo({}), 120_000, serverAlive);
    const exists = await workflowService.describeNamespace({ namespace }).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionHours} hours`) }).catch((err: Error) => {
        // Another start registered it in the meantime.
        if (!/already exists/i.test(err.message)) throw err;
      });
    }
    const { IndexedValueType } = temporal.api.enums.v1;
    const types: Record<string, temporal.api.enums.v1.IndexedValueType> = {
      Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
      Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    };
    // A new namespace reaches the frontend's cache within seconds; until then it is "not found".
    const listed = () => retry(`namespace ${namespace}`, () => operatorService.listSearchAttributes({ namespace }), 60_000);
    const existing = (await listed()).customAttributes ?? {};
    const missing = Object.entries(SEARCH_ATTRIBUTE_FLAGS).filter(([name]) => !(name in existing));
    if (missing.length > 0) {
      await operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, types[type]!])) });
    }
    await retry(
      'the search attributes',
      async () => {
        const now = (await listed()).customAttributes ?? {};
        const absent = Object.keys(SEARCH_ATTRIBUTE_FLAGS).filter((n) => !(n in now));
        if (absent.length > 0) throw new Error(`not yet registered: ${absent.join(', ')}`);
      },
      60_000,
    );
  } finally {
    await connection.close();
  }
}

/** Stops the PostgreSQL that scripts/test-postgres.sh started under `dir` (as its header says). */
export function stopLocalPostgres(dir: string): void {
  const bin = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).trim();
  const ctl = [join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'fast', 'stop'];
  const [command, args] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', ...ctl]] : [ctl[0]!, ctl.slice(1)];
  execFileSync(command as string, args as string[], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A secret kept once in the data directory, unless the environment gives it. */
function keptSecret(file: string, make: () => string): string {
  if (!existsSync(file)) writeFileSync(file, make() + '\n', { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export interface TeamOptions {
  root: string;
  /** Where dist/worker/main.js and dist/api/main.js are (the project's dist/ by default). */
  dist: string;
  dataDir: string;
  /** The register's database; Temporal's two databases are created on the same server. */
  databaseUrl: string;
  temporalDb: string;
  visibilityDb: string;
  namespace: string;
  taskQueue: string;
  workers: number;
  publicUrl: string;
  coordinatorApiKey: string;
  serverPorts: ServerPorts;
  ports: { api: number; temporalUi: number; smtp: number; mailUi: number };
  /** Without a UI or a mail catcher (the CI test: SMTP_URL points at its own receiver). */
  ui: boolean;
  mailCatcher: boolean;
  /** Added to the workers' and the API's environment. */
  env: Record<string, string>;
  /** Every process writes to a file in this directory; to the terminal when unset. */
  logDir?: string;
  tools: TemporalTools;
  /** The server's connection pools; the configuration's (20 and 4 per service) when unset. */
  temporalPgConnections?: PgConnections;
  onUnexpectedExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
  /** Each process in a group of its own (ProcessOptions): `npm run start:team`, not the tests. */
  ownProcessGroups?: boolean;
}

export interface Team {
  temporalAddress: string;
  apiUrl: string;
  uiUrl?: string;
  server: ManagedProcess;
  ui?: ManagedProcess;
  mail?: ManagedProcess;
  workers: ManagedProcess[];
  api: ManagedProcess;
  /** Every process, in the order started. */
  processes: ManagedProcess[];
  /** Milliseconds spent per step, for the start's report. */
  timings: Record<string, number>;
  /** Reverse order: the API, the workers, the mail catcher, the UI, Temporal. */
  stop(): Promise<void>;
}

/** The whole team, started in order; what `npm run start:team` and the CI test run. */
export async function startTeam(o: TeamOptions): Promise<Team> {
  const timings: Record<string, number> = {};
  let t = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - t;
    t = Date.now();
  };
  const pg = postgresTarget(o.databaseUrl);
  const dbs = { temporalDb: o.temporalDb, visibilityDb: o.visibilityDb };
  await setupTemporalSchemas(o.tools, pg, dbs);
  lap('schemas');
  const processes: ManagedProcess[] = [];
  const make = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv, readyWhen?: string) => {
    const p = new ManagedProcess(name, command, args, {
      cwd: o.root,
      env,
      ...(o.logDir ? { logFile: join(o.logDir, `${name.replace(/\s+/g, '-')}.log`) } : {}),
      ...(readyWhen ? { readyWhen } : {}),
      onUnexpectedExit: (code, signal) => o.onUnexpectedExit?.(name, code, signal),
      ...(o.ownProcessGroups ? { ownProcessGroup: true } : {}),
    });
    processes.push(p);
    return p;
  };
  const team: Partial<Team> & { processes: ManagedProcess[] } = { processes, timings };
  const stop = async () => {
    for (const p of [...processes].reverse()) await p.stop(p.name === 'temporal' ? 10_000 : 25_000);
    for (const p of processes) await p.close();
  };
  try {
    const temporalAddress = `127.0.0.1:${o.serverPorts.frontend}`;
    const server = make('temporal', o.tools.server, serverArgs(o.root), {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...serverEnv(o.root, o.serverPorts, pg, dbs, o.temporalPgConnections),
    });
    await server.start();
    await server.whileAlive(registerNamespace(temporalAddress, o.namespace, TEAM.retentionHours, () => server.alive));
    lap('temporal');
    let ui: ManagedProcess | undefined;
    if (o.ui) {
      const codecEndpoint = `${o.publicUrl.replace(/\/$/, '')}/codec`;
      ui = make('temporal ui', o.tools.uiServer, uiArgs(o.root), {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...uiEnv(temporalAddress, o.ports.temporalUi, codecEndpoint),
      });
      await ui.start();
    }
    let mail: ManagedProcess | undefined;
    if (o.mailCatcher) {
      mail = make(
        'mail catcher',
        join(o.root, 'node_modules', '.bin', 'maildev'),
        [
          '--smtp',
          String(o.ports.smtp),
          '--ip',
          '127.0.0.1',
          '--web',
          String(o.ports.mailUi),
          '--web-ip',
          '127.0.0.1',
          '--mail-directory',
          join(o.dataDir, 'mail'),
        ],
        process.env,
      );
      await mail.start();
      await mail.whileAlive(waitForPort(o.ports.smtp, 'the mail catcher'));
    }
    if (ui) await ui.whileAlive(waitForPort(o.ports.temporalUi, 'the Temporal UI'));
    lap('ui and mail');
    // Migrated once before the workers and the API open it, so that they do not race to.
    const db = await openRegister(o.databaseUrl);
    await db.destroy();
    lap('register');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...(mail ? { SMTP_URL: `smtp://127.0.0.1:${o.ports.smtp}` } : {}),
      ...o.env,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: o.namespace,
      TASK_QUEUE: o.taskQueue,
      DATABASE_URL: o.databaseUrl,
      PUBLIC_URL: o.publicUrl,
      ...(ui ? { TEMPORAL_UI_ORIGIN: `http://localhost:${o.ports.temporalUi}` } : {}),
    };
    const workers = Array.from({ length: o.workers }, (_, i) =>
      make(`worker ${i + 1}`, process.execPath, [join(o.dist, 'worker', 'main.js')], env, '"msg":"worker started"'),
    );
    await Promise.all(workers.map((w) => w.start(120_000)));
    lap('workers');
    const api = make(
      'api',
      process.execPath,
      [join(o.dist, 'api', 'main.js')],
      { ...env, PORT: String(o.ports.api), COORDINATOR_API_KEY: o.coordinatorApiKey },
      '"msg":"api listening"',
    );
    await api.start();
    lap('api');
    return Object.assign(team, {
      temporalAddress,
      apiUrl: `http://127.0.0.1:${o.ports.api}`,
      ...(ui ? { uiUrl: `http://localhost:${o.ports.temporalUi}`, ui } : {}),
      ...(mail ? { mail } : {}),
      server,
      workers,
      api,
      stop,
    }) as Team;
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(): Promise<void> {
  const root = projectRoot();
  const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data', 'team'));
  mkdirSync(dataDir, { recursive: true });
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const publicUrl = process.env.PUBLIC_URL;
  // Links in emails and calendars are built from PUBLIC_URL only; a team's must be the address its people reach.
  if (!publicUrl)
    throw new Error('PUBLIC_URL must be set in team mode: the address the API is reached at, for the links in emails (say PUBLIC_URL=http://localhost:3000)');
  const workers = Number(process.env.WORKERS ?? 2);
  if (!Number.isInteger(workers) || workers < 1) throw new Error('WORKERS must be a whole number, 1 or more');

  let stopping = false;
  let localPostgres = false;
  // Set once started; Ctrl-C before then leaves startTeam to stop what it started when it fails.
  const running: { team?: Team } = {};
  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping: API, workers, mail catcher, Temporal UI, Temporal${localPostgres ? ', PostgreSQL' : ''}...`);
    await running.team?.stop();
    if (localPostgres) stopLocalPostgres(join(dataDir, 'postgres'));
    process.exit(exitCode);
  };
  // A second Ctrl-C does not wait: what is left is killed (and anything still starting, by
  // ownProcessGroup's exit hook), then PostgreSQL stopped.
  const onStopSignal = () => {
    if (!stopping) return void stopAll(0);
    console.error('Stopping at once: killing what is left');
    for (const p of running.team?.processes ?? []) if (p.alive) process.kill(p.pid!, 'SIGKILL');
    if (localPostgres) stopLocalPostgres(join(dataDir, 'postgres'));
    process.exit(130);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onStopSignal);

  const tools = provisionTemporalServer(root)!;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const admin = execFileSync('bash', [join(root, 'scripts', 'test-postgres.sh')], {
      encoding: 'utf8',
      env: { ...process.env, ENTENTE_PG_DIR: join(dataDir, 'postgres') },
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    const pg = postgresTarget(admin);
    await ensureDatabase(pg, TEAM.registerDb);
    databaseUrl = pg.urlOf(TEAM.registerDb);
    localPostgres = true;
  }
  const coordinatorApiKey = process.env.COORDINATOR_API_KEY ?? keptSecret(join(dataDir, 'coordinator-api-key'), () => randomBytes(24).toString('base64url'));
  // Payloads are encrypted before they reach Temporal (config/codec.ts) with a key kept here, unless one is given.
  const codecEnv: Record<string, string> =
    process.env.ENTENTE_CODEC_KEYS || process.env.ENTENTE_CODEC_KEYS_FILE
      ? {}
      : (keptSecret(join(dataDir, 'codec-keys'), () => `k1:${randomBytes(32).toString('base64')}`), { ENTENTE_CODEC_KEYS_FILE: join(dataDir, 'codec-keys') });
  const ports = {
    api: port('PORT', TEAM.ports.api),
    temporalUi: port('TEMPORAL_UI_PORT', TEAM.ports.temporalUi),
    smtp: port('MAIL_SMTP_PORT', TEAM.ports.smtp),
    mailUi: port('MAIL_UI_PORT', TEAM.ports.mailUi),
  };
  const passed = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const team = await startTeam({
    root,
    dist: join(root, 'dist'),
    dataDir,
    databaseUrl,
    temporalDb: process.env.TEMPORAL_DB ?? TEAM.temporalDb,
    visibilityDb: process.env.TEMPORAL_VISIBILITY_DB ?? TEAM.visibilityDb,
    namespace: process.env.TEMPORAL_NAMESPACE ?? TEAM.namespace,
    taskQueue: process.env.TASK_QUEUE ?? 'entente',
    workers,
    publicUrl,
    coordinatorApiKey,
    serverPorts: serverPortsFrom(port('TEMPORAL_PORT', TEAM.ports.temporal)),
    ports,
    ui: true,
    mailCatcher: !process.env.SMTP_URL,
    env: { ...passed, ...codecEnv },
    logDir: dataDir,
    tools,
    ownProcessGroups: true,
    // The local PostgreSQL takes 50 connections (scripts/test-postgres.sh): the server's four
    // services get 10 each, the register's pools (10 per process) the rest.
    ...(localPostgres ? { temporalPgConnections: { main: 8, visibility: 2 } } : {}),
    onUnexpectedExit: (name, code, signal) => {
      if (stopping) return;
      console.error(`${name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    },
  });
  running.team = team;
  const seconds = Object.entries(team.timings)
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
  console.log(`
Entente (team mode) is running. Ctrl-C stops everything; the data stays in PostgreSQL.

  Web page and API   http://localhost:${ports.api}   (public address: ${publicUrl}; /docs is the API's reference)
  Temporal           ${team.temporalAddress}   (gRPC, loopback only; server ${TEAM.serverVersion} on PostgreSQL)
  Temporal web UI    ${team.uiUrl}
  Mail catcher UI    ${team.mail ? `http://localhost:${ports.mailUi}   (SMTP on localhost:${ports.smtp})` : `none: SMTP_URL is set`}
  Workers            ${workers}, on task queue ${process.env.TASK_QUEUE ?? 'entente'}
  PostgreSQL         ${localPostgres ? `local, under ${join(dataDir, 'postgres')}` : 'DATABASE_URL'}: Temporal's ${process.env.TEMPORAL_DB ?? TEAM.temporalDb} and ${process.env.TEMPORAL_VISIBILITY_DB ?? TEAM.visibilityDb}, the register
  Coordinator key    ${process.env.COORDINATOR_API_KEY ? 'from COORDINATOR_API_KEY' : `${coordinatorApiKey}   (generated, kept in ${join(dataDir, 'coordinator-api-key')})`}
  Payload codec      ${codecEnv.ENTENTE_CODEC_KEYS_FILE ? `key kept in ${codecEnv.ENTENTE_CODEC_KEYS_FILE}` : 'keys from the environment'}
  Logs               ${dataDir}/*.log
  Started in         ${seconds}
`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error('npm run start:team failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
