/**
 * The baseline of the benchmark's Temporal figures: a workflow that does nothing but what
 * Temporal itself costs. It stays open, as a partnership does; a no-op update answers at once;
 * `arm` sets one timer, after which it asks one activity for the time, as a partnership writes a
 * register row after a timer fires. Bundled by the benchmark itself (bench/run.ts).
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

export interface TrivialStamps {
  armedAt?: number;
  dueAt?: number;
  /** The workflow's time when the timer fired (the time of the workflow task that saw it). */
  firedAt?: number;
  /** The activity's wall-clock time when it ran after the timer. */
  activityAt?: number;
}

export interface TrivialActivities {
  /** Returns the wall-clock time it ran; the worker also logs it with the timer's due and fired times. */
  stamp(dueAt: number, firedAt: number): Promise<number>;
}

export const noopUpdate = defineUpdate<null>('noop');
/** Arms the timer `afterMs` from now; answers with the instant it is due. */
export const armUpdate = defineUpdate<number, [number]>('arm');
export const stampsQuery = defineQuery<TrivialStamps>('stamps');

const { stamp } = proxyActivities<TrivialActivities>({ startToCloseTimeout: '10 seconds' });

export async function trivialWorkflow(): Promise<void> {
  const stamps: TrivialStamps = {};
  setHandler(noopUpdate, () => null);
  setHandler(stampsQuery, () => stamps);
  setHandler(armUpdate, (afterMs) => {
    stamps.armedAt = Date.now();
    stamps.dueAt = stamps.armedAt + afterMs;
    return stamps.dueAt;
  });
  await condition(() => stamps.dueAt !== undefined);
  await sleep(Math.max(1, stamps.dueAt! - Date.now()));
  stamps.firedAt = Date.now();
  stamps.activityAt = await stamp(stamps.dueAt!, stamps.firedAt);
  // Open for good, as a partnership in force is.
  await condition(() => false);
}
