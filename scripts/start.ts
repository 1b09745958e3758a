/**
 * `npm start`: the whole stack on one machine. A Temporal dev server persisted under ./data with
 * its web UI, a mail catcher with its web UI, the worker and the API, each a child process,
 * started again when it exits on its own; Ctrl-C stops them in reverse order.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { codecKeysFromEnv, generateCodecKey } from '../config/codec';
import { devServerDynamicConfigFlags } from '../config/temporal-server';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/search-attributes';
import { waitForPort } from './wait-for-port';

const ROOT = resolve(__dirname, '..', '..');
const DATA = resolve(process.env.DATA_DIR ?? join(ROOT, 'data'));
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PORTS = {
  api: port('PORT', 3000),
  temporal: port('TEMPORAL_PORT', 7233),
  temporalUi: port('TEMPORAL_UI_PORT', 8233),
  smtp: port('MAIL_SMTP_PORT', 1025),
  mailUi: port('MAIL_UI_PORT', 1080),
};

/**
 * The worker and the API get this process's environment: ALLOW_SHORT_DURATIONS reaches the API
 * only when the user sets it (`ALLOW_SHORT_DURATIONS=true npm start` for a demo in seconds); by
 * default the floors of domain/duration-floors.ts apply.
 */
const SHORT_DURATIONS = process.env.ALLOW_SHORT_DURATIONS === 'true';

const children: Array<{ name: string; process: ChildProcess; restarts: number[] }> = [];
let stopping = false;
/** Set once the stack is up: a child exiting before then (a port taken, a bad setting) stops everything at once. */
let up = false;

/** A child that exits on its own is started again after 1 s, doubling to 30 s at most... */
const RESTART_DELAY_MS = 1_000;
const RESTART_DELAY_MAX_MS = 30_000;
/** ...unless it exited this often within the minute: then something is wrong with it, and everything stops. */
const RESTARTS_PER_MINUTE = 5;

interface OutputFilter {
  /**
   * Lines of the child's output dropped once everything is stopping, when they only say that it
   * is going down (the Temporal CLI's own system workers losing the connection it has just
   * closed, a dozen WARN lines at every Ctrl-C).
   */
  quietWhileStopping?: RegExp;
  /** Each line as it is shown, or undefined to drop it (what must not reach a terminal or a log). */
  rewrite?: (line: string) => string | undefined;
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env, filter: OutputFilter = {}): ChildProcess {
  const entry = { name, process: undefined as unknown as ChildProcess, restarts: [] as number[] };
  children.push(entry);
  const run = (): ChildProcess => {
    // Each in a process group of its own: Ctrl-C signals the terminal's group, this process alone,
    // which stops the children in order. Signalled with it, Temporal went down while the worker
    // still polled it.
    const { quietWhileStopping, rewrite } = filter;
    const output = quietWhileStopping || rewrite ? 'pipe' : 'inherit';
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', output, output], detached: true });
    if (output === 'pipe') {
      for (const [from, to] of [
        [child.stdout!, process.stdout],
        [child.stderr!, process.stderr],
      ] as const) {
        createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
          if (stopping && quietWhileStopping?.test(line)) return;
          const shown = rewrite ? rewrite(line) : line;
          if (shown !== undefined) to.write(`${shown}\n`);
        });
      }
    }
    entry.process = child;
    // One child going down (the worker killed, the mail catcher crashing) is not the others' end:
    // they run on, the API says what is missing (/healthz, 503 "No worker is running"), and the
    // child comes back.
    child.on('exit', (code, signal) => {
      if (stopping) return;
      if (!up) {
        console.error(`${name} exited (${signal ?? code}); stopping everything`);
        return void stopAll(1);
      }
      const now = Date.now();
      entry.restarts = [...entry.restarts.filter((at) => now - at < 60_000), now];
      if (entry.restarts.length > RESTARTS_PER_MINUTE) {
        console.error(`${name} exited (${signal ?? code}) ${entry.restarts.length} times within a minute; stopping everything`);
        return void stopAll(1);
      }
      const delay = Math.min(RESTART_DELAY_MS * 2 ** (entry.restarts.length - 1), RESTART_DELAY_MAX_MS);
      console.error(`${name} exited (${signal ?? code}); starting it again in ${delay / 1000} s`);
      setTimeout(() => {
        if (!stopping) run();
      }, delay);
    });
    return child;
  };
  return run();
}

/**
 * MailDev logs each email's sender and recipients, and its subject on the next line: contacts'
 * addresses have no place in a terminal or a log (README, "Personal data"). Said without them.
 */
function withoutAddresses(line: string): string | undefined {
  if (/Received:.*->/.test(line)) return `mail catcher: an email received (open http://localhost:${PORTS.mailUi} to read it)`;
  if (/^\s*(\x1b\[[0-9;]*m)*Subject:/.test(line)) return undefined;
  return line;
}

async function stopAll(exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping: API, worker, mail catcher, Temporal...');
  for (const { name, process: child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    const exited = await Promise.race([
      new Promise<boolean>((r) => child.once('exit', () => r(true))),
      new Promise<boolean>((r) => setTimeout(() => r(false), 25_000)),
    ]);
    if (!exited) {
      console.error(`${name} did not stop in time; killing it`);
      child.kill('SIGKILL');
    }
  }
  process.exit(exitCode);
}

/** A second Ctrl-C, or this process failing: what is left is killed, never left behind. */
function killAll(): void {
  for (const { process: child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function onStopSignal(): void {
  if (!stopping) return void stopAll(0);
  console.error('Stopping at once: killing what is left');
  killAll();
  process.exit(130);
}

/**
 * Until /healthz answers 200, which it does once a worker polls: said running before then, a
 * first command answered 503 "no worker is running". What it last answered, if it never did.
 */
async function healthy(apiPort: number, timeoutMs = 60_000): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < until) {
    try {
      const response = await fetch(`http://127.0.0.1:${apiPort}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return undefined;
      last = await response.text();
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

/** The coordinator's key: from the environment, else generated once and kept under ./data. */
function coordinatorKey(): { key: string; generated: boolean } {
  if (process.env.COORDINATOR_API_KEY) return { key: process.env.COORDINATOR_API_KEY, generated: false };
  const file = join(DATA, 'coordinator-api-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 });
  return { key: readFileSync(file, 'utf8').trim(), generated: true };
}

/**
 * The payload codec's keys (config/codec.ts): from the environment, else a key generated once and
 * kept under ./data beside the coordinator's key. Losing the file loses what Temporal holds.
 */
function codecKeys(): { env: NodeJS.ProcessEnv; keyId: string; file?: string } {
  const configured = codecKeysFromEnv();
  if (configured) return { env: {}, keyId: configured.currentKeyId };
  const file = join(DATA, 'codec-keys');
  if (!existsSync(file)) {
    const id = `local-${new Date().toISOString().slice(0, 10)}`;
    writeFileSync(file, `# Entente's payload keys (id:base64), retired ones kept; see README, "Rotating the key".\n${generateCodecKey(id)}\n`, { mode: 0o600 });
  }
  const env = { ENTENTE_CODEC_KEYS_FILE: file };
  // Checked here, so that a file edited by hand stops npm start before anything runs.
  return { env, keyId: codecKeysFromEnv({ ...process.env, ...env })!.currentKeyId, file };
}

async function main(): Promise<void> {
  // The data holds contacts' names and addresses (the register, Temporal's database, the emails):
  // for this user alone. The directory is closed to others, and every file the stack creates
  // there is too.
  mkdirSync(DATA, { recursive: true });
  try {
    chmodSync(DATA, 0o700);
  } catch {
    console.warn(`${DATA} is not this user's: left as it is; its files are still created for this user alone`);
  }
  process.umask(0o077);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onStopSignal);
  process.on('exit', killAll);

  const cli = execFileSync('bash', [join(ROOT, 'scripts', 'provision-temporal-cli.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const { key, generated } = coordinatorKey();
  const codec = codecKeys();

  const temporalDb = join(DATA, 'temporal.db');
  start(
    cli,
    cli,
    [
      'server',
      'start-dev',
      '--db-filename',
      temporalDb,
      '--ip',
      '127.0.0.1',
      '--port',
      String(PORTS.temporal),
      '--ui-port',
      String(PORTS.temporalUi),
      '--namespace',
      'default',
      '--log-level',
      'warn',
      ...Object.entries(SEARCH_ATTRIBUTE_FLAGS).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
      ...devServerDynamicConfigFlags(),
    ],
    process.env,
    { quietWhileStopping: / level=WARN / },
  );
  start(
    'mail catcher',
    join(ROOT, 'node_modules', '.bin', 'maildev'),
    ['--smtp', String(PORTS.smtp), '--ip', '127.0.0.1', '--web', String(PORTS.mailUi), '--web-ip', '127.0.0.1', '--mail-directory', join(DATA, 'mail')],
    process.env,
    { rewrite: withoutAddresses },
  );
  await waitForPort(PORTS.temporal, 'Temporal');
  await waitForPort(PORTS.smtp, 'the mail catcher');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? `127.0.0.1:${PORTS.temporal}`,
    SMTP_URL: process.env.SMTP_URL ?? `smtp://127.0.0.1:${PORTS.smtp}`,
    DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${join(DATA, 'register.db')}`,
    PORT: String(PORTS.api),
    COORDINATOR_API_KEY: key,
    ...codec.env,
    TEMPORAL_UI_ORIGIN: process.env.TEMPORAL_UI_ORIGIN ?? `http://localhost:${PORTS.temporalUi}`,
  };
  start('worker', process.execPath, [join(ROOT, 'dist', 'worker', 'main.js')], env);
  start('api', process.execPath, [join(ROOT, 'dist', 'api', 'main.js')], env);
  await waitForPort(PORTS.api, 'the API');
  const health = await healthy(PORTS.api);
  up = true;

  console.log(`
Entente is running. Ctrl-C stops everything; data stays in ${DATA}.

  Web page and API   http://localhost:${PORTS.api}         (sign in with the key below; the API wants Authorization: Bearer <key>)
  API reference      http://localhost:${PORTS.api}/docs    (OpenAPI 3.1 at /openapi.json)
  Temporal           localhost:${PORTS.temporal}            (gRPC, for the worker and the temporal CLI)
  Temporal web UI    http://localhost:${PORTS.temporalUi}         (every partnership is a workflow here)
  Mail catcher UI    http://localhost:${PORTS.mailUi}         (every email sent; SMTP on localhost:${PORTS.smtp})
  Coordinator key    ${generated ? `${key}   (generated, kept in ${join(DATA, 'coordinator-api-key')})` : 'from COORDINATOR_API_KEY'}
  Payload key        ${codec.keyId}   (payloads encrypted before they reach Temporal; ${codec.file ? `kept in ${codec.file}` : 'from ENTENTE_CODEC_KEYS'}; decoded for the coordinator at /codec)
${SHORT_DURATIONS ? '  Short durations    allowed (ALLOW_SHORT_DURATIONS=true): start requests may set seconds; for demos only\n' : ''}`);
  if (health) console.error(`Not healthy yet after 60 s: ${health}; see the worker's and the API's lines above.`);
}

main().catch((err) => {
  console.error('npm start failed:', err instanceof Error ? err.message : err);
  void stopAll(1);
});
