/**
 * `npm start`: the whole stack on one machine. A Temporal dev server persisted under ./data with
 * its web UI, a mail catcher with its web UI, the worker and the API, each a child process;
 * Ctrl-C stops them in reverse order.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const children: Array<{ name: string; process: ChildProcess }> = [];
let stopping = false;

/**
 * `quietWhileStopping`: lines of the child's output dropped once everything is stopping, when they
 * only say that it is going down (the Temporal CLI's own system workers losing the connection it
 * has just closed, a dozen WARN lines at every Ctrl-C).
 */
function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env, quietWhileStopping?: RegExp): ChildProcess {
  // Each in a process group of its own: Ctrl-C signals the terminal's group, this process alone,
  // which stops the children in order. Signalled with it, Temporal went down while the worker
  // still polled it.
  const output = quietWhileStopping ? 'pipe' : 'inherit';
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', output, output], detached: true });
  if (quietWhileStopping) {
    for (const [from, to] of [
      [child.stdout!, process.stdout],
      [child.stderr!, process.stderr],
    ] as const) {
      createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
        if (!(stopping && quietWhileStopping.test(line))) to.write(`${line}\n`);
      });
    }
  }
  children.push({ name, process: child });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  return child;
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
  mkdirSync(DATA, { recursive: true });
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
    / level=WARN /,
  );
  start('mail catcher', join(ROOT, 'node_modules', '.bin', 'maildev'), [
    '--smtp',
    String(PORTS.smtp),
    '--ip',
    '127.0.0.1',
    '--web',
    String(PORTS.mailUi),
    '--web-ip',
    '127.0.0.1',
    '--mail-directory',
    join(DATA, 'mail'),
  ]);
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
