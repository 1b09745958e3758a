import type { NotificationRequest } from '../notifications';
import type { PartnershipState } from '../state';

/**
 * What the workflow state keeps of what grows with time. The register keeps every entry; the
 * state, carried through every continue-as-new, keeps a tail so that it stays small for decades.
 */
export const STATE_LIMITS = {
  /** The latest timeline entries shown by the state query (the register has them all). */
  timelineEntries: 200,
  /** Reminder counters: one per obligation and round; the oldest rounds are long settled. */
  reminderTracks: 100,
} as const;

/**
 * Short runs. A partnership evicted from a worker's cache is rebuilt by replaying its run, one
 * workflow activation per recorded task: a short run is rebuilt in milliseconds, the road to the
 * agreement (some 270 events in one run) in a few hundred milliseconds. So a run whose history has passed
 * `historyEvents` hands over to a fresh one (continue-as-new) at its first quiet moment: no
 * command, register row or email under way; emails not yet handed over travel with the state.
 * Never before it has lived `minLifetimeMs`: the Temporal server delays the next run's first
 * task until a second has passed since the previous run began (its ContinueAsNewMinInterval),
 * and the commands sent meanwhile would wait for it. A fresh run begins with some 6 events and a
 * command adds 6 to 12: a run in force hands over after two or three commands, and a worker
 * rebuilds one in a handful of activations.
 */
export const RUN_LIMITS = {
  historyEvents: 25,
  minLifetimeMs: 1000,
  /**
   * A run due to hand over first sends the emails waiting in its outbox, so that none waits for
   * the next run's first task; up to these, since commands that keep coming keep it from emptying.
   */
  emailsFirstUpTo: { events: 100, bytes: 256 * 1024 },
} as const;

/**
 * The emails a partnership's outbox hands to the mail server in one activity: the first waiting,
 * and those after it while their messages (one per recipient) stay within `messagesPerBatch`. A
 * batch must go out within the activity's 20 s (it gives up at 18 and a retry sends the rest):
 * 20 messages at half a second each, a slow mail server's pace, take 10.
 */
export const OUTBOX_LIMITS = { messagesPerBatch: 20 } as const;

/** How many of the outbox's first emails go out together (at least one, whatever its size). */
export function outboxBatch(outbox: readonly NotificationRequest[]): number {
  let messages = 0;
  let count = 0;
  for (const request of outbox) {
    messages += request.recipients.length;
    if (count > 0 && messages > OUTBOX_LIMITS.messagesPerBatch) break;
    count++;
  }
  return count;
}

/** When a run of this length, begun then, may hand over to a fresh one; undefined while short. */
export function freshRunAt(historyLength: number, runStartedAt: number): number | undefined {
  return historyLength >= RUN_LIMITS.historyEvents ? runStartedAt + RUN_LIMITS.minLifetimeMs : undefined;
}

/** Whether a run due to hand over still sends its waiting emails first (see RUN_LIMITS.emailsFirstUpTo). */
export function sendsEmailsFirst(historyLength: number, historyBytes: number): boolean {
  const { events, bytes } = RUN_LIMITS.emailsFirstUpTo;
  return historyLength < events && historyBytes < bytes;
}

/** Keys whose counters run for the whole life of the partnership and are never dropped. */
const LIFELONG_TRACKS = new Set(['check-in', 'review']);

export function boundState(state: PartnershipState): void {
  const excess = state.timeline.length - STATE_LIMITS.timelineEntries;
  if (excess > 0) {
    state.timeline.splice(0, excess);
    state.timelineDropped = (state.timelineDropped ?? 0) + excess;
  }
  const keys = Object.keys(state.reminders);
  if (keys.length > STATE_LIMITS.reminderTracks) {
    const oldestFirst = keys.filter((k) => !LIFELONG_TRACKS.has(k)).sort((a, b) => state.reminders[a]!.lastAt - state.reminders[b]!.lastAt);
    for (const key of oldestFirst.slice(0, keys.length - STATE_LIMITS.reminderTracks)) delete state.reminders[key];
  }
}
