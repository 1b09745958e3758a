/**
 * What the benchmark runs against, all its own: a Temporal CLI dev server (in memory, with
 * Entente's search attributes) on loopback ports, and child processes (the worker, the API, a
 * trivial worker) whose memory can be read from /proc. Nothing here comes from test/: the
 * Docker build compiles bench/ without the tests.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { apiGrpcInterceptors } from '../api/outages';
import type { DataConverter } from '@temporalio/common';
import { devServerDynamicConfigFlags } from '../config/temporal-server';
import { SEARCH_ATTRIBUTE_FLAGS } from '../workflows/search-attributes';
import { waitForPort } from '../scripts/wait-for-port';

export const ROOT = join(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const began = Date.now();
/** A progress line on stderr, with the seconds since the benchmark began. */
export const progress = (what: string): void => {
  console.error(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${what}`);
};

/** The Temporal CLI that `npm start` and the tests use (built or found once by the provisioning script). */
export function temporalCliPath(): string {
  return execFileSync('bash', [join(ROOT, 'scripts', 'provision-temporal-cli.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process, in bytes (Linux). */
export function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(line.replace(/\D+/g, '')) * 1024;
}

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** CPU time a process has used so far (user + system), in milliseconds (Linux). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time every thread of a process has run so far, in milliseconds, to the nanosecond the
 * scheduler counts (`/proc/<pid>/task/<tid>/schedstat`, Linux) rather than to the 10 ms tick of
 * /proc/<pid>/stat: fine enough for the few milliseconds of one request.
 */
export function cpuPreciseMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that has just ended
    }
  }
  return ns / 1e6;
}

/** The sum of the samples (every label set) of the Prometheus metrics named, at `url`: one scrape. */
export async function scrapeMetric(url: string, ...names: string[]): Promise<number> {
  const text = await (await fetch(url)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (names.some((name) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/**
 * A child process of the benchmark, its output in a log file. Ready when a line of its stdout
 * says so (`readyLine`), or when `probe` answers true.
 */
export class Child {
  readonly process: ChildProcess;
  readonly started = Date.now();
  private readonly exited: Promise<void>;
  private readonly log: WriteStream;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: Record<string, string>,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    this.process = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.process.once('exit', () => resolve()));
    this.process.stdout!.pipe(this.log, { end: false });
    this.process.stderr!.pipe(this.log, { end: false });
  }

  get pid(): number {
    return this.process.pid!;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Milliseconds from the spawn until `readyLine` appears on stdout, or `probe` says yes. */
  async ready(options: { readyLine?: string; probe?: () => Promise<boolean>; timeoutMs?: number }): Promise<number> {
    const until = Date.now() + (options.timeoutMs ?? 60_000);
    let seen = false;
    if (options.readyLine) {
      let buffer = '';
      const onData = (chunk: Buffer) => {
        buffer = (buffer + chunk.toString('utf8')).slice(-4096);
        if (buffer.includes(options.readyLine!)) {
          seen = true;
          this.process.stdout!.off('data', onData);
        }
      };
      this.process.stdout!.on('data', onData);
    }
    for (;;) {
      if (!this.alive) throw new Error(`${this.name} exited (${this.process.exitCode ?? this.process.signalCode}) before it was ready`);
      if ((!options.readyLine || seen) && (!options.probe || (await options.probe()))) return Date.now() - this.started;
      if (Date.now() > until) throw new Error(`${this.name} was not ready within ${options.timeoutMs ?? 60_000} ms`);
      await sleep(options.probe ? 25 : 10);
    }
  }

  /** Resident memory now: the median of three readings a moment apart. */
  async rss(): Promise<number> {
    const readings: number[] = [];
    for (let i = 0; i < 3; i++) {
      readings.push(rssBytes(this.pid));
      if (i < 2) await sleep(200);
    }
    return readings.sort((a, b) => a - b)[1]!;
  }

  /** CPU time used so far, in milliseconds. */
  cpuMs(): number {
    return cpuMs(this.pid);
  }

  /** CPU time used so far, in milliseconds, to the nanosecond (see cpuPreciseMs). */
  cpuPreciseMs(): number {
    return cpuPreciseMs(this.pid);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.alive) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}

/** The Temporal server the benchmark's sections run against, with the client they share. */
export interface BenchServer {
  /** What the table's header line says the benchmark ran against. */
  description: string;
  address: string;
  client: Client;
  connection: Connection;
  /** A register of its own for one worker (and the API beside it): its DATABASE_URL. */
  newRegister(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The benchmark's client: the API's retries (a raw update that meets a hand-over goes again as the
 * API's would) and `dataConverter`, the workers' and the API's (the payload codec when the
 * benchmark has one). Returns once a visibility query answers: the namespace and its search
 * attributes are there.
 */
export async function connectClient(address: string, dataConverter: DataConverter): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address, interceptors: apiGrpcInterceptors() });
  const client = new Client({ connection, namespace: 'default', dataConverter });
  for (const until = Date.now() + 60_000; ;) {
    try {
      await client.workflow.count('EntenteStage = "intake"');
      return { client, connection };
    } catch (err) {
      if (Date.now() > until) {
        await connection.close();
        throw err;
      }
      await sleep(200);
    }
  }
}

let registers = 0;

/**
 * `temporal server start-dev`, in memory and headless, with the search attributes the workflow
 * upserts and the dynamic configuration of config/temporal-server.ts (as `npm start` and the
 * end-to-end tests start theirs); registers are SQLite files in `dir`, as `npm start`'s is.
 */
export async function startDevServer(dir: string, dataConverter: DataConverter = {}): Promise<BenchServer> {
  const port = await freePort();
  const child = new Child(
    'temporal dev server',
    temporalCliPath(),
    [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--namespace',
      'default',
      '--log-level',
      'error',
      ...Object.entries(SEARCH_ATTRIBUTE_FLAGS).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
      ...devServerDynamicConfigFlags(),
    ],
    {},
    join(dir, 'temporal.log'),
  );
  const address = `127.0.0.1:${port}`;
  try {
    await waitForPort(port, 'the Temporal dev server');
    const { client, connection } = await connectClient(address, dataConverter);
    return {
      description: 'a Temporal CLI dev server of its own (in memory; registers on SQLite)',
      address,
      client,
      connection,
      newRegister: () => Promise.resolve(`sqlite:${join(dir, `register-${process.pid}-${registers++}.db`)}`),
      async stop() {
        await connection.close();
        await child.stop();
      },
    };
  } catch (err) {
    await child.stop();
    throw err;
  }
}
