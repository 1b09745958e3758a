/**
 * The processes the Temporal sections of the benchmark measure: the Entente worker
 * (`node dist/worker/main.js`, configured by its environment as in production), the API, and the
 * trivial worker of the baseline, each a child process on a task queue of its own.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StartPartnership } from '../domain';
import { Child, DIST, ROOT, freePort, scrapeMetric, type BenchServer } from './stack';
import type { SmtpSink } from './smtp-sink';

export const COORDINATOR_KEY = 'bench-coordinator-key-0123456789';

export interface BenchContext {
  /** Temporary directory: logs, registers, the trivial bundle. */
  dir: string;
  server: BenchServer;
  smtp: SmtpSink;
  /** The trivial workflow's bundle, written once by the benchmark. */
  trivialBundle: string;
  /**
   * `ENTENTE_CODEC_KEYS` of every process (the Entente worker, the API, the trivial worker) and of
   * the benchmark's own client, as in production; undefined with BENCH_CODEC=0.
   */
  codecKeys?: string;
}

let sequence = 0;
/** A name no other part of this run uses: task queues, register files, workflow ids. */
export const unique = (label: string): string => `${label}-${Date.now().toString(36)}-${(sequence++).toString(36)}`;

/** The README's example start request (examples/start-partnership.json) under another slug. */
export function startRequest(slug: string, durations: Record<string, string> = {}): StartPartnership {
  const example = JSON.parse(readFileSync(join(ROOT, 'examples', 'start-partnership.json'), 'utf8')) as StartPartnership;
  return { ...example, slug, durations: { ...example.durations, ...durations } };
}

export interface WorkerProcess {
  child: Child;
  taskQueue: string;
  /** The register file the worker writes (the API reads the same). */
  databaseUrl: string;
  /** The worker's Prometheus endpoint. */
  metricsUrl: string;
  /** Milliseconds from spawn to "worker polling" (the worker is running, its pollers out). */
  readyMs: number;
  /** Workflows in the worker's sticky cache now (the SDK's `temporal_sticky_cache_size`). */
  cached(): Promise<number>;
  /** Workflow tasks so far that found their run out of the cache and replayed its history (`temporal_sticky_cache_miss`). */
  misses(): Promise<number>;
}

const workerEnv = (ctx: BenchContext, taskQueue: string, databaseUrl: string, metricsAddress: string): Record<string, string> => ({
  TEMPORAL_ADDRESS: ctx.server.address,
  TEMPORAL_NAMESPACE: 'default',
  TASK_QUEUE: taskQueue,
  SMTP_URL: ctx.smtp.url,
  DATABASE_URL: databaseUrl,
  MAIL_FROM: 'Entente <entente@bench.example>',
  PUBLIC_URL: 'http://entente.bench',
  LOG_LEVEL: 'info',
  WORKER_METRICS_ADDRESS: metricsAddress,
  ...codecEnv(ctx),
});

/**
 * Node's own options for one kind of process, from the environment variable named: such as
 * '--cpu-prof --cpu-prof-dir=/tmp/prof' (which NODE_OPTIONS refuses) in BENCH_API_NODE_ARGS,
 * BENCH_ENTENTE_WORKER_NODE_ARGS or BENCH_TRIVIAL_WORKER_NODE_ARGS.
 */
const nodeArgsOf = (variable: string): string[] => process.env[variable]?.split(/\s+/).filter(Boolean) ?? [];

const codecEnv = (ctx: BenchContext): Record<string, string> => (ctx.codecKeys ? { ENTENTE_CODEC_KEYS: ctx.codecKeys } : {});

async function worker(
  ctx: BenchContext,
  kind: 'entente' | 'trivial',
  taskQueue: string,
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<WorkerProcess> {
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const env =
    kind === 'entente'
      ? { ...workerEnv(ctx, taskQueue, databaseUrl, metricsAddress), ...extraEnv }
      : {
          TEMPORAL_ADDRESS: ctx.server.address,
          TASK_QUEUE: taskQueue,
          BENCH_BUNDLE: ctx.trivialBundle,
          WORKER_METRICS_ADDRESS: metricsAddress,
          ...codecEnv(ctx),
        };
  const main = kind === 'entente' ? join(DIST, 'worker', 'main.js') : join(DIST, 'bench', 'trivial-worker.js');
  const child = new Child(
    `${kind} worker`,
    process.execPath,
    [...nodeArgsOf(`BENCH_${kind.toUpperCase()}_WORKER_NODE_ARGS`), main],
    env,
    join(ctx.dir, `${taskQueue}.log`),
  );
  // Not "worker started", which comes before Worker.run(): "worker polling" once it runs.
  const readyMs = await child.ready({ readyLine: '"msg":"worker polling"' });
  const metricsUrl = `http://${metricsAddress}/metrics`;
  return {
    child,
    taskQueue,
    databaseUrl,
    metricsUrl,
    readyMs,
    cached: () => scrapeMetric(metricsUrl, 'temporal_sticky_cache_size'),
    // A counter: Prometheus exporters may name it with `_total`.
    misses: () => scrapeMetric(metricsUrl, 'temporal_sticky_cache_miss', 'temporal_sticky_cache_miss_total'),
  };
}

/**
 * `node dist/worker/main.js` on a new task queue (unless given), with a register of its own (a
 * SQLite file, or a PostgreSQL database on the team's server) unless one is given; `env` adds to
 * or overrides its environment (WORKER_MAX_CACHED_WORKFLOWS, say).
 */
export const startEntenteWorker = async (ctx: BenchContext, options: { taskQueue?: string; databaseUrl?: string; env?: Record<string, string> } = {}) =>
  worker(ctx, 'entente', options.taskQueue ?? unique('entente'), options.databaseUrl ?? (await ctx.server.newRegister()), options.env);

/** The trivial workflow's worker on a new task queue. */
export const startTrivialWorker = (ctx: BenchContext) => worker(ctx, 'trivial', unique('trivial'), '');

export interface ApiResponse {
  status: number;
  body: any;
  /** The answer's Server-Timing durations (ms) by name, when it has any. */
  timing: Record<string, number>;
}

/** `api;dur=1.02;desc="…", temporal;dur=21.87` → { api: 1.02, temporal: 21.87 }. */
export function serverTimingOf(header: string | undefined): Record<string, number> {
  const timing: Record<string, number> = {};
  for (const metric of header?.split(',') ?? []) {
    const [name, ...params] = metric.split(';').map((part) => part.trim());
    const dur = params.find((param) => param.startsWith('dur='));
    if (name && dur) timing[name] = Number(dur.slice('dur='.length));
  }
  return timing;
}

export interface ApiProcess {
  child: Child;
  url: string;
  readyMs: number;
  /** A request with the coordinator's key. */
  call(method: string, path: string, body?: unknown): Promise<ApiResponse>;
}

/**
 * The API for the worker's task queue and register: dist/api/main.js itself, with the write limit
 * at its maximum (every request of the benchmark comes from one key). Ready once /healthz answers 200.
 */
export async function startApi(ctx: BenchContext, w: Pick<WorkerProcess, 'taskQueue' | 'databaseUrl'>): Promise<ApiProcess> {
  const port = await freePort();
  const env = {
    ...workerEnv(ctx, w.taskQueue, w.databaseUrl, ''),
    PORT: String(port),
    COORDINATOR_API_KEY: COORDINATOR_KEY,
    ALLOW_SHORT_DURATIONS: 'true',
    LOG_LEVEL: 'warn',
    WRITES_PER_MINUTE: '100000',
  };
  delete (env as Record<string, string>).WORKER_METRICS_ADDRESS;
  const child = new Child(
    'api',
    process.execPath,
    [...nodeArgsOf('BENCH_API_NODE_ARGS'), join(DIST, 'api', 'main.js')],
    env,
    join(ctx.dir, `api-${w.taskQueue}.log`),
  );
  const url = `http://127.0.0.1:${port}`;
  // node:http over one pool of keep-alive connections rather than fetch (undici), which costs
  // some 0.4 ms more a request here: the HTTP rows measure the API, not the client.
  const agent = new Agent({ keepAlive: true });
  const call = (method: string, path: string, body?: unknown): Promise<ApiResponse> => httpCall(agent, `${url}${path}`, method, body);
  const readyMs = await child.ready({
    probe: () =>
      fetch(`${url}/healthz`)
        .then((r) => r.status === 200)
        .catch(() => false),
  });
  return { child, url, readyMs, call };
}

export interface ForwarderProcess {
  child: Child;
  /** `recordReview` with this body to the workflow, through the bare forwarder. */
  review(workflowId: string, body: unknown): Promise<ApiResponse>;
}

/** bench/forwarder.ts in a process of its own, called as the API is (node:http, keep-alive). */
export async function startForwarder(ctx: BenchContext): Promise<ForwarderProcess> {
  const port = await freePort();
  const env = { TEMPORAL_ADDRESS: ctx.server.address, PORT: String(port), ...codecEnv(ctx) };
  const child = new Child('forwarder', process.execPath, [join(DIST, 'bench', 'forwarder.js')], env, join(ctx.dir, 'forwarder.log'));
  await child.ready({ readyLine: '"msg":"forwarder listening"' });
  const agent = new Agent({ keepAlive: true });
  return { child, review: (workflowId, body) => httpCall(agent, `http://127.0.0.1:${port}/${encodeURIComponent(workflowId)}`, 'POST', body) };
}

/**
 * One request with the coordinator's key: the status, and the body parsed when it is JSON. Rejects
 * on a network error or a malformed JSON body, as fetch would. A request that finds its reused
 * keep-alive connection closed by the server (idle past its keep-alive timeout) before any answer
 * is sent once more on a new one, as the Node documentation advises: the server never saw it.
 */
function httpCall(agent: Agent, url: string, method: string, body: unknown, retried = false): Promise<ApiResponse> {
  const payload = body !== undefined ? Buffer.from(JSON.stringify(body)) : undefined;
  return new Promise<ApiResponse>((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${COORDINATOR_KEY}`,
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text,
              timing: serverTimingOf(res.headers['server-timing']?.toString()),
            });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) httpCall(agent, url, method, body, true).then(resolve, reject);
      else reject(err);
    });
    req.end(payload);
  });
}

/**
 * Runs `op(0)` … `op(count - 1)`, at most `concurrency` at a time; returns each one's latency (ms,
 * in the order they were started) and the wall time of the whole batch.
 */
export async function pool(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies = new Array<number>(count);
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const t0 = performance.now();
      await op(i);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { latencies, wallMs: performance.now() - started };
}

/** Fails loudly on anything but the expected HTTP status: a benchmark of errors measures nothing. */
export function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}
