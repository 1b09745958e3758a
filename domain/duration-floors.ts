import { parseDuration, type CalendarDuration } from './durations';
import { DURATION_KEYS, type DurationKey } from './templates';
import { DAY, HOUR } from './time';

/**
 * Sane floors for the durations of a start request. `"resolutionReminderEvery": "1 ms"` is a
 * valid duration, but it mails a reminder a millisecond; a notice period of a few hours becomes a
 * notice of 0 days that dissolves the partnership the moment it is given. So:
 *
 * | key                                 | what it is                                   | floor                        |
 * |-------------------------------------|----------------------------------------------|------------------------------|
 * | `resolutionReminderEvery`           | reminder interval                            | at least 1 hour              |
 * | `checkInEvery`                      | check-in interval                            | at least 1 hour              |
 * | `consultationWindow`                | a period the parties have to act in          | whole days, at least 1 day   |
 * | `consultationClosingReminderBefore` | lead time of a reminder                      | at least 1 hour              |
 * | `signatureReminderEvery`            | reminder interval                            | at least 1 hour              |
 * | `reviewEvery`                       | performance review interval                  | at least 1 hour              |
 * | `renewalMeetingBefore`              | lead time of a reminder                      | at least 1 hour              |
 * | `term`                              | the agreement's term                         | whole days, at least 1 day   |
 * | `noticePeriod`                      | a period the parties have to act in          | whole days, at least 1 day   |
 * | `noticeEndingReminderBefore`        | lead time of a reminder                      | at least 1 hour              |
 *
 * "Whole days" counts calendar months as whole: "3 months" and "P1M" pass, "36 hours",
 * "1.5 days" and "P1DT12H" do not (a notice is counted in days, `noticeDays`).
 *
 * Demos and end-to-end tests that need seconds lift every floor with `allowShortDurations`
 * (the API's `ALLOW_SHORT_DURATIONS=true`; the domain never reads the environment). Text that is
 * not a duration at all is reported whatever the option says.
 *
 * Commands carry no duration of this kind: `renew` takes whole months (`termMonths` ≥ 1),
 * `giveNotice` whole days (`noticeDays` ≥ 1), both enforced by their zod schemas, and `amendTerm`
 * a date that `commandRefusal` refuses unless it is after today. The start request is the only
 * way in that needs these floors.
 */
export type DurationFloor = 'hour' | 'whole-days';

export const DURATION_FLOORS: Readonly<Record<DurationKey, DurationFloor>> = {
  resolutionReminderEvery: 'hour',
  checkInEvery: 'hour',
  consultationWindow: 'whole-days',
  consultationClosingReminderBefore: 'hour',
  signatureReminderEvery: 'hour',
  reviewEvery: 'hour',
  renewalMeetingBefore: 'hour',
  term: 'whole-days',
  noticePeriod: 'whole-days',
  noticeEndingReminderBefore: 'hour',
};

export interface DurationFloorOptions {
  /** Honour durations below the floors (demos and tests that need seconds). */
  allowShortDurations: boolean;
}

export interface DurationFloorIssue {
  /** From the start request's root: `['durations', key]`. */
  path: ['durations', DurationKey];
  message: string;
}

const NOT_SET = '(ALLOW_SHORT_DURATIONS is not set)';

export const FLOOR_MESSAGES: Readonly<Record<DurationFloor, string>> = {
  hour: `at least 1 hour ${NOT_SET}`,
  'whole-days': `whole days, at least 1 day ${NOT_SET}`,
};

export function meetsFloor(duration: CalendarDuration, floor: DurationFloor): boolean {
  if (floor === 'hour') return duration.months >= 1 || duration.ms >= HOUR;
  return duration.ms % DAY === 0 && (duration.months >= 1 || duration.ms >= DAY);
}

/**
 * The durations of a start request (its overrides; the templates' own defaults pass) that are
 * below their floor, in the order of DURATION_KEYS. Empty when everything passes.
 */
export function durationFloorIssues(durations: Partial<Record<DurationKey, string>> | undefined, options: DurationFloorOptions): DurationFloorIssue[] {
  if (!durations) return [];
  const issues: DurationFloorIssue[] = [];
  for (const key of DURATION_KEYS) {
    const text = durations[key];
    if (text === undefined) continue;
    const parsed = parseDuration(text);
    if (parsed === undefined) {
      issues.push({ path: ['durations', key], message: 'must be a duration' });
      continue;
    }
    const floor = DURATION_FLOORS[key];
    if (!options.allowShortDurations && !meetsFloor(parsed, floor)) {
      issues.push({ path: ['durations', key], message: FLOOR_MESSAGES[floor] });
    }
  }
  return issues;
}

/** `durations.resolutionReminderEvery: at least 1 hour (ALLOW_SHORT_DURATIONS is not set)`. */
export const describeFloorIssue = (issue: DurationFloorIssue): string => `${issue.path.join('.')}: ${issue.message}`;
