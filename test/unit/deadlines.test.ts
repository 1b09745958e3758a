/**
 * domain/obligations.ts and domain/deadlines.ts, on a state built with initialState + enterStage.
 *
 * | case                                               | expects                                          |
 * |----------------------------------------------------|--------------------------------------------------|
 * | intake                                             | no obligations, no deadlines                     |
 * | commitment, nobody resolved                        | one participation obligation per party           |
 * | one party resolved (adopted or rejected)           | only the other party still owes                  |
 * | withdrawn party                                    | owes nothing                                     |
 * | deadlines                                          | stageSince + 14 days, sorted, nextDeadline first |
 * | template override of resolutionReminderEvery       | used for the deadline                            |
 * | after a reminder                                   | next deadline = lastAt + 14 days                 |
 * | countReminder                                      | escalate exactly once, on the 3rd reminder       |
 * | reminder tracks are per party                      | one party's count does not move the other's      |
 * | commitmentOutcome                                  | pending / adopted / rejected                     |
 * | invalid duration in state                          | duration() throws naming the key                 |
 */
import { countReminder, deadlines, duration, nextDeadline } from '../../domain/deadlines';
import { commitmentOutcome, latestResolution, obligations, obligationsOf } from '../../domain/obligations';
import { enterStage, initialState, type PartnershipState, type ResolutionRecord } from '../../domain/state';
import { startRequest } from '../helpers/fixtures';
import { DAY } from '../../domain/time';

const T0 = Date.parse('2025-01-06T09:00:00Z');
const T1 = T0 + 3 * DAY; // intake accepted

function inCommitment(overrides: Parameters<typeof startRequest>[0] = {}): PartnershipState {
  const state = initialState('water', startRequest(overrides), T0);
  enterStage(state, 'commitment', T1);
  return state;
}

function resolution(partyId: string, outcome: 'adopted' | 'rejected', n = 1): ResolutionRecord {
  return {
    partyId,
    subject: 'participation',
    outcome,
    resolutionNumber: `2025-${partyId}-${n}`,
    adoptedOn: '2025-01-20',
    recordedAt: T1 + DAY,
    requestId: `req-${partyId}-${n}`,
  };
}

describe('initialState and enterStage', () => {
  test('starts in intake with the template durations and the party ids', () => {
    const state = initialState('water', startRequest(), T0);
    expect(state.stage).toBe('intake');
    expect(state.stageSince).toBe(T0);
    expect(state.durations.resolutionReminderEvery).toBe('14 days');
    expect(state.parties.map((p) => [p.id, p.status])).toEqual([
      ['riverside', 'active'],
      ['maple', 'active'],
    ]);
  });

  test('enterStage records the stage, its start and a timeline entry', () => {
    const state = inCommitment();
    expect(state.stage).toBe('commitment');
    expect(state.stageSince).toBe(T1);
    expect(state.timeline.at(-1)).toEqual({ at: T1, event: 'stage:commitment' });
  });
});

describe('obligations', () => {
  test('none during intake', () => {
    const state = initialState('water', startRequest(), T0);
    expect(obligations(state)).toEqual([]);
    expect(deadlines(state)).toEqual([]);
    expect(nextDeadline(state)).toBeUndefined();
  });

  test('every party owes a participation resolution when commitment begins', () => {
    expect(obligations(inCommitment())).toEqual([
      { key: 'participation-resolution:riverside', kind: 'participation-resolution', partyId: 'riverside', since: T1 },
      { key: 'participation-resolution:maple', kind: 'participation-resolution', partyId: 'maple', since: T1 },
    ]);
  });

  test.each(['adopted', 'rejected'] as const)('a party with a participation resolution (%s) owes nothing more', (outcome) => {
    const state = inCommitment();
    state.resolutions.push(resolution('riverside', outcome));
    expect(obligations(state).map((o) => o.partyId)).toEqual(['maple']);
    expect(obligationsOf(state, 'riverside')).toEqual([]);
    expect(obligationsOf(state, 'maple')).toHaveLength(1);
  });

  test('an approval resolution does not settle participation', () => {
    const state = inCommitment();
    state.resolutions.push({ ...resolution('riverside', 'adopted'), subject: 'approval', draftVersion: 1 });
    expect(obligations(state).map((o) => o.partyId)).toEqual(['riverside', 'maple']);
  });

  test('a withdrawn party owes nothing', () => {
    const state = inCommitment();
    state.parties[1]!.status = 'withdrawn';
    expect(obligations(state).map((o) => o.partyId)).toEqual(['riverside']);
  });

  test('no party owes a resolution once the process left commitment; the coordinator owes milestones', () => {
    const state = inCommitment();
    enterStage(state, 'groundwork', T1 + 30 * DAY);
    expect(obligations(state).filter((o) => o.partyId !== undefined)).toEqual([]);
    expect(obligations(state).map((o) => o.detail)).toEqual(['launch-workshop', 'communication-protocol', 'feasibility-study', 'public-engagement-strategy']);
    // No check-ins before the launch workshop, and no reminders in groundwork.
    expect(deadlines(state)).toEqual([]);
  });

  test('latestResolution returns the last one recorded for that party and subject', () => {
    const state = inCommitment();
    state.resolutions.push(resolution('maple', 'rejected', 1), resolution('riverside', 'adopted', 1), resolution('maple', 'adopted', 2));
    expect(latestResolution(state, 'maple', 'participation')?.resolutionNumber).toBe('2025-maple-2');
    expect(latestResolution(state, 'maple', 'approval')).toBeUndefined();
    expect(latestResolution(state, 'nobody', 'participation')).toBeUndefined();
  });
});

describe('deadlines', () => {
  test('the first reminder is due 14 days after commitment began, for each party', () => {
    const state = inCommitment();
    const due = deadlines(state);
    expect(due).toHaveLength(2);
    for (const d of due) {
      expect(d.kind).toBe('resolution-reminder');
      expect(d.at).toBe(T1 + 14 * DAY);
    }
    // Equal times are ordered by key, so the order does not depend on party order.
    expect(due.map((d) => d.key)).toEqual(['participation-resolution:maple', 'participation-resolution:riverside']);
    expect(nextDeadline(state)).toEqual(due[0]);
  });

  test('a party that resolved has no deadline', () => {
    const state = inCommitment();
    state.resolutions.push(resolution('maple', 'adopted'));
    expect(deadlines(state).map((d) => d.partyId)).toEqual(['riverside']);
  });

  test('the template interval can be overridden by the start request', () => {
    const state = inCommitment({ durations: { resolutionReminderEvery: '7 days' } });
    expect(deadlines(state).map((d) => d.at)).toEqual([T1 + 7 * DAY, T1 + 7 * DAY]);
  });

  test('after a reminder the next one is due 14 days after it, and deadlines stay sorted', () => {
    const state = inCommitment();
    const first = nextDeadline(state)!;
    expect(first.partyId).toBe('maple');
    countReminder(state, first, first.at);
    const due = deadlines(state);
    expect(due.map((d) => [d.partyId, d.at])).toEqual([
      ['riverside', T1 + 14 * DAY],
      ['maple', T1 + 28 * DAY],
    ]);
  });

  test('a reminder sent late moves the next deadline from when it was sent', () => {
    const state = inCommitment();
    const first = nextDeadline(state)!;
    const late = first.at + 2 * DAY;
    countReminder(state, first, late);
    expect(deadlines(state).find((d) => d.partyId === 'maple')!.at).toBe(late + 14 * DAY);
  });

  test('duration() throws on an invalid setting, naming the key', () => {
    const state = inCommitment();
    state.durations.resolutionReminderEvery = 'whenever';
    expect(() => duration(state, 'resolutionReminderEvery')).toThrow(/resolutionReminderEvery.*whenever/);
    expect(() => deadlines(state)).toThrow();
  });
});

describe('countReminder', () => {
  test('escalates exactly once, at the 3rd reminder', () => {
    const state = inCommitment();
    const d = deadlines(state).find((x) => x.partyId === 'riverside')!;
    const results = [1, 2, 3, 4, 5, 6].map((n) => countReminder(state, d, T1 + 14 * n * DAY));
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.map((r) => r.escalate)).toEqual([false, false, true, false, false, false]);
    expect(state.reminders[d.key]).toEqual({ count: 6, lastAt: T1 + 14 * 6 * DAY, escalated: true });
  });

  test('counts are kept per obligation', () => {
    const state = inCommitment();
    const [a, b] = deadlines(state) as [ReturnType<typeof deadlines>[number], ReturnType<typeof deadlines>[number]];
    countReminder(state, a, T1 + 14 * DAY);
    countReminder(state, a, T1 + 28 * DAY);
    expect(countReminder(state, a, T1 + 42 * DAY)).toEqual({ count: 3, escalate: true });
    expect(countReminder(state, b, T1 + 42 * DAY)).toEqual({ count: 1, escalate: false });
    expect(state.reminders[b.key]!.escalated).toBe(false);
  });
});

describe('commitmentOutcome', () => {
  test('pending until every active party decided', () => {
    const state = inCommitment();
    expect(commitmentOutcome(state)).toBe('pending');
    state.resolutions.push(resolution('riverside', 'adopted'));
    expect(commitmentOutcome(state)).toBe('pending');
    state.resolutions.push(resolution('maple', 'adopted'));
    expect(commitmentOutcome(state)).toBe('adopted');
  });

  test('rejected as soon as one party rejected', () => {
    const state = inCommitment();
    state.resolutions.push(resolution('maple', 'rejected'));
    expect(commitmentOutcome(state)).toBe('rejected');
  });

  test('a withdrawn party that rejected no longer counts', () => {
    const state = inCommitment();
    state.resolutions.push(resolution('maple', 'rejected'), resolution('riverside', 'adopted'));
    state.parties[1]!.status = 'withdrawn';
    expect(commitmentOutcome(state)).toBe('adopted');
  });
});
