/**
 * The command section's evicted case: `recordReview` as a raw update to a partnership in force
 * that is not in the worker's cache, against the same update to one that is, on the same worker.
 *
 * One Entente worker (`node dist/worker/main.js`) with WORKER_MAX_CACHED_WORKFLOWS=4, on a task
 * queue of its own: one partnership in force takes every other command (the cached baseline) and
 * eight more take the rest in turn. The cache keeps the four runs used last, so the cached one is
 * there (with slots to spare for a stray task of another run) and each of the others has been
 * evicted since its last command: its update comes with a partial history, and the worker fetches
 * the run's whole history and replays it before it can run the handler. Each of the eight rests
 * at least REST_MS between its commands, as a partnership evicted from a cache of thousands has
 * (it is the one used longest ago): long enough for a run made long by the last commands to hand
 * over to a fresh one, which the server allows a second after the run began. The worker's own
 * counter of cache misses (`temporal_sticky_cache_miss`), read around every command, says what
 * happened: only a command that missed counts as evicted, only one that hit as cached, and the row
 * says how many were neither (a run that has just handed over to a fresh one, see short runs in
 * domain/lifecycle/bounds.ts, may find that run still cached).
 */
import { performance } from 'node:perf_hooks';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { latencySummary, median, ratioGoal, spread, type Row } from './measure';
import { driveToInForce, send, startPartnership, PARTY_IDS } from './lifecycle';
import { startEntenteWorker, unique, type BenchContext } from './services';

const CACHE = 4;
const EVICTED = 8;
const REST_MS = 1500;

const review = (i: number) => ({ heldOn: '2026-06-01', findings: `Review ${i}: targets met.` });

const historyLength = async (client: Client, handle: WorkflowHandle): Promise<number> =>
  (await client.workflow.getHandle(handle.workflowId).describe()).historyLength;

const range = (xs: number[]): string => (Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}–${Math.max(...xs)}`);

/**
 * `rounds` rounds (after a warm-up round) of half `commandsPerRound` pairs (an evicted command
 * costs several cached ones), each pair the cached partnership's command then an evicted one's.
 * The cached command always goes first: the other order would put two evicted partnerships back
 * to back at a round's turn, which evicts the cached one.
 */
export async function evictedRows(ctx: BenchContext, rounds: number, commandsPerRound: number): Promise<Row[]> {
  const perRound = Math.max(3, Math.ceil(commandsPerRound / 2));
  const client = ctx.server.client;
  const w = await startEntenteWorker(ctx, { env: { WORKER_MAX_CACHED_WORKFLOWS: String(CACHE) } });
  try {
    const cached = await startPartnership(client, w.taskQueue, unique('bench-cached'));
    await driveToInForce(cached, PARTY_IDS);
    const evicted: WorkflowHandle[] = [];
    for (let k = 0; k < EVICTED; k++) {
      const handle = await startPartnership(client, w.taskQueue, unique('bench-evicted'));
      await driveToInForce(handle, PARTY_IDS);
      evicted.push(handle);
    }
    const latencies = { cached: [] as number[][], evicted: [] as number[][] };
    // Commands kept, cached ones that missed the cache, evicted ones that did not.
    const counted = { commands: 0, cachedMissed: 0, evictedHit: 0 };
    const lastSent = new Map<WorkflowHandle, number>();
    /** The command's latency, and whether the worker missed its cache meanwhile. */
    const timed = async (handle: WorkflowHandle, n: number): Promise<{ ms: number; missed: boolean }> => {
      const rested = performance.now() - (lastSent.get(handle) ?? -Infinity);
      if (handle !== cached && rested < REST_MS) await new Promise((resolve) => setTimeout(resolve, REST_MS - rested));
      lastSent.set(handle, performance.now());
      const before = await w.misses();
      const t0 = performance.now();
      await send(handle, 'recordReview', review(n));
      const ms = performance.now() - t0;
      return { ms, missed: (await w.misses()) > before };
    };
    const eventsBefore = await Promise.all(evicted.map((h) => historyLength(client, h)));
    let i = 0;
    let e = 0;
    for (let r = 0; r <= rounds; r++) {
      const round = { cached: [] as number[], evicted: [] as number[] };
      let cachedMissed = 0;
      let evictedHit = 0;
      for (let n = 0; n < perRound; n++) {
        // Each sample is what the worker's counter says it was: a run that hands over to a fresh
        // one (short runs) may find its new run still cached, or make the cached one's run new.
        const c = await timed(cached, i++);
        if (c.missed) cachedMissed++;
        else round.cached.push(c.ms);
        const x = await timed(evicted[e++ % EVICTED]!, i++);
        if (x.missed) round.evicted.push(x.ms);
        else evictedHit++;
      }
      if (r > 0) {
        latencies.cached.push(round.cached);
        latencies.evicted.push(round.evicted);
        counted.commands += perRound;
        counted.cachedMissed += cachedMissed;
        counted.evictedHit += evictedHit;
      }
    }
    const eventsAfter = await Promise.all(evicted.map((h) => historyLength(client, h)));
    const cachedEvents = await historyLength(client, cached);
    // Only misses count as evicted and hits as cached; what was neither is said, not hidden.
    const check =
      counted.cachedMissed + counted.evictedHit === 0
        ? `all ${counted.commands} missed the cache, the cached all hit`
        : `${counted.commands - counted.evictedHit} of ${counted.commands} missed the cache (${counted.evictedHit} found a fresh run cached, left out), ${counted.commands - counted.cachedMissed} cached hit (${counted.cachedMissed} left out)`;
    const ratio = spread(
      latencies.evicted.flatMap((round, k) => (round.length > 0 && latencies.cached[k]!.length > 0 ? [median(round) / median(latencies.cached[k]!)] : [])),
    );
    return [
      {
        section: 'command',
        what: `a raw update to a partnership evicted from the cache (p50; cache of ${CACHE}, ${EVICTED} evicted in turn, each resting ${REST_MS / 1000} s or more)`,
        baseline: `cached (${cachedEvents} events): ${latencySummary(latencies.cached.flat())}`,
        candidate: `evicted (${range(eventsBefore)} to ${range(eventsAfter)} events replayed): ${latencySummary(latencies.evicted.flat())}; ${check}`,
        ratio,
        goal: ratioGoal(2, ratio),
      },
    ];
  } finally {
    await w.child.stop();
  }
}
