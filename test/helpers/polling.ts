import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger } from '@temporalio/worker';
import { RUN_LIMITS } from '../../domain/lifecycle';

const EventType = temporal.api.enums.v1.EventType;

/** Waits in real time. */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns something other than undefined: the one polling loop of the
 * tests (states, mail, listings, histories). `what` names what was awaited in the timeout error;
 * a function is asked for it only then (to show what was seen instead).
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string | (() => string), timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await pause(intervalMs);
  }
}

export const historyLength = async (client: Client, workflowId: string): Promise<number> =>
  (await client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;

/**
 * The number of events in a workflow's history once it stops growing: no workflow task to run,
 * no activity pending, the same length twice, a moment apart, and (with short runs, as workers
 * run them) not a run long enough to hand over to a fresh one a second after it began: that one
 * is waited for, and the fresh run's length returned. A run judges its length as of its last
 * workflow task's start (the workflow's `historyLength`), not counting the events that task's
 * completion added: one that passed the bound only with them waits for its next event to hand
 * over, and is settled meanwhile.
 */
export async function settledHistoryLength(client: Client, workflowId: string, timeoutMs = 20_000, shortRuns = true): Promise<number> {
  const handle = client.workflow.getHandle(workflowId);
  return eventually(
    async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const before = events.length;
      // A workflow task scheduled or running (a slow worker's first one, say) will add events.
      const last = events.at(-1)?.eventType;
      if (last === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED || last === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) return undefined;
      const described = await handle.describe();
      if ((described.raw.pendingActivities?.length ?? 0) > 0) return undefined;
      const seenLength = Number([...events].reverse().find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)?.eventId ?? 0);
      if (shortRuns && described.status.name === 'RUNNING' && seenLength >= RUN_LIMITS.historyEvents) return undefined;
      await pause(300);
      return (await historyLength(client, workflowId)) === before ? before : undefined;
    },
    `the history of ${workflowId} to settle`,
    timeoutMs,
  );
}

/** For the SDK's bundler and replayer in tests: nothing to say unless it fails. */
export const silentLogger = new DefaultLogger('ERROR', () => {});
