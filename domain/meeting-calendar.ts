/**
 * A governing body's meeting calendar as the workflow keeps it: dates, not rules. The API expands
 * what a party gives (explicit dates, an RFC 5545 RRULE, an iCalendar file) with `rrule`,
 * `date-holidays` and the time-zone database (api/meeting-calendars.ts) into a bounded list of
 * meetings, the statutory holidays of the party's province and the UTC offsets of its time zone
 * over the same months. Everything here is arithmetic on those facts: no library, no Intl, so
 * that the workflow bundle stays small and a replay gives the same instants on any machine.
 */
import { DAY, HOUR } from './time';

/** The province whose statutory holidays apply when a calendar does not say. */
export const DEFAULT_PROVINCE = 'QC';
export const DEFAULT_TIME_ZONE = 'America/Toronto';
/** Days before a meeting by which its file must reach the agenda (art. 148 C.M. asks 72 hours for the documents). */
export const DEFAULT_AGENDA_LEAD_DAYS = 10;
/** When a meeting's hour is not given: councils mostly sit in the evening. */
export const DEFAULT_MEETING_TIME = '19:00';
/** Reminders and requests reach people at this hour of the recipient's working morning. */
export const MORNING_HOUR = 9;
/** The reminder for a meeting goes this many working days before its agenda closes. */
export const REMINDER_WORKING_DAYS_BEFORE_AGENDA = 5;
/** A schedule holds at most this many meetings (two years of a council that sits twice a month). */
export const MAX_SCHEDULED_MEETINGS = 60;
export const CANADIAN_PROVINCES = ['QC', 'ON', 'NB', 'NS', 'PE', 'NL', 'MB', 'SK', 'AB', 'BC', 'YT', 'NT', 'NU'] as const;
export type Province = (typeof CANADIAN_PROVINCES)[number];

export interface ScheduledMeeting {
  /** The local day of the meeting, after the holiday rule. */
  on: string;
  /** When it starts. */
  at: number;
  /** The last local working day on which a file may reach its agenda. */
  agendaClosesOn: string;
  /** The day the rule gave, where the holiday rule moved the meeting. */
  shiftedFrom?: string;
}

export interface Holiday {
  on: string;
  name: { fr: string; en: string };
}

export interface MeetingSchedule {
  timeZone: string;
  province: Province;
  agendaLeadDays: number;
  /** What the party gave, in short (never an iCalendar file's text). */
  /** `working-days`: no meeting given, only when people work (reminders on working mornings). */
  source: { kind: 'dates' | 'rule' | 'icalendar' | 'working-days'; rule?: string; url?: string };
  /** The last day the expansion covers: after it, reminders fall back to the periodic ones until the calendar is given again. */
  until: string;
  meetings: ScheduledMeeting[];
  holidays: Holiday[];
  /** The time zone's offset from UTC, in minutes, from each instant on (the first applies before it too). */
  offsets: Array<{ from: number; minutes: number }>;
}

const offsetAt = (schedule: MeetingSchedule, instant: number): number => {
  let minutes = schedule.offsets[0]?.minutes ?? 0;
  for (const o of schedule.offsets) if (o.from <= instant) minutes = o.minutes;
  return minutes;
};

/** The local calendar day of an instant. */
export const localDay = (schedule: MeetingSchedule, instant: number): string =>
  new Date(instant + offsetAt(schedule, instant) * 60_000).toISOString().slice(0, 10);

/** The instant of a local day's hour ("09:00"); hours of daylight-saving changes (2:00) are never asked. */
export function localInstant(schedule: MeetingSchedule, day: string, time: string): number {
  const wall = Date.parse(`${day}T${time}:00Z`);
  const guess = wall - offsetAt(schedule, wall) * 60_000;
  return wall - offsetAt(schedule, guess) * 60_000;
}

export const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export const holidayOn = (schedule: Pick<MeetingSchedule, 'holidays'>, day: string): Holiday | undefined => schedule.holidays.find((h) => h.on === day);

/** Monday to Friday, and not a statutory holiday of the party's province. */
export function isWorkingDay(schedule: Pick<MeetingSchedule, 'holidays'>, day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidayOn(schedule, day);
}

/** The working day on or before `day`. */
export function workingDayOnOrBefore(schedule: Pick<MeetingSchedule, 'holidays'>, day: string): string {
  let d = day;
  while (!isWorkingDay(schedule, d)) d = addDays(d, -1);
  return d;
}

/** The working day on or after `day`. */
export function workingDayOnOrAfter(schedule: Pick<MeetingSchedule, 'holidays'>, day: string): string {
  let d = day;
  while (!isWorkingDay(schedule, d)) d = addDays(d, 1);
  return d;
}

/** `count` working days before `day`. */
export function workingDaysBefore(schedule: Pick<MeetingSchedule, 'holidays'>, day: string, count: number): string {
  let d = day;
  for (let left = count; left > 0;) {
    d = addDays(d, -1);
    if (isWorkingDay(schedule, d)) left--;
  }
  return d;
}

/** The morning (9:00, local) of a day. */
export const morningOf = (schedule: MeetingSchedule, day: string): number => localInstant(schedule, day, `${String(MORNING_HOUR).padStart(2, '0')}:00`);

/** The first working morning at or after an instant: when a request or a reminder reaches people. */
export function nextWorkingMorning(schedule: MeetingSchedule, instant: number): number {
  let day = localDay(schedule, instant);
  if (!isWorkingDay(schedule, day) || morningOf(schedule, day) < instant) day = workingDayOnOrAfter(schedule, addDays(day, 1));
  return morningOf(schedule, day);
}

/** When a meeting's agenda closes: the end of its last day. */
export const agendaClosesAt = (schedule: MeetingSchedule, meeting: ScheduledMeeting): number =>
  localInstant(schedule, addDays(meeting.agendaClosesOn, 1), '00:00');

/** The reminder for a meeting: on the working morning some working days before its agenda closes. */
export const reminderAt = (schedule: MeetingSchedule, meeting: ScheduledMeeting): number =>
  morningOf(schedule, workingDaysBefore(schedule, meeting.agendaClosesOn, REMINDER_WORKING_DAYS_BEFORE_AGENDA));

/** The question after a meeting: the first working morning once it is over (three hours after it starts). */
export const followUpAt = (schedule: MeetingSchedule, meeting: ScheduledMeeting): number => nextWorkingMorning(schedule, meeting.at + 3 * HOUR);

/** The day a meeting's agenda closes, `leadDays` before it, on the working day on or before. */
export const agendaDayOf = (schedule: Pick<MeetingSchedule, 'holidays'>, meetingOn: string, leadDays: number): string =>
  workingDayOnOrBefore(schedule, addDays(meetingOn, -leadDays));
