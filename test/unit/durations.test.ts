/**
 * domain/durations.ts
 *
 * | case                                        | expects                                              |
 * |---------------------------------------------|------------------------------------------------------|
 * | ISO 8601 (P14D, P2Y, P1Y2M, PT12H, P1W...)  | months and ms split as calendar and exact parts      |
 * | ISO P1M vs PT1M                             | one month vs one minute                              |
 * | phrases ("14 days", "24 months", "90d"...)  | same units as ISO; months/years stay calendar units  |
 * | case and whitespace                         | "p14d", " 14 Days " accepted                         |
 * | junk ("", "P", "PT", "P1DT", "soon", ...)   | undefined                                            |
 * | fractional months/years                     | undefined (not a calendar unit)                      |
 * | isDuration                                  | true for positive, false for junk and zero           |
 * | addDuration                                 | month clamping (31 Jan + 1 month = 28/29 Feb), time  |
 * |                                             | of day kept, year roll-over, times multiplier        |
 * | subtractDuration                            | inverse for day-exact parts, clamps months           |
 * | approximateDays                             | rough month length, exact day part                   |
 */
import { addDuration, approximateDays, isDuration, parseDuration, subtractDuration } from '../../domain/durations';
import { DAY } from '../../domain/time';

const HOUR = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);

describe('parseDuration: ISO 8601', () => {
  test.each([
    ['P14D', { months: 0, ms: 14 * DAY }],
    ['P2Y', { months: 24, ms: 0 }],
    ['P1Y2M', { months: 14, ms: 0 }],
    ['P3M', { months: 3, ms: 0 }],
    ['P1W', { months: 0, ms: 7 * DAY }],
    ['P1W2D', { months: 0, ms: 9 * DAY }],
    ['PT12H', { months: 0, ms: 12 * HOUR }],
    ['PT1M', { months: 0, ms: 60_000 }],
    ['PT1.5S', { months: 0, ms: 1500 }],
    ['P1DT2H30M', { months: 0, ms: DAY + 2 * HOUR + 30 * 60_000 }],
    ['P1Y1DT1S', { months: 12, ms: DAY + 1000 }],
    ['p14d', { months: 0, ms: 14 * DAY }],
    ['  P14D  ', { months: 0, ms: 14 * DAY }],
  ])('%s', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  test('P1M is one month but PT1M is one minute', () => {
    expect(parseDuration('P1M')).toEqual({ months: 1, ms: 0 });
    expect(parseDuration('PT1M')).toEqual({ months: 0, ms: 60_000 });
  });
});

describe('parseDuration: phrases', () => {
  test.each([
    ['14 days', { months: 0, ms: 14 * DAY }],
    ['1 day', { months: 0, ms: DAY }],
    ['90d', { months: 0, ms: 90 * DAY }],
    ['24 months', { months: 24, ms: 0 }],
    ['1 month', { months: 1, ms: 0 }],
    ['6mo', { months: 6, ms: 0 }],
    ['3 years', { months: 36, ms: 0 }],
    ['1y', { months: 12, ms: 0 }],
    ['2 weeks', { months: 0, ms: 14 * DAY }],
    ['12 hours', { months: 0, ms: 12 * HOUR }],
    ['30 minutes', { months: 0, ms: 30 * 60_000 }],
    ['45s', { months: 0, ms: 45_000 }],
    ['250ms', { months: 0, ms: 250 }],
    ['1.5 days', { months: 0, ms: 1.5 * DAY }],
    ['14 Days', { months: 0, ms: 14 * DAY }],
    ['  60 days ', { months: 0, ms: 60 * DAY }],
    ['14days', { months: 0, ms: 14 * DAY }],
  ])('%s', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  test('"24 months" is a calendar term, not 730 days', () => {
    // The span crosses 29 Feb 2028, so 730 days would end a day early.
    const start = utc('2027-03-15T00:00:00Z');
    expect(addDuration(start, parseDuration('24 months')!)).toBe(utc('2029-03-15T00:00:00Z'));
    expect(addDuration(start, parseDuration('24 months')!)).not.toBe(start + 730 * DAY);
  });
});

describe('parseDuration: junk', () => {
  test.each([
    '',
    '   ',
    'P',
    'PT',
    'P1DT',
    'soon',
    'fourteen days',
    '14',
    'days',
    '14 fortnights',
    '-14 days',
    '14 days ago',
    '1e3 days',
    'P1.5D',
    'P14X',
    'D14P',
    '14 days; drop table',
  ])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
    expect(isDuration(text)).toBe(false);
  });

  test.each(['1.5 months', '0.5 years', '2.25y'])('%j: fractional calendar units are refused', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('isDuration', () => {
  test.each(['P14D', '14 days', '24 months', '90d', 'PT1S', '1 ms'])('%j is a duration', (text) => {
    expect(isDuration(text)).toBe(true);
  });

  test.each(['0 days', 'P0D', 'PT0S', '0 months', '0y', '0.0001 ms'])('%j is zero and refused', (text) => {
    expect(parseDuration(text)).toBeDefined();
    expect(isDuration(text)).toBe(false);
  });
});

describe('addDuration', () => {
  const oneMonth = { months: 1, ms: 0 };

  test.each([
    ['2025-01-31T00:00:00Z', '2025-02-28T00:00:00Z'],
    ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z'],
    ['2025-03-31T00:00:00Z', '2025-04-30T00:00:00Z'],
    ['2025-01-15T00:00:00Z', '2025-02-15T00:00:00Z'],
    ['2025-12-31T00:00:00Z', '2026-01-31T00:00:00Z'],
    ['2025-11-30T00:00:00Z', '2025-12-30T00:00:00Z'],
  ])('%s + 1 month = %s', (from, to) => {
    expect(new Date(addDuration(utc(from), oneMonth)).toISOString()).toBe(new Date(utc(to)).toISOString());
  });

  test('keeps the time of day when adding months', () => {
    expect(addDuration(utc('2025-01-31T17:45:12.345Z'), oneMonth)).toBe(utc('2025-02-28T17:45:12.345Z'));
  });

  test('29 Feb + 1 year = 28 Feb, + 4 years = 29 Feb', () => {
    expect(addDuration(utc('2024-02-29T00:00:00Z'), { months: 12, ms: 0 })).toBe(utc('2025-02-28T00:00:00Z'));
    expect(addDuration(utc('2024-02-29T00:00:00Z'), { months: 48, ms: 0 })).toBe(utc('2028-02-29T00:00:00Z'));
  });

  test('adds the exact part after the calendar part', () => {
    // 31 Jan + (1 month, 1 day): clamp to 28 Feb first, then one day -> 1 Mar.
    expect(addDuration(utc('2025-01-31T00:00:00Z'), { months: 1, ms: DAY })).toBe(utc('2025-03-01T00:00:00Z'));
  });

  test('days are exact milliseconds', () => {
    expect(addDuration(utc('2025-01-01T00:00:00Z'), parseDuration('14 days')!)).toBe(utc('2025-01-15T00:00:00Z'));
  });

  test('times multiplies both parts, counted from the origin', () => {
    const start = utc('2025-01-31T00:00:00Z');
    expect(addDuration(start, oneMonth, 2)).toBe(utc('2025-03-31T00:00:00Z'));
    expect(addDuration(start, oneMonth, 3)).toBe(utc('2025-04-30T00:00:00Z'));
    expect(addDuration(start, { months: 0, ms: DAY }, 3)).toBe(start + 3 * DAY);
  });

  test('a zero duration changes nothing', () => {
    const start = utc('2025-05-05T05:05:05Z');
    expect(addDuration(start, { months: 0, ms: 0 })).toBe(start);
  });
});

describe('subtractDuration', () => {
  test('31 Mar - 1 month = 28 Feb (clamped)', () => {
    expect(subtractDuration(utc('2025-03-31T00:00:00Z'), { months: 1, ms: 0 })).toBe(utc('2025-02-28T00:00:00Z'));
  });

  test('14 days before', () => {
    expect(subtractDuration(utc('2025-03-01T00:00:00Z'), parseDuration('14 days')!)).toBe(utc('2025-02-15T00:00:00Z'));
  });

  test('6 months before a 24-month expiry, across a year boundary', () => {
    expect(subtractDuration(utc('2027-03-15T00:00:00Z'), parseDuration('6 months')!)).toBe(utc('2026-09-15T00:00:00Z'));
  });
});

describe('approximateDays', () => {
  test('days are exact, months are about 30.44 days', () => {
    expect(approximateDays(parseDuration('60 days')!)).toBe(60);
    expect(approximateDays(parseDuration('3 months')!)).toBeCloseTo(91.32, 2);
    expect(approximateDays(parseDuration('3 months')!)).toBeGreaterThan(approximateDays(parseDuration('90 days')!));
  });
});

describe('durations too long or too fine to be meant', () => {
  test.each(['9999999999999999999999999999 years', '99999999 days', 'P200Y', '1201 months'])('%s is refused', (text) => {
    expect(isDuration(text)).toBe(false);
  });
  test('a century is still a duration', () => {
    expect(isDuration('100 years')).toBe(true);
  });
  test('ISO seconds are rounded to whole milliseconds', () => {
    expect(parseDuration('PT0.0001S')).toEqual({ months: 0, ms: 0 });
    expect(isDuration('PT0.0001S')).toBe(false);
  });
});
