/**
 * domain/lifecycle/stages.ts: stageReady and stageStep, stage by stage, without Temporal. The
 * partnership is driven by commands (commandEffects) and its stage is checked after each fact:
 * not ready until the last fact it waits for, then one step.
 *
 * | stage        | ready when                                  | step                                                    |
 * |--------------|---------------------------------------------|---------------------------------------------------------|
 * | intake       | the intake decision                         | commitment + resolution-requested per party; or declined|
 * | commitment   | every party resolved; a rejection           | groundwork; abandoned (no grace) / grace set (grace),   |
 * |              |                                             | then the party removed (grace cleared) or grace over    |
 * | groundwork   | the template's required milestones          | drafting                                                |
 * | drafting     | version 1                                   | consultation, window from the template                  |
 * | consultation | every party responded, or the window closed | revision (closedEarly true / false)                     |
 * | revision     | review workshop (cipp) and the next version | approval + resolution-requested per party               |
 * | approval     | all adopted / one rejection / a new version | signing / revision with the reason / approval anew      |
 * | signing      | every signature                             | in-force: term from now, effective on the last signing  |
 * | in-force     | a notice                                    | notice                                                  |
 * | notice       | the notice withdrawn                        | in-force, the notice filed under pastNotices            |
 * | final stages | never                                       | nothing                                                 |
 */
import { addDuration } from '../../domain/durations';
import { stageReady, stageStep, timelineCount, type Effects, type PlannedEmail, type PlannedRecord, type StageStep } from '../../domain/lifecycle';
import type { Recipient } from '../../domain/notifications';
import { FINAL_STAGES, isFinal, type Stage } from '../../domain/stages';
import { DAY, isoDay } from '../../domain/time';
import { championOf, DomainDriver, draftText } from '../helpers/domain-driver';
import { startRequest, withOak } from '../helpers/fixtures';
import { sha256Hex } from '../../domain/fingerprint';

const iso = (ms: number) => new Date(ms).toISOString();
const who = (recipients: Recipient[]): string[] => recipients.map((r) => (r.partyId ? `${r.role}:${r.partyId}` : r.role));
const EVERYONE = ['coordinator', 'champion:riverside', 'clerk:riverside', 'signatory:riverside', 'champion:maple', 'clerk:maple', 'signatory:maple'];
const CHAMPIONS_AND_COORDINATOR = ['coordinator', 'champion:riverside', 'champion:maple'];

const ready = (driver: DomainDriver, at = driver.now) => stageReady(driver.state, at, driver.options);
const emails = (effects: Effects) => effects.emails.map((e) => [e.event, e.key]);

/** The one step a fact caused, checked to be a move to `stage` recorded under a unique key. */
function movedTo(driver: DomainDriver, steps: StageStep[], stage: Stage, detail?: string): StageStep {
  expect(steps).toHaveLength(1);
  const [step] = steps;
  expect(driver.state.stage).toBe(stage);
  expect(driver.state.stageSince).toBe(driver.now);
  expect(step!.stageChanged).toBe(true);
  expect(step!.continueStage).toBeUndefined();
  expect(step!.records).toEqual([
    {
      kind: `stage:${stage}`,
      actor: 'workflow',
      payload: detail ? { detail } : {},
      key: `stage:${stage}:${timelineCount(driver.state)}`,
      // The end of the partnership ends every link, session and key it had.
      ...(isFinal(stage) ? { revokeAccess: { reason: 'partnership-ended' } } : {}),
    },
  ]);
  expect(driver.state.timeline.at(-1)).toEqual({ at: driver.now, event: `stage:${stage}`, ...(detail ? { detail } : {}) });
  return step!;
}

function onlyEmail(effects: Effects): PlannedEmail {
  expect(effects.emails).toHaveLength(1);
  return effects.emails[0]!;
}

describe('intake', () => {
  test('not ready until the decision; accepted: commitment, the coordinator and champions told, each governing body asked to resolve', () => {
    const driver = new DomainDriver();
    expect(ready(driver)).toBe(false);
    expect(driver.settle()).toEqual([]);
    const { steps } = driver.send('recordIntakeDecision', { accepted: true, interviewedOn: '2025-01-07' });
    const step = movedTo(driver, steps, 'commitment');
    expect(step.records[0]!.key).toBe('stage:commitment:3');
    expect(emails(step)).toEqual([
      ['intake-accepted', 'intake-accepted'],
      ['resolution-requested', 'resolution-requested:participation:riverside'],
      ['resolution-requested', 'resolution-requested:participation:maple'],
    ]);
    expect(who(step.emails[0]!.recipients)).toEqual(CHAMPIONS_AND_COORDINATOR);
    expect(who(step.emails[1]!.recipients)).toEqual(['clerk:riverside', 'champion:riverside']);
    expect(step.emails[2]!.data).toEqual({ partyId: 'maple', subject: 'participation' });
    expect(ready(driver)).toBe(false);
  });

  test('declined: a final stage, the coordinator and champions told', () => {
    const driver = new DomainDriver();
    const { steps } = driver.send('recordIntakeDecision', { accepted: false, interviewedOn: '2025-01-07' });
    const step = movedTo(driver, steps, 'declined');
    expect(step.emails).toEqual([{ event: 'intake-declined', key: 'intake-declined', recipients: expect.any(Array), data: {} }]);
    expect(who(step.emails[0]!.recipients)).toEqual(CHAMPIONS_AND_COORDINATOR);
    expect(ready(driver)).toBe(false);
  });
});

describe('commitment', () => {
  test('not ready while a party has not resolved; every party adopted: groundwork', () => {
    const driver = new DomainDriver().toCommitment();
    expect(driver.participation('riverside', 'adopted').steps).toEqual([]);
    expect(ready(driver)).toBe(false);
    const { steps } = driver.participation('maple', 'adopted');
    const step = movedTo(driver, steps, 'groundwork');
    expect(emails(step)).toEqual([['commitment-complete', 'commitment-complete']]);
    expect(who(step.emails[0]!.recipients)).toEqual(CHAMPIONS_AND_COORDINATOR);
  });

  test('a rejection without the grace rule (older runs): abandoned at once, with the resolution named', () => {
    const driver = new DomainDriver(startRequest(), { rejectionGrace: false }).toCommitment();
    const { steps } = driver.participation('maple', 'rejected');
    const reason = 'the governing body of maple rejected participation (P-maple)';
    const step = movedTo(driver, steps, 'abandoned', reason);
    expect(driver.state.closedReason).toBe(reason);
    expect(driver.state.rejectionGraceEndsAt).toBeUndefined();
    const email = onlyEmail(step);
    expect([email.event, email.key, email.data]).toEqual(['process-abandoned', 'process-abandoned', { reason }]);
    expect(who(email.recipients)).toEqual(CHAMPIONS_AND_COORDINATOR);
  });

  test('a rejection with the grace rule: the grace period is set for one reminder period, the stage goes on, nothing is sent', () => {
    const driver = new DomainDriver().toCommitment();
    const { steps } = driver.participation('maple', 'rejected');
    expect(steps).toEqual([{ records: [], emails: [], stageChanged: false, continueStage: true }]);
    expect(driver.state.stage).toBe('commitment');
    expect(driver.state.rejectionGraceEndsAt).toBe(driver.now + 14 * DAY);
    expect(ready(driver)).toBe(false);
    // Even once the other party has adopted, the rejection holds the stage until the grace ends.
    driver.participation('riverside', 'adopted');
    expect(driver.state.stage).toBe('commitment');
    expect(ready(driver, driver.state.rejectionGraceEndsAt! - 1)).toBe(false);
    expect(ready(driver, driver.state.rejectionGraceEndsAt!)).toBe(true);
  });

  test('the grace period set by the template or the start request', () => {
    const driver = new DomainDriver(startRequest({ durations: { resolutionReminderEvery: '10 days' } })).toCommitment();
    driver.participation('maple', 'rejected');
    expect(driver.state.rejectionGraceEndsAt).toBe(driver.now + 10 * DAY);
  });

  test('grace, then the rejecting party removed: the grace is cleared without effects, commitment goes on with the others', () => {
    const driver = new DomainDriver(withOak()).toCommitment();
    driver.participation('riverside', 'adopted');
    driver.participation('maple', 'rejected');
    expect(driver.state.rejectionGraceEndsAt).toBeDefined();
    const { command, steps } = driver.send('withdrawParty', { partyId: 'maple', reason: 'Council voted no' });
    expect(command.emails.map((e) => e.event)).toEqual(['party-withdrawal']);
    // oak has not resolved yet: the grace is cleared, and the stage waits for oak.
    expect(steps).toEqual([{ records: [], emails: [], stageChanged: false }]);
    expect(driver.state.rejectionGraceEndsAt).toBeUndefined();
    expect(driver.state.stage).toBe('commitment');
    expect(ready(driver)).toBe(false);
    const next = driver.participation('oak', 'adopted');
    movedTo(driver, next.steps, 'groundwork');
  });

  test('grace, the party removed after every other has adopted: the grace is cleared, then groundwork in the same settling', () => {
    const driver = new DomainDriver(withOak()).toCommitment();
    driver.participation('riverside', 'adopted');
    driver.participation('oak', 'adopted');
    driver.participation('maple', 'rejected');
    const { steps } = driver.send('withdrawParty', { partyId: 'maple', reason: 'Council voted no' });
    expect(steps.map((s) => [s.stageChanged, s.records.map((r) => r.kind)])).toEqual([
      [false, []],
      [true, ['stage:groundwork']],
    ]);
    expect(driver.state.stage).toBe('groundwork');
    expect(driver.state.rejectionGraceEndsAt).toBeUndefined();
  });

  test('the rejecting party removed, another then rejects: abandoned at the end of its grace, naming that party, not the one removed', () => {
    const request = withOak();
    request.parties.push({ ...request.parties[2]!, id: 'elm', legalName: 'Elm County' });
    const driver = new DomainDriver(request).toCommitment();
    driver.participation('riverside', 'adopted');
    driver.participation('maple', 'rejected');
    driver.send('withdrawParty', { partyId: 'maple', reason: 'Council voted no' });
    expect(driver.state.rejectionGraceEndsAt).toBeUndefined();
    driver.participation('oak', 'rejected');
    const graceEndsAt = driver.state.rejectionGraceEndsAt!;
    expect(graceEndsAt).toBe(driver.now + 14 * DAY);
    driver.participation('elm', 'adopted');
    expect(driver.state.stage).toBe('commitment');
    driver.at(graceEndsAt);
    const reason = 'the governing body of oak rejected participation (P-oak)';
    const step = movedTo(driver, driver.settle(), 'abandoned', reason);
    expect(driver.state.closedReason).toBe(reason);
    expect(onlyEmail(step).data).toEqual({ reason });
  });

  test('grace over with the party still there: abandoned', () => {
    const driver = new DomainDriver().toCommitment();
    driver.participation('maple', 'rejected');
    driver.at(driver.state.rejectionGraceEndsAt!);
    const steps = driver.settle();
    const reason = 'the governing body of maple rejected participation (P-maple)';
    const step = movedTo(driver, steps, 'abandoned', reason);
    expect(onlyEmail(step).data).toEqual({ reason });
  });
});

describe('groundwork', () => {
  test.each([
    ['cipp-shared-services', ['launch-workshop', 'communication-protocol', 'feasibility-study', 'public-engagement-strategy']],
    ['oden-mou', ['launch-workshop']],
    ['oden-partnership-agreement', ['launch-workshop', 'communication-protocol', 'funding-proposal']],
  ] as const)('%s: not ready until %j are recorded', (template, required) => {
    const driver = new DomainDriver(startRequest({ template })).toGroundwork();
    // An optional milestone changes nothing.
    if (template === 'oden-mou') driver.send('recordMilestone', { milestone: 'feasibility-study', completedOn: '2025-02-01' });
    expect(driver.state.stage).toBe('groundwork');
    for (const [i, milestone] of required.entries()) {
      expect(ready(driver)).toBe(false);
      const { steps } = driver.send('recordMilestone', { milestone, completedOn: '2025-02-10' });
      if (i < required.length - 1) expect(steps).toEqual([]);
      else {
        const step = movedTo(driver, steps, 'drafting');
        expect(emails(step)).toEqual([['groundwork-complete', 'groundwork-complete']]);
        expect(who(step.emails[0]!.recipients)).toEqual(CHAMPIONS_AND_COORDINATOR);
      }
    }
  });
});

describe('drafting', () => {
  test('version 1 opens the consultation for the window of the template, everyone told', () => {
    const driver = new DomainDriver().toDrafting();
    expect(ready(driver)).toBe(false);
    const { steps } = driver.submitDraft(1);
    const step = movedTo(driver, steps, 'consultation', 'version 1');
    expect(driver.state.consultations).toEqual([{ draftVersion: 1, opensAt: driver.now, closesAt: driver.now + 30 * DAY }]);
    const email = onlyEmail(step);
    expect([email.event, email.key]).toEqual(['draft-open-for-feedback', 'draft-open-for-feedback:v1']);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(email.data).toEqual({ draftVersion: 1, draftTitle: 'Entente, version 1', closesAt: iso(driver.now + 30 * DAY) });
  });

  test('the window a start request sets', () => {
    const driver = new DomainDriver(startRequest({ durations: { consultationWindow: '3 weeks' } })).toDrafting();
    driver.submitDraft(1);
    expect(driver.state.consultations.at(-1)!.closesAt).toBe(driver.now + 21 * DAY);
  });
});

describe('consultation', () => {
  test('every party responded before the window closes: closed early, revision of version 1', () => {
    const driver = new DomainDriver().toConsultation();
    driver.send('submitFeedback', { community: 'Residents', author: 'J. Doe', comments: 'More wells.' });
    expect(driver.feedback('riverside').steps).toEqual([]);
    expect(ready(driver)).toBe(false);
    const { steps } = driver.feedback('maple');
    const step = movedTo(driver, steps, 'revision');
    expect(driver.state.consultations.at(-1)).toMatchObject({ closedAt: driver.now, closedEarly: true });
    expect(driver.state.revisionOf).toBe(1);
    const email = onlyEmail(step);
    expect([email.event, email.key]).toEqual(['consultation-closed', 'consultation-closed:v1']);
    expect(who(email.recipients)).toEqual(CHAMPIONS_AND_COORDINATOR);
    expect(email.data).toEqual({ draftVersion: 1, responses: 3, closedEarly: true });
  });

  test('closed by the timer: not early, the time the window closed is kept', () => {
    const driver = new DomainDriver().toConsultation();
    driver.feedback('riverside');
    const close = driver.deadline('consultation-close');
    driver.fire(close);
    expect(ready(driver)).toBe(true);
    driver.advance(1000); // the step runs a moment after the timer
    const step = movedTo(driver, driver.settle(), 'revision');
    expect(driver.state.consultations.at(-1)).toMatchObject({ closedAt: close.at, closedEarly: false });
    expect(onlyEmail(step).data).toEqual({ draftVersion: 1, responses: 1, closedEarly: false });
  });
});

describe('revision', () => {
  test('cipp: not ready until the review workshop and version 2; then approval, each governing body asked', () => {
    const driver = new DomainDriver().toRevision();
    expect(ready(driver)).toBe(false);
    expect(driver.send('recordMilestone', { milestone: 'review-workshop', completedOn: '2025-04-10' }).steps).toEqual([]);
    expect(ready(driver)).toBe(false);
    const { steps } = driver.submitDraft(2);
    const step = movedTo(driver, steps, 'approval', 'version 2');
    expect(driver.state.approvalRound).toEqual({ draftVersion: 2, since: driver.now });
    expect(driver.state.signingRound).toBeUndefined();
    expect(emails(step)).toEqual([
      ['resolution-requested', 'resolution-requested:approval:v2:riverside'],
      ['resolution-requested', 'resolution-requested:approval:v2:maple'],
    ]);
    expect(who(step.emails[1]!.recipients)).toEqual(['clerk:maple', 'champion:maple']);
    expect(step.emails[1]!.data).toEqual({ partyId: 'maple', subject: 'approval', draftVersion: 2, draftHash: driver.state.drafts.at(-1)!.sha256 });
  });

  test('oden-mou: version 2 alone ends the revision', () => {
    const driver = new DomainDriver(startRequest({ template: 'oden-mou' })).toRevision();
    movedTo(driver, driver.submitDraft(2).steps, 'approval', 'version 2');
  });

  test('the workshop recorded during consultation counts', () => {
    const driver = new DomainDriver().toConsultation();
    driver.send('recordMilestone', { milestone: 'review-workshop', completedOn: '2025-03-20' });
    for (const partyId of driver.partyIds) driver.feedback(partyId);
    expect(driver.state.stage).toBe('revision');
    movedTo(driver, driver.submitDraft(2).steps, 'approval', 'version 2');
  });
});

describe('approval', () => {
  test('not ready while a governing body has not resolved; all adopted: signing, each signatory asked to sign that version', () => {
    const driver = new DomainDriver().toApproval();
    expect(ready(driver)).toBe(false);
    expect(driver.approval('riverside').steps).toEqual([]);
    const { steps } = driver.approval('maple');
    const step = movedTo(driver, steps, 'signing');
    expect(driver.state.signingRound).toEqual({ draftVersion: 2, since: driver.now });
    const hash = sha256Hex(draftText(2));
    expect(step.emails).toEqual(
      ['riverside', 'maple'].map((partyId) => ({
        event: 'signature-requested',
        key: `signature-requested:v2:${partyId}`,
        recipients: [expect.objectContaining({ role: 'signatory', partyId })],
        data: { partyId, draftVersion: 2, draftHash: hash },
      })),
    );
  });

  test('a new version during approval: approval anew on it, under a new stage row', () => {
    const driver = new DomainDriver().toApproval();
    const firstRow = driver.effects.flatMap((e) => e.records).filter((r) => r.kind === 'stage:approval')[0]!;
    driver.approval('riverside');
    const { steps } = driver.submitDraft(3);
    const step = movedTo(driver, steps, 'approval', 'version 3');
    expect(step.records[0]!.key).not.toBe(firstRow.key);
    expect(driver.state.approvalRound).toEqual({ draftVersion: 3, since: driver.now });
    expect(emails(step)).toEqual([
      ['resolution-requested', 'resolution-requested:approval:v3:riverside'],
      ['resolution-requested', 'resolution-requested:approval:v3:maple'],
    ]);
    // riverside's approval of version 2 does not count for version 3.
    expect(driver.approval('maple').steps).toEqual([]);
    expect(ready(driver)).toBe(false);
  });

  test('a rejection: back to revision of that version, everyone told with the reason', () => {
    const driver = new DomainDriver().toApproval();
    driver.approval('riverside');
    const { steps } = driver.approval('maple', 'rejected', 'Le partage des coûts\nn’est pas équitable.');
    const step = movedTo(driver, steps, 'revision', 'version 2 rejected by maple');
    expect(driver.state.revisionOf).toBe(2);
    const email = onlyEmail(step);
    expect([email.event, email.key]).toEqual(['approval-rejected', 'approval-rejected:v2']);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(email.data).toEqual({ draftVersion: 2, partyId: 'maple', reason: 'Le partage des coûts n’est pas équitable.' });
    // The revision now owes version 3 (the review workshop is already recorded).
    expect(ready(driver)).toBe(false);
    movedTo(driver, driver.submitDraft(3).steps, 'approval', 'version 3');
  });

  test('a rejection without a reason: the resolution number stands for it', () => {
    const driver = new DomainDriver().toApproval();
    const { steps } = driver.approval('riverside', 'rejected');
    expect(onlyEmail(steps[0]!).data).toEqual({ draftVersion: 2, partyId: 'riverside', reason: 'A-riverside-v2' });
  });
});

describe('signing', () => {
  test('not ready until every party signed; then in force for the term from now, effective on the latest signature', () => {
    const driver = new DomainDriver().toSigning();
    expect(ready(driver)).toBe(false);
    expect(driver.sign('maple', '2025-06-12').steps).toEqual([]);
    expect(ready(driver)).toBe(false);
    const { steps } = driver.sign('riverside', '2025-06-03');
    const step = movedTo(driver, steps, 'in-force');
    const endsAt = addDuration(driver.now, { months: 24, ms: 0 });
    expect(driver.state.term).toEqual({ effectiveAt: driver.now, effectiveOn: '2025-06-12', endsAt, number: 1 });
    const email = onlyEmail(step);
    expect([email.event, email.key]).toEqual(['signed', 'signed']);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(email.data).toEqual({ effectiveOn: '2025-06-12', endsOn: isoDay(endsAt) });
  });

  test('the term of the template', () => {
    const driver = new DomainDriver(startRequest({ template: 'oden-mou' })).toInForce();
    expect(driver.state.term!.endsAt).toBe(addDuration(driver.state.term!.effectiveAt, { months: 12, ms: 0 }));
  });

  test('a new version during signing: back to approval on it, signatures of the old version not counted', () => {
    const driver = new DomainDriver().toSigning();
    driver.sign('maple');
    const { steps } = driver.submitDraft(3);
    movedTo(driver, steps, 'approval', 'version 3');
    expect(driver.state.approvalRound).toEqual({ draftVersion: 3, since: driver.now });
    expect(driver.state.signingRound).toBeUndefined();
    for (const partyId of driver.partyIds) driver.approval(partyId);
    expect(driver.state.signingRound).toEqual({ draftVersion: 3, since: driver.now });
    expect(driver.sign('riverside').steps).toEqual([]);
    expect(driver.state.stage).toBe('signing');
  });
});

describe('in force and notice', () => {
  test('in force: ready once a notice is given; the notice stage, everyone told', () => {
    const driver = new DomainDriver().toInForce();
    expect(ready(driver)).toBe(false);
    driver.send('recordReview', { heldOn: '2025-07-01', findings: 'On track.' });
    expect(driver.state.stage).toBe('in-force');
    const { steps } = driver.send('giveNotice', { partyId: 'maple', reason: 'Nouvelle orientation', noticeDays: 45 }, championOf('maple'));
    const notice = driver.state.notice!;
    expect(notice).toEqual({ partyId: 'maple', reason: 'Nouvelle orientation', noticeDays: 45, givenAt: driver.now, endsAt: driver.now + 45 * DAY });
    const step = movedTo(driver, steps, 'notice', 'given by maple');
    const email = onlyEmail(step);
    expect([email.event, email.key]).toEqual(['notice-received', `notice-received:${notice.givenAt}`]);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(email.data).toEqual({ partyId: 'maple', reason: 'Nouvelle orientation', noticeDays: 45, endsOn: isoDay(notice.endsAt) });
  });

  test('notice withdrawn: back in force, the notice filed, everyone told; a later notice starts anew', () => {
    const driver = new DomainDriver().toNotice('riverside');
    expect(ready(driver)).toBe(false);
    const notice = { ...driver.state.notice! };
    const { steps } = driver.send('withdrawNotice', { partyId: 'riverside' }, championOf('riverside'));
    const step = movedTo(driver, steps, 'in-force', 'notice of riverside withdrawn');
    expect(driver.state.notice).toBeUndefined();
    expect(driver.state.pastNotices).toEqual([{ ...notice, withdrawnAt: driver.now }]);
    const email = onlyEmail(step);
    expect([email.event, email.key, email.data]).toEqual(['notice-withdrawn', `notice-withdrawn:${notice.givenAt}`, { partyId: 'riverside' }]);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(ready(driver)).toBe(false);

    const again = driver.send('giveNotice', { partyId: 'riverside', reason: 'Budget cuts, again' }, championOf('riverside'));
    const second = movedTo(driver, again.steps, 'notice', 'given by riverside');
    expect(onlyEmail(second).key).toBe(`notice-received:${driver.now}`);
    expect(onlyEmail(second).key).not.toBe(`notice-received:${notice.givenAt}`);
  });
});

describe('final stages', () => {
  test.each(FINAL_STAGES.map((s) => [s]))('%s: never ready, and its step does nothing', (stage) => {
    // A state with every fact a stage could wait for: a notice withdrawn, all resolved and signed.
    const driver = new DomainDriver().toNotice('riverside');
    driver.apply('withdrawNotice', { partyId: 'riverside' }, championOf('riverside'));
    driver.state.intake = { accepted: true, interviewedOn: '2025-01-07', decidedAt: driver.now };
    driver.state.stage = stage;
    expect(ready(driver)).toBe(false);
    expect(ready(driver, driver.now + 100 * 365 * DAY)).toBe(false);
    const before = JSON.stringify(driver.state);
    expect(stageStep(driver.state, driver.now, driver.options)).toEqual({ records: [], emails: [], stageChanged: false });
    expect(JSON.stringify(driver.state)).toBe(before);
  });

  test('abandoned by a command: no stage steps afterwards', () => {
    const driver = new DomainDriver().toConsultation();
    const { command, steps } = driver.send('abandon', { reason: 'No budget' });
    expect(driver.state.stage).toBe('abandoned');
    expect(command.records.map((r) => r.kind)).toEqual(['abandon']);
    expect(steps).toEqual([]);
  });
});

describe('the stage rows of a whole life', () => {
  test('keys `stage:<stage>:<n>` are unique, n the timeline count when the stage was entered', () => {
    const driver = new DomainDriver();
    driver.send('recordIntakeDecision', { accepted: true, interviewedOn: '2025-01-07' });
    for (const partyId of driver.partyIds) driver.participation(partyId, 'adopted');
    driver.completeGroundwork();
    driver.submitDraft(1);
    for (const partyId of driver.partyIds) driver.feedback(partyId);
    driver.send('recordMilestone', { milestone: 'review-workshop', completedOn: '2025-04-10' });
    driver.submitDraft(2);
    driver.approval('riverside');
    driver.approval('maple', 'rejected', 'No.');
    driver.submitDraft(3);
    driver.submitDraft(4); // approval anew
    for (const partyId of driver.partyIds) driver.approval(partyId);
    for (const partyId of driver.partyIds) driver.sign(partyId);
    for (let i = 0; i < 3; i++) {
      driver.send('giveNotice', { partyId: 'maple', reason: `Notice ${i}` }, championOf('maple'));
      driver.send('withdrawNotice', { partyId: 'maple' }, championOf('maple'));
    }
    driver.send('giveNotice', { partyId: 'riverside', reason: 'Final' }, championOf('riverside'));
    driver.fire(driver.deadline('notice-end'));
    expect(driver.state.stage).toBe('dissolved');

    const rows: PlannedRecord[] = driver.effects.flatMap((e) => e.records).filter((r) => r.kind.startsWith('stage:'));
    expect(rows.map((r) => r.kind.slice('stage:'.length))).toEqual([
      'commitment',
      'groundwork',
      'drafting',
      'consultation',
      'revision',
      'approval',
      'revision',
      'approval',
      'approval',
      'signing',
      'in-force',
      'notice',
      'in-force',
      'notice',
      'in-force',
      'notice',
      'in-force',
      'notice',
      'dissolved',
    ]);
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of rows) expect(row.key).toMatch(new RegExp(`^${row.kind}:\\d+$`));
    // Each n is the position of the stage's entry in the whole timeline.
    const positions = driver.state.timeline.flatMap((entry, i) => (entry.event.startsWith('stage:') ? [`${entry.event}:${i + 1}`] : []));
    expect(keys).toEqual(positions);
    // Every register row of the life is keyed once.
    const all = driver.effects.flatMap((e) => e.records.map((r) => r.key));
    expect(new Set(all).size).toBe(all.length);
    const mails = driver.effects.flatMap((e) => e.emails.map((m) => m.key));
    expect(new Set(mails).size).toBe(mails.length);
  });
});
