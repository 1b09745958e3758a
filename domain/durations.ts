import { DAY, HOUR } from './time';

/**
 * Durations as people write them in a start request: ISO 8601 (`P14D`, `P2Y`, `PT12H`) or
 * `ms`-style phrases (`14 days`, `24 months`, `90d`). Months and years stay calendar units
 * so that a 24-month term ends on the same day of the month, not after 730 days.
 */
export interface CalendarDuration {
  months: number;
  ms: number;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: HOUR,
  d: DAY,
  w: 7 * DAY,
};

const UNIT_ALIASES: Record<string, string> = {
  ms: 'ms',
  msec: 'ms',
  msecs: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  wks: 'w',
  week: 'w',
  weeks: 'w',
  mo: 'mo',
  month: 'mo',
  months: 'mo',
  y: 'y',
  yr: 'y',
  yrs: 'y',
  year: 'y',
  years: 'y',
};

const ISO = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const PHRASE = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/;

/** Returns undefined for text that is not a duration, so that callers can word their own error. */
export function parseDuration(text: string): CalendarDuration | undefined {
  const trimmed = text.trim();
  const iso = ISO.exec(trimmed.toUpperCase());
  if (iso && trimmed.length > 1 && !trimmed.toUpperCase().endsWith('T')) {
    const [, y, mo, w, d, h, mi, s] = iso.map((v) => (v === undefined ? 0 : Number(v)));
    return {
      months: (y as number) * 12 + (mo as number),
      ms: Math.round(((w as number) * 7 + (d as number)) * UNIT_MS.d! + (h as number) * UNIT_MS.h! + (mi as number) * UNIT_MS.m! + (s as number) * 1000),
    };
  }
  const phrase = PHRASE.exec(trimmed.toLowerCase());
  if (!phrase) return undefined;
  const amount = Number(phrase[1]);
  const unit = UNIT_ALIASES[phrase[2]!];
  if (!unit) return undefined;
  if (unit === 'mo' || unit === 'y') {
    if (!Number.isInteger(amount)) return undefined;
    return { months: unit === 'y' ? amount * 12 : amount, ms: 0 };
  }
  return { months: 0, ms: Math.round(amount * UNIT_MS[unit]!) };
}

/** A century: longer durations are typing mistakes, and would overflow JavaScript dates. */
const MAX_MONTHS = 1200;
const MAX_MS = 100 * 366 * UNIT_MS.d!;

export function isDuration(text: string): boolean {
  const parsed = parseDuration(text);
  if (parsed === undefined || (parsed.months <= 0 && parsed.ms <= 0)) return false;
  return parsed.months <= MAX_MONTHS && parsed.ms <= MAX_MS;
}

/** Adds a calendar duration in UTC; the day of month is clamped (31 Jan + 1 month = 28/29 Feb). */
export function addDuration(epochMs: number, duration: CalendarDuration, times = 1): number {
  let result = epochMs;
  if (duration.months !== 0) result = addMonths(result, duration.months * times);
  return result + duration.ms * times;
}

export function subtractDuration(epochMs: number, duration: CalendarDuration): number {
  return addDuration(epochMs, { months: -duration.months, ms: -duration.ms });
}

function addMonths(epochMs: number, months: number): number {
  const date = new Date(epochMs);
  const day = date.getUTCDate();
  const target = new Date(epochMs);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.getTime();
}

/** An approximate length in days, only for comparisons such as "is the notice period long enough". */
export function approximateDays(duration: CalendarDuration): number {
  return duration.months * 30.44 + duration.ms / UNIT_MS.d!;
}
