import type { Client } from '@temporalio/client';

export type Workers = 'polling' | 'none';

/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW */
const TASK_QUEUE_TYPE_WORKFLOW = 1;

/**
 * A live idle worker long-polls for up to about a minute, so its poller's last access can be
 * that old; past this, no worker has asked for a workflow task.
 */
export const RECENT_POLL_MS = 70_000;
/** How long an answer is reused: every query and command asks, at little cost. */
export const WORKERS_CACHE_MS = 2_000;

/**
 * Whether a worker polls the task queue for workflow tasks (a poller seen in the last 70 s), as
 * Temporal's DescribeTaskQueue says. The answer, or the failure to get one, is cached for 2 s.
 * Rejects with the error of the call when Temporal cannot say (unreachable, or a server without
 * the call); callers decide what that means.
 */
export function workerPollers(client: Client, namespace: string, taskQueue: string, now: () => number = Date.now): () => Promise<Workers> {
  let cached: { at: number; answer: Promise<Workers> } | undefined;
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
  return () => {
    if (!cached || now() - cached.at > WORKERS_CACHE_MS) {
      const answer = ask();
      answer.catch(() => undefined); // a rejection is the caller's to handle, not unhandled here
      cached = { at: now(), answer };
    }
    return cached.answer;
  };
}
