/**
 * `npm start` (scripts/start.ts) as a person runs it: the built script in a terminal's foreground
 * process group, and Ctrl-C as the terminal sends it, SIGINT to that whole group.
 *
 * The stack must stop in order (the API, the worker, the mail catcher, then Temporal) and quietly:
 * when the group's signal reached Temporal too, it went down while the worker still polled it, and
 * the worker and the API logged their lost connections on the way out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePortIn } from '../../scripts/start-team';
import { eventually } from '../helpers/polling';
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
