/**
 * domain/obligations.ts and domain/deadlines.ts, stage by stage, on states built with initialState +
 * enterStage and the fields the workflow sets (drafts, consultations, rounds, term, notice).
 *
 * | stage        | obligations                                      | deadlines                                            |
 * |--------------|--------------------------------------------------|------------------------------------------------------|
 * | commitment   | a participation resolution per party             | reminder 14 days from the stage start, then 14 days  |
 * |              |                                                  | from the last reminder                               |
 * | groundwork   | the template's required milestones               | monthly check-in from the launch workshop            |
 * | drafting     | draft version 1                                  | check-ins                                            |
 * | consultation | feedback from parties silent on this version     | closing reminder 7 days before closesAt (once), close|
 * | revision     | review workshop (cipp only), version revisionOf+1| check-ins                                            |
 * | approval     | an approval resolution per party, on the round   | reminders from the round's start                     |
 * | signing      | a signature per party, on the round              | reminders every 7 days                               |
 * | in-force     | none                                             | review every 6 months (4 in 24 months, the last at   |
 * |              |                                                  | endsAt, before the expiry), renewal meeting 6 months |
 * |              |                                                  | before endsAt once per term, expiry                  |
 * | notice       | none                                             | notice-ending 14 days before, notice-end, expiry     |
 * | any          | a withdrawing party                              | its withdrawal                                       |
 * | overrides    | start request durations                          | change the deadlines                                 |
 */
import { countReminder, deadlines, duration, nextDeadline, type Deadline, type DeadlineKind } from '../../domain/deadlines';
import { addDuration } from '../../domain/durations';
import { sha256Hex } from '../../domain/fingerprint';
import { allResponded, allSigned, approvalOutcome, commitmentOutcome, missingMilestones, obligations, revisionComplete } from '../../domain/obligations';
import type { StartPartnership } from '../../domain/schemas/partnership';
import type { Stage } from '../../domain/stages';
import { enterStage, initialState, type DraftRecord, type PartnershipState, type ResolutionRecord } from '../../domain/state';
import type { TemplateId } from '../../domain/templates';
import { startRequest } from '../helpers/fixtures';
import { contentRef } from '../../domain/content';
import { DAY } from '../../domain/time';

const HOUR = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);
const T0 = utc('2025-01-06T09:00:00Z');
const T1 = utc('2025-01-10T14:00:00Z'); // the stage under test begins
const months = (n: number) => ({ months: n, ms: 0 });

function stateIn(stage: Stage, overrides: Partial<StartPartnership> = {}): PartnershipState {
  const state = initialState('water', startRequest(overrides), T0);
  if (stage !== 'intake') enterStage(state, stage, T1);
  return state;
}

function draft(version: number): DraftRecord {
  const text = `Agreement, version ${version}`;
  return { version, title: `Version ${version}`, sha256: sha256Hex(text), text: contentRef(text), submittedAt: T1 };
}

function resolution(partyId: string, subject: 'participation' | 'approval', outcome: 'adopted' | 'rejected', draftVersion?: number): ResolutionRecord {
  return {
    partyId,
    subject,
    outcome,
    resolutionNumber: `R-${partyId}-${subject}-${draftVersion ?? 0}`,
    adoptedOn: '2025-02-01',
    ...(draftVersion !== undefined ? { draftVersion, draftHash: draft(draftVersion).sha256 } : {}),
    recordedAt: T1 + DAY,
    requestId: `req-${partyId}-${subject}-${draftVersion ?? 0}`,
  };
}

function signature(partyId: string, draftVersion: number) {
  return {
    partyId,
    signatoryName: 'S',
    signatoryTitle: 'Mayor',
    signedOn: '2025-05-01',
    draftVersion,
    draftHash: draft(draftVersion).sha256,
    recordedAt: T1 + DAY,
  };
}

const ROUND_SINCE = utc('2025-04-02T10:30:00Z');

function inApproval(version: number, overrides: Partial<StartPartnership> = {}): PartnershipState {
  const state = stateIn('approval', overrides);
  for (let v = 1; v <= version; v++) state.drafts.push(draft(v));
  state.approvalRound = { draftVersion: version, since: ROUND_SINCE };
  return state;
}

function inSigning(version: number): PartnershipState {
  const state = inApproval(version);
  state.signingRound = { draftVersion: version, since: ROUND_SINCE + 20 * DAY };
  enterStage(state, 'signing', ROUND_SINCE + 20 * DAY);
  return state;
}

const OPENS = utc('2025-03-03T08:00:00Z');

function inConsultation(version = 1, window = 30 * DAY, overrides: Partial<StartPartnership> = {}): PartnershipState {
  const state = stateIn('consultation', overrides);
  for (let v = 1; v <= version; v++) state.drafts.push(draft(v));
  state.consultations.push({ draftVersion: version, opensAt: OPENS, closesAt: OPENS + window });
  return state;
}

const EFFECTIVE = utc('2025-09-15T16:00:00Z');

/** In force since EFFECTIVE, for the term the template (or the start request) gives. */
function inForce(overrides: Partial<StartPartnership> = {}): PartnershipState {
  const state = stateIn('signing', overrides);
  enterStage(state, 'in-force', EFFECTIVE);
  state.term = { effectiveAt: EFFECTIVE, effectiveOn: '2025-09-15', endsAt: addDuration(EFFECTIVE, duration(state, 'term')), number: 1 };
  return state;
}

const kinds = (state: PartnershipState): DeadlineKind[] => deadlines(state).map((d) => d.kind);
const byKind = (state: PartnershipState, kind: DeadlineKind): Deadline[] => deadlines(state).filter((d) => d.kind === kind);

/** Fires every deadline on time, as the workflow does for reminders, until one of `until` comes up. */
function runUntil(state: PartnershipState, until: DeadlineKind[], limit = 100): Deadline[] {
  const fired: Deadline[] = [];
  for (let i = 0; i < limit; i++) {
    const next = nextDeadline(state);
    if (!next) break;
    fired.push(next);
    if (until.includes(next.kind)) break;
    countReminder(state, next, next.at);
  }
  return fired;
}

describe('commitment', () => {
  test('every active party owes a participation resolution; a withdrawing party still owes', () => {
    const state = stateIn('commitment');
    state.parties[0]!.status = 'withdrawing';
    expect(obligations(state).map((o) => [o.key, o.since])).toEqual([
      ['participation-resolution:riverside', T1],
      ['participation-resolution:maple', T1],
    ]);
  });

  test('reminders every 14 days from the stage start, then from the last reminder', () => {
    const state = stateIn('commitment');
    state.resolutions.push(resolution('maple', 'participation', 'adopted'));
    const fired = runUntil(state, [], 4);
    expect(fired.map((d) => [d.kind, d.partyId, d.at])).toEqual([
      ['resolution-reminder', 'riverside', T1 + 14 * DAY],
      ['resolution-reminder', 'riverside', T1 + 28 * DAY],
      ['resolution-reminder', 'riverside', T1 + 42 * DAY],
      ['resolution-reminder', 'riverside', T1 + 56 * DAY],
    ]);
    expect(state.reminders['participation-resolution:riverside']).toEqual({ count: 4, lastAt: T1 + 56 * DAY, escalated: true });
  });

  test('a reminder fired a few hours late stays on the schedule; one fired a day late or more moves it', () => {
    const onTime = stateIn('commitment');
    const first = nextDeadline(onTime)!;
    countReminder(onTime, first, first.at + DAY - 1);
    expect(deadlines(onTime).find((d) => d.key === first.key)!.at).toBe(first.at + 14 * DAY);

    const late = stateIn('commitment');
    countReminder(late, first, first.at + DAY);
    expect(deadlines(late).find((d) => d.key === first.key)!.at).toBe(first.at + 15 * DAY);
  });

  test('the rejection grace period is a deadline of its own', () => {
    const state = stateIn('commitment');
    state.resolutions.push(resolution('maple', 'participation', 'rejected'), resolution('riverside', 'participation', 'adopted'));
    state.rejectionGraceEndsAt = T1 + 20 * DAY;
    expect(commitmentOutcome(state)).toBe('rejected');
    expect(deadlines(state).map((d) => [d.kind, d.at])).toEqual([['rejection-grace-end', T1 + 20 * DAY]]);
  });
});

describe('groundwork', () => {
  test.each<[TemplateId, string[]]>([
    ['cipp-shared-services', ['launch-workshop', 'communication-protocol', 'feasibility-study', 'public-engagement-strategy']],
    ['oden-mou', ['launch-workshop']],
    ['oden-partnership-agreement', ['launch-workshop', 'communication-protocol', 'funding-proposal']],
  ])('%s requires %j', (template, required) => {
    const state = stateIn('groundwork', { template });
    expect(missingMilestones(state)).toEqual(required);
    expect(obligations(state)).toEqual(required.map((m) => ({ key: `milestone:${m}`, kind: 'milestone', detail: m, since: T1 })));
  });

  test('recorded milestones are no longer owed; an optional one changes nothing', () => {
    const state = stateIn('groundwork');
    state.milestones.push({ milestone: 'feasibility-study', completedOn: '2025-02-01', recordedAt: T1 + DAY });
    state.milestones.push({ milestone: 'funding-proposal', skipped: true, reason: 'not needed', recordedAt: T1 + DAY });
    expect(missingMilestones(state)).toEqual(['launch-workshop', 'communication-protocol', 'public-engagement-strategy']);
  });

  test('no deadline before the launch workshop; monthly check-ins from it', () => {
    const state = stateIn('groundwork');
    expect(deadlines(state)).toEqual([]);
    const launch = utc('2025-01-20T15:00:00Z');
    state.milestones.push({ milestone: 'launch-workshop', completedOn: '2025-01-20', recordedAt: launch });
    expect(deadlines(state)).toEqual([{ key: 'check-in', kind: 'check-in', at: utc('2025-02-20T15:00:00Z') }]);
    expect(runUntil(state, [], 3).map((d) => d.at)).toEqual([utc('2025-02-20T15:00:00Z'), utc('2025-03-20T15:00:00Z'), utc('2025-04-20T15:00:00Z')]);
  });

  test('check-ins continue through every stage up to signing, and stop once in force', () => {
    const launch = utc('2025-01-20T15:00:00Z');
    const withLaunch = (state: PartnershipState) => {
      state.milestones.push({ milestone: 'launch-workshop', completedOn: '2025-01-20', recordedAt: launch });
      return state;
    };
    const inStages: Array<[Stage, PartnershipState]> = [
      ['drafting', withLaunch(stateIn('drafting'))],
      ['consultation', withLaunch(inConsultation())],
      ['revision', withLaunch(stateIn('revision'))],
      ['approval', withLaunch(inApproval(2))],
      ['signing', withLaunch(inSigning(2))],
    ];
    for (const [stage, state] of inStages) {
      expect([stage, byKind(state, 'check-in').map((d) => d.at)]).toEqual([stage, [utc('2025-02-20T15:00:00Z')]]);
    }
    for (const state of [withLaunch(inForce()), withLaunch(stateIn('abandoned'))]) {
      expect(byKind(state, 'check-in')).toEqual([]);
    }
  });

  test('the check-in interval follows the start request', () => {
    const state = stateIn('groundwork', { durations: { checkInEvery: '2 weeks' } });
    state.milestones.push({ milestone: 'launch-workshop', completedOn: '2025-01-20', recordedAt: T1 });
    expect(nextDeadline(state)!.at).toBe(T1 + 14 * DAY);
  });
});

describe('drafting', () => {
  test('the coordinator owes version 1', () => {
    expect(obligations(stateIn('drafting'))).toEqual([{ key: 'draft:1', kind: 'draft', detail: 'version 1', since: T1 }]);
  });
});

describe('consultation', () => {
  test('every party owes feedback on the version under consultation, since the window opened', () => {
    const state = inConsultation(1);
    expect(obligations(state).map((o) => [o.key, o.partyId, o.since])).toEqual([
      ['feedback:v1:riverside', 'riverside', OPENS],
      ['feedback:v1:maple', 'maple', OPENS],
    ]);
  });

  test('a party that responded on this version owes nothing; feedback on an older version or from the community does not count', () => {
    const state = inConsultation(2);
    state.feedback.push(
      { draftVersion: 1, partyId: 'maple', author: 'L', comments: contentRef('old'), receivedAt: T1 },
      { draftVersion: 2, community: 'Residents', author: 'J', comments: contentRef('c'), receivedAt: T1 },
      { draftVersion: 2, partyId: 'riverside', author: 'R', comments: contentRef('ok'), receivedAt: T1 },
    );
    expect(obligations(state).map((o) => o.key)).toEqual(['feedback:v2:maple']);
    expect(allResponded(state)).toBe(false);
    state.feedback.push({ draftVersion: 2, partyId: 'maple', author: 'L', comments: contentRef('ok'), receivedAt: T1 });
    expect(obligations(state)).toEqual([]);
    expect(allResponded(state)).toBe(true);
  });

  test('closing reminder 7 days before the window closes, then the close at closesAt', () => {
    const state = inConsultation(1);
    expect(deadlines(state)).toEqual([
      { key: 'consultation-closing:v1', kind: 'consultation-closing', at: OPENS + 23 * DAY },
      { key: 'consultation-close:v1', kind: 'consultation-close', at: OPENS + 30 * DAY },
    ]);
  });

  test('the closing reminder goes out once', () => {
    const state = inConsultation(1);
    countReminder(state, nextDeadline(state)!, OPENS + 23 * DAY);
    expect(deadlines(state)).toEqual([{ key: 'consultation-close:v1', kind: 'consultation-close', at: OPENS + 30 * DAY }]);
  });

  test('a new version gets its own closing reminder', () => {
    const state = inConsultation(1);
    countReminder(state, nextDeadline(state)!, OPENS + 23 * DAY);
    state.drafts.push(draft(2));
    state.consultations.push({ draftVersion: 2, opensAt: OPENS + 60 * DAY, closesAt: OPENS + 90 * DAY });
    expect(kinds(state)).toEqual(['consultation-closing', 'consultation-close']);
    expect(nextDeadline(state)!.key).toBe('consultation-closing:v2');
  });

  test('no closing reminder when the window is not longer than the reminder lead', () => {
    const state = inConsultation(1, 7 * DAY);
    expect(kinds(state)).toEqual(['consultation-close']);
  });

  test('the reminder lead follows the start request', () => {
    const state = inConsultation(1, 30 * DAY, { durations: { consultationClosingReminderBefore: '3 days' } });
    expect(byKind(state, 'consultation-closing').map((d) => d.at)).toEqual([OPENS + 27 * DAY]);
  });
});

describe('revision', () => {
  test('cipp-shared-services: the review workshop and the version after the one reviewed', () => {
    const state = stateIn('revision');
    state.drafts.push(draft(1));
    state.revisionOf = 1;
    expect(obligations(state)).toEqual([
      { key: 'milestone:review-workshop', kind: 'milestone', detail: 'review-workshop', since: T1 },
      { key: 'draft:2', kind: 'draft', detail: 'version 2', since: T1 },
    ]);
    expect(revisionComplete(state)).toBe(false);
  });

  test.each<[TemplateId]>([['oden-mou'], ['oden-partnership-agreement']])('%s: only the next version', (template) => {
    const state = stateIn('revision', { template });
    state.drafts.push(draft(1));
    state.revisionOf = 1;
    expect(obligations(state).map((o) => o.key)).toEqual(['draft:2']);
  });

  test('done once the workshop is held and a later version is in', () => {
    const state = stateIn('revision');
    state.drafts.push(draft(1));
    state.revisionOf = 1;
    state.milestones.push({ milestone: 'review-workshop', completedOn: '2025-04-01', recordedAt: T1 + DAY });
    expect(obligations(state).map((o) => o.key)).toEqual(['draft:2']);
    state.drafts.push(draft(2));
    expect(obligations(state)).toEqual([]);
    expect(revisionComplete(state)).toBe(true);
  });

  test('after a rejected approval of version 2, version 3 is owed (the base is revisionOf)', () => {
    const state = stateIn('revision', { template: 'oden-mou' });
    state.drafts.push(draft(1), draft(2));
    state.revisionOf = 2;
    expect(obligations(state).map((o) => o.detail)).toEqual(['version 3']);
    state.drafts.push(draft(3));
    expect(revisionComplete(state)).toBe(true);
  });

  test('a version submitted during approval, before the rejection, already counts', () => {
    const state = stateIn('revision', { template: 'oden-mou' });
    state.drafts.push(draft(1), draft(2), draft(3));
    state.revisionOf = 2;
    expect(obligations(state)).toEqual([]);
  });

  test('revision has no timers of its own (no reminders for the coordinator)', () => {
    const state = stateIn('revision');
    state.drafts.push(draft(1));
    state.revisionOf = 1;
    expect(deadlines(state)).toEqual([]);
  });
});

describe('approval', () => {
  test('every party owes an approval of the round version, since the round began', () => {
    const state = inApproval(2);
    expect(obligations(state)).toEqual([
      { key: 'approval-resolution:v2:riverside', kind: 'approval-resolution', partyId: 'riverside', detail: 'version 2', since: ROUND_SINCE },
      { key: 'approval-resolution:v2:maple', kind: 'approval-resolution', partyId: 'maple', detail: 'version 2', since: ROUND_SINCE },
    ]);
  });

  test('a resolution on an earlier version does not count; one on the round version does, adopted or rejected', () => {
    const state = inApproval(2);
    state.resolutions.push(resolution('riverside', 'approval', 'adopted', 1), resolution('maple', 'participation', 'adopted'));
    expect(obligations(state).map((o) => o.partyId)).toEqual(['riverside', 'maple']);
    expect(approvalOutcome(state)).toBe('pending');
    state.resolutions.push(resolution('riverside', 'approval', 'adopted', 2));
    expect(obligations(state).map((o) => o.partyId)).toEqual(['maple']);
    expect(approvalOutcome(state)).toBe('pending');
    state.resolutions.push(resolution('maple', 'approval', 'rejected', 2));
    expect(obligations(state)).toEqual([]);
    expect(approvalOutcome(state)).toBe('rejected');
  });

  test('adopted by all once every party adopted the round version', () => {
    const state = inApproval(2);
    state.resolutions.push(resolution('riverside', 'approval', 'adopted', 2), resolution('maple', 'approval', 'adopted', 2));
    expect(approvalOutcome(state)).toBe('adopted');
  });

  test('reminders every 14 days from the start of the round (not of the stage), under a key naming the version', () => {
    const state = inApproval(2);
    expect(deadlines(state).map((d) => [d.key, d.at])).toEqual([
      ['approval-resolution:v2:maple', ROUND_SINCE + 14 * DAY],
      ['approval-resolution:v2:riverside', ROUND_SINCE + 14 * DAY],
    ]);
    const fired = runUntil(state, [], 4);
    expect(fired.map((d) => d.at)).toEqual([ROUND_SINCE + 14 * DAY, ROUND_SINCE + 14 * DAY, ROUND_SINCE + 28 * DAY, ROUND_SINCE + 28 * DAY]);
  });

  test('a new round starts its count afresh', () => {
    const state = inApproval(2);
    runUntil(state, [], 4);
    state.drafts.push(draft(3));
    state.approvalRound = { draftVersion: 3, since: ROUND_SINCE + 60 * DAY };
    expect(deadlines(state).map((d) => [d.key, d.at])).toEqual([
      ['approval-resolution:v3:maple', ROUND_SINCE + 74 * DAY],
      ['approval-resolution:v3:riverside', ROUND_SINCE + 74 * DAY],
    ]);
  });
});

describe('signing', () => {
  test('every party owes a signature of the round version', () => {
    const state = inSigning(2);
    state.signatures.push(signature('riverside', 1));
    expect(obligations(state).map((o) => [o.key, o.kind, o.since])).toEqual([
      ['signature:v2:riverside', 'signature', ROUND_SINCE + 20 * DAY],
      ['signature:v2:maple', 'signature', ROUND_SINCE + 20 * DAY],
    ]);
    state.signatures.push(signature('riverside', 2));
    expect(obligations(state).map((o) => o.partyId)).toEqual(['maple']);
    expect(allSigned(state)).toBe(false);
    state.signatures.push(signature('maple', 2));
    expect(allSigned(state)).toBe(true);
  });

  test('signature reminders every 7 days', () => {
    const state = inSigning(2);
    state.signatures.push(signature('riverside', 2));
    const since = ROUND_SINCE + 20 * DAY;
    expect(runUntil(state, [], 3).map((d) => [d.kind, d.partyId, d.at])).toEqual([
      ['signature-reminder', 'maple', since + 7 * DAY],
      ['signature-reminder', 'maple', since + 14 * DAY],
      ['signature-reminder', 'maple', since + 21 * DAY],
    ]);
  });

  test('the signature interval follows the start request', () => {
    const state = stateIn('signing', { durations: { signatureReminderEvery: '3 days' } });
    state.drafts.push(draft(1));
    state.signingRound = { draftVersion: 1, since: T1 };
    expect(byKind(state, 'signature-reminder').map((d) => d.at)).toEqual([T1 + 3 * DAY, T1 + 3 * DAY]);
  });
});

describe('in force', () => {
  test('nobody owes anything', () => {
    expect(obligations(inForce())).toEqual([]);
  });

  test('a 24-month term: reviews every 6 months, the last on the last day before the expiry, one renewal meeting 6 months before', () => {
    const state = inForce();
    const endsAt = state.term!.endsAt;
    expect(endsAt).toBe(utc('2027-09-15T16:00:00Z'));
    const fired = runUntil(state, ['expiry']);
    expect(fired.map((d) => [d.kind, new Date(d.at).toISOString()])).toEqual([
      ['review-due', '2026-03-15T16:00:00.000Z'],
      ['review-due', '2026-09-15T16:00:00.000Z'],
      ['renewal-meeting', '2027-03-15T16:00:00.000Z'],
      ['review-due', '2027-03-15T16:00:00.000Z'],
      ['review-due', '2027-09-15T16:00:00.000Z'],
      ['expiry', '2027-09-15T16:00:00.000Z'],
    ]);
    expect(fired.filter((d) => d.kind === 'review-due')).toHaveLength(4);
  });

  test('at the same instant the review sorts before the expiry', () => {
    const state = inForce();
    const endsAt = state.term!.endsAt;
    state.reminders['review'] = { count: 3, lastAt: addDuration(endsAt, months(-6)), escalated: true };
    state.reminders[`renewal-meeting:1:${endsAt}`] = { count: 1, lastAt: addDuration(endsAt, months(-6)), escalated: false };
    const due = deadlines(state);
    expect(due.map((d) => [d.kind, d.at])).toEqual([
      ['review-due', endsAt],
      ['expiry', endsAt],
    ]);
    expect(nextDeadline(state)!.kind).toBe('review-due');
  });

  test('no review falls after the end of the term', () => {
    const state = inForce();
    state.reminders['review'] = { count: 4, lastAt: state.term!.endsAt, escalated: true };
    expect(kinds(state)).toEqual(['renewal-meeting', 'expiry']);
  });

  test('the renewal meeting goes out once per term', () => {
    const state = inForce();
    const meeting = byKind(state, 'renewal-meeting')[0]!;
    expect(meeting.at).toBe(utc('2027-03-15T16:00:00Z'));
    countReminder(state, meeting, meeting.at);
    expect(byKind(state, 'renewal-meeting')).toEqual([]);
  });

  test('a new end of term moves the renewal meeting and the expiry (what amendTerm relies on), even after the meeting', () => {
    const state = inForce();
    const meeting = byKind(state, 'renewal-meeting')[0]!;
    countReminder(state, meeting, meeting.at);
    state.term!.endsAt = utc('2028-03-31T00:00:00Z');
    expect(byKind(state, 'renewal-meeting').map((d) => d.at)).toEqual([utc('2027-09-30T00:00:00Z')]);
    expect(byKind(state, 'expiry').map((d) => d.at)).toEqual([utc('2028-03-31T00:00:00Z')]);
  });

  test('a renewal gives the new term its own renewal meeting, and reviews go on', () => {
    const state = inForce();
    runUntil(state, ['expiry']);
    state.term!.endsAt = addDuration(state.term!.endsAt, months(24));
    state.term!.number = 2;
    expect(deadlines(state).map((d) => [d.kind, d.key, new Date(d.at).toISOString()])).toEqual([
      ['review-due', 'review', '2028-03-15T16:00:00.000Z'],
      ['renewal-meeting', `renewal-meeting:2:${utc('2029-09-15T16:00:00Z')}`, '2029-03-15T16:00:00.000Z'],
      ['expiry', 'expiry:2', '2029-09-15T16:00:00.000Z'],
    ]);
  });

  test('a 12-month term from the start request: 2 reviews, the meeting at 6 months, the expiry at 12', () => {
    const state = inForce({ durations: { term: '12 months' } });
    expect(state.term!.endsAt).toBe(utc('2026-09-15T16:00:00Z'));
    const fired = runUntil(state, ['expiry']);
    expect(fired.map((d) => [d.kind, new Date(d.at).toISOString()])).toEqual([
      ['renewal-meeting', '2026-03-15T16:00:00.000Z'],
      ['review-due', '2026-03-15T16:00:00.000Z'],
      ['review-due', '2026-09-15T16:00:00.000Z'],
      ['expiry', '2026-09-15T16:00:00.000Z'],
    ]);
  });

  test('a 6-month term has no renewal meeting (it would fall on the first day)', () => {
    const state = inForce({ durations: { term: '6 months' } });
    expect(kinds(state)).toEqual(['review-due', 'expiry']);
  });

  test('review interval and meeting lead follow the start request', () => {
    const state = inForce({ durations: { reviewEvery: '3 months', renewalMeetingBefore: '2 months' } });
    expect(deadlines(state).map((d) => [d.kind, new Date(d.at).toISOString()])).toEqual([
      ['review-due', '2025-12-15T16:00:00.000Z'],
      ['renewal-meeting', '2027-07-15T16:00:00.000Z'],
      ['expiry', '2027-09-15T16:00:00.000Z'],
    ]);
  });

  test('the oden-mou template has a 12-month term, oden-partnership-agreement 36 months', () => {
    expect(inForce({ template: 'oden-mou' }).term!.endsAt).toBe(utc('2026-09-15T16:00:00Z'));
    expect(inForce({ template: 'oden-partnership-agreement' }).term!.endsAt).toBe(utc('2028-09-15T16:00:00Z'));
  });
});

describe('notice', () => {
  const GIVEN = utc('2026-01-05T11:00:00Z');

  function inNotice(noticeDays = 60): PartnershipState {
    const state = inForce();
    state.notice = { partyId: 'maple', reason: 'r', noticeDays, givenAt: GIVEN, endsAt: GIVEN + noticeDays * DAY };
    enterStage(state, 'notice', GIVEN);
    return state;
  }

  test('notice-ending 14 days before the end, notice-end at it; no review or renewal meeting; the term still expires', () => {
    const state = inNotice();
    expect(obligations(state)).toEqual([]);
    expect(deadlines(state)).toEqual([
      { key: `notice-ending:${GIVEN}`, kind: 'notice-ending', at: GIVEN + 46 * DAY },
      { key: `notice-end:${GIVEN}`, kind: 'notice-end', at: GIVEN + 60 * DAY },
      { key: 'expiry:1', kind: 'expiry', at: utc('2027-09-15T16:00:00Z') },
    ]);
  });

  test('notice-ending goes out once', () => {
    const state = inNotice();
    countReminder(state, nextDeadline(state)!, GIVEN + 46 * DAY);
    expect(kinds(state)).toEqual(['notice-end', 'expiry']);
  });

  test('a notice shorter than the reminder lead has no notice-ending', () => {
    expect(kinds(inNotice(10))).toEqual(['notice-end', 'expiry']);
  });

  test('when the term ends first, the expiry comes first; at the same instant the notice-end and expiry are both endings, ordered by key', () => {
    const state = inNotice();
    state.term!.endsAt = GIVEN + 30 * DAY;
    expect(kinds(state)).toEqual(['expiry', 'notice-ending', 'notice-end']);
  });
});

describe('party withdrawal', () => {
  test("a withdrawing party's withdrawal is a deadline, beside the term's", () => {
    const state = inForce();
    const at = utc('2026-03-01T00:00:00Z');
    state.parties[1]!.status = 'withdrawing';
    state.parties[1]!.withdrawsAt = at;
    // Before the first review (2026-03-15), so it comes first.
    expect(deadlines(state).map((d) => d.kind)).toEqual(['party-withdrawal', 'review-due', 'renewal-meeting', 'expiry']);
    expect(nextDeadline(state)).toEqual({ key: 'withdrawal:maple', kind: 'party-withdrawal', partyId: 'maple', at });
  });

  test('a withdrawn party has no deadline and owes nothing', () => {
    const state = inSigning(2);
    state.parties[1]!.status = 'withdrawn';
    state.parties[1]!.withdrawsAt = T1;
    expect(deadlines(state).map((d) => d.partyId)).toEqual(['riverside']);
    expect(obligations(state).map((o) => o.partyId)).toEqual(['riverside']);
  });
});

describe('countReminder', () => {
  test('anchors lastAt on the scheduled time when it fires within a day, on the firing time otherwise', () => {
    const state = inForce();
    const review = nextDeadline(state)!;
    countReminder(state, review, review.at + 6 * HOUR);
    expect(state.reminders['review']!.lastAt).toBe(review.at);
    const second = nextDeadline(state)!;
    expect(second.at).toBe(utc('2026-09-15T16:00:00Z'));
    countReminder(state, second, second.at + 3 * DAY);
    expect(state.reminders['review']!.lastAt).toBe(second.at + 3 * DAY);
    expect(state.reminders['review']!.count).toBe(2);
  });
});
