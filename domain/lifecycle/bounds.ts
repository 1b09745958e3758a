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
