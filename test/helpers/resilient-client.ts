import { eventually, type ApiCall, type ApiResponse } from './api-harness';
import { pause } from './polling';

/**
 * An HTTP client of the API that behaves as a careful real one does while the service behind it
 * fails: each attempt has a timeout, and a command that got no answer or a 5xx is sent again with
 * the same requestId (the API is idempotent on it) until it gets a 2xx or a 4xx.
 */

export interface CommandOutcome {
  partnership: string;
  route: string;
  requestId: string;
  /** The last answer's status (2xx or 4xx), or 0 when the client gave up. */
  status: number;
  body: any;
  /** HTTP calls made; every one after the first is a retry. */
  attempts: number;
  /** What each failed attempt got: `503`, `500`, `TimeoutError`, `TypeError` (connection). */
  failures: string[];
  startedAt: number;
  endedAt: number;
  /** From the first attempt to the last answer, retries included. */
  ms: number;
}

export interface RetryOptions {
  /** One HTTP call's limit. */
  attemptTimeoutMs?: number;
  retryDelayMs?: number;
  /** Stop retrying after this long (the outcome then has status 0). */
  giveUpAfterMs?: number;
}

export { pause };

/** One request, retried on no answer or a 5xx; resolves with the final answer (or status 0). */
export async function retrying(
  call: ApiCall,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  options: RetryOptions = {},
): Promise<{ res: ApiResponse | undefined; attempts: number; failures: string[]; ms: number }> {
  const { attemptTimeoutMs = 30_000, retryDelayMs = 500, giveUpAfterMs = 120_000 } = options;
  const started = Date.now();
  const failures: string[] = [];
  for (let attempts = 1; ; attempts++) {
    let failure: string;
    try {
      const res = await call(method, path, body, headers, { timeoutMs: attemptTimeoutMs });
      if (res.status < 500) return { res, attempts, failures, ms: Date.now() - started };
      failure = String(res.status);
    } catch (err) {
      failure = (err as Error).name || 'Error';
    }
    failures.push(failure);
    if (Date.now() - started > giveUpAfterMs) return { res: undefined, attempts, failures, ms: Date.now() - started };
    await pause(retryDelayMs);
  }
}

/** POST /partnerships/:id/<route> with a body that carries its requestId. */
export async function sendCommand(
  call: ApiCall,
  partnership: string,
  route: string,
  body: { requestId: string } & Record<string, unknown>,
  options: RetryOptions = {},
): Promise<CommandOutcome> {
  const startedAt = Date.now();
  const { res, attempts, failures } = await retrying(call, 'POST', `/partnerships/${partnership}/${route}`, body, {}, options);
  const endedAt = Date.now();
  return {
    partnership,
    route,
    requestId: body.requestId,
    status: res?.status ?? 0,
    body: res?.body,
    attempts,
    failures,
    startedAt,
    endedAt,
    ms: endedAt - startedAt,
  };
}

/** Polls GET /partnerships/:id until its stage is `stage`; a poll that fails (the worker down) counts as not yet. */
export const stageReached = (call: ApiCall, partnership: string, stage: string, timeoutMs = 120_000): Promise<any> =>
  eventually(
    async () => {
      const res = await call('GET', `/partnerships/${partnership}`, undefined, {}, { timeoutMs: 10_000 }).catch(() => undefined);
      return res?.status === 200 && res.body.stage === stage ? res.body : undefined;
    },
    `${partnership} to reach ${stage}`,
    timeoutMs,
  );

/** p50, p90 and max by nearest rank, in milliseconds. */
export function distribution(values: number[]): { n: number; p50: number; p90: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { n: sorted.length, p50: rank(0.5), p90: rank(0.9), max: sorted.at(-1) ?? 0 };
}

/** A small seeded generator (mulberry32): the same seed, the same kill schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
