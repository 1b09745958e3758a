/**
 * domain/commands.ts: commandRefusal across the lifecycle, one case per class of refusal, with the
 * message checked. States are built with initialState + enterStage, then the fields a stage relies
 * on (drafts, approvalRound, signingRound, term, notice) are set directly, as the workflow would.
 *
 * | command          | refused when                                                        | code      |
 * |------------------|---------------------------------------------------------------------|-----------|
 * | submitDraft      | version is not the next one                                         | conflict  |
 * | submitDraft      | outside drafting / revision / approval / signing                    | stage     |
 * | recordResolution | approval naming another version, or the wrong SHA-256               | conflict  |
 * | recordResolution | second approval by the same party on the same version               | conflict  |
 * | sign             | during approval (approvals still missing)                           | stage     |
 * | sign             | naming a version other than the approved one, or the wrong SHA-256  | conflict  |
 * | sign             | twice by the same party                                             | conflict  |
 * | sign             | by a clerk, a coordinator, another party's signatory                | forbidden |
 * | recordMilestone  | skipping a non-skippable milestone (skippable funding-proposal ok)  | invalid   |
 * | recordMilestone  | the same milestone twice                                            | conflict  |
 * | recordMilestone  | review-workshop outside consultation / revision                     | stage     |
 * | submitFeedback   | outside consultation                                                | stage     |
 * | renew            | outside in-force; during notice (withdraw it first)                 | stage     |
 * | giveNotice       | a notice is running (names the party)                               | stage     |
 * | withdrawNotice   | by a party other than the one that gave it                          | conflict  |
 * | withdrawParty    | from a two-party partnership in force (three: allowed)              | conflict  |
 * | abandon          | once in force                                                       | stage     |
 * | amendTerm        | a date not in the future                                            | invalid   |
 * | any party command| a champion of A acting for B; a champion without partyId            | forbidden |
 */
import { commandRefusal, type CommandBody, type Refusal } from '../../domain/commands';
import { sha256Hex } from '../../domain/fingerprint';
import type { Actor } from '../../domain/schemas/commands';
import type { StartPartnership } from '../../domain/schemas/partnership';
import { DEVELOPMENT_STAGES, type Stage } from '../../domain/stages';
import { addDuration } from '../../domain/durations';
import { enterStage, initialState, type DraftRecord, type PartnershipState, type ResolutionRecord } from '../../domain/state';
import { startRequest, withOak } from '../helpers/fixtures';
import { contentRef } from '../../domain/content';
import { DAY } from '../../domain/time';

const T0 = Date.parse('2025-03-03T09:00:00Z');
const T1 = T0 + DAY;
const NOW = T0 + 400 * DAY; // 2026-04-07

const coordinator: Actor = { role: 'coordinator' };
const clerkOf = (partyId: string): Actor => ({ role: 'clerk', partyId });
const signatoryOf = (partyId: string): Actor => ({ role: 'signatory', partyId });
const championOf = (partyId: string): Actor => ({ role: 'champion', partyId });

const textOf = (version: number) => `Entente de services partagés, version ${version}.`;
const hashOf = (version: number) => sha256Hex(textOf(version));

function draft(version: number): DraftRecord {
  return { version, title: `Version ${version}`, sha256: hashOf(version), text: contentRef(textOf(version)), submittedAt: T1 + version * DAY };
}

function stateIn(stage: Stage, request: StartPartnership = startRequest()): PartnershipState {
  const state = initialState('water', request, T0);
  if (stage !== 'intake') enterStage(state, stage, T1);
  return state;
}

/** Approval of version `version` (drafts 1..version submitted). */
function inApproval(version = 2, request?: StartPartnership): PartnershipState {
  const state = stateIn('approval', request);
  for (let v = 1; v <= version; v++) state.drafts.push(draft(v));
  state.revisionOf = version - 1;
  state.approvalRound = { draftVersion: version, since: T1 };
  return state;
}

function inSigning(version = 2, request?: StartPartnership): PartnershipState {
  const state = inApproval(version, request);
  enterStage(state, 'signing', T1 + 10 * DAY);
  state.signingRound = { draftVersion: version, since: T1 + 10 * DAY };
  return state;
}

const EFFECTIVE = Date.parse('2025-09-15T12:00:00Z');

function inForce(request?: StartPartnership): PartnershipState {
  const state = inSigning(2, request);
  enterStage(state, 'in-force', EFFECTIVE);
  state.term = { effectiveAt: EFFECTIVE, effectiveOn: '2025-09-15', endsAt: addDuration(EFFECTIVE, { months: 24, ms: 0 }), number: 1 };
  return state;
}

function inNotice(partyId = 'riverside', request?: StartPartnership): PartnershipState {
  const state = inForce(request);
  const givenAt = EFFECTIVE + 100 * DAY;
  state.notice = { partyId, reason: 'Budget cuts', noticeDays: 60, givenAt, endsAt: givenAt + 60 * DAY };
  enterStage(state, 'notice', givenAt);
  return state;
}

const submitDraft = (version: number): CommandBody<'submitDraft'> => ({
  requestId: `draft-v${version}-0001`,
  version,
  title: `Version ${version}`,
  text: textOf(version),
});

const approval = (partyId: string, draftVersion: number, overrides: Partial<CommandBody<'recordResolution'>> = {}): CommandBody<'recordResolution'> => ({
  requestId: `approval-${partyId}-v${draftVersion}`,
  partyId,
  subject: 'approval',
  outcome: 'adopted',
  resolutionNumber: `A-${partyId}-${draftVersion}`,
  adoptedOn: '2025-08-01',
  draftVersion,
  ...overrides,
});

function approvalRecord(partyId: string, draftVersion: number, outcome: 'adopted' | 'rejected' = 'adopted'): ResolutionRecord {
  return {
    partyId,
    subject: 'approval',
    outcome,
    resolutionNumber: `RES-${partyId}-${draftVersion}`,
    adoptedOn: '2025-08-01',
    draftVersion,
    draftHash: hashOf(draftVersion),
    recordedAt: T1 + 5 * DAY,
    requestId: `approval-${partyId}-v${draftVersion}`,
  };
}

const sign = (partyId: string, draftVersion: number, overrides: Partial<CommandBody<'sign'>> = {}): CommandBody<'sign'> => ({
  requestId: `sign-${partyId}-v${draftVersion}`,
  partyId,
  signatoryName: 'Mona Mayor',
  signatoryTitle: 'Mayor',
  signedOn: '2025-09-10',
  draftVersion,
  ...overrides,
});

const milestone = (name: CommandBody<'recordMilestone'>['milestone'], skipped = false): CommandBody<'recordMilestone'> =>
  skipped
    ? { requestId: `milestone-${name}`, milestone: name, skipped: true, reason: 'Not needed here' }
    : { requestId: `milestone-${name}`, milestone: name, completedOn: '2025-04-01' };

const feedback = (partyId: string): CommandBody<'submitFeedback'> => ({
  requestId: `feedback-${partyId}`,
  partyId,
  author: 'Rita Champion',
  comments: 'Fine by us.',
});
const renew: CommandBody<'renew'> = { requestId: 'renew-0001', termMonths: 24, decidedOn: '2027-03-01' };
const giveNotice = (partyId: string): CommandBody<'giveNotice'> => ({ requestId: `notice-${partyId}`, partyId, reason: 'We merge with a neighbour' });
const withdrawNotice = (partyId: string): CommandBody<'withdrawNotice'> => ({ requestId: `unnotice-${partyId}`, partyId });
const withdrawParty = (partyId: string): CommandBody<'withdrawParty'> => ({ requestId: `withdraw-${partyId}`, partyId, reason: 'Leaving the region' });
const abandon: CommandBody<'abandon'> = { requestId: 'abandon-0001', reason: 'The parties changed their minds' };
const amendTerm = (newEndsOn: string): CommandBody<'amendTerm'> => ({ requestId: `amend-${newEndsOn}`, newEndsOn, reason: 'Aligned on the fiscal year' });

describe('submitDraft', () => {
  test('version 1 is accepted in drafting; any other version is a conflict naming both', () => {
    const state = stateIn('drafting');
    expect(commandRefusal(state, 'submitDraft', submitDraft(1), coordinator, NOW)).toBeUndefined();
    const refusal = commandRefusal(state, 'submitDraft', submitDraft(2), coordinator, NOW);
    expect(refusal).toEqual({ code: 'conflict', message: 'the next draft is version 1, not 2' });
  });

  test('in revision the next version follows the last one: resubmitting or skipping one is a conflict', () => {
    const state = stateIn('revision');
    state.drafts.push(draft(1), draft(2));
    expect(commandRefusal(state, 'submitDraft', submitDraft(3), coordinator, NOW)).toBeUndefined();
    for (const version of [1, 2, 4]) {
      const refusal = commandRefusal(state, 'submitDraft', submitDraft(version), coordinator, NOW);
      expect(refusal?.code).toBe('conflict');
      expect(refusal?.message).toBe(`the next draft is version 3, not ${version}`);
    }
  });

  test.each<[Stage]>([['approval'], ['signing']])('a new version may be submitted during %s (it asks for new approvals)', (stage) => {
    const state = stage === 'approval' ? inApproval(2) : inSigning(2);
    expect(commandRefusal(state, 'submitDraft', submitDraft(3), coordinator, NOW)).toBeUndefined();
  });

  test.each<[Stage]>([['intake'], ['commitment'], ['groundwork'], ['consultation'], ['in-force'], ['notice']])(
    'refused with code stage during %s, naming the stages where it fits',
    (stage) => {
      const state = stateIn(stage);
      const refusal = commandRefusal(state, 'submitDraft', submitDraft(1), coordinator, NOW);
      expect(refusal?.code).toBe('stage');
      expect(refusal?.message).toBe(`drafts are submitted during drafting or revision or approval or signing; the partnership is in ${stage}`);
    },
  );

  test('only the coordinator submits drafts', () => {
    const refusal = commandRefusal(stateIn('drafting'), 'submitDraft', submitDraft(1), championOf('riverside'), NOW);
    expect(refusal).toEqual({ code: 'forbidden', message: 'a champion may not send submitDraft' });
  });
});

describe('recordResolution (approval)', () => {
  test('the clerk of a party approves the version under approval, with or without its hash', () => {
    const state = inApproval(2);
    expect(commandRefusal(state, 'recordResolution', approval('riverside', 2), clerkOf('riverside'), NOW)).toBeUndefined();
    expect(commandRefusal(state, 'recordResolution', approval('riverside', 2, { draftHash: hashOf(2) }), clerkOf('riverside'), NOW)).toBeUndefined();
  });

  test('naming another version is a conflict naming both versions', () => {
    const refusal = commandRefusal(inApproval(2), 'recordResolution', approval('maple', 1), clerkOf('maple'), NOW);
    expect(refusal).toEqual({ code: 'conflict', message: 'the draft under approval is version 2; this resolution names version 1' });
  });

  test('the right version with the hash of another is a conflict giving the right hash', () => {
    const refusal = commandRefusal(inApproval(2), 'recordResolution', approval('maple', 2, { draftHash: hashOf(1) }), clerkOf('maple'), NOW);
    expect(refusal?.code).toBe('conflict');
    expect(refusal?.message).toContain('version 2');
    expect(refusal?.message).toContain(hashOf(2));
  });

  test('a second approval resolution by the same party on the same version is a conflict naming the first', () => {
    const state = inApproval(2);
    state.resolutions.push(approvalRecord('riverside', 2));
    const refusal = commandRefusal(state, 'recordResolution', approval('riverside', 2, { requestId: 'approval-riverside-again' }), coordinator, NOW);
    expect(refusal).toEqual({ code: 'conflict', message: 'party "riverside" already has approval resolution RES-riverside-2 on version 2' });
    // The other party may still resolve.
    expect(commandRefusal(state, 'recordResolution', approval('maple', 2), coordinator, NOW)).toBeUndefined();
  });

  test('a resolution on an earlier version does not block the new round', () => {
    const state = inApproval(3);
    state.resolutions.push(approvalRecord('riverside', 2, 'rejected'));
    expect(commandRefusal(state, 'recordResolution', approval('riverside', 3), clerkOf('riverside'), NOW)).toBeUndefined();
  });

  test('outside approval it is refused with code stage', () => {
    const refusal = commandRefusal(inSigning(2), 'recordResolution', approval('riverside', 2), coordinator, NOW);
    expect(refusal).toEqual({ code: 'stage', message: 'approval resolutions are recorded during approval; the partnership is in signing' });
  });
});

describe('sign', () => {
  test("each party's signatory signs the approved version, with or without its hash", () => {
    const state = inSigning(2);
    expect(commandRefusal(state, 'sign', sign('riverside', 2), signatoryOf('riverside'), NOW)).toBeUndefined();
    expect(commandRefusal(state, 'sign', sign('maple', 2, { draftHash: hashOf(2) }), signatoryOf('maple'), NOW)).toBeUndefined();
  });

  test('before every approval is in, the refusal says approvals are still missing', () => {
    const state = inApproval(2);
    state.resolutions.push(approvalRecord('riverside', 2));
    const refusal = commandRefusal(state, 'sign', sign('riverside', 2), signatoryOf('riverside'), NOW);
    expect(refusal?.code).toBe('stage');
    expect(refusal?.message).toContain('approvals are still missing');
    expect(refusal?.message).toContain('version 2');
  });

  test('in a stage other than approval or signing, the plain stage refusal', () => {
    const refusal = commandRefusal(stateIn('consultation'), 'sign', sign('riverside', 1), signatoryOf('riverside'), NOW);
    expect(refusal).toEqual({ code: 'stage', message: 'the agreement is signed during signing; the partnership is in consultation' });
  });

  test('naming a version other than the approved one is a conflict', () => {
    const refusal = commandRefusal(inSigning(2), 'sign', sign('riverside', 1), signatoryOf('riverside'), NOW);
    expect(refusal).toEqual({ code: 'conflict', message: 'the approved version is 2; this signature names version 1' });
  });

  test('the approved version with the hash of another is a conflict', () => {
    const refusal = commandRefusal(inSigning(2), 'sign', sign('riverside', 2, { draftHash: hashOf(1) }), signatoryOf('riverside'), NOW);
    expect(refusal?.code).toBe('conflict');
    expect(refusal?.message).toContain(hashOf(2));
  });

  /** Riverside's signatory signed version 2 the day before. */
  const signedVersion2ForRiverside = (state: ReturnType<typeof inSigning>) =>
    state.signatures.push({
      partyId: 'riverside',
      signatoryName: 'Mona Mayor',
      signatoryTitle: 'Mayor',
      signedOn: '2025-09-10',
      draftVersion: 2,
      draftHash: hashOf(2),
      recordedAt: NOW - DAY,
    });

  test('signing twice is a conflict; the other party may still sign', () => {
    const state = inSigning(2);
    signedVersion2ForRiverside(state);
    const refusal = commandRefusal(state, 'sign', sign('riverside', 2, { requestId: 'sign-again-0001' }), signatoryOf('riverside'), NOW);
    expect(refusal).toEqual({ code: 'conflict', message: 'party "riverside" has already signed version 2' });
    expect(commandRefusal(state, 'sign', sign('maple', 2), signatoryOf('maple'), NOW)).toBeUndefined();
  });

  test('a signature of an earlier signing round does not count for the new one', () => {
    const state = inSigning(3);
    signedVersion2ForRiverside(state);
    expect(commandRefusal(state, 'sign', sign('riverside', 3), signatoryOf('riverside'), NOW)).toBeUndefined();
  });

  test.each<[string, Actor, string]>([
    ['a clerk of the party', clerkOf('riverside'), 'a clerk may not send sign'],
    ['the coordinator', coordinator, 'a coordinator may not send sign'],
    ['a champion of the party', championOf('riverside'), 'a champion may not send sign'],
    ['the signatory of another party', signatoryOf('maple'), 'a signatory of another party may not act for party "riverside"'],
  ])('%s may not sign (forbidden)', (_who, actor, message) => {
    expect(commandRefusal(inSigning(2), 'sign', sign('riverside', 2), actor, NOW)).toEqual({ code: 'forbidden', message });
  });

  test('an unknown party is refused before the signing rules', () => {
    const refusal = commandRefusal(inSigning(2), 'sign', sign('atlantis', 2), signatoryOf('atlantis'), NOW);
    expect(refusal).toEqual({ code: 'unknown-party', message: 'no party "atlantis" in this partnership' });
  });
});

describe('recordMilestone', () => {
  test('a required, non-skippable milestone may not be skipped (invalid, naming the template)', () => {
    const refusal = commandRefusal(stateIn('groundwork'), 'recordMilestone', milestone('communication-protocol', true), coordinator, NOW);
    expect(refusal).toEqual({ code: 'invalid', message: 'milestone communication-protocol may not be skipped in cipp-shared-services' });
  });

  test('funding-proposal may be skipped in cipp-shared-services, and completed', () => {
    const state = stateIn('groundwork');
    expect(commandRefusal(state, 'recordMilestone', milestone('funding-proposal', true), coordinator, NOW)).toBeUndefined();
    expect(commandRefusal(state, 'recordMilestone', milestone('funding-proposal'), coordinator, NOW)).toBeUndefined();
  });

  test('which milestones may be skipped depends on the template', () => {
    const agreement = stateIn('groundwork', startRequest({ template: 'oden-partnership-agreement' }));
    expect(commandRefusal(agreement, 'recordMilestone', milestone('funding-proposal', true), coordinator, NOW)).toEqual({
      code: 'invalid',
      message: 'milestone funding-proposal may not be skipped in oden-partnership-agreement',
    });
    expect(commandRefusal(agreement, 'recordMilestone', milestone('feasibility-study', true), coordinator, NOW)).toBeUndefined();
    const mou = stateIn('groundwork', startRequest({ template: 'oden-mou' }));
    expect(commandRefusal(mou, 'recordMilestone', milestone('communication-protocol', true), coordinator, NOW)).toBeUndefined();
    expect(commandRefusal(mou, 'recordMilestone', milestone('launch-workshop', true), coordinator, NOW)?.code).toBe('invalid');
  });

  test('recording a milestone twice is a conflict, skipped or not', () => {
    const state = stateIn('groundwork');
    state.milestones.push({ milestone: 'launch-workshop', completedOn: '2025-03-20', recordedAt: T1 + DAY });
    state.milestones.push({ milestone: 'funding-proposal', skipped: true, reason: 'none needed', recordedAt: T1 + DAY });
    expect(commandRefusal(state, 'recordMilestone', milestone('launch-workshop'), coordinator, NOW)).toEqual({
      code: 'conflict',
      message: 'milestone launch-workshop is already recorded',
    });
    expect(commandRefusal(state, 'recordMilestone', milestone('funding-proposal'), coordinator, NOW)?.code).toBe('conflict');
    expect(commandRefusal(state, 'recordMilestone', milestone('feasibility-study'), coordinator, NOW)).toBeUndefined();
  });

  test('groundwork milestones are refused outside groundwork', () => {
    const refusal = commandRefusal(stateIn('drafting'), 'recordMilestone', milestone('feasibility-study'), coordinator, NOW);
    expect(refusal).toEqual({ code: 'stage', message: 'groundwork milestones are recorded during groundwork; the partnership is in drafting' });
  });

  test.each<[Stage]>([['consultation'], ['revision']])('the review workshop is recorded during %s', (stage) => {
    expect(commandRefusal(stateIn(stage), 'recordMilestone', milestone('review-workshop'), coordinator, NOW)).toBeUndefined();
  });

  test.each<[Stage]>([['groundwork'], ['drafting'], ['approval'], ['in-force']])('the review workshop is refused during %s', (stage) => {
    const refusal = commandRefusal(stateIn(stage), 'recordMilestone', milestone('review-workshop'), coordinator, NOW);
    expect(refusal).toEqual({ code: 'stage', message: `the review workshop is recorded during consultation or revision; the partnership is in ${stage}` });
  });

  test('the review workshop twice is a conflict', () => {
    const state = stateIn('revision');
    state.milestones.push({ milestone: 'review-workshop', completedOn: '2025-06-01', recordedAt: T1 + DAY });
    expect(commandRefusal(state, 'recordMilestone', milestone('review-workshop'), coordinator, NOW)?.code).toBe('conflict');
  });
});

describe('submitFeedback', () => {
  test("during consultation a champion sends their party's feedback, the coordinator the community's", () => {
    const state = stateIn('consultation');
    expect(commandRefusal(state, 'submitFeedback', feedback('riverside'), championOf('riverside'), NOW)).toBeUndefined();
    const community: CommandBody<'submitFeedback'> = {
      requestId: 'feedback-community',
      community: 'Lakeshore residents',
      author: 'J. Doe',
      comments: 'Please publish the minutes.',
    };
    expect(commandRefusal(state, 'submitFeedback', community, coordinator, NOW)).toBeUndefined();
  });

  test.each<[Stage]>([['drafting'], ['revision'], ['approval'], ['in-force']])('refused with code stage during %s', (stage) => {
    const refusal = commandRefusal(stateIn(stage), 'submitFeedback', feedback('riverside'), championOf('riverside'), NOW);
    expect(refusal).toEqual({ code: 'stage', message: `feedback is received during consultation; the partnership is in ${stage}` });
  });
});

describe('renew', () => {
  test('accepted in force', () => {
    expect(commandRefusal(inForce(), 'renew', renew, coordinator, NOW)).toBeUndefined();
  });

  test('refused during notice: the notice must be withdrawn first', () => {
    expect(commandRefusal(inNotice(), 'renew', renew, coordinator, NOW)).toEqual({
      code: 'stage',
      message: 'a notice is running; withdraw it before renewing',
    });
  });

  test.each<[Stage]>([['signing'], ['approval'], ['groundwork']])('refused during %s', (stage) => {
    const refusal = commandRefusal(stateIn(stage), 'renew', renew, coordinator, NOW);
    expect(refusal).toEqual({ code: 'stage', message: `the agreement is renewed during in-force; the partnership is in ${stage}` });
  });
});

describe('giveNotice and withdrawNotice', () => {
  test("a party's champion or the coordinator may give notice in force", () => {
    const state = inForce();
    expect(commandRefusal(state, 'giveNotice', giveNotice('maple'), championOf('maple'), NOW)).toBeUndefined();
    expect(commandRefusal(state, 'giveNotice', giveNotice('maple'), coordinator, NOW)).toBeUndefined();
  });

  test('a second notice while one runs does not fit the stage: refused naming the party that gave it and when it ends', () => {
    const state = inNotice('riverside');
    const refusal = commandRefusal(state, 'giveNotice', giveNotice('maple'), championOf('maple'), NOW);
    expect(refusal?.code).toBe('stage');
    expect(refusal?.message).toContain('"riverside"');
    expect(refusal?.message).toContain(new Date(state.notice!.endsAt).toISOString().slice(0, 10));
  });

  test('notice is refused before the agreement is in force', () => {
    const refusal = commandRefusal(inSigning(2), 'giveNotice', giveNotice('maple'), championOf('maple'), NOW);
    expect(refusal).toEqual({ code: 'stage', message: 'written notice is given during in-force; the partnership is in signing' });
  });

  test('the party that gave notice, or the coordinator for it, may withdraw it', () => {
    const state = inNotice('riverside');
    expect(commandRefusal(state, 'withdrawNotice', withdrawNotice('riverside'), championOf('riverside'), NOW)).toBeUndefined();
    expect(commandRefusal(state, 'withdrawNotice', withdrawNotice('riverside'), coordinator, NOW)).toBeUndefined();
  });

  test('another party may not withdraw it (conflict naming both)', () => {
    const state = inNotice('riverside');
    const expected = { code: 'conflict', message: 'the notice running was given by "riverside", not "maple"' };
    expect(commandRefusal(state, 'withdrawNotice', withdrawNotice('maple'), championOf('maple'), NOW)).toEqual(expected);
    expect(commandRefusal(state, 'withdrawNotice', withdrawNotice('maple'), coordinator, NOW)).toEqual(expected);
  });

  test('withdrawing a notice when none runs is refused with code stage', () => {
    expect(commandRefusal(inForce(), 'withdrawNotice', withdrawNotice('riverside'), championOf('riverside'), NOW)?.code).toBe('stage');
  });
});

describe('withdrawParty', () => {
  test('from a two-party partnership in force: refused, give notice instead', () => {
    const refusal = commandRefusal(inForce(), 'withdrawParty', withdrawParty('maple'), championOf('maple'), NOW);
    expect(refusal).toEqual({ code: 'conflict', message: 'a party may withdraw only from a partnership of three or more; with two, give notice instead' });
  });

  test('from a three-party partnership in force: allowed', () => {
    expect(commandRefusal(inForce(withOak()), 'withdrawParty', withdrawParty('oak'), championOf('oak'), NOW)).toBeUndefined();
  });

  test('a party already withdrawing may not withdraw again, and a second withdrawal would leave one', () => {
    const state = inForce(withOak());
    const oak = state.parties.find((p) => p.id === 'oak')!;
    oak.status = 'withdrawing';
    oak.withdrawsAt = NOW + 60 * DAY;
    expect(commandRefusal(state, 'withdrawParty', withdrawParty('oak'), championOf('oak'), NOW)).toEqual({
      code: 'conflict',
      message: 'party "oak" is already withdrawing',
    });
    expect(commandRefusal(state, 'withdrawParty', withdrawParty('maple'), championOf('maple'), NOW)?.code).toBe('conflict');
  });

  test('in development at least two parties must remain', () => {
    expect(commandRefusal(stateIn('groundwork'), 'withdrawParty', withdrawParty('maple'), coordinator, NOW)).toEqual({
      code: 'conflict',
      message: 'at least two parties must remain; abandon the process instead',
    });
    expect(commandRefusal(stateIn('groundwork', withOak()), 'withdrawParty', withdrawParty('maple'), coordinator, NOW)).toBeUndefined();
  });

  test.each<[Stage]>([['intake'], ['notice']])('refused with code stage during %s', (stage) => {
    const state = stage === 'notice' ? inNotice('riverside', withOak()) : stateIn(stage, withOak());
    const refusal = commandRefusal(state, 'withdrawParty', withdrawParty('oak'), coordinator, NOW);
    expect(refusal?.code).toBe('stage');
    expect(refusal?.message).toContain(`the partnership is in ${stage}`);
  });
});

describe('abandon', () => {
  test.each(DEVELOPMENT_STAGES.map((s) => [s]))('the coordinator may abandon during %s', (stage) => {
    expect(commandRefusal(stateIn(stage), 'abandon', abandon, coordinator, NOW)).toBeUndefined();
  });

  test.each<[Stage]>([['in-force'], ['notice']])('refused once the agreement is signed (%s)', (stage) => {
    const state = stage === 'notice' ? inNotice() : inForce();
    const refusal = commandRefusal(state, 'abandon', abandon, coordinator, NOW);
    expect(refusal?.code).toBe('stage');
    expect(refusal?.message).toContain('a process is abandoned during intake or commitment');
    expect(refusal?.message).toContain(`the partnership is in ${stage}`);
  });

  test('a champion may not abandon', () => {
    expect(commandRefusal(stateIn('groundwork'), 'abandon', abandon, championOf('riverside'), NOW)?.code).toBe('forbidden');
  });
});

describe('amendTerm', () => {
  test('a future end is accepted, in force and during notice', () => {
    expect(commandRefusal(inForce(), 'amendTerm', amendTerm('2027-12-31'), coordinator, NOW)).toBeUndefined();
    expect(commandRefusal(inNotice(), 'amendTerm', amendTerm('2027-12-31'), coordinator, NOW)).toBeUndefined();
  });

  test.each([['2026-01-01'], ['2026-04-07']])('an end not in the future (%s, now is 2026-04-07T09:00Z) is invalid', (date) => {
    expect(commandRefusal(inForce(), 'amendTerm', amendTerm(date), coordinator, NOW)).toEqual({
      code: 'invalid',
      message: `the new end ${date} is not in the future`,
    });
  });

  test('refused before the agreement is in force', () => {
    expect(commandRefusal(inSigning(2), 'amendTerm', amendTerm('2027-12-31'), coordinator, NOW)?.code).toBe('stage');
  });
});

describe('recordReview', () => {
  test('accepted in force and during notice, refused before', () => {
    const review: CommandBody<'recordReview'> = { requestId: 'review-0001', heldOn: '2026-03-15', findings: 'On track.' };
    expect(commandRefusal(inForce(), 'recordReview', review, coordinator, NOW)).toBeUndefined();
    expect(commandRefusal(inNotice(), 'recordReview', review, coordinator, NOW)).toBeUndefined();
    expect(commandRefusal(inSigning(2), 'recordReview', review, coordinator, NOW)).toEqual({
      code: 'stage',
      message: 'performance reviews are recorded during in-force or notice; the partnership is in signing',
    });
  });
});

describe('party roles act only for their own party', () => {
  test.each<[string, () => Refusal | undefined]>([
    ['giveNotice', () => commandRefusal(inForce(), 'giveNotice', giveNotice('maple'), championOf('riverside'), NOW)],
    ['withdrawNotice', () => commandRefusal(inNotice('maple'), 'withdrawNotice', withdrawNotice('maple'), championOf('riverside'), NOW)],
    ['submitFeedback', () => commandRefusal(stateIn('consultation'), 'submitFeedback', feedback('maple'), championOf('riverside'), NOW)],
    ['withdrawParty', () => commandRefusal(inForce(withOak()), 'withdrawParty', withdrawParty('maple'), championOf('riverside'), NOW)],
  ])('a champion of riverside may not send %s for maple', (_name, refuse) => {
    expect(refuse()).toEqual({ code: 'forbidden', message: 'a champion of another party may not act for party "maple"' });
  });

  test('a champion without partyId in the body is told to give it', () => {
    const community: CommandBody<'submitFeedback'> = { requestId: 'feedback-community', community: 'Lakeshore residents', author: 'J. Doe', comments: 'Yes.' };
    expect(commandRefusal(stateIn('consultation'), 'submitFeedback', community, championOf('riverside'), NOW)).toEqual({
      code: 'forbidden',
      message: 'a champion acts only for their own party: give partyId',
    });
  });

  test('a champion whose key names no party may not act for any party', () => {
    const refusal = commandRefusal(inForce(), 'giveNotice', giveNotice('riverside'), { role: 'champion' }, NOW);
    expect(refusal?.code).toBe('forbidden');
    expect(refusal?.message).toContain('"riverside"');
  });

  test('the authorisation check comes before the stage check', () => {
    // giveNotice is out of stage in signing, but the wrong champion hears "forbidden" first.
    expect(commandRefusal(inSigning(2), 'giveNotice', giveNotice('maple'), championOf('riverside'), NOW)?.code).toBe('forbidden');
  });
});
