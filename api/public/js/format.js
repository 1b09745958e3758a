// Dates as dates in the reader's language (fr-CA, en-CA): instants with their time in the
// reader's time zone, calendar days (YYYY-MM-DD, a day in law) as that day wherever the reader is.

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function formatsFor(locale) {
  const instant = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const number = new Intl.NumberFormat(locale);
  return {
    /** An instant (ISO 8601 with a time) or a calendar day; '' when absent, the text itself when not a date. */
    when(value) {
      if (!value) return '';
      const date = new Date(DAY.test(value) ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(date.getTime())) return String(value);
      return DAY.test(value) ? day.format(date) : instant.format(date);
    },
    number: (n) => (typeof n === 'number' ? number.format(n) : String(n ?? '')),
  };
}
