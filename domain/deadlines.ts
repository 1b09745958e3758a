import { addDuration, parseDuration, subtractDuration, type CalendarDuration } from './durations';
import { agendaClosesAt, followUpAt, nextWorkingMorning, reminderAt, type MeetingSchedule, type ScheduledMeeting } from './meeting-calendar';
import { obligations, type Obligation } from './obligations';
import { currentConsultation, findParty, milestoneRecord, type PartnershipState } from './state';
import { TEMPLATES, type DurationKey } from './templates';
import { DAY } from './time';

/** Every kind of timer (the page and emails name each: domain/labels.ts). */
export const DEADLINE_KINDS = [
  'resolution-request',
  'resolution-reminder',
  'meeting-follow-up',
  'rejection-grace-end',
  'check-in',
  'consultation-closing',
  'consultation-close',
  'signature-reminder',
  'review-due',
  'renewal-meeting',
  'expiry',
  'notice-ending',
  'notice-end',
  'party-withdrawal',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** A moment at which the workflow must act even if nobody sends anything. */
export interface Deadline {
  /** Names the obligation or event and its round; reminders are counted under it. */
  key: string;
  kind: DeadlineKind;
  at: number;
  partyId?: string;
  /** Why it is at this date, where a governing body's calendar decided it. */
  because?: DeadlineReason;
}

/**
 * Why a deadline falls when it does: before the agenda of a meeting closes, the morning after a
 * meeting, or the first working morning (a request). The page, emails and calendar file say it in
 * words (labels `why.<reason>`).
 */
export interface DeadlineReason {
  reason: 'agenda-closes' | 'after-meeting' | 'working-morning' | 'next-working-morning';
  meetingOn?: string;
  agendaClosesOn?: string;
  timeZone?: string;
}

/**
 * Rules that changed for running workflows, as the workflow decided them with `patched()`:
 * runs begun before council calendars keep today's periodic reminders whatever their parties carry.
 */
export interface TimerRules {
  councilCalendars: boolean;
}

/** What new runs do, and what the API and tests assume when nobody says. */
export const CURRENT_RULES: TimerRules = { councilCalendars: true };

export function duration(state: PartnershipState, key: DurationKey): CalendarDuration {
  const parsed = parseDuration(state.durations[key]);
  if (!parsed) throw new Error(`duration ${key} is not valid: ${state.durations[key]}`);
  return parsed;
}

const CHECK_IN_STAGES = new Set(['groundwork', 'drafting', 'consultation', 'revision', 'approval', 'signing']);

/**
 * Every timer of the current state, derived from it alone: a command that changes the state (a
 * new end of term, a notice) moves every deadline that depends on it at once.
 */
export function deadlines(state: PartnershipState, rules: TimerRules = CURRENT_RULES): Deadline[] {
  const result: Deadline[] = [];
  const sent = (key: string) => state.reminders[key]?.count ?? 0;
  const repeating = (key: string, since: number, every: CalendarDuration) => addDuration(state.reminders[key]?.lastAt ?? since, every);

  for (const o of obligations(state)) {
    if (o.kind === 'participation-resolution' || o.kind === 'approval-resolution') {
      const schedule = rules.councilCalendars ? findParty(state, o.partyId!)?.meetingSchedule : undefined;
      const byMeetings = schedule ? meetingDeadlines(state, o, schedule) : undefined;
      if (byMeetings) result.push(...byMeetings);
      else if (schedule) {
        // No meeting known (working days only, or the calendar ran out): periodic, on working mornings.
        const at = nextWorkingMorning(schedule, repeating(o.key, o.since, duration(state, 'resolutionReminderEvery')));
        result.push({
          key: o.key,
          kind: 'resolution-reminder',
          partyId: o.partyId!,
          at,
          because: { reason: 'next-working-morning', timeZone: schedule.timeZone },
        });
      } else
        result.push({
          key: o.key,
          kind: 'resolution-reminder',
          partyId: o.partyId!,
          at: repeating(o.key, o.since, duration(state, 'resolutionReminderEvery')),
        });
    } else if (o.kind === 'signature') {
      const at = repeating(o.key, o.since, duration(state, 'signatureReminderEvery'));
      // A party whose calendar gives its time zone and holidays is reminded on a working morning.
      const schedule = rules.councilCalendars ? findParty(state, o.partyId!)?.meetingSchedule : undefined;
      result.push(
        schedule
          ? {
              key: o.key,
              kind: 'signature-reminder',
              partyId: o.partyId!,
              at: nextWorkingMorning(schedule, at),
              because: { reason: 'next-working-morning', timeZone: schedule.timeZone },
            }
          : { key: o.key, kind: 'signature-reminder', partyId: o.partyId!, at },
      );
    }
  }

  if (state.stage === 'commitment' && state.rejectionGraceEndsAt !== undefined) {
    result.push({ key: 'rejection-grace', kind: 'rejection-grace-end', at: state.rejectionGraceEndsAt });
  }

  const launch = milestoneRecord(state, 'launch-workshop');
  if (launch && !launch.skipped && CHECK_IN_STAGES.has(state.stage)) {
    result.push({ key: 'check-in', kind: 'check-in', at: repeating('check-in', launch.recordedAt, duration(state, 'checkInEvery')) });
  }

  if (state.stage === 'consultation') {
    const round = currentConsultation(state)!;
    const closingKey = `consultation-closing:v${round.draftVersion}`;
    const closingAt = subtractDuration(round.closesAt, duration(state, 'consultationClosingReminderBefore'));
    if (sent(closingKey) === 0 && closingAt > round.opensAt) result.push({ key: closingKey, kind: 'consultation-closing', at: closingAt });
    result.push({ key: `consultation-close:v${round.draftVersion}`, kind: 'consultation-close', at: round.closesAt });
  }

  const term = state.term;
  if (term && (state.stage === 'in-force' || state.stage === 'notice')) {
    const reviewEvery = duration(state, 'reviewEvery');
    const lastReview = state.reminders['review']?.lastAt ?? term.effectiveAt;
    const reviewAt = addDuration(lastReview, reviewEvery);
    if (reviewAt <= term.endsAt && state.stage === 'in-force') result.push({ key: 'review', kind: 'review-due', at: reviewAt });
    const meetingKey = `renewal-meeting:${term.number}:${term.endsAt}`;
    const meetingAt = subtractDuration(term.endsAt, duration(state, 'renewalMeetingBefore'));
    if (state.stage === 'in-force' && sent(meetingKey) === 0 && meetingAt > term.effectiveAt) {
      result.push({ key: meetingKey, kind: 'renewal-meeting', at: meetingAt });
    }
    result.push({ key: `expiry:${term.number}`, kind: 'expiry', at: term.endsAt });
  }

  const notice = state.notice;
  if (state.stage === 'notice' && notice) {
    const endingKey = `notice-ending:${notice.givenAt}`;
    const endingAt = subtractDuration(notice.endsAt, duration(state, 'noticeEndingReminderBefore'));
    if (sent(endingKey) === 0 && endingAt > notice.givenAt) result.push({ key: endingKey, kind: 'notice-ending', at: endingAt });
    result.push({ key: `notice-end:${notice.givenAt}`, kind: 'notice-end', at: notice.endsAt });
  }

  for (const party of state.parties) {
    if (party.status === 'withdrawing' && party.withdrawsAt !== undefined) {
      result.push({ key: `withdrawal:${party.id}`, kind: 'party-withdrawal', partyId: party.id, at: party.withdrawsAt });
    }
  }

  return result.sort((a, b) => a.at - b.at || ENDINGS_LAST(a) - ENDINGS_LAST(b) || a.key.localeCompare(b.key));
}

/** At the same instant, reminders (the last review of a term, say) go out before the ending. */
const ENDINGS_LAST = (d: Deadline): number => (d.kind === 'expiry' || d.kind === 'notice-end' ? 1 : 0);

export const nextDeadline = (state: PartnershipState, rules: TimerRules = CURRENT_RULES): Deadline | undefined => deadlines(state, rules)[0];

/** Reminder tracks of a resolution owed to a council with a calendar, beside the obligation's own (which counts reminders). */
export const requestTrackKey = (obligationKey: string): string => `${obligationKey}:request`;
export const missedTrackKey = (obligationKey: string): string => `${obligationKey}:missed`;

/**
 * The meeting a resolution owed should go to now: the first whose question afterwards has not
 * been asked yet and whose agenda was still open when the request went out. Undefined once the
 * calendar runs out.
 */
export function targetMeeting(state: PartnershipState, obligationKey: string, schedule: MeetingSchedule): ScheduledMeeting | undefined {
  const requested = state.reminders[requestTrackKey(obligationKey)];
  if (!requested) return undefined;
  const asked = state.reminders[missedTrackKey(obligationKey)]?.lastAt ?? -Infinity;
  return schedule.meetings.find((m) => followUpAt(schedule, m) > asked && agendaClosesAt(schedule, m) > requested.lastAt);
}

/**
 * A resolution owed by a party whose council has a calendar: the request on the first working
 * morning, then for each meeting a reminder before its agenda closes and a question the morning
 * after it, until the resolution is recorded. Undefined when the calendar has no meeting left: the
 * periodic reminders take over.
 */
function meetingDeadlines(state: PartnershipState, o: Obligation, schedule: MeetingSchedule): Deadline[] | undefined {
  const partyId = o.partyId!;
  const requested = state.reminders[requestTrackKey(o.key)];
  if (!requested) {
    const at = nextWorkingMorning(schedule, o.since);
    const meeting = schedule.meetings.find((m) => agendaClosesAt(schedule, m) > at);
    const reason = meeting ? 'working-morning' : 'next-working-morning';
    return [{ key: o.key, kind: 'resolution-request', partyId, at, because: { ...meetingReason(reason, meeting), timeZone: schedule.timeZone } }];
  }
  const meeting = targetMeeting(state, o.key, schedule);
  if (!meeting) return undefined;
  const result: Deadline[] = [];
  const remindAt = reminderAt(schedule, meeting);
  const since = Math.max(requested.lastAt, state.reminders[missedTrackKey(o.key)]?.lastAt ?? -Infinity);
  const lastReminder = state.reminders[o.key]?.lastAt ?? -Infinity;
  if (remindAt > since && lastReminder < remindAt) {
    result.push({
      key: o.key,
      kind: 'resolution-reminder',
      partyId,
      at: remindAt,
      because: { ...meetingReason('agenda-closes', meeting), timeZone: schedule.timeZone },
    });
  }
  result.push({
    key: o.key,
    kind: 'meeting-follow-up',
    partyId,
    at: followUpAt(schedule, meeting),
    because: { ...meetingReason('after-meeting', meeting), timeZone: schedule.timeZone },
  });
  return result;
}

const meetingReason = (reason: DeadlineReason['reason'], meeting: ScheduledMeeting | undefined): DeadlineReason => ({
  reason,
  ...(meeting ? { meetingOn: meeting.on, agendaClosesOn: meeting.agendaClosesOn } : {}),
});

/**
 * Counts a reminder for a deadline that fired and says whether the coordinator must now be told:
 * after the template's number of reminders (the 3rd by default), once.
 */
export function countReminder(state: PartnershipState, deadline: Deadline, now: number): { count: number; escalate: boolean } {
  const track = state.reminders[deadline.key] ?? { count: 0, lastAt: now, escalated: false };
  track.count += 1;
  // Anchored on the schedule so that semi-annual stays semi-annual (the last review of a term
  // falls on its last day, not a few milliseconds after it); after a long outage, on the moment
  // it fired, so that missed reminders do not all go out at once.
  track.lastAt = now - deadline.at < DAY ? deadline.at : now;
  const escalate = !track.escalated && track.count >= TEMPLATES[state.template].escalateAfterReminders;
  if (escalate) track.escalated = true;
  state.reminders[deadline.key] = track;
  return { count: track.count, escalate };
}
