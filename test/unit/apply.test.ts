/**
 * domain/apply.ts: applyCommand records the facts a command carries and plans its emails.
 *
 * | command        | expects                                                                       |
 * |----------------|-------------------------------------------------------------------------------|
 * | submitDraft    | text: SHA-256 of the text (it wins over a sha256 given); documentUrl+sha256:   |
 * |                | the hash given                                                                |
 * | recordResolution| approval: the version and hash of the current draft; email to coordinator and|
 * |                | the party's champion                                                          |
 * | sign           | the version and hash signed                                                   |
 * | renew          | endsAt + termMonths calendar months, term.number + 1                          |
 * | amendTerm      | endsAt = the date at 00:00 UTC                                                |
 * | giveNotice     | noticeDays given, or defaultNoticeDays (60 for "60 days", 91 for "3 months") |
 * | withdrawNotice | withdrawnAt                                                                   |
 * | withdrawParty  | in force: withdrawing until now + noticePeriod; in development: withdrawn now |
 * | abandon        | stage abandoned with the reason                                               |
 * | every command  | planned recipients never repeat an address (case-insensitive)                 |
 */
import { createHash } from 'node:crypto';
import { applyCommand, type Applied } from '../../domain/apply';
import { commandRefusal, defaultNoticeDays, type CommandBody, type CommandName } from '../../domain/commands';
import { addDuration } from '../../domain/durations';
import { sha256Hex } from '../../domain/fingerprint';
import { obligations } from '../../domain/obligations';
import type { Actor } from '../../domain/schemas/commands';
import type { StartPartnership } from '../../domain/schemas/partnership';
import type { Stage } from '../../domain/stages';
import { activeParties, enterStage, initialState, type DraftRecord, type PartnershipState } from '../../domain/state';
import { contact, startRequest, withOak } from '../helpers/fixtures';
import { contentRef } from '../../domain/content';
import { DAY, isoDay } from '../../domain/time';

const T0 = Date.parse('2025-01-06T09:00:00Z');
const T1 = T0 + DAY;
const EFFECTIVE = Date.parse('2025-09-15T16:00:00Z');
const NOW = Date.parse('2026-02-10T13:45:00Z');

const coordinator: Actor = { role: 'coordinator' };

const TEXT = 'Entente de services partagés — version 1.\nLes parties conviennent de partager l’eau potable.';
const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function stateIn(stage: Stage, request: StartPartnership = startRequest()): PartnershipState {
  const state = initialState('water', request, T0);
  if (stage !== 'intake') enterStage(state, stage, T1);
  return state;
}

function draft(version: number): DraftRecord {
  const text = `Agreement, version ${version}`;
  return { version, title: `Version ${version}`, sha256: sha256Hex(text), text: contentRef(text), submittedAt: T1 };
}

function inForce(request: StartPartnership = startRequest()): PartnershipState {
  const state = stateIn('signing', request);
  state.drafts.push(draft(1), draft(2));
  state.approvalRound = { draftVersion: 2, since: T1 };
  state.signingRound = { draftVersion: 2, since: T1 };
  enterStage(state, 'in-force', EFFECTIVE);
  state.term = { effectiveAt: EFFECTIVE, effectiveOn: '2025-09-15', endsAt: Date.parse('2027-09-15T16:00:00Z'), number: 1 };
  return state;
}

/** Applies a command after checking the rules accept it, as the workflow does. */
function apply<N extends CommandName>(state: PartnershipState, name: N, body: CommandBody<N>, actor: Actor = coordinator, now = NOW): Applied {
  expect(commandRefusal(state, name, body, actor, now)).toBeUndefined();
  return applyCommand(state, name, body, actor, now);
}

describe('submitDraft', () => {
  test('with the text: stores the SHA-256 of the text (the same as node:crypto) and a reference to the text', () => {
    const state = stateIn('drafting');
    apply(state, 'submitDraft', { requestId: 'draft-v1-0001', version: 1, title: 'Entente', text: TEXT, summary: 'First draft' });
    expect(state.drafts).toEqual([
      { version: 1, title: 'Entente', sha256: nodeSha256(TEXT), text: contentRef(TEXT), summary: contentRef('First draft'), submittedAt: NOW },
    ]);
    expect(state.drafts[0]!.text!.sha256).toBe(nodeSha256(TEXT));
    expect(state.drafts[0]!.sha256).toBe(sha256Hex(TEXT));
    expect(state.timeline.at(-1)).toEqual({ at: NOW, event: 'draft-submitted', detail: 'version 1' });
  });

  test('with a documentUrl and its sha256: stores the hash given, and no text', () => {
    const state = stateIn('drafting');
    const hash = nodeSha256('the PDF bytes');
    apply(state, 'submitDraft', { requestId: 'draft-v1-0001', version: 1, title: 'Entente', documentUrl: 'https://docs.example.org/v1.pdf', sha256: hash });
    expect(state.drafts[0]).toEqual({ version: 1, title: 'Entente', sha256: hash, documentUrl: 'https://docs.example.org/v1.pdf', submittedAt: NOW });
  });

  test('with both the text and a sha256: the hash of the text wins', () => {
    const state = stateIn('drafting');
    apply(state, 'submitDraft', {
      requestId: 'draft-v1-0001',
      version: 1,
      title: 'Entente',
      text: TEXT,
      documentUrl: 'https://docs.example.org/v1.pdf',
      sha256: nodeSha256('other'),
    });
    expect(state.drafts[0]!.sha256).toBe(nodeSha256(TEXT));
    expect(state.drafts[0]!.documentUrl).toBe('https://docs.example.org/v1.pdf');
  });

  test('plans no email (the workflow announces the consultation)', () => {
    expect(apply(stateIn('drafting'), 'submitDraft', { requestId: 'draft-v1-0001', version: 1, title: 'Entente', text: TEXT })).toEqual({ notifications: [] });
  });
});

describe('recordResolution', () => {
  test('an approval records the version and hash of the draft under approval', () => {
    const state = stateIn('approval');
    state.drafts.push(draft(1), draft(2));
    state.approvalRound = { draftVersion: 2, since: T1 };
    const applied = apply(
      state,
      'recordResolution',
      {
        requestId: 'approval-maple-v2',
        partyId: 'maple',
        subject: 'approval',
        outcome: 'adopted',
        resolutionNumber: 'BC-2026-07',
        adoptedOn: '2026-02-09',
        draftVersion: 2,
      },
      { role: 'clerk', partyId: 'maple' },
    );
    expect(state.resolutions).toEqual([
      {
        partyId: 'maple',
        subject: 'approval',
        outcome: 'adopted',
        resolutionNumber: 'BC-2026-07',
        adoptedOn: '2026-02-09',
        draftVersion: 2,
        draftHash: draft(2).sha256,
        recordedAt: NOW,
        requestId: 'approval-maple-v2',
      },
    ]);
    expect(obligations(state).map((o) => o.partyId)).toEqual(['riverside']);
    expect(applied.partyId).toBe('maple');
    expect(applied.notifications.map((n) => [n.event, n.recipients.map((r) => r.email)])).toEqual([
      ['resolution-recorded', ['coordination@example.org', 'championne@maple.example']],
    ]);
  });

  test('a participation resolution records no draft', () => {
    const state = stateIn('commitment');
    state.drafts.push(draft(1)); // not possible in practice; shows the draft is not consulted
    const applied = apply(state, 'recordResolution', {
      requestId: 'part-riverside',
      partyId: 'riverside',
      subject: 'participation',
      outcome: 'rejected',
      resolutionNumber: 'R-1',
      adoptedOn: '2025-02-01',
      reason: 'Budget',
    });
    expect(state.resolutions[0]).not.toHaveProperty('draftVersion');
    expect(state.resolutions[0]).not.toHaveProperty('draftHash');
    expect(state.resolutions[0]!.reason).toBe('Budget');
    // The rejection's email says why.
    expect(applied.notifications.map((n) => [n.event, n.data.reason])).toEqual([['resolution-recorded', 'Budget']]);
  });
});

describe('sign', () => {
  test('records the signed version and its hash', () => {
    const state = stateIn('signing');
    state.drafts.push(draft(1), draft(2));
    state.approvalRound = { draftVersion: 2, since: T1 };
    state.signingRound = { draftVersion: 2, since: T1 };
    const body: CommandBody<'sign'> = {
      requestId: 'sign-riverside',
      partyId: 'riverside',
      signatoryName: 'Mona Mayor',
      signatoryTitle: 'Mayor',
      signedOn: '2026-02-10',
      draftVersion: 2,
    };
    expect(apply(state, 'sign', body, { role: 'signatory', partyId: 'riverside' })).toEqual({ partyId: 'riverside', notifications: [] });
    expect(state.signatures).toEqual([
      {
        partyId: 'riverside',
        signatoryName: 'Mona Mayor',
        signatoryTitle: 'Mayor',
        signedOn: '2026-02-10',
        draftVersion: 2,
        draftHash: draft(2).sha256,
        recordedAt: NOW,
      },
    ]);
  });
});

describe('renew', () => {
  test('extends the end by termMonths calendar months and starts term 2', () => {
    const state = inForce();
    const applied = apply(state, 'renew', { requestId: 'renew-0001', termMonths: 24, decidedOn: '2026-02-01' });
    expect(state.term).toEqual({ effectiveAt: EFFECTIVE, effectiveOn: '2025-09-15', endsAt: Date.parse('2029-09-15T16:00:00Z'), number: 2 });
    expect(applied.notifications).toHaveLength(1);
    expect(applied.notifications[0]!.event).toBe('renewed');
    expect(applied.notifications[0]!.data).toEqual({ endsOn: '2029-09-15', termMonths: 24 });
    apply(state, 'renew', { requestId: 'renew-0002', termMonths: 12, decidedOn: '2026-02-02' });
    expect(state.term!.number).toBe(3);
    expect(state.term!.endsAt).toBe(Date.parse('2030-09-15T16:00:00Z'));
  });

  test('calendar months: the end on 31 January plus one month is the last day of February', () => {
    const state = inForce();
    state.term!.endsAt = Date.parse('2027-01-31T00:00:00Z');
    apply(state, 'renew', { requestId: 'renew-0001', termMonths: 1, decidedOn: '2026-02-01' });
    expect(isoDay(state.term!.endsAt)).toBe('2027-02-28');
    expect(state.timeline.at(-1)).toEqual({ at: NOW, event: 'renewed', detail: '1 months, until 2027-02-28' });
  });
});

describe('amendTerm', () => {
  test('sets the end to the date, at midnight UTC, and tells everyone', () => {
    const state = inForce();
    const applied = apply(state, 'amendTerm', { requestId: 'amend-0001', newEndsOn: '2027-12-31', reason: 'Fiscal year' });
    expect(state.term!.endsAt).toBe(Date.parse('2027-12-31T00:00:00Z'));
    expect(state.term!.number).toBe(1);
    expect(applied.notifications.map((n) => [n.event, n.data])).toEqual([['term-amended', { endsOn: '2027-12-31', reason: 'Fiscal year' }]]);
    expect(applied.notifications[0]!.recipients).toHaveLength(7); // coordinator + 3 contacts × 2 parties
  });
});

describe('giveNotice', () => {
  test('uses the noticeDays given', () => {
    const state = inForce();
    const applied = apply(
      state,
      'giveNotice',
      { requestId: 'notice-maple', partyId: 'maple', reason: 'Merger', noticeDays: 90 },
      { role: 'champion', partyId: 'maple' },
    );
    expect(state.notice).toEqual({ partyId: 'maple', reason: 'Merger', noticeDays: 90, givenAt: NOW, endsAt: NOW + 90 * DAY });
    expect(applied.partyId).toBe('maple');
    expect(state.timeline.at(-1)).toEqual({ at: NOW, event: 'notice-given', partyId: 'maple', detail: '90 days' });
  });

  test.each<[string, StartPartnership, number]>([
    ['cipp-shared-services, "60 days"', startRequest(), 60],
    ['oden-mou, "30 days"', startRequest({ template: 'oden-mou' }), 30],
    ['oden-partnership-agreement, "3 months" (about 91.3 days)', startRequest({ template: 'oden-partnership-agreement' }), 91],
    ['start request "90 days"', startRequest({ durations: { noticePeriod: '90 days' } }), 90],
    ['start request "P2M"', startRequest({ durations: { noticePeriod: 'P2M' } }), 61],
  ])('without noticeDays, the agreement notice period: %s gives %i days', (_label, request, days) => {
    const state = inForce(request);
    expect(defaultNoticeDays(state)).toBe(days);
    apply(state, 'giveNotice', { requestId: 'notice-riverside', partyId: 'riverside', reason: 'Leaving' });
    expect(state.notice!.noticeDays).toBe(days);
    expect(state.notice!.endsAt).toBe(NOW + days * DAY);
  });
});

describe('withdrawNotice', () => {
  test('marks the running notice withdrawn', () => {
    const state = inForce();
    state.notice = { partyId: 'maple', reason: 'r', noticeDays: 60, givenAt: NOW - 5 * DAY, endsAt: NOW + 55 * DAY };
    enterStage(state, 'notice', NOW - 5 * DAY);
    apply(state, 'withdrawNotice', { requestId: 'unnotice-maple', partyId: 'maple' }, { role: 'champion', partyId: 'maple' });
    expect(state.notice!.withdrawnAt).toBe(NOW);
    expect(state.timeline.at(-1)).toEqual({ at: NOW, event: 'notice-withdrawn', partyId: 'maple' });
  });
});

describe('withdrawParty', () => {
  test('in force: withdrawing until now + the notice period; still bound meanwhile', () => {
    const state = inForce(withOak());
    const applied = apply(
      state,
      'withdrawParty',
      { requestId: 'withdraw-oak', partyId: 'oak', reason: 'Leaving the region' },
      { role: 'champion', partyId: 'oak' },
    );
    const oak = state.parties.find((p) => p.id === 'oak')!;
    expect(oak.status).toBe('withdrawing');
    expect(oak.withdrawsAt).toBe(NOW + 60 * DAY);
    expect(oak.withdrawalReason).toBe('Leaving the region');
    expect(activeParties(state).map((p) => p.id)).toContain('oak');
    expect(applied.notifications).toHaveLength(1);
    expect(applied.notifications[0]!.event).toBe('party-withdrawal');
    expect(applied.notifications[0]!.data).toEqual({ partyId: 'oak', reason: 'Leaving the region', effectiveOn: isoDay(NOW + 60 * DAY) });
    expect(applied.notifications[0]!.recipients.map((r) => r.email)).toEqual(
      expect.arrayContaining(['champion@oak.example', 'clerk@oak.example', 'chair@oak.example']),
    );
  });

  test('in force under a "3 months" notice period: calendar months', () => {
    const state = inForce(withOak({ template: 'oden-partnership-agreement' }));
    apply(state, 'withdrawParty', { requestId: 'withdraw-oak', partyId: 'oak', reason: 'Leaving' });
    expect(state.parties.find((p) => p.id === 'oak')!.withdrawsAt).toBe(Date.parse('2026-05-10T13:45:00Z'));
    expect(addDuration(NOW, { months: 3, ms: 0 })).toBe(Date.parse('2026-05-10T13:45:00Z'));
  });

  test('in development: withdrawn at once, and told of it with the others', () => {
    const state = stateIn('commitment', withOak());
    const applied = apply(state, 'withdrawParty', { requestId: 'withdraw-oak', partyId: 'oak', reason: 'No budget' });
    const oak = state.parties.find((p) => p.id === 'oak')!;
    expect(oak.status).toBe('withdrawn');
    expect(oak.withdrawsAt).toBe(NOW);
    expect(obligations(state).map((o) => o.partyId)).toEqual(['riverside', 'maple']);
    expect(applied.notifications[0]!.data.effectiveOn).toBe(isoDay(NOW));
    expect(applied.notifications[0]!.recipients.map((r) => r.email)).toContain('champion@oak.example');
    expect(state.timeline.at(-1)).toEqual({ at: NOW, event: 'party-withdrawn', partyId: 'oak' });
  });
});

describe('abandon', () => {
  test('enters abandoned with the reason and tells everyone', () => {
    const state = stateIn('groundwork');
    const applied = apply(state, 'abandon', { requestId: 'abandon-0001', reason: 'The councils changed their minds' });
    expect(state.stage).toBe('abandoned');
    expect(state.stageSince).toBe(NOW);
    expect(state.closedReason).toBe('The councils changed their minds');
    expect(state.timeline.at(-1)).toEqual({ at: NOW, event: 'stage:abandoned', detail: 'The councils changed their minds' });
    expect(applied.notifications.map((n) => [n.event, n.data])).toEqual([['process-abandoned', { reason: 'The councils changed their minds' }]]);
    expect(applied.notifications[0]!.recipients.map((r) => r.role).sort()).toEqual([
      'champion',
      'champion',
      'clerk',
      'clerk',
      'coordinator',
      'signatory',
      'signatory',
    ]);
    expect(commandRefusal(state, 'abandon', { requestId: 'abandon-0002', reason: 'again' }, coordinator, NOW)?.code).toBe('stage');
  });
});

describe('other commands', () => {
  test('recordIntakeDecision records the decision', () => {
    const state = stateIn('intake');
    apply(state, 'recordIntakeDecision', { requestId: 'intake-0001', accepted: true, interviewedOn: '2025-01-05', notes: 'Strong case' });
    expect(state.intake).toEqual({ accepted: true, interviewedOn: '2025-01-05', notes: contentRef('Strong case'), decidedAt: NOW });
    expect(state.timeline.at(-1)!.event).toBe('intake-accepted');
  });

  test('recordMilestone records a skip with its reason', () => {
    const state = stateIn('groundwork');
    apply(state, 'recordMilestone', { requestId: 'milestone-funding', milestone: 'funding-proposal', skipped: true, reason: 'Self-funded' });
    expect(state.milestones).toEqual([{ milestone: 'funding-proposal', skipped: true, reason: 'Self-funded', recordedAt: NOW }]);
  });

  test('submitFeedback is filed under the version under consultation and tells the coordinator', () => {
    const state = stateIn('consultation');
    state.drafts.push(draft(1), draft(2));
    state.consultations.push({ draftVersion: 2, opensAt: T1, closesAt: T1 + 30 * DAY });
    const applied = apply(
      state,
      'submitFeedback',
      { requestId: 'feedback-riverside', partyId: 'riverside', author: 'Rita', comments: 'OK' },
      { role: 'champion', partyId: 'riverside' },
    );
    expect(state.feedback).toEqual([{ draftVersion: 2, partyId: 'riverside', author: 'Rita', comments: contentRef('OK'), receivedAt: NOW }]);
    expect(obligations(state).map((o) => o.key)).toEqual(['feedback:v2:maple']);
    expect(applied.notifications.map((n) => n.recipients.map((r) => r.role))).toEqual([['coordinator']]);
  });
});

describe('planned recipients never repeat an address', () => {
  /** Small parties where one person wears several hats, written in different cases. */
  function sharedContacts(): StartPartnership {
    const request = withOak();
    const [riverside, maple, oak] = request.parties as [
      StartPartnership['parties'][number],
      StartPartnership['parties'][number],
      StartPartnership['parties'][number],
    ];
    riverside.contacts.clerk = contact('Rita Champion', 'CHAMPION@riverside.example');
    maple.contacts.signatory = contact('Lise Championne', 'Championne@Maple.example', { title: 'Cheffe' });
    oak.contacts.clerk = contact('Owen Champion', 'champion@oak.example');
    oak.contacts.signatory = contact('Owen Champion', 'Champion@Oak.Example', { title: 'Chair' });
    return request;
  }

  /** Every command that plans an email, each in a state that accepts it. */
  function plannedByEveryCommand(request: StartPartnership): Array<[string, Applied]> {
    const out: Array<[string, Applied]> = [];
    const run = <N extends CommandName>(state: PartnershipState, name: N, body: CommandBody<N>) => out.push([name, apply(state, name, body)]);

    run(stateIn('commitment', request), 'recordResolution', {
      requestId: 'res-riverside',
      partyId: 'riverside',
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: 'R-1',
      adoptedOn: '2025-02-01',
    });
    const consultation = stateIn('consultation', request);
    consultation.drafts.push(draft(1));
    consultation.consultations.push({ draftVersion: 1, opensAt: T1, closesAt: T1 + 30 * DAY });
    run(consultation, 'submitFeedback', { requestId: 'feedback-maple', partyId: 'maple', author: 'Lise', comments: 'OK' });
    run(inForce(request), 'amendTerm', { requestId: 'amend-0001', newEndsOn: '2027-12-31', reason: 'Fiscal year' });
    run(inForce(request), 'renew', { requestId: 'renew-0001', termMonths: 24, decidedOn: '2026-02-01' });
    run(inForce(request), 'withdrawParty', { requestId: 'withdraw-oak', partyId: 'oak', reason: 'Leaving' });
    run(stateIn('groundwork', request), 'withdrawParty', { requestId: 'withdraw-oak', partyId: 'oak', reason: 'Leaving' });
    run(stateIn('approval', request), 'abandon', { requestId: 'abandon-0001', reason: 'Stalled' });
    return out;
  }

  test.each<[string, () => StartPartnership]>([
    ['distinct contacts', () => withOak()],
    ['contacts shared within a party, in different cases', sharedContacts],
  ])('%s', (_label, request) => {
    const planned = plannedByEveryCommand(request());
    expect(planned.map(([name]) => name)).toEqual(['recordResolution', 'submitFeedback', 'amendTerm', 'renew', 'withdrawParty', 'withdrawParty', 'abandon']);
    for (const [name, applied] of planned) {
      for (const notification of applied.notifications) {
        expect(notification.recipients.length).toBeGreaterThan(0);
        const addresses = notification.recipients.map((r) => r.email.toLowerCase());
        expect([name, notification.event, addresses]).toEqual([name, notification.event, [...new Set(addresses)]]);
      }
    }
  });

  test('with shared contacts, an email to everyone reaches each person once', () => {
    const planned = plannedByEveryCommand(sharedContacts());
    const abandon = planned.find(([name]) => name === 'abandon')![1];
    // coordinator; riverside: champion=clerk, signatory; maple: champion=signatory, clerk; oak: one person.
    expect(abandon.notifications[0]!.recipients.map((r) => r.email.toLowerCase())).toEqual([
      'coordination@example.org',
      'champion@riverside.example',
      'mayor@riverside.example',
      'championne@maple.example',
      'greffe@maple.example',
      'champion@oak.example',
    ]);
  });
});
