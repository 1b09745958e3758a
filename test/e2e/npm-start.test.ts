/**
 * `npm start` (scripts/start.ts) as a person runs it: the built script in a terminal's foreground
 * process group, and Ctrl-C as the terminal sends it, SIGINT to that whole group.
 *
 * The stack must stop in order (the API, the worker, the mail catcher, then Temporal) and quietly:
 * when the group's signal reached Temporal too, it went down while the worker still polled it, and
 * the worker and the API logged their lost connections on the way out.
 *
 * Its data directory is the user's alone, and the mail catcher's lines name no address.
 *
 * One child going down is not the others' end: the worker killed is started again while the API
 * and the rest run on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePortIn } from '../../scripts/start-team';
import { eventually } from '../helpers/polling';
import { startRequest } from '../helpers/fixtures';
import { buildWorker, type WorkerBuild } from '../helpers/worker-process';

const ROOT = resolve(__dirname, '..', '..');

let build: WorkerBuild;

beforeAll(async () => {
  build = await buildWorker();
  // scripts/start.ts provisions the Temporal CLI with the project's script, beside dist/.
  symlinkSync(join(ROOT, 'scripts'), join(build.dir, 'scripts'), 'dir');
}, 300_000);

afterAll(() => build?.dispose());

interface Started {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
  ports: Record<'api' | 'temporal' | 'smtp', number>;
  data: string;
}

async function npmStart(): Promise<Started> {
  // Below the kernel's ephemeral ports, where the dev server picks its HTTP API's and its metrics'
  // ports at random: picked from there, a port freed here could be taken by Temporal before the
  // API listens on it (CI once read Temporal's HTTP API at the API's port).
  const picked = new Set<number>();
  const port = async (): Promise<number> => {
    for (;;) {
      const p = await freePortIn(20_000, 32_000);
      if (picked.has(p)) continue;
      picked.add(p);
      return p;
    }
  };
  const ports = { api: await port(), temporal: await port(), temporalUi: await port(), smtp: await port(), mailUi: await port() };
  const data = mkdtempSync(join(tmpdir(), 'entente-npm-start-'));
  // detached: a process group of its own, led by the script, as a shell makes for a foreground job.
  const child = spawn(process.execPath, [join(build.dir, 'dist', 'scripts', 'start.js')], {
    cwd: build.dir,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: data,
      PORT: String(ports.api),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.temporalUi),
      MAIL_SMTP_PORT: String(ports.smtp),
      MAIL_UI_PORT: String(ports.mailUi),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  await eventually(
    async () => (output.includes('Entente is running') ? true : undefined),
    () => `npm start's output: ${output}`,
    120_000,
    200,
  );
  return { child, exited, output: () => output, ports: { api: ports.api, temporal: ports.temporal, smtp: ports.smtp }, data };
}

/**
 * After a failed assertion: the script is asked to stop (its children, in groups of their own, are
 * out of reach of a signal to its group), then killed if it hangs, which kills them too (its exit
 * hook) unless it is SIGKILL, the last resort.
 */
async function stopped(started: Started): Promise<void> {
  if (started.child.exitCode === null && started.child.signalCode === null) {
    started.child.kill('SIGTERM');
    const exited = await Promise.race([started.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 60_000))]);
    if (!exited) started.child.kill('SIGKILL');
  }
  rmSync(started.data, { recursive: true, force: true });
}

const refused = (port: number) =>
  new Promise<boolean>((r) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), r(false)));
    socket.once('error', () => r(true));
  });

/** Lines of the worker's and the API's JSON logs at WARN or above, and the CLI's WARN and ERROR lines. */
const complaints = (output: string) => output.split('\n').filter((line) => /"level":(4|5|6)\d\b|level=(WARN|ERROR)|did not stop in time|exited \(/.test(line));

test('npm start says it runs once a worker polls; Ctrl-C stops the API, the worker, the mail catcher and Temporal in that order, without a warning, and exits 0', async () => {
  const started = await npmStart();
  try {
    const healthy = await fetch(`http://127.0.0.1:${started.ports.api}/healthz`).then((r) => r.json() as Promise<{ workers: string }>);
    expect(healthy.workers).toBe('polling');

    // The data is this user's alone, and no contact's address reaches the output.
    expect(statSync(started.data).mode & 0o777).toBe(0o700);
    expect(statSync(join(started.data, 'register.db')).mode & 0o777).toBe(0o600);
    const key = readFileSync(join(started.data, 'coordinator-api-key'), 'utf8').trim();
    const start = await fetch(`http://127.0.0.1:${started.ports.api}/partnerships`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(startRequest({ slug: 'npm-start-mail' })),
    });
    expect(start.status).toBe(201);
    // The intake decision is the first command that emails the parties.
    const intake = await fetch(`http://127.0.0.1:${started.ports.api}/partnerships/npm-start-mail/intake-decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: 'intake-0001', accepted: true, interviewedOn: '2026-01-15' }),
    });
    expect(intake.status).toBe(200);
    await eventually(async () => (started.output().includes('mail catcher: an email received') ? true : undefined), 'an email received', 30_000);
    expect(started.output()).not.toMatch(/@(riverside|maple)\.example|coordination@example\.org/);
    const before = started.output().length;
    process.kill(-started.child.pid!, 'SIGINT');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    const stopping = started.output().slice(before);
    expect(complaints(stopping)).toEqual([]);
    // The API first, then the worker, while Temporal still answered it; Temporal last, and from
    // npm start (SIGTERM), not from the terminal (SIGINT).
    const apiStopping = stopping.indexOf('"msg":"api stopping"');
    const workerStopped = stopping.indexOf('"msg":"worker stopped"');
    const temporalStopping = stopping.indexOf('Received SIGTERM');
    expect(apiStopping).toBeGreaterThanOrEqual(0);
    expect(workerStopped).toBeGreaterThan(apiStopping);
    expect(temporalStopping).toBeGreaterThan(workerStopped);
    expect(stopping).not.toContain('Received SIGINT');
    for (const port of Object.values(started.ports)) expect(await refused(port)).toBe(true);
  } finally {
    await stopped(started);
  }
}, 180_000);

test('a second Ctrl-C kills what is left at once, leaves nothing running, and exits 130', async () => {
  const started = await npmStart();
  try {
    process.kill(-started.child.pid!, 'SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    process.kill(-started.child.pid!, 'SIGINT');
    expect(await started.exited).toEqual({ code: 130, signal: null });
    expect(started.output()).toContain('Stopping at once');
    for (const port of Object.values(started.ports)) await eventually(async () => ((await refused(port)) ? true : undefined), `port ${port} closed`, 5_000);
  } finally {
    await stopped(started);
  }
}, 180_000);

/** The pids of processes whose command line runs this script (`node <script>`). */
function pidsRunning(script: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(script)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

test('the worker killed is started again after a second; the API runs on throughout; Ctrl-C still stops everything', async () => {
  const started = await npmStart();
  try {
    const workerJs = join(build.dir, 'dist', 'worker', 'main.js');
    const apiJs = join(build.dir, 'dist', 'api', 'main.js');
    const [worker] = pidsRunning(workerJs);
    const [api] = pidsRunning(apiJs);
    expect(worker).toBeDefined();
    process.kill(worker!, 'SIGKILL');

    await eventually(
      async () => (started.output().includes('worker exited (SIGKILL); starting it again in 1 s') ? true : undefined),
      'the restart said',
      10_000,
    );
    const again = await eventually(async () => pidsRunning(workerJs).find((pid) => pid !== worker), 'a new worker process', 20_000);
    const health = await eventually(
      async () => {
        const res = await fetch(`http://127.0.0.1:${started.ports.api}/healthz`);
        return res.status === 200 ? ((await res.json()) as { workers: string }) : undefined;
      },
      '/healthz 200',
      30_000,
    );
    expect(health.workers).toBe('polling');
    expect(again).not.toBe(worker);
    // The API was never restarted, nor anything stopped.
    expect(pidsRunning(apiJs)).toEqual([api]);
    expect(started.output()).not.toContain('stopping everything');

    process.kill(-started.child.pid!, 'SIGINT');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    for (const port of Object.values(started.ports)) expect(await refused(port)).toBe(true);
  } finally {
    await stopped(started);
  }
}, 180_000);
