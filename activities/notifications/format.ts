import type { Language } from '../../domain';
import { LABELS } from '../../domain/labels';

const LOCALES: Record<Language, string> = { fr: 'fr-CA', en: 'en-CA' };
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per locale and zone.
const formats = new Map<string, Intl.DateTimeFormat>();
function longDate(language: Language, timeZone: string): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone })));
  return format;
}

/**
 * A long date for people ("1 mars 2025", "March 1, 2025"). A bare date is a calendar day and is
 * shown as is; a date-time is shown as the day it falls on in `timeZone`. Anything that is not an
 * ISO date is returned unchanged rather than hidden, so a wrong value is visible in the message.
 */
export function formatDate(value: unknown, language: Language, timeZone = 'UTC'): string {
  if (value === undefined || value === null || value === '') return '';
  const text = String(value);
  const date = new Date(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) return text;
  const formatted = longDate(language, DATE_ONLY.test(text) ? 'UTC' : timeZone).format(date);
  // French writes the first of the month as an ordinal ("1er mars"); Intl does not.
  return language === 'fr' ? formatted.replace(/^1 /, '1er ') : formatted;
}

/** The fields whose values emails name (the catalogue's `label` filter), as domain/labels.ts keys them. */
const LABELLED_FIELDS = ['subject', 'outcome'] as const;

/**
 * The words for enumerated values that the workflow sends as identifiers (a resolution's subject
 * and outcome, a contact's role), from domain/labels.ts: the page and the emails say the same.
 */
export function label(value: unknown, language: Language): string {
  const text = value === undefined || value === null ? '' : String(value);
  const key = [`role.${text}`, ...LABELLED_FIELDS.map((field) => `value.${field}.${text}`)].find((k) => LABELS[language][k] !== undefined);
  return key ? LABELS[language][key]! : text;
}

/**
 * The calendar day of an ISO date or date-time as [year, month, day]: a bare date as is, a
 * date-time as the day it falls on in `timeZone` (so that an all-day event lands on the day the
 * email names). Undefined for anything else.
 */
export function calendarDay(value: unknown, timeZone = 'UTC'): [number, number, number] | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const bare = DATE_ONLY.test(value);
  const date = new Date(bare ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return undefined;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: bare ? 'UTC' : timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return [Number(parts.year), Number(parts.month), Number(parts.day)];
}
