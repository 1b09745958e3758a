import { addDuration, parseDuration, type CalendarDuration } from './durations';
import { obligations } from './obligations';
import type { PartnershipState } from './state';
import { TEMPLATES, type DurationKey } from './templates';

export type DeadlineKind = 'resolution-reminder';

/** A moment at which the workflow must act even if nobody sends anything. */
export interface Deadline {
  key: string;
  kind: DeadlineKind;
  at: number;
  partyId?: string;
}

export function duration(state: PartnershipState, key: DurationKey): CalendarDuration {
  const parsed = parseDuration(state.durations[key]);
  if (!parsed) throw new Error(`duration ${key} is not valid: ${state.durations[key]}`);
  return parsed;
}

export function deadlines(state: PartnershipState): Deadline[] {
  const result: Deadline[] = [];
  for (const obligation of obligations(state)) {
    if (obligation.kind === 'participation-resolution') {
      const track = state.reminders[obligation.key];
      result.push({
        key: obligation.key,
        kind: 'resolution-reminder',
        partyId: obligation.partyId,
        at: addDuration(track?.lastAt ?? obligation.since, duration(state, 'resolutionReminderEvery')),
      });
    }
  }
  return result.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}

export const nextDeadline = (state: PartnershipState): Deadline | undefined => deadlines(state)[0];

/**
 * Counts a reminder for a deadline that fired and says whether the coordinator must now be told:
 * after the template's number of reminders (the 3rd by default), once.
 */
export function countReminder(state: PartnershipState, deadline: Deadline, now: number): { count: number; escalate: boolean } {
  const track = state.reminders[deadline.key] ?? { count: 0, lastAt: now, escalated: false };
  track.count += 1;
  track.lastAt = now;
  const escalate = !track.escalated && track.count >= TEMPLATES[state.template].escalateAfterReminders;
  if (escalate) track.escalated = true;
  state.reminders[deadline.key] = track;
  return { count: track.count, escalate };
}
