import type { Worker } from '@temporalio/worker';
import type { RegisterDb } from '../store/database';
import { forgetHeartbeats, recordBeat, recordStop } from '../store/worker-heartbeats';

/** A running worker's row is counted up this often (the API's HEARTBEAT_STALE_MS allows a few missed). */
export const HEARTBEAT_INTERVAL_MS = 1_000;
/** How often the worker's state is looked at: its shutdown is recorded within this. */
const STATE_CHECK_MS = 100;
/** Rows of workers not seen for a day are removed as a worker starts. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export interface HeartbeatLog {
  warn(obj: object, msg: string): void;
}

/**
 * Runs the worker as `worker.run()` does, saying in the register that it runs (one beat a second)
 * and, as soon as it begins to shut down, that it stopped: the API then answers "no worker" at once
 * rather than wait for Temporal to forget the worker's pollers (about a minute). The register being
 * unreachable costs only the beats: the worker runs on, and the API, which cannot read the register
 * then either, falls back on the pollers alone.
 */
export async function runWithHeartbeat(worker: Worker, db: RegisterDb, log?: HeartbeatLog, intervalMs = HEARTBEAT_INTERVAL_MS): Promise<void> {
  const me = { identity: worker.options.identity, namespace: worker.options.namespace, taskQueue: worker.options.taskQueue };
  // One write at a time, in order: a beat still on its way never lands after the stop.
  let writes: Promise<void> = Promise.resolve();
  let failing = false;
  const write = (what: 'beat' | 'stop', op: () => Promise<unknown>) => {
    writes = writes.then(op).then(
      () => void (failing = false),
      (err: unknown) => {
        if (!failing)
          log?.warn({ err: { name: (err as Error)?.name, code: (err as { code?: unknown })?.code } }, `worker heartbeat: the ${what} was not recorded`);
        failing = true;
      },
    );
  };
  write('beat', () => forgetHeartbeats(db, new Date(Date.now() - FORGET_AFTER_MS)));

  let lastBeat = 0;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    write('stop', () => recordStop(db, me.identity));
  };
  const timer = setInterval(() => {
    const state = worker.getState();
    if (state === 'INITIALIZED') return;
    if (state !== 'RUNNING') return stop();
    if (Date.now() - lastBeat < intervalMs) return;
    lastBeat = Date.now();
    write('beat', () => recordBeat(db, me));
  }, STATE_CHECK_MS);
  try {
    await worker.run();
  } finally {
    stop();
    await writes;
  }
}
