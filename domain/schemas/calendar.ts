import { z } from 'zod';
import { CANADIAN_PROVINCES, MAX_SCHEDULED_MEETINGS } from '../meeting-calendar';
import { IsoDate, multiLine, singleLine, Url } from './common';

/** An IANA time zone the runtime knows (America/Toronto, America/Halifax). */
export const TimeZone = z
  .string()
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as America/Toronto' },
  );

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const MEETING = /^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d)?$/;

/** The longest iCalendar text taken inline (the API takes bodies up to 256 kB; a URL's file may be larger: api/meeting-calendars.ts). */
export const MAX_ICALENDAR_CHARS = 200_000;

/**
 * A governing body's meeting calendar as a person gives it: explicit meetings, an RFC 5545 RRULE
 * (with the first meeting it counts from and exceptions), or the iCalendar file the council
 * publishes (its text, or its https URL, which the API fetches). The API expands it into the dates
 * the workflow keeps (domain/meeting-calendar.ts).
 */
export const MeetingCalendar = z
  .strictObject({
    /** `2026-12-08` (at DEFAULT_MEETING_TIME) or `2026-12-08T19:30`, local time. */
    meetings: z
      .array(z.string().regex(MEETING, 'a date (2026-12-08) or a local date and time (2026-12-08T19:30)'))
      .min(1)
      .max(MAX_SCHEDULED_MEETINGS)
      .optional(),
    /** `FREQ=MONTHLY;BYDAY=2MO` (RFC 5545 RRULE, without DTSTART). */
    rrule: singleLine(500).optional(),
    /** The first meeting the rule counts from (its DTSTART); today when absent. */
    startsOn: IsoDate.optional(),
    /** The meetings' local hour, for a rule or bare dates. */
    time: z.string().regex(TIME, 'HH:MM').optional(),
    /** Meetings the rule gives that will not be held (EXDATE). */
    exceptions: z.array(IsoDate).max(100).optional(),
    icalendar: multiLine(MAX_ICALENDAR_CHARS).optional(),
    icalendarUrl: Url.optional(),
    /** A meeting that falls on a statutory holiday: held the next working day, or kept. */
    holidayRule: z.enum(['next-working-day', 'keep']).optional(),
    agendaLeadDays: z.int().min(0).max(90).optional(),
    timeZone: TimeZone.optional(),
    province: z.enum(CANADIAN_PROVINCES).optional(),
  })
  .refine((c) => [c.meetings, c.rrule, c.icalendar, c.icalendarUrl].filter((x) => x !== undefined).length <= 1, {
    message: 'give one of meetings, rrule, icalendar or icalendarUrl (or none: reminders on working mornings, no meeting)',
  });
export type MeetingCalendar = z.infer<typeof MeetingCalendar>;

const ScheduledMeeting = z.strictObject({
  on: IsoDate,
  at: z.number().int(),
  agendaClosesOn: IsoDate,
  shiftedFrom: IsoDate.optional(),
});

/** The expanded calendar the workflow receives (domain/meeting-calendar.ts: MeetingSchedule). */
export const MeetingScheduleSchema = z.strictObject({
  timeZone: z.string().max(64),
  province: z.enum(CANADIAN_PROVINCES),
  agendaLeadDays: z.int().min(0).max(90),
  source: z.strictObject({ kind: z.enum(['dates', 'rule', 'icalendar', 'working-days']), rule: z.string().max(500).optional(), url: Url.optional() }),
  until: IsoDate,
  meetings: z.array(ScheduledMeeting).max(MAX_SCHEDULED_MEETINGS),
  holidays: z.array(z.strictObject({ on: IsoDate, name: z.strictObject({ fr: z.string().max(100), en: z.string().max(100) }) })).max(60),
  offsets: z.array(z.strictObject({ from: z.number(), minutes: z.int().min(-840).max(840) })).max(12),
});
