/**
 * Councils' meeting calendars for tests, expanded by the API's own code (api/meeting-calendars.ts),
 * as the workflow receives them.
 */
import { expandMeetingCalendar } from '../../api/meeting-calendars';
import type { MeetingCalendar, MeetingSchedule } from '../../domain';

/** A council that sits on the second Tuesday of every month at 19:00, Quebec's holidays, agenda 10 days ahead. */
export const SECOND_TUESDAY: MeetingCalendar = { rrule: 'FREQ=MONTHLY;BYDAY=2TU', time: '19:00' };

export const scheduleOf = (calendar: MeetingCalendar, now: number): MeetingSchedule => expandMeetingCalendar(calendar, now);

/** Maple's band council on SECOND_TUESDAY, expanded from `now`. */
export const mapleMonthly = (now: number): Record<string, MeetingSchedule> => ({ maple: scheduleOf(SECOND_TUESDAY, now) });
