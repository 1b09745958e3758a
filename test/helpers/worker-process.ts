import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, symlinkSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

export interface WorkerBuild {
  /** A temporary directory of its own: `dist/` inside, and a link to the project's node_modules. */
  dir: string;
  mainJs: string;
  /** The workflow bundle the worker loads (dist/workflow-bundle.js). */
  bundle: string;
  /** Milliseconds spent compiling and bundling. */
  compileMs: number;
  bundleMs: number;
  dispose(): void;
}

/**
 * What `npm run build` makes for the worker (tsc with tsconfig.build.json, then the workflow
 * bundle), written into a temporary directory instead of `dist/`, so that a test never runs, or
 * clobbers, the build another test or engineer is making there. The sources are type-checked by
 * `npm run typecheck`; here tsc only emits (`--noCheck`), which takes the same time on 2 cores and
 * does not fail on a type error in a file the worker does not load.
 */
export async function buildWorker(): Promise<WorkerBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-worker-build-'));
  // Node (and webpack, for the bundle) look for packages in node_modules above the file.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const dist = join(dir, 'dist');
  let started = Date.now();
  await run(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', dist, '--noCheck'],
    {
      cwd: ROOT,
    },
  );
  const compileMs = Date.now() - started;
  started = Date.now();
  // Writes dist/workflow-bundle.js beside the compiled worker, which loads it (worker/create-worker.ts).
  await run(process.execPath, [join(dist, 'scripts', 'bundle-workflows.js')], { cwd: ROOT });
  const bundleMs = Date.now() - started;
  return {
    dir,
    mainJs: join(dist, 'worker', 'main.js'),
    bundle: join(dist, 'workflow-bundle.js'),
    compileMs,
    bundleMs,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The environment of a worker process as production sets it, for a suite's server, task queue,
 * register and SMTP receiver; `site` names its mail domain and public URL (`<site>.test`).
 */
export function workerEnv(o: { temporalAddress: string; taskQueue: string; registerUrl: string; smtpUrl: string; site: string }): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: o.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TASK_QUEUE: o.taskQueue,
    DATABASE_URL: o.registerUrl,
    SMTP_URL: o.smtpUrl,
    MAIL_FROM: `Entente <entente@${o.site}.test>`,
    PUBLIC_URL: `http://${o.site}.test`,
    LOG_LEVEL: 'info',
  };
}

/**
 * `node dist/worker/main.js` as its own OS process, configured by its environment as in
 * production, which a test can kill with SIGKILL (no shutdown, no grace: a crash) and start again.
 * Its output goes to a log file.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly log: WriteStream;
  starts = 0;
  kills = 0;

  constructor(
    private readonly mainJs: string,
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the worker; resolves with the milliseconds until it logged "worker started" (it then polls). */
  async start(timeoutMs = 30_000): Promise<number> {
    if (this.alive) throw new Error('the worker process is already running');
    const started = Date.now();
    const child = spawn(process.execPath, [this.mainJs], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    this.log.write(`--- start ${this.starts} (pid ${child.pid}) at ${new Date(started).toISOString()}\n`);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr!.pipe(this.log, { end: false });
    return new Promise<number>((resolve, reject) => {
      let buffer = '';
      let ready = false;
      const timer = setTimeout(() => reject(new Error(`the worker did not start within ${timeoutMs} ms (see ${this.logFile})`)), timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        if (ready) return;
        buffer += chunk.toString('utf8');
        if (buffer.includes('"msg":"worker started"')) {
          ready = true;
          clearTimeout(timer);
          resolve(Date.now() - started);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited (${signal ?? code}) before it started (see ${this.logFile})`));
      });
    });
  }

  /** A crash: SIGKILL, then wait until the process is gone. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.log.write(`--- SIGKILL pid ${this.child!.pid} at ${new Date().toISOString()}\n`);
    this.child!.kill('SIGKILL');
    this.kills++;
    await this.exited;
  }

  /** A clean stop, as an operator's: SIGTERM (the SDK drains), SIGKILL if it lingers; it can be started again. */
  async terminate(graceMs = 5_000): Promise<void> {
    if (!this.alive) return;
    this.log.write(`--- SIGTERM pid ${this.child!.pid} at ${new Date().toISOString()}\n`);
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** A hung worker: SIGSTOP freezes the process (its connections stay open) until `resume`. */
  pause(): void {
    this.log.write(`--- SIGSTOP pid ${this.child!.pid} at ${new Date().toISOString()}\n`);
    this.child!.kill('SIGSTOP');
  }

  resume(): void {
    this.log.write(`--- SIGCONT pid ${this.child!.pid} at ${new Date().toISOString()}\n`);
    this.child!.kill('SIGCONT');
  }

  /** The end of a test: terminated, and its log closed. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.alive) this.child!.kill('SIGCONT'); // a paused worker takes no SIGTERM
    await this.terminate(graceMs);
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
