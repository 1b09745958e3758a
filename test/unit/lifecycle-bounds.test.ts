/**
 * domain/lifecycle/bounds.ts, commands.ts and effects.ts, without Temporal.
 *
 * | function            | expects                                                                       |
 * |---------------------|-------------------------------------------------------------------------------|
 * | boundState          | the last STATE_LIMITS.timelineEntries (200) timeline entries, the dropped ones |
 * |                     | counted (timelineCount unchanged); at most 100 reminder tracks, the oldest     |
 * |                     | (by lastAt) dropped first, never 'check-in' nor 'review'                       |
 * | moveTo              | stage rows keyed by the count of entries ever written, so trimming never       |
 * |                     | repeats a key                                                                 |
 * | commandEffects      | the request id remembered with its fingerprint; the row `command:<requestId>`  |
 * |                     | by the actor label, with the party; emails keyed `<event>:<requestId>:<i>`;    |
 * |                     | no stage step                                                                 |
 * | notificationRequest | keyed by partnership; title, stage and partyName added, the planned data wins  |
 * | decisionRequest     | keyed by partnership; the time as ISO; partyId only when there is one          |
 * | freshRunAt          | undefined for a run under RUN_LIMITS.historyEvents; else the run's start plus  |
 * |                     | RUN_LIMITS.minLifetimeMs (at least the server's 1 s between runs)              |
 * | sendsEmailsFirst    | true below both RUN_LIMITS.emailsFirstUpTo bounds (events, bytes), false at    |
 * |                     | either: a run kept busy by commands hands over all the same                    |
 * | outboxBatch         | the first emails while their messages fit OUTBOX_LIMITS.messagesPerBatch (20);  |
 * |                     | always the first, however many recipients; none of an empty outbox             |
 */
import { deadlines } from '../../domain/deadlines';
import { fingerprint } from '../../domain/fingerprint';
import {
  actorLabel,
  boundState,
  commandEffects,
  decisionRequest,
  freshRunAt,
  notificationRequest,
  sendsEmailsFirst,
  OUTBOX_LIMITS,
  outboxBatch,
  RUN_LIMITS,
  STATE_LIMITS,
  timelineCount,
  type PlannedEmail,
} from '../../domain/lifecycle';
import { LIMITS } from '../../domain/limits';
import { coordinatorRecipient, type NotificationRequest } from '../../domain/notifications';
import { initialState, type PartnershipState } from '../../domain/state';
import { commandAnswerView, partnershipView } from '../../domain/view';
import { DAY } from '../../domain/time';
import { championOf, clerkOf, coordinator, DomainDriver, signatoryOf, T0 } from '../helpers/domain-driver';
import { startRequest, withOak } from '../helpers/fixtures';

const NOW = Date.parse('2026-02-10T13:45:00Z');

function withTimeline(entries: number): PartnershipState {
  const state = initialState('water', startRequest(), T0);
  for (let i = 1; i < entries; i++) state.timeline.push({ at: T0 + i, event: `entry-${i}` });
  expect(state.timeline).toHaveLength(entries);
  return state;
}

describe('boundState: the timeline', () => {
  test('the limits', () => {
    expect(STATE_LIMITS).toEqual({ timelineEntries: 200, reminderTracks: 100 });
  });

  test('keeps the last 200 entries and counts the dropped ones; timelineCount does not change', () => {
    const state = withTimeline(250);
    boundState(state);
    expect(state.timeline).toHaveLength(200);
    expect(state.timeline[0]).toEqual({ at: T0 + 50, event: 'entry-50' });
    expect(state.timeline.at(-1)).toEqual({ at: T0 + 249, event: 'entry-249' });
    expect(state.timelineDropped).toBe(50);
    expect(timelineCount(state)).toBe(250);

    for (let i = 250; i < 280; i++) state.timeline.push({ at: T0 + i, event: `entry-${i}` });
    expect(timelineCount(state)).toBe(280);
    boundState(state);
    expect(state.timeline).toHaveLength(200);
    expect(state.timeline[0]!.event).toBe('entry-80');
    expect(state.timelineDropped).toBe(80);
    expect(timelineCount(state)).toBe(280);
  });

  test('at or under the limit: nothing dropped, nothing counted', () => {
    const state = withTimeline(200);
    const before = structuredClone(state.timeline);
    boundState(state);
    expect(state.timeline).toEqual(before);
    expect(state.timelineDropped).toBeUndefined();
    expect(timelineCount(state)).toBe(200);
  });

  test('a stage row after trimming is keyed by every entry ever written, never by the entries kept', () => {
    const driver = new DomainDriver().toCommitment();
    // 160 reminders to each party, each on the timeline, bounded after each effect as the workflow does.
    for (let i = 0; i < 320; i++) {
      driver.fire();
      boundState(driver.state);
    }
    const written = timelineCount(driver.state);
    expect(written).toBeGreaterThan(320);
    expect(driver.state.timeline).toHaveLength(200);
    expect(driver.state.timelineDropped).toBe(written - 200);
    driver.participation('riverside', 'adopted');
    const { steps } = driver.participation('maple', 'adopted');
    boundState(driver.state);
    expect(steps[0]!.records[0]!.key).toBe(`stage:groundwork:${written + 3}`);
    expect(timelineCount(driver.state)).toBe(written + 3);
    expect(driver.state.timeline.at(-1)!.event).toBe('stage:groundwork');
    // The reminders, counted on their tracks, are not affected by the trimmed timeline.
    expect(driver.state.reminders['participation-resolution:maple']!.count).toBe(160);
  });
});

describe("a command's answer: the latest timeline entries", () => {
  test(`the last ${LIMITS.answerTimelineKept} entries and how many earlier ones were left out; the rest of the view as it is`, () => {
    const view = partnershipView(withTimeline(150));
    const answer = commandAnswerView(view);
    expect(answer.timeline).toEqual(view.timeline.slice(-LIMITS.answerTimelineKept));
    expect(answer.timeline.at(-1)!.event).toBe('entry-149');
    expect(answer.timelineOmitted).toBe(150 - LIMITS.answerTimelineKept);
    expect({ ...answer, timeline: view.timeline, timelineOmitted: undefined }).toEqual({ ...view, timelineOmitted: undefined });
    // Smaller: the timeline made most of a long-lived partnership's answer.
    expect(JSON.stringify(answer).length).toBeLessThan(JSON.stringify(view).length / 2);
  });

  test('a timeline that short is carried whole, and nothing said left out', () => {
    for (const entries of [1, LIMITS.answerTimelineKept]) {
      const view = partnershipView(withTimeline(entries));
      expect(commandAnswerView(view)).toEqual(view);
      expect('timelineOmitted' in commandAnswerView(view)).toBe(false);
    }
  });
});

describe('boundState: the reminder tracks', () => {
  const track = (lastAt: number) => ({ count: 1, lastAt, escalated: false });

  test('at most 100: the oldest by their last reminder are dropped, never check-in nor review', () => {
    const state = initialState('water', startRequest(), T0);
    // Lifelong tracks are the oldest of all; the others are inserted out of order.
    state.reminders['check-in'] = track(T0);
    state.reminders['review'] = track(T0 + 1);
    const others = Array.from({ length: 103 }, (_, i) => i);
    for (const i of [...others].reverse()) state.reminders[`signature:v${i}:maple`] = track(T0 + (i + 10) * DAY);
    expect(Object.keys(state.reminders)).toHaveLength(105);
    boundState(state);
    const kept = Object.keys(state.reminders);
    expect(kept).toHaveLength(100);
    expect(kept).toEqual(expect.arrayContaining(['check-in', 'review']));
    // The five oldest others are gone, whatever their place in the object.
    expect(others.filter((i) => !(`signature:v${i}:maple` in state.reminders))).toEqual([0, 1, 2, 3, 4]);
  });

  test('at the limit nothing is dropped', () => {
    const state = initialState('water', startRequest(), T0);
    state.reminders['check-in'] = track(T0);
    for (let i = 0; i < 99; i++) state.reminders[`feedback:v${i}:maple`] = track(T0 + i);
    const before = structuredClone(state.reminders);
    boundState(state);
    expect(state.reminders).toEqual(before);
  });

  test('a long approval, version after version: the latest rounds are kept, and the check-in track with them', () => {
    const driver = new DomainDriver().toApproval();
    driver.fire(driver.deadline('check-in'));
    const checkIn = structuredClone(driver.state.reminders['check-in']!);
    for (let version = 3; version <= 62; version++) {
      driver.submitDraft(version);
      expect(driver.state.approvalRound!.draftVersion).toBe(version);
      driver.fire(driver.deadline('resolution-reminder', 'maple'));
      driver.fire(driver.deadline('resolution-reminder', 'riverside'));
      boundState(driver.state);
    }
    const keys = Object.keys(driver.state.reminders);
    expect(keys).toHaveLength(100);
    expect(driver.state.reminders['check-in']).toEqual(checkIn);
    for (let version = 14; version <= 62; version++) {
      expect(keys).toEqual(expect.arrayContaining([`approval-resolution:v${version}:maple`, `approval-resolution:v${version}:riverside`]));
    }
    for (let version = 3; version <= 12; version++) expect(keys.filter((k) => k.includes(`:v${version}:`))).toEqual([]);
    // The round under way still has its reminders counted.
    expect(
      deadlines(driver.state)
        .filter((d) => d.kind === 'resolution-reminder')
        .map((d) => d.key),
    ).toEqual(['approval-resolution:v62:maple', 'approval-resolution:v62:riverside']);
  });
});

describe('commandEffects', () => {
  test('remembers the request id with the fingerprint of the body; plans the command row and keyed emails; takes no stage step', () => {
    const driver = new DomainDriver().toCommitment();
    driver.participation('riverside', 'adopted');
    const state = driver.state;
    const body = {
      requestId: 'res-maple-0001',
      partyId: 'maple',
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: 'BC-2025-14',
      adoptedOn: '2025-02-03',
    } as const;
    const effects = commandEffects(state, 'recordResolution', { ...body }, clerkOf('maple'), NOW);
    expect(state.applied['res-maple-0001']).toEqual({ command: 'recordResolution', fingerprint: fingerprint(body), at: NOW });
    expect(effects.records).toEqual([{ kind: 'recordResolution', actor: 'clerk:maple', payload: body, key: 'command:res-maple-0001', partyId: 'maple' }]);
    expect(effects.emails).toEqual([
      {
        event: 'resolution-recorded',
        key: 'resolution-recorded:res-maple-0001:0',
        recipients: [coordinatorRecipient(state), expect.objectContaining({ role: 'champion', partyId: 'maple' })],
        data: { partyId: 'maple', subject: 'participation', outcome: 'adopted', resolutionNumber: 'BC-2025-14', adoptedOn: '2025-02-03' },
      },
    ]);
    expect(effects.stageChanged).toBe(false);
    // Every party has now adopted, but moving on is the commitment stage's own step.
    expect(state.stage).toBe('commitment');
    expect(driver.settle().map((s) => s.records[0]!.kind)).toEqual(['stage:groundwork']);
  });

  test('a command of no party: the row has no partyId; the coordinator is named as such', () => {
    const state = initialState('water', startRequest(), T0);
    const effects = commandEffects(state, 'recordIntakeDecision', { requestId: 'intake-1', accepted: true, interviewedOn: '2025-01-07' }, coordinator, NOW);
    expect(effects.records).toEqual([
      {
        kind: 'recordIntakeDecision',
        actor: 'coordinator',
        payload: { requestId: 'intake-1', accepted: true, interviewedOn: '2025-01-07' },
        key: 'command:intake-1',
      },
    ]);
    expect('partyId' in effects.records[0]!).toBe(false);
    expect(effects.emails).toEqual([]);
    expect(state.stage).toBe('intake');
    expect(state.applied['intake-1']!.command).toBe('recordIntakeDecision');
  });

  test.each([
    [coordinator, 'coordinator'],
    [clerkOf('maple'), 'clerk:maple'],
    [championOf('riverside'), 'champion:riverside'],
    [signatoryOf('oak'), 'signatory:oak'],
  ])('actor label of %j: %s', (actor, label) => {
    expect(actorLabel(actor)).toBe(label);
  });

  test("the row's payload is a copy of the body", () => {
    const driver = new DomainDriver().toConsultation();
    const body = { requestId: 'fb-1', partyId: 'maple', author: 'Lise', comments: 'Bien.' };
    const effects = commandEffects(driver.state, 'submitFeedback', body, championOf('maple'), NOW);
    body.author = 'changed afterwards';
    expect(effects.records[0]!.payload).toEqual({ requestId: 'fb-1', partyId: 'maple', author: 'Lise', comments: 'Bien.' });
    expect(effects.records[0]!.actor).toBe('champion:maple');
    expect(effects.emails.map((e) => [e.event, e.key])).toEqual([['feedback-received', 'feedback-received:fb-1:0']]);
  });

  test('withdrawParty: its email keyed by the request, to everyone including the party leaving', () => {
    const driver = new DomainDriver(withOak()).toInForce();
    const { command } = driver.send('withdrawParty', { requestId: 'wd-1', partyId: 'maple', reason: 'Moving on' });
    expect(command.records.map((r) => [r.kind, r.key, r.partyId, r.actor])).toEqual([['withdrawParty', 'command:wd-1', 'maple', 'coordinator']]);
    expect(command.emails.map((e) => e.key)).toEqual(['party-withdrawal:wd-1:0']);
    expect(command.emails[0]!.recipients.map((r) => r.email)).toContain('chef@maple.example');
  });

  test('the state remembers the last LIMITS.appliedKept request ids', () => {
    const driver = new DomainDriver().toInForce();
    const before = Object.keys(driver.state.applied).length;
    for (let i = 0; i < LIMITS.appliedKept + 5; i++) {
      commandEffects(driver.state, 'recordReview', { requestId: `review-${i}`, heldOn: '2025-07-01', findings: `Review ${i}` }, coordinator, NOW + i);
    }
    expect(before).toBeLessThan(LIMITS.appliedKept);
    const ids = Object.keys(driver.state.applied);
    expect(ids).toHaveLength(LIMITS.appliedKept);
    expect(ids).toContain(`review-${LIMITS.appliedKept + 4}`);
    expect(ids).not.toContain('review-4');
    expect(ids).toContain('review-5');
  });
});

describe('notificationRequest', () => {
  const planned = (data: PlannedEmail['data']): PlannedEmail => ({
    event: 'signature-reminder',
    key: 'signature-reminder:signature:v2:maple:1',
    recipients: [{ name: 'Chef Claude', email: 'chef@maple.example', language: 'fr', role: 'signatory', partyId: 'maple' }],
    data,
  });

  test("keyed by the partnership; the title, the current stage and the party's name added", () => {
    const driver = new DomainDriver().toSigning();
    const email = planned({ partyId: 'maple', draftVersion: 2, count: 1 });
    expect(notificationRequest(driver.state, email)).toEqual({
      key: 'water:signature-reminder:signature:v2:maple:1',
      partnershipId: 'water',
      event: 'signature-reminder',
      recipients: email.recipients,
      data: {
        title: 'Water services: Town of Riverside and Maple First Nation',
        stage: 'signing',
        partyName: 'Maple First Nation',
        partyId: 'maple',
        draftVersion: 2,
        count: 1,
      },
    });
  });

  test('no partyId: no partyName; an unknown party: partyName undefined; the planned data wins over what is added', () => {
    const state = initialState('water', startRequest(), T0);
    expect('partyName' in notificationRequest(state, planned({ count: 1 })).data).toBe(false);
    expect(notificationRequest(state, planned({ partyId: 'nobody' })).data.partyName).toBeUndefined();
    const data = notificationRequest(state, planned({ partyId: 'riverside', stage: 'in-force', title: 'Another title' })).data;
    expect([data.stage, data.title, data.partyName]).toEqual(['in-force', 'Another title', 'Town of Riverside']);
  });

  test('the stage shown is that of the state when the email is planned: the stage a step entered', () => {
    const driver = new DomainDriver();
    const { steps } = driver.send('recordIntakeDecision', { accepted: true, interviewedOn: '2025-01-07' });
    const requests = steps[0]!.emails.map((e) => notificationRequest(driver.state, e));
    expect(requests.map((r) => [r.key, r.data.stage, r.data.partyName])).toEqual([
      ['water:intake-accepted', 'commitment', undefined],
      ['water:resolution-requested:participation:riverside', 'commitment', 'Town of Riverside'],
      ['water:resolution-requested:participation:maple', 'commitment', 'Maple First Nation'],
    ]);
  });
});

describe('decisionRequest', () => {
  test('keyed by the partnership, at the time given, with the party when there is one', () => {
    const state = initialState('water', startRequest(), T0);
    const record = { kind: 'signature-reminder', actor: 'timer', payload: { count: 1 }, key: 'timer:signature:v2:maple:123', partyId: 'maple' };
    expect(decisionRequest(state, record, NOW)).toEqual({
      key: 'water:timer:signature:v2:maple:123',
      partnershipId: 'water',
      kind: 'signature-reminder',
      actor: 'timer',
      partyId: 'maple',
      payload: { count: 1 },
      occurredAt: '2026-02-10T13:45:00.000Z',
    });
    const { partyId: _, ...withoutParty } = record;
    expect('partyId' in decisionRequest(state, withoutParty, NOW)).toBe(false);
  });
});

describe('short runs', () => {
  const began = Date.parse('2026-03-02T09:00:00Z');

  test('a short run does not hand over, however old', () => {
    expect(freshRunAt(RUN_LIMITS.historyEvents - 1, began)).toBeUndefined();
  });

  test('a long run may hand over once it has lived the server’s minimum between runs, not before', () => {
    const at = freshRunAt(RUN_LIMITS.historyEvents, began);
    expect(at).toBe(began + RUN_LIMITS.minLifetimeMs);
    expect(RUN_LIMITS.minLifetimeMs).toBeGreaterThanOrEqual(1000);
    expect(freshRunAt(5 * RUN_LIMITS.historyEvents, began)).toBe(at);
  });

  test('a run due to hand over sends its waiting emails first, up to a bound in events and in bytes', () => {
    const { events, bytes } = RUN_LIMITS.emailsFirstUpTo;
    expect(events).toBeGreaterThan(RUN_LIMITS.historyEvents);
    expect(sendsEmailsFirst(RUN_LIMITS.historyEvents, 40_000)).toBe(true);
    expect(sendsEmailsFirst(events - 1, bytes - 1)).toBe(true);
    expect(sendsEmailsFirst(events, 40_000)).toBe(false);
    expect(sendsEmailsFirst(RUN_LIMITS.historyEvents, bytes)).toBe(false);
  });
});

describe('the outbox in batches', () => {
  const email = (n: number, recipients: number): NotificationRequest => ({
    key: `water:reminder:${n}`,
    partnershipId: 'water',
    event: 'resolution-reminder',
    recipients: Array.from({ length: recipients }, (_, i) => ({ name: `Clerk ${i}`, email: `clerk${i}@example.org`, language: 'en', role: 'clerk' })),
    data: {},
  });

  test('a reminder round’s emails go out together', () => {
    expect(outboxBatch([email(1, 2), email(2, 2)])).toBe(2);
    expect(outboxBatch([])).toBe(0);
  });

  test('a batch stops before the email that would take it past the bound in messages', () => {
    const { messagesPerBatch } = OUTBOX_LIMITS;
    expect(outboxBatch([email(1, messagesPerBatch - 1), email(2, 1), email(3, 1)])).toBe(2);
    expect(outboxBatch([email(1, messagesPerBatch - 1), email(2, 2)])).toBe(1);
    expect(outboxBatch(Array.from({ length: messagesPerBatch + 5 }, (_, n) => email(n, 1)))).toBe(messagesPerBatch);
  });

  test('the first email goes, however many recipients it has', () => {
    expect(outboxBatch([email(1, OUTBOX_LIMITS.messagesPerBatch + 10), email(2, 1)])).toBe(1);
  });
});
