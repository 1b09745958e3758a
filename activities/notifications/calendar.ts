import { createEvent, type EventAttributes } from 'ics';
import type { Language, NotificationEvent, NotificationRequest } from '../../domain';
import { sha256Hex } from '../../domain/fingerprint';
import { calendarDay } from './format';

/**
 * The reminders that name a day to keep free, the field of their data that holds it, and what
 * the calendar entry is called in each language.
 */
export const CALENDAR_EVENTS: Partial<Record<NotificationEvent, { field: string; summary: Record<Language, string> }>> = {
  'draft-open-for-feedback': { field: 'closesAt', summary: { en: 'Feedback on the draft closes', fr: 'Fin de la rétroaction sur l’ébauche' } },
  'consultation-closing': { field: 'closesAt', summary: { en: 'Feedback on the draft closes', fr: 'Fin de la rétroaction sur l’ébauche' } },
  'review-due': { field: 'dueAt', summary: { en: 'Performance review due', fr: 'Examen du rendement à tenir' } },
  'renewal-meeting': { field: 'meetingBy', summary: { en: 'Renewal meeting (latest date)', fr: 'Rencontre sur le renouvellement (au plus tard)' } },
  'notice-received': { field: 'endsOn', summary: { en: 'End of the notice period', fr: 'Fin du préavis' } },
  'notice-ending': { field: 'endsOn', summary: { en: 'End of the notice period', fr: 'Fin du préavis' } },
};

export interface CalendarAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface CalendarOptions {
  uidDomain: string;
  link: string;
  /** DTSTAMP: the outbox row's creation, so that a resent message carries the same file. */
  stampedAt: Date;
  timeZone?: string;
}

/**
 * Text for a calendar property: line breaks become spaces, and control characters (which RFC 5545
 * does not allow in TEXT), format characters (U+202E and the like) and line separators are
 * dropped, so that a title written before they were refused cannot spoof a calendar entry.
 */
export const calendarText = (text: string): string =>
  text
    .replace(/[\r\n\t\u0085\u2028\u2029]+/g, ' ')
    .replace(/\p{Cc}|\p{Cf}|\p{Zl}|\p{Zp}/gu, '')
    .trim();

/** RFC 5545 TEXT escaping (section 3.3.11), for the properties the ics library writes as given. */
export const escapeCalendarText = (text: string): string => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** The calendar's UID comes from the event key, so every recipient and every resend share one entry. */
export const calendarUid = (eventKey: string, domain: string): string => `${sha256Hex(`ics:${eventKey}`).slice(0, 32)}@${domain}`;

/**
 * An all-day iCalendar entry for a dated reminder, or undefined when the event has no date (or
 * the workflow sent none: the email still goes, without a file).
 */
export function calendarFor(request: NotificationRequest, language: Language, options: CalendarOptions): CalendarAttachment | undefined {
  const spec = CALENDAR_EVENTS[request.event];
  if (!spec) return undefined;
  const day = calendarDay(request.data[spec.field], options.timeZone);
  if (!day) return undefined;
  const next = new Date(Date.UTC(day[0], day[1] - 1, day[2] + 1));
  const title = String(request.data.title ?? '');
  const attributes: EventAttributes = {
    uid: calendarUid(request.key, options.uidDomain),
    productId: '-//Entente//Entente//EN',
    method: 'PUBLISH',
    start: day,
    end: [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()],
    title: `${spec.summary[language]}: ${calendarText(title)}`,
    description: options.link,
    url: options.link,
  };
  // `timestamp` (DTSTAMP) is accepted by ics's schema but missing from its typings.
  const { error, value } = createEvent({ ...attributes, timestamp: options.stampedAt.getTime() } as EventAttributes);
  if (error || !value) throw new Error(`calendar entry for ${request.event} could not be built: ${error?.message ?? 'empty'}`);
  return { filename: `${request.event}.ics`, content: value, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' };
}
