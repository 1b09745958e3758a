/**
 * domain/event-dates.ts: the dates of things already done are not in the future.
 *
 * | now (UTC)              | date                     | issue?                                               |
 * |------------------------|--------------------------|------------------------------------------------------|
 * | 2026-11-29 12:00       | 2026-11-29, 2026-11-30   | none: today, and tomorrow east of UTC+12 (UTC+14)     |
 * | 2026-11-29 12:00       | 2026-12-01, 2099-01-01   | one, at the field, naming today                      |
 * | 2026-11-29 08:00       | 2026-11-30               | one: it is not yet the 30th anywhere                 |
 * | a command without one  | anything                 | none (amendTerm's new end is in the future by design)|
 * | the schemas            | PastDate fields          | exactly the six dates of things already done         |
 */
import { futureEventDates, PAST_EVENT_DATES } from '../../domain/event-dates';
import { COMMAND_NAMES } from '../../domain';

const noon = Date.parse('2026-11-29T12:00:00Z');

test('today and tomorrow where it already is tomorrow are accepted; later dates are refused at their field', () => {
  expect(futureEventDates('recordIntakeDecision', { interviewedOn: '2026-11-29' }, noon)).toEqual([]);
  expect(futureEventDates('recordIntakeDecision', { interviewedOn: '2026-11-30' }, noon)).toEqual([]);
  expect(futureEventDates('recordResolution', { adoptedOn: '2026-12-01' }, noon)).toEqual([
    { path: ['adoptedOn'], message: '2026-12-01 is in the future: this date records something already done (today is 2026-11-29)' },
  ]);
  expect(futureEventDates('sign', { signedOn: '2099-01-01' }, noon)).toHaveLength(1);
  expect(futureEventDates('recordIntakeDecision', { interviewedOn: '2026-11-30' }, Date.parse('2026-11-29T08:00:00Z'))).toHaveLength(1);
});

test('the fields checked are the ones the command schemas mark as PastDate (x-entente-past in the OpenAPI)', () => {
  expect(PAST_EVENT_DATES).toEqual({
    recordIntakeDecision: ['interviewedOn'],
    recordResolution: ['adoptedOn'],
    recordMilestone: ['completedOn'],
    sign: ['signedOn'],
    recordReview: ['heldOn'],
    renew: ['decidedOn'],
  });
});

test('only the dates of past events: an optional one absent, or a command with none, gives nothing', () => {
  expect(futureEventDates('recordMilestone', { milestone: 'groundwork' }, noon)).toEqual([]);
  expect(futureEventDates('amendTerm', { newEndsOn: '2099-01-01' }, noon)).toEqual([]);
  for (const [name, fields] of Object.entries(PAST_EVENT_DATES)) {
    expect(COMMAND_NAMES).toContain(name);
    for (const field of fields!) expect(futureEventDates(name as never, { [field]: '2100-01-01' }, noon)).toHaveLength(1);
  }
});
