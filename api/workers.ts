import type { Client } from '@temporalio/client';
import { featuresOf, type WorkerFeature } from '../workflows/messages';
import type { WorkerHeartbeat } from '../store/worker-heartbeats';

export type Workers = 'polling' | 'none';

/**
 * The cached question, and what its cache holds now without waiting (undefined when it must ask);
 * `supports`, whether every worker seen polling said it understands a feature (false while unknown).
 */
export type WorkerPollers = (() => Promise<Workers>) & { known(): Workers | undefined; supports(feature: WorkerFeature): boolean };

/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW */
const TASK_QUEUE_TYPE_WORKFLOW = 1;

/**
 * A live idle worker long-polls for up to about a minute, so its poller's last access can be
 * that old; past this, no worker has asked for a workflow task.
 */
export const RECENT_POLL_MS = 70_000;
/** How long a worker seen polling is taken for granted: every query and command asks, at little cost. */
export const WORKERS_CACHE_MS = 2_000;
/**
 * How long "no worker" (or a failure to ask) is reused: briefly, so that a worker that has just
 * started is seen at once (the API healthy, commands accepted) rather than up to 2 s later.
 */
export const NO_WORKERS_CACHE_MS = 200;
/**
 * A worker seen this long ago is asked about again in the background, the cached answer still
 * given meanwhile: under a steady stream of commands, none waits for DescribeTaskQueue (one
 * command in some eighty did, every 2 s, at one every 25 ms).
 */
export const REFRESH_AHEAD_MS = WORKERS_CACHE_MS / 2;

/**
 * A worker whose heartbeat (worker/heartbeat.ts, one a second) has not moved for this long died
 * without a word (killed, or its machine gone): its poller, which Temporal lists for about a minute
 * more, is not counted.
 */
export const HEARTBEAT_STALE_MS = 4_000;
/** Reading the heartbeats waits no longer than this: past it, the pollers alone are believed. */
export const HEARTBEAT_READ_MS = 1_000;

/** The heartbeats of a task queue's workers, from the register; rejects when it cannot be read. */
export type HeartbeatSource = () => Promise<WorkerHeartbeat[]>;

/** What the API remembers of each worker's beats: the count last read, and when (its own clock) it last moved. */
export type BeatsSeen = Map<string, { beat: number; movedAt: number }>;

/**
 * Notes the beats just read and answers whether a worker of this identity still runs by them. A
 * worker with no row (from before heartbeats, or on another register) is taken at its poller's
 * word; one that recorded its stop is gone; one whose beat has not moved for 4 s by the API's own
 * clock is gone too (the worker's clock is never compared with the API's). A beat first read now
 * is taken as moving.
 */
export function noteBeats(rows: readonly WorkerHeartbeat[], seen: BeatsSeen, now: number): (identity: string | null | undefined) => boolean {
  const byIdentity = new Map(rows.map((row) => [row.identity, row]));
  for (const identity of seen.keys()) if (!byIdentity.has(identity)) seen.delete(identity);
  for (const row of rows) {
    const before = seen.get(row.identity);
    if (!before || before.beat !== row.beat) seen.set(row.identity, { beat: row.beat, movedAt: now });
  }
  return (identity) => {
    const row = byIdentity.get(identity ?? '');
    if (!row) return true;
    return row.stoppedAt === null && now - seen.get(row.identity)!.movedAt <= HEARTBEAT_STALE_MS;
  };
}

/** The heartbeats, or undefined when the register does not answer within HEARTBEAT_READ_MS (or fails). */
async function readBeats(heartbeats: HeartbeatSource): Promise<WorkerHeartbeat[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), HEARTBEAT_READ_MS)));
  try {
    return await Promise.race([heartbeats().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a worker polls the task queue for workflow tasks (a poller seen in the last 70 s, whose
 * worker's heartbeat, when it keeps one, says it runs), as Temporal's DescribeTaskQueue and the
 * register say. A worker seen is cached for 2 s, and asked about again in the background once 1 s
 * old; no worker, or the failure to find out, for 200 ms.
 * Rejects with the error of the call when Temporal cannot say (unreachable, or a server without
 * the call); callers decide what that means.
 */
export function workerPollers(client: Client, namespace: string, taskQueue: string, now: () => number = Date.now, heartbeats?: HeartbeatSource): WorkerPollers {
  let cached: { at: number; answer: Promise<Workers>; lifetime: number; settled?: Workers; features?: Set<string> } | undefined;
  const seen: BeatsSeen = new Map();
  const ask = async (): Promise<{ workers: Workers; features: Set<string> }> => {
    const [{ pollers }, beats] = await Promise.all([
      client.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
      }),
      heartbeats ? readBeats(heartbeats) : undefined,
    ]);
    const since = now() - RECENT_POLL_MS;
    const runs = beats ? noteBeats(beats, seen, now()) : () => true;
    const recent = (pollers ?? []).filter((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      const nanos = p.lastAccessTime?.nanos ?? 0;
      return seconds * 1000 + nanos / 1e6 >= since && runs(p.identity);
    });
    // What all of them understand: a worker from before a feature, still polling (or stopped less
    // than 70 s ago), keeps the API from using it.
    const each = recent.map((p) => new Set(featuresOf(p.identity)));
    const features = new Set([...(each[0] ?? [])].filter((f) => each.every((s) => s.has(f))));
    return { workers: recent.length > 0 ? 'polling' : 'none', features };
  };
  const fresh = () => cached !== undefined && now() - cached.at <= cached.lifetime;
  const lifetimeOf = (workers: Workers) => (workers === 'polling' ? WORKERS_CACHE_MS : NO_WORKERS_CACHE_MS);
  let refreshing = false;
  // A failed refresh leaves the entry to expire as it would have: the next caller then asks.
  const refreshAhead = () => {
    if (refreshing || cached?.settled !== 'polling' || now() - cached.at < REFRESH_AHEAD_MS) return;
    refreshing = true;
    const at = now();
    ask()
      .then(
        ({ workers, features }) => {
          if (cached && cached.at > at) return; // asked afresh meanwhile: that answer is newer
          cached = { at, answer: Promise.resolve(workers), lifetime: lifetimeOf(workers), settled: workers, features };
        },
        () => undefined,
      )
      .finally(() => (refreshing = false));
  };
  const workers = () => {
    if (!fresh()) {
      const asked = ask();
      const entry: NonNullable<typeof cached> = { at: now(), answer: asked.then((a) => a.workers), lifetime: NO_WORKERS_CACHE_MS };
      asked.then(
        ({ workers, features }) => {
          entry.settled = workers;
          entry.features = features;
          entry.lifetime = lifetimeOf(workers);
        },
        () => undefined, // a rejection is the caller's to handle, not unhandled here
      );
      cached = entry;
    } else refreshAhead();
    return cached!.answer;
  };
  // Every command asks first: awaiting the cached promise costs it more than the answer does.
  return Object.assign(workers, {
    known: () => {
      if (!fresh()) return undefined;
      refreshAhead();
      return cached!.settled;
    },
    supports: (feature: WorkerFeature) => (fresh() && cached!.settled === 'polling' && cached!.features?.has(feature)) === true,
  });
}
