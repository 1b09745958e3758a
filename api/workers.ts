import type { Client } from '@temporalio/client';

export type Workers = 'polling' | 'none';

/** The cached question, and what its cache holds now without waiting (undefined when it must ask). */
export type WorkerPollers = (() => Promise<Workers>) & { known(): Workers | undefined };

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
 * Whether a worker polls the task queue for workflow tasks (a poller seen in the last 70 s), as
 * Temporal's DescribeTaskQueue says. A worker seen is cached for 2 s; no worker, or the failure to
 * find out, for 200 ms.
 * Rejects with the error of the call when Temporal cannot say (unreachable, or a server without
 * the call); callers decide what that means.
 */
export function workerPollers(client: Client, namespace: string, taskQueue: string, now: () => number = Date.now): WorkerPollers {
  let cached: { at: number; answer: Promise<Workers>; lifetime: number; settled?: Workers } | undefined;
  const ask = async (): Promise<Workers> => {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
    });
    const since = now() - RECENT_POLL_MS;
    const recent = (pollers ?? []).some((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      const nanos = p.lastAccessTime?.nanos ?? 0;
      return seconds * 1000 + nanos / 1e6 >= since;
    });
    return recent ? 'polling' : 'none';
  };
  const fresh = () => cached !== undefined && now() - cached.at <= cached.lifetime;
  const workers = () => {
    if (!fresh()) {
      const answer = ask();
      const entry: NonNullable<typeof cached> = { at: now(), answer, lifetime: NO_WORKERS_CACHE_MS };
      answer.then(
        (workers) => {
          entry.settled = workers;
          if (workers === 'polling') entry.lifetime = WORKERS_CACHE_MS;
        },
        () => undefined, // a rejection is the caller's to handle, not unhandled here
      );
      cached = entry;
    }
    return cached!.answer;
  };
  // Every command asks first: awaiting the cached promise costs it more than the answer does.
  return Object.assign(workers, { known: () => (fresh() ? cached!.settled : undefined) });
}
