/**
 * domain/duration-floors.ts: the floors on a start request's durations, and the override that
 * lifts them; config/env.ts's ALLOW_SHORT_DURATIONS; the commands' own floors (renew, giveNotice,
 * amendTerm), which need nothing new.
 *
 * | keys                                              | floor                       | refused                                   | accepted                                  |
 * |---------------------------------------------------|-----------------------------|-------------------------------------------|-------------------------------------------|
 * | the 7 reminder / check-in / review intervals and   | at least 1 hour             | "1 ms", "30 seconds", "59 minutes", PT30M | "1 hour", PT1H, "90 minutes", "1 month"   |
 * | "before" lead times                               |                             |                                           |                                           |
 * | consultationWindow, noticePeriod, term            | whole days, at least 1 day  | "23 hours", "36 hours", "1.5 days", P1DT12H, P1MT1H | "1 day", "2 weeks", "3 months", P1M, P1Y |
 * | any, with allowShortDurations: true               | none                        | only text that is not a duration          | "1 ms", "30 seconds", "36 hours"          |
 * | the three templates' defaults, the example request | every floor                |                                           | all                                       |
 * | ALLOW_SHORT_DURATIONS                             | "true" lifts; unset, "false", "" do not | "1", "yes", "TRUE" stop the start |                                 |
 * | renew termMonths, giveNotice noticeDays (zod)     | whole, at least 1           | 0, 0.5                                    | 1                                         |
 * | amendTerm newEndsOn (commandRefusal)              | after today                 | today, yesterday                          | tomorrow                                  |
 */
import { loadEnv } from '../../config/env';
import { commandRefusal } from '../../domain/commands';
import { DURATION_FLOORS, describeFloorIssue, durationFloorIssues, meetsFloor, type DurationFloor } from '../../domain/duration-floors';
import { parseDuration } from '../../domain/durations';
import { GiveNotice, Renew } from '../../domain/schemas/commands';
import { StartPartnership } from '../../domain/schemas/partnership';
import { enterStage, initialState } from '../../domain/state';
import { DURATION_KEYS, TEMPLATES, TEMPLATE_IDS, type DurationKey } from '../../domain/templates';
import { startRequest } from '../helpers/fixtures';
import { DAY } from '../../domain/time';

const STRICT = { allowShortDurations: false };
const LENIENT = { allowShortDurations: true };

const HOURLY: DurationKey[] = [
  'resolutionReminderEvery',
  'checkInEvery',
  'consultationClosingReminderBefore',
  'signatureReminderEvery',
  'reviewEvery',
  'renewalMeetingBefore',
  'noticeEndingReminderBefore',
];
const WHOLE_DAYS: DurationKey[] = ['consultationWindow', 'term', 'noticePeriod'];

describe('the floor of each key', () => {
  test('every duration key has a floor, and the two lists above cover them all', () => {
    expect([...HOURLY, ...WHOLE_DAYS].sort()).toEqual([...DURATION_KEYS].sort());
    for (const key of HOURLY) expect({ key, floor: DURATION_FLOORS[key] }).toEqual({ key, floor: 'hour' });
    for (const key of WHOLE_DAYS) expect({ key, floor: DURATION_FLOORS[key] }).toEqual({ key, floor: 'whole-days' });
  });
});

describe('reminders, check-ins, reviews and lead times: at least one hour', () => {
  const cases = HOURLY.flatMap((key) => ['1 ms', '30 seconds', '59 minutes', 'PT30M', 'PT59M59S'].map((text) => [key, text] as const));
  test.each(cases)('%s = %j is refused, the floor in the message', (key, text) => {
    const issues = durationFloorIssues({ [key]: text }, STRICT);
    expect(issues).toEqual([{ path: ['durations', key], message: 'at least 1 hour (ALLOW_SHORT_DURATIONS is not set)' }]);
    expect(describeFloorIssue(issues[0]!)).toBe(`durations.${key}: at least 1 hour (ALLOW_SHORT_DURATIONS is not set)`);
  });

  const accepted = HOURLY.flatMap((key) => ['1 hour', 'PT1H', '90 minutes', '36 hours', '1 month', '14 days'].map((text) => [key, text] as const));
  test.each(accepted)('%s = %j passes', (key, text) => {
    expect(durationFloorIssues({ [key]: text }, STRICT)).toEqual([]);
  });
});

describe('consultation window, notice period and term: whole days, at least one day', () => {
  const cases = WHOLE_DAYS.flatMap((key) =>
    ['1 ms', '30 seconds', '23 hours', '36 hours', '1.5 days', 'P1DT12H', 'PT24H1S', 'P1MT1H'].map((text) => [key, text] as const),
  );
  test.each(cases)('%s = %j is refused, the floor in the message', (key, text) => {
    const issues = durationFloorIssues({ [key]: text }, STRICT);
    expect(issues).toEqual([{ path: ['durations', key], message: 'whole days, at least 1 day (ALLOW_SHORT_DURATIONS is not set)' }]);
  });

  const accepted = WHOLE_DAYS.flatMap((key) =>
    ['1 day', '24 hours', 'P1D', '2 weeks', '60 days', '3 months', 'P1M', 'P1Y', '24 months'].map((text) => [key, text] as const),
  );
  test.each(accepted)('%s = %j passes', (key, text) => {
    expect(durationFloorIssues({ [key]: text }, STRICT)).toEqual([]);
  });
});

describe('the report', () => {
  test('names every key below its floor, in the order of DURATION_KEYS, and none that pass', () => {
    const issues = durationFloorIssues(
      { noticePeriod: '36 hours', resolutionReminderEvery: '1 ms', term: '24 months', checkInEvery: '1 month', consultationWindow: '12 hours' },
      STRICT,
    );
    expect(issues.map(describeFloorIssue)).toEqual([
      'durations.resolutionReminderEvery: at least 1 hour (ALLOW_SHORT_DURATIONS is not set)',
      'durations.consultationWindow: whole days, at least 1 day (ALLOW_SHORT_DURATIONS is not set)',
      'durations.noticePeriod: whole days, at least 1 day (ALLOW_SHORT_DURATIONS is not set)',
    ]);
  });

  test('no durations, or only the keys left to the template, give no issue', () => {
    expect(durationFloorIssues(undefined, STRICT)).toEqual([]);
    expect(durationFloorIssues({}, STRICT)).toEqual([]);
  });

  test('text that is not a duration is reported whatever the option', () => {
    for (const options of [STRICT, LENIENT]) {
      expect(durationFloorIssues({ term: 'forever' }, options)).toEqual([{ path: ['durations', 'term'], message: 'must be a duration' }]);
    }
  });

  test.each(TEMPLATE_IDS)("the template %s's own durations pass every floor", (id) => {
    expect(durationFloorIssues(TEMPLATES[id].durations, STRICT)).toEqual([]);
  });

  test('the start request of examples/start-partnership.json passes', () => {
    const example = StartPartnership.parse(require('../../examples/start-partnership.json'));
    expect(example.durations).toBeDefined();
    expect(durationFloorIssues(example.durations, STRICT)).toEqual([]);
  });
});

describe('allowShortDurations', () => {
  const everyKeyShort = Object.fromEntries(DURATION_KEYS.map((key) => [key, '1 ms'])) as Record<DurationKey, string>;

  test('false: every key at "1 ms" is refused', () => {
    expect(durationFloorIssues(everyKeyShort, STRICT).map((i) => i.path[1])).toEqual([...DURATION_KEYS]);
  });

  test('true: every key at "1 ms", "30 seconds" or "36 hours" is accepted', () => {
    expect(durationFloorIssues(everyKeyShort, LENIENT)).toEqual([]);
    expect(durationFloorIssues({ noticePeriod: '30 seconds', consultationWindow: '36 hours', resolutionReminderEvery: '2 s' }, LENIENT)).toEqual([]);
  });
});

describe('meetsFloor at the boundaries', () => {
  const at = (text: string, floor: DurationFloor) => meetsFloor(parseDuration(text)!, floor);
  test('one hour exactly passes, a millisecond less does not', () => {
    expect(at('3600000 ms', 'hour')).toBe(true);
    expect(at('3599999 ms', 'hour')).toBe(false);
  });
  test('one day exactly passes; a day and a millisecond is not whole', () => {
    expect(at('86400000 ms', 'whole-days')).toBe(true);
    expect(at('86400001 ms', 'whole-days')).toBe(false);
    expect(at('86399999 ms', 'whole-days')).toBe(false);
  });
});

describe('ALLOW_SHORT_DURATIONS (config/env.ts)', () => {
  test('unset, "false" or empty: the floors apply; "true": lifted', () => {
    expect(loadEnv({}).ALLOW_SHORT_DURATIONS).toBeUndefined();
    expect(loadEnv({ ALLOW_SHORT_DURATIONS: 'false' }).ALLOW_SHORT_DURATIONS).toBe('false');
    expect(loadEnv({ ALLOW_SHORT_DURATIONS: '' }).ALLOW_SHORT_DURATIONS).toBe('');
    expect(loadEnv({ ALLOW_SHORT_DURATIONS: 'true' }).ALLOW_SHORT_DURATIONS).toBe('true');
  });

  test.each(['1', 'yes', 'TRUE', 'on'])('%j stops the start instead of being ignored', (value) => {
    expect(() => loadEnv({ ALLOW_SHORT_DURATIONS: value })).toThrow('invalid environment: ALLOW_SHORT_DURATIONS: must be "true", "false" or empty');
  });
});

describe('commands that carry a length already have their floors', () => {
  test('renew: termMonths is a whole number of months, at least 1', () => {
    const renew = (termMonths: number) => Renew.safeParse({ requestId: 'renew-0001', termMonths, decidedOn: '2026-02-01' }).success;
    expect(renew(1)).toBe(true);
    expect(renew(0)).toBe(false);
    expect(renew(0.5)).toBe(false);
  });

  test('giveNotice: noticeDays is a whole number of days, at least 1', () => {
    const notice = (noticeDays: number) => GiveNotice.safeParse({ requestId: 'notice-0001', partyId: 'maple', reason: 'Merger', noticeDays }).success;
    expect(notice(1)).toBe(true);
    expect(notice(0)).toBe(false);
    expect(notice(0.5)).toBe(false);
  });

  test('amendTerm: the new end must be after today', () => {
    const now = Date.parse('2026-04-07T09:00:00Z');
    const state = initialState('water', startRequest(), now - 400 * DAY);
    enterStage(state, 'in-force', now - 100 * DAY);
    state.term = { effectiveAt: now - 100 * DAY, effectiveOn: '2025-12-28', endsAt: now + 600 * DAY, number: 1 };
    const amend = (newEndsOn: string) =>
      commandRefusal(state, 'amendTerm', { requestId: `amend-${newEndsOn}`, newEndsOn, reason: 'Fiscal year' }, { role: 'coordinator' }, now);
    expect(amend('2026-04-08')).toBeUndefined();
    expect(amend('2026-04-07')).toEqual({ code: 'invalid', message: 'the new end 2026-04-07 is not in the future' });
    expect(amend('2026-04-06')?.code).toBe('invalid');
  });
});
