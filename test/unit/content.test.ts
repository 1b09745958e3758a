/**
 * The claim check and the bounds of the state (domain/content.ts, domain/commands.ts,
 * domain/limits.ts, domain/apply.ts, domain/view.ts): pure, no Temporal.
 *
 * | subject                                  | expects                                                             |
 * |------------------------------------------|---------------------------------------------------------------------|
 * | excerptOf                                | whitespace collapsed; at most 200 characters and …; no half emoji   |
 * | contentRef                               | SHA-256 and byte size as node:crypto and Buffer compute them        |
 * | nodeContentRef (the API's), claimCheck   | the same reference as contentRef, for every text; claimCheck uses   |
 * |   with it                                | the maker it is given                                               |
 * | asContentRef (the normaliser)            | a string becomes its reference; a reference is kept as it is        |
 * | COMMANDS[name].schema / .command         | body takes texts, command takes references, each refuses the other; |
 * |                                          | refinements hold on both; commands without texts: the same schema   |
 * | claimCheck                               | each text field becomes a reference; texts listed once to store     |
 * | claimCheck's split at INLINE_TEXT_BYTES  | up to 1,024 UTF-8 bytes carried along (`texts`), one more: stored   |
 * |                                          | first (`contents`); counted in bytes, not characters                |
 * | inlineTextsIssue (the workflow's check)  | none or the command's own texts: fine; not a list, too many, another|
 * |                                          | shape, over the limit, not a reference of the command, another size |
 * |                                          | or an altered text: refused, saying which and why                   |
 * | commandEffects / decisionRequest         | the carried texts go with the command's row, and no other row       |
 * | normaliseCommand / applyCommand          | a legacy command (plain texts) gives the state a reference does     |
 * | resolution reason                        | state keeps its excerpt (emails quote it) and the reference         |
 * | normaliseState / partnershipView         | a state carried from before the claim check shows the same view     |
 * | feedback limit                           | the 6th entry of a party in a round: invalid (422), names the limit;|
 * |                                          | other parties, other rounds unaffected; community: 50 per round     |
 * | tails                                    | drafts 10, reviews 10, past notices 5, approval resolutions and     |
 * |                                          | signatures of 2 versions, feedback of 2 rounds, applied ids 100     |
 * | the state at every limit                 | 20 parties, every text at its maximum: JSON under 1 MiB             |
 */
import { createHash } from 'node:crypto';
import { applyCommand } from '../../domain/apply';
import { claimCheck, COMMAND_NAMES, COMMANDS, commandRefusal, normaliseCommand, type CommandBody, type CommandName } from '../../domain/commands';
import { asContentRef, contentRef, EXCERPT_CHARS, excerptOf, INLINE_TEXT_BYTES, type StoredContent } from '../../domain/content';
import { inlineTextsIssue } from '../../domain/command-shape';
import { commandEffects, decisionRequest } from '../../domain/lifecycle';
import { keepLastRounds, LIMITS } from '../../domain/limits';
import { nodeContentRef } from '../../api/fingerprint';
import type { Actor } from '../../domain/schemas/commands';
import type { StartPartnership } from '../../domain/schemas/partnership';
import type { Stage } from '../../domain/stages';
import { enterStage, initialState, normaliseState, type PartnershipState } from '../../domain/state';
import { partnershipView } from '../../domain/view';
import { contact, startRequest } from '../helpers/fixtures';
import { DAY } from '../../domain/time';

const T0 = Date.parse('2026-01-05T09:00:00Z');
const NOW = T0 + 100 * DAY;
const coordinator: Actor = { role: 'coordinator' };
const championOf = (partyId: string): Actor => ({ role: 'champion', partyId });
const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const X = (n: number, unit = 'x') => unit.repeat(n);

function stateIn(stage: Stage, request: StartPartnership = startRequest()): PartnershipState {
  const state = initialState('water', request, T0);
  if (stage !== 'intake') enterStage(state, stage, T0 + DAY);
  return state;
}

function inConsultation(version = 1, request?: StartPartnership): PartnershipState {
  const state = stateIn('drafting', request);
  for (let v = 1; v <= version; v++)
    applyCommand(state, 'submitDraft', { requestId: `draft-v${v}-0001`, version: v, title: `V${v}`, text: `Text ${v}` }, coordinator, NOW);
  enterStage(state, 'consultation', NOW);
  state.consultations.push({ draftVersion: version, opensAt: NOW, closesAt: NOW + 30 * DAY });
  return state;
}

/** One valid body per command, with its texts. */
const BODIES: { [N in CommandName]: CommandBody<N> } = {
  recordIntakeDecision: { requestId: 'intake-0001', accepted: true, interviewedOn: '2026-01-15', notes: 'Ready.\n\nBoth councils.' },
  recordResolution: {
    requestId: 'res-00001',
    partyId: 'riverside',
    subject: 'approval',
    outcome: 'rejected',
    resolutionNumber: 'R-1',
    adoptedOn: '2026-02-01',
    draftVersion: 1,
    reason: 'Costs unclear.',
  },
  recordMilestone: { requestId: 'mile-00001', milestone: 'launch-workshop', completedOn: '2026-02-01', notes: 'Held in the town hall.' },
  submitDraft: { requestId: 'draft-0001', version: 1, title: 'Agreement', text: 'The parties agree.\n', summary: 'First version' },
  submitFeedback: { requestId: 'feed-00001', partyId: 'riverside', author: 'Council', comments: 'Clarify the cost sharing.' },
  sign: { requestId: 'sign-00001', partyId: 'riverside', signatoryName: 'Mona', signatoryTitle: 'Mayor', signedOn: '2026-03-01', draftVersion: 1 },
  recordReview: { requestId: 'review-0001', heldOn: '2026-06-01', findings: 'On track.' },
  amendTerm: { requestId: 'amend-0001', newEndsOn: '2030-01-01', reason: 'Fiscal year' },
  renew: { requestId: 'renew-0001', termMonths: 24, decidedOn: '2026-06-01' },
  giveNotice: { requestId: 'notice-0001', partyId: 'riverside', reason: 'Merger' },
  withdrawNotice: { requestId: 'unnotice-01', partyId: 'riverside' },
  withdrawParty: { requestId: 'withdraw-01', partyId: 'riverside', reason: 'Leaving' },
  abandon: { requestId: 'abandon-001', reason: 'No longer needed' },
  replaceContact: { requestId: 'contact-001', partyId: 'riverside', role: 'clerk', contact: { name: 'Nora Clerk', email: 'nora@riverside.example' } },
  setPartyRole: { requestId: 'role-000001', partyId: 'riverside', role: 'provider' },
  setMeetingCalendar: { requestId: 'calendar-01', partyId: 'riverside', calendar: { meetings: ['2026-12-08'] } },
};

describe('excerpts and references', () => {
  test('a short text is its own excerpt, with its whitespace collapsed', () => {
    expect(excerptOf('  one\n\n\ttwo   three \r\n')).toBe('one two three');
  });

  test('a long text is cut at 200 characters, with …', () => {
    const excerpt = excerptOf(`${X(150, 'a')}\n\n${X(300, 'b')}`);
    expect(excerpt).toBe(`${X(150, 'a')} ${X(EXCERPT_CHARS - 151, 'b')}…`);
    expect(excerpt.length).toBe(EXCERPT_CHARS + 1);
  });

  test('an emoji is never cut in half', () => {
    const excerpt = excerptOf(`${X(EXCERPT_CHARS - 1)}🌊${X(10)}`);
    expect(excerpt).toBe(`${X(EXCERPT_CHARS - 1)}…`);
    expect(() => encodeURIComponent(excerpt)).not.toThrow();
  });

  test('contentRef: the SHA-256 and byte size node computes', () => {
    const text = 'Entente — l’eau 🌊\r\n';
    expect(contentRef(text)).toEqual({ sha256: nodeSha256(text), size: Buffer.byteLength(text, 'utf8'), excerpt: 'Entente — l’eau 🌊' });
  });

  test.each([
    ['empty', ''],
    ['accents, emoji, CRLF', 'Entente — l’eau 🌊\r\n'],
    ['a lone surrogate', 'x\uD800y'],
    ['long', `${X(5000, 'é')}\n${X(70_000, 'b')}`],
  ])("nodeContentRef, the API's: the reference contentRef makes (%s)", (_what, text) => {
    expect(nodeContentRef(text)).toEqual(contentRef(text));
  });

  test('claimCheck makes each reference with the maker it is given', () => {
    const made: string[] = [];
    const body = COMMANDS.submitDraft.schema.parse(BODIES.submitDraft) as CommandBody<'submitDraft'>;
    const { command } = claimCheck('submitDraft', body, (text) => {
      made.push(text);
      return nodeContentRef(text);
    });
    expect(made).toEqual([body.text, body.summary].filter((t) => t !== undefined));
    expect(command).toEqual(claimCheck('submitDraft', body).command);
  });

  test('the normaliser turns a string into its reference and keeps a reference', () => {
    const ref = contentRef('some text');
    expect(asContentRef('some text')).toEqual(ref);
    expect(asContentRef(ref)).toBe(ref);
  });
});

describe('short texts carried along with their command', () => {
  const review = (findings: string) => claimCheck('recordReview', { requestId: 'review-0001', heldOn: '2026-06-01', findings });
  const stored = (text: string): StoredContent => ({ sha256: nodeSha256(text), size: Buffer.byteLength(text, 'utf8'), body: text });

  test('up to INLINE_TEXT_BYTES UTF-8 bytes a text goes along; one byte more, it is stored first', () => {
    expect(INLINE_TEXT_BYTES).toBe(1024);
    expect(review(X(1024))).toMatchObject({ texts: [stored(X(1024))], contents: [] });
    expect(review(X(1025))).toMatchObject({ texts: [], contents: [stored(X(1025))] });
    // 512 "é" are 1,024 bytes; 513 are 1,026 bytes in 513 characters.
    expect(review(X(512, 'é')).texts).toHaveLength(1);
    expect(review(X(513, 'é'))).toMatchObject({ texts: [], contents: [stored(X(513, 'é'))] });
  });

  test('a draft with a long text and a short summary: the summary along, the text stored first', () => {
    const { command, texts, contents } = claimCheck('submitDraft', { requestId: 'draft-0001', version: 1, title: 'T', text: X(5000), summary: 'What changed' });
    expect(texts).toEqual([stored('What changed')]);
    expect(contents).toEqual([stored(X(5000))]);
    expect(command.summary).toEqual(contentRef('What changed'));
  });

  describe('the workflow checks what a command carries (inlineTextsIssue)', () => {
    const { command, texts } = review('Targets met; two follow-ups.');
    const refused = (value: unknown, target: unknown = command) => inlineTextsIssue('recordReview', target, value);

    test("nothing, or the command's own texts, is fine", () => {
      expect(refused(undefined)).toBeUndefined();
      expect(refused([])).toBeUndefined();
      expect(refused(texts)).toBeUndefined();
    });

    test('anything else is refused, saying which and why', () => {
      const [text] = texts as [StoredContent];
      expect(refused('Targets met')).toMatch(/^texts: a list of at most 1 for recordReview/);
      expect(refused([text, text])).toMatch(/^texts: a list of at most 1/);
      expect(refused([{ ...text, extra: 1 }])).toMatch(/^texts\[0\]: expected \{ sha256, size, body \}/);
      expect(refused([null])).toMatch(/^texts\[0\]: expected/);
      expect(refused([{ sha256: text.sha256, size: '28', body: text.body }])).toMatch(/^texts\[0\]: expected/);
      expect(refused([stored(X(2000))], review(X(2000)).command)).toMatch(/more than the 1024 bytes/);
      expect(refused([stored('another text')])).toMatch(/not the text of one of the command's references/);
      expect(refused([{ ...text, size: text.size + 1 }])).toMatch(/not the text of one of the command's references/);
      // The same size and hash, another text: an altered body is caught by its hash.
      expect(refused([{ ...text, body: 'Targets met; two follow-upz.' }])).toMatch(/does not match its reference/);
      expect(refused(texts, { requestId: 'review-0001', heldOn: '2026-06-01' })).toMatch(/not the text of one of the command's references/);
    });
  });

  test("the texts go with the command's row, and with no other", () => {
    const state = stateIn('in-force');
    const { command, texts } = review('Targets met.');
    const effects = commandEffects(state, 'recordReview', command, coordinator, NOW, texts);
    expect(effects.records).toHaveLength(1);
    expect(effects.records[0]!.contents).toEqual([stored('Targets met.')]);
    expect(decisionRequest(state, effects.records[0]!, NOW).contents).toEqual([stored('Targets met.')]);
    const without = commandEffects(stateIn('in-force'), 'recordReview', review('Targets met.').command, coordinator, NOW);
    expect(without.records[0]).not.toHaveProperty('contents');
    expect(decisionRequest(state, without.records[0]!, NOW)).not.toHaveProperty('contents');
  });
});

describe('one definition, two schemas', () => {
  // A council's calendar is not claim-checked but expanded by the API into its dates (meeting-calendars.test.ts).
  test.each(COMMAND_NAMES.filter((name) => name !== 'setMeetingCalendar'))('%s: the body takes texts, the workflow command their references', (name) => {
    const body = COMMANDS[name].schema.parse(BODIES[name]) as CommandBody<typeof name>;
    const { command, texts, contents } = claimCheck(name, body);
    expect(COMMANDS[name].command.safeParse(command).success).toBe(true);
    const fields = COMMANDS[name].contents as readonly string[];
    // The example bodies' texts are all short: every one is carried along, none stored first.
    expect(contents).toEqual([]);
    expect(texts.map((c) => c.body)).toEqual(fields.map((f) => (body as Record<string, unknown>)[f]).filter((v) => v !== undefined));
    if (fields.length === 0) {
      expect(COMMANDS[name].command).toBe(COMMANDS[name].schema);
      expect(command).toEqual(body);
      return;
    }
    // Each refuses the other's shape: the workflow never takes a text, the API never a reference.
    expect(COMMANDS[name].command.safeParse(body).success).toBe(false);
    expect(COMMANDS[name].schema.safeParse(command).success).toBe(false);
    for (const field of fields) {
      expect((command as Record<string, unknown>)[field]).toEqual(contentRef((body as Record<string, string>)[field]!));
    }
  });

  test('the refinements hold on both', () => {
    const noText = { requestId: 'draft-0001', version: 1, title: 'T' };
    expect(COMMANDS.submitDraft.schema.safeParse(noText).error?.issues[0]?.message).toMatch(/give the text/);
    expect(COMMANDS.submitDraft.command.safeParse(noText).error?.issues[0]?.message).toMatch(/give the text/);
    const both = { requestId: 'feed-00001', partyId: 'riverside', community: 'Elders', author: 'A' };
    expect(COMMANDS.submitFeedback.schema.safeParse({ ...both, comments: 'c' }).success).toBe(false);
    expect(COMMANDS.submitFeedback.command.safeParse({ ...both, comments: contentRef('c') }).success).toBe(false);
    const approvalWithoutVersion = { ...BODIES.recordResolution, draftVersion: undefined };
    expect(COMMANDS.recordResolution.command.safeParse(claimCheck('recordResolution', approvalWithoutVersion).command).error?.issues[0]?.path).toEqual([
      'draftVersion',
    ]);
  });

  test('a reference is refused when it is malformed or larger than its field allows', () => {
    const ref = contentRef('c');
    const command = (comments: unknown) => ({ requestId: 'feed-00001', partyId: 'riverside', author: 'A', comments });
    expect(COMMANDS.submitFeedback.command.safeParse(command(ref)).success).toBe(true);
    expect(COMMANDS.submitFeedback.command.safeParse(command({ ...ref, sha256: 'ABC' })).success).toBe(false);
    expect(COMMANDS.submitFeedback.command.safeParse(command({ ...ref, excerpt: X(EXCERPT_CHARS + 2) })).success).toBe(false);
    expect(COMMANDS.submitFeedback.command.safeParse(command({ ...ref, size: 20_000 * 4 + 1 })).success).toBe(false);
    expect(COMMANDS.submitFeedback.command.safeParse(command({ ...ref, text: 'smuggled' })).success).toBe(false);
  });

  test('the same text in two fields is carried or stored once', () => {
    const short = claimCheck('submitDraft', { requestId: 'draft-0001', version: 1, title: 'T', text: 'same', summary: 'same' });
    expect(short).toMatchObject({ texts: [{ sha256: nodeSha256('same'), size: 4, body: 'same' }], contents: [] });
    const long = claimCheck('submitDraft', { requestId: 'draft-0001', version: 1, title: 'T', text: X(2000), summary: X(2000) });
    expect(long).toMatchObject({ texts: [], contents: [{ sha256: nodeSha256(X(2000)), size: 2000, body: X(2000) }] });
  });
});

describe('replay: commands recorded with plain texts', () => {
  test.each(COMMAND_NAMES)('%s: normalised, a legacy command is the command sent today', (name) => {
    const body = COMMANDS[name].schema.parse(BODIES[name]) as CommandBody<typeof name>;
    const { command } = claimCheck(name, body);
    expect(normaliseCommand(name, body)).toEqual(command);
    expect(normaliseCommand(name, command)).toBe(command);
  });

  test.each<[CommandName, Stage]>([
    ['recordIntakeDecision', 'intake'],
    ['recordMilestone', 'groundwork'],
    ['submitDraft', 'drafting'],
    ['submitFeedback', 'consultation'],
    ['recordReview', 'in-force'],
  ])('%s: a legacy command and its references leave the same state', (name, stage) => {
    const make = () => (stage === 'consultation' ? inConsultation() : stateIn(stage));
    const legacy = make();
    const today = make();
    const body = BODIES[name];
    applyCommand(legacy, name, body, coordinator, NOW);
    applyCommand(today, name, claimCheck(name, body).command, coordinator, NOW);
    expect(legacy).toEqual(today);
  });

  test('a draft keeps the SHA-256 of its text, as approvals and signatures compare it', () => {
    const state = stateIn('drafting');
    applyCommand(state, 'submitDraft', claimCheck('submitDraft', COMMANDS.submitDraft.schema.parse(BODIES.submitDraft)).command, coordinator, NOW);
    expect(state.drafts[0]!.sha256).toBe(nodeSha256('The parties agree.'));
    expect(state.drafts[0]!.text).toEqual(contentRef('The parties agree.'));
  });

  test("a resolution's reason: its excerpt for emails, and the reference", () => {
    const reason = `${X(300, 'r')} end`;
    const state = stateIn('commitment');
    applyCommand(
      state,
      'recordResolution',
      { requestId: 'part-0001', partyId: 'riverside', subject: 'participation', outcome: 'rejected', resolutionNumber: 'R-1', adoptedOn: '2026-02-01', reason },
      coordinator,
      NOW,
    );
    expect(state.resolutions[0]!.reason).toBe(excerptOf(reason));
    expect(state.resolutions[0]!.reasonRef).toEqual(contentRef(reason));
    expect(partnershipView(state).resolutions[0]!.reason).toEqual({ ...contentRef(reason), url: `/partnerships/water/contents/${nodeSha256(reason)}` });
  });

  test('a state carried from before the claim check: normalised, and shown the same either way', () => {
    const today = inConsultation();
    applyCommand(today, 'recordIntakeDecision', BODIES.recordIntakeDecision, coordinator, NOW);
    applyCommand(today, 'submitFeedback', BODIES.submitFeedback, championOf('riverside'), NOW);
    today.reviews.push({ heldOn: '2026-06-01', findings: contentRef('On track.'), recordedAt: NOW });
    today.resolutions.push({
      partyId: 'maple',
      subject: 'participation',
      outcome: 'rejected',
      resolutionNumber: 'M-1',
      adoptedOn: '2026-02-01',
      reason: excerptOf(X(500)),
      reasonRef: contentRef(X(500)),
      recordedAt: NOW,
      requestId: 'res-legacy',
    });
    // The same state as an old run would have carried it through continue-as-new.
    const legacy = JSON.parse(JSON.stringify(today)) as any;
    legacy.intake.notes = BODIES.recordIntakeDecision.notes;
    legacy.drafts[0].text = 'Text 1';
    legacy.feedback[0].comments = 'Clarify the cost sharing.';
    legacy.reviews[0].findings = 'On track.';
    legacy.resolutions[0].reason = X(500);
    delete legacy.resolutions[0].reasonRef;
    expect(partnershipView(legacy)).toEqual(partnershipView(today));
    expect(normaliseState(legacy)).toEqual(today);
  });

  test('the view links every text to the contents route of its partnership', () => {
    const state = inConsultation();
    applyCommand(state, 'submitFeedback', BODIES.submitFeedback, championOf('riverside'), NOW);
    const view = partnershipView(state);
    expect(view.drafts[0]!.text).toEqual({ ...contentRef('Text 1'), url: `/partnerships/water/contents/${nodeSha256('Text 1')}` });
    expect(view.feedback[0]!.comments.url).toBe(`/partnerships/water/contents/${nodeSha256('Clarify the cost sharing.')}`);
  });
});

describe('limits', () => {
  const feedback = (partyId: string, n: number): CommandBody<'submitFeedback'> => ({
    requestId: `feed-${partyId}-${n}`,
    partyId,
    author: 'Council',
    comments: `Comment ${n}`,
  });

  test(`a party's feedback: ${LIMITS.feedbackPerPartyPerRound} per round, then 422 naming the limit; other parties and rounds unaffected`, () => {
    const state = inConsultation(1);
    for (let n = 1; n <= LIMITS.feedbackPerPartyPerRound; n++) {
      expect(commandRefusal(state, 'submitFeedback', feedback('riverside', n), championOf('riverside'), NOW)).toBeUndefined();
      applyCommand(state, 'submitFeedback', feedback('riverside', n), championOf('riverside'), NOW);
    }
    const refusal = commandRefusal(state, 'submitFeedback', feedback('riverside', 99), championOf('riverside'), NOW);
    expect(refusal).toEqual({
      code: 'invalid',
      message: `party "riverside" has sent 5 feedback entries on version 1: the limit is 5 per party per consultation round`,
    });
    // The coordinator acting for the party counts against the same limit.
    expect(commandRefusal(state, 'submitFeedback', feedback('riverside', 98), coordinator, NOW)?.code).toBe('invalid');
    expect(commandRefusal(state, 'submitFeedback', feedback('maple', 1), championOf('maple'), NOW)).toBeUndefined();
    // A new round starts afresh.
    applyCommand(state, 'submitDraft', { requestId: 'draft-v2-0001', version: 2, title: 'V2', text: 'Text 2' }, coordinator, NOW);
    expect(commandRefusal(state, 'submitFeedback', feedback('riverside', 100), championOf('riverside'), NOW)).toBeUndefined();
  });

  test(`community feedback: ${LIMITS.communityFeedbackPerRound} per round`, () => {
    const state = inConsultation(1);
    const community = (n: number): CommandBody<'submitFeedback'> => ({
      requestId: `community-${n}`,
      community: 'Residents',
      author: `Resident ${n}`,
      comments: 'c',
    });
    for (let n = 1; n <= LIMITS.communityFeedbackPerRound; n++) applyCommand(state, 'submitFeedback', community(n), coordinator, NOW);
    expect(commandRefusal(state, 'submitFeedback', community(0), coordinator, NOW)).toEqual({
      code: 'invalid',
      message: '50 community feedback entries were received on version 1: the limit is 50 per consultation round',
    });
    expect(commandRefusal(state, 'submitFeedback', feedback('maple', 1), championOf('maple'), NOW)).toBeUndefined();
  });
});

describe('tails: the state keeps the last entries, the register all', () => {
  test(`drafts: the last ${LIMITS.draftsKept}`, () => {
    const state = stateIn('drafting');
    for (let v = 1; v <= 25; v++)
      applyCommand(state, 'submitDraft', { requestId: `draft-v${v}-0001`, version: v, title: `V${v}`, text: `Text ${v}` }, coordinator, NOW);
    expect(state.drafts.map((d) => d.version)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(commandRefusal(state, 'submitDraft', { requestId: 'draft-v26-0001', version: 26, title: 'V26', text: 'x' }, coordinator, NOW)).toBeUndefined();
  });

  test(`reviews: the last ${LIMITS.reviewsKept}`, () => {
    const state = stateIn('in-force');
    for (let n = 1; n <= 30; n++)
      applyCommand(
        state,
        'recordReview',
        { requestId: `review-${String(n).padStart(4, '0')}`, heldOn: '2026-06-01', findings: `Review ${n}` },
        coordinator,
        NOW + n,
      );
    expect(state.reviews.map((r) => r.findings.excerpt)).toEqual(Array.from({ length: 10 }, (_, i) => `Review ${21 + i}`));
  });

  test(`past notices: the last ${LIMITS.pastNoticesKept}, trimmed when the next notice is given`, () => {
    const state = stateIn('in-force');
    for (let n = 1; n <= 12; n++) {
      applyCommand(
        state,
        'giveNotice',
        { requestId: `notice-${String(n).padStart(4, '0')}`, partyId: 'riverside', reason: `Reason ${n}`, noticeDays: 30 },
        coordinator,
        NOW + n,
      );
      // What the workflow does when the notice is withdrawn.
      state.pastNotices.push({ ...state.notice!, withdrawnAt: NOW + n });
      state.notice = undefined;
    }
    expect(state.pastNotices.length).toBeLessThanOrEqual(LIMITS.pastNoticesKept + 1);
    expect(state.pastNotices.at(-1)!.reason).toBe('Reason 12');
  });

  test(`approval resolutions and signatures: those of the last ${LIMITS.roundsKept} versions; participation resolutions all`, () => {
    const state = stateIn('commitment');
    for (const partyId of ['riverside', 'maple']) {
      applyCommand(
        state,
        'recordResolution',
        { requestId: `part-${partyId}`, partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: `P-${partyId}`, adoptedOn: '2026-02-01' },
        coordinator,
        NOW,
      );
    }
    enterStage(state, 'drafting', NOW);
    for (let v = 1; v <= 6; v++) {
      applyCommand(state, 'submitDraft', { requestId: `draft-v${v}-0001`, version: v, title: `V${v}`, text: `Text ${v}` }, coordinator, NOW);
      for (const partyId of ['riverside', 'maple']) {
        applyCommand(
          state,
          'recordResolution',
          {
            requestId: `appr-${partyId}-${v}`,
            partyId,
            subject: 'approval',
            outcome: 'adopted',
            resolutionNumber: `A-${v}`,
            adoptedOn: '2026-03-01',
            draftVersion: v,
          },
          coordinator,
          NOW,
        );
        state.signingRound = { draftVersion: v, since: NOW };
        applyCommand(
          state,
          'sign',
          { requestId: `sign-${partyId}-${v}`, partyId, signatoryName: 'S', signatoryTitle: 'Mayor', signedOn: '2026-03-02', draftVersion: v },
          coordinator,
          NOW,
        );
      }
    }
    expect(state.resolutions.map((r) => `${r.subject}:${r.draftVersion ?? '-'}:${r.partyId}`)).toEqual([
      'participation:-:riverside',
      'participation:-:maple',
      'approval:5:riverside',
      'approval:5:maple',
      'approval:6:riverside',
      'approval:6:maple',
    ]);
    expect(state.signatures.map((s) => s.draftVersion)).toEqual([5, 5, 6, 6]);
  });

  test('feedback: that of the last 2 rounds', () => {
    const list = [1, 1, 2, 3, 3, 3].map((draftVersion) => ({ draftVersion }));
    keepLastRounds(list, (f) => f.draftVersion, LIMITS.feedbackRoundsKept);
    expect(list.map((f) => f.draftVersion)).toEqual([2, 3, 3, 3]);
  });

  test(`applied request ids: the last ${LIMITS.appliedKept}, by time, integer-like ids included`, () => {
    const state = stateIn('in-force');
    for (let n = 1; n <= 150; n++) {
      const requestId = n % 2 ? `${10_000_000 + n}` : `review-${n}-abc`;
      state.applied[requestId] = { command: 'recordReview', fingerprint: 'f', at: NOW + n };
      applyCommand(state, 'recordReview', { requestId, heldOn: '2026-06-01', findings: 'ok' }, coordinator, NOW + n);
    }
    const kept = Object.values(state.applied)
      .map((a) => a.at - NOW)
      .sort((a, b) => a - b);
    expect(kept).toEqual(Array.from({ length: LIMITS.appliedKept }, (_, i) => 51 + i));
  });
});

test('the state at every limit, with every text at its maximum, stays under 1 MiB of JSON', () => {
  // 20 parties (the most a start request takes), every name and address at its longest.
  const long = (n: number, c = 'n') => X(n, c);
  const party = (i: number): StartPartnership['parties'][number] => ({
    id: `party-${String(i).padStart(2, '0')}${long(30, 'p')}`,
    legalName: long(200),
    kind: 'municipality',
    governingBody: long(200),
    language: 'fr',
    contacts: {
      champion: contact(long(200), `${long(60, 'c')}${i}@example.org`),
      clerk: contact(long(200), `${long(60, 'k')}${i}@example.org`),
      signatory: contact(long(200), `${long(60, 's')}${i}@example.org`, { title: long(200) }),
    },
  });
  const request = startRequest({ parties: Array.from({ length: 20 }, (_, i) => party(i)) });
  const ids = request.parties.map((p) => p.id);
  const state = stateIn('commitment', request);
  let t = NOW;
  const rid = (label: string) => `${label.slice(0, 10)}-${X(70, 'i')}-${t++}`;
  const send = <N extends CommandName>(name: N, body: Omit<CommandBody<N>, 'requestId'>) => {
    const full = { requestId: rid(name), ...body } as CommandBody<N>;
    const parsed = COMMANDS[name].schema.parse(full) as CommandBody<N>;
    const command = claimCheck(name, parsed).command;
    state.applied[full.requestId] = { command: name, fingerprint: X(64, 'f'), at: t };
    applyCommand(state, name, command, coordinator, t);
  };
  const url = `https://docs.example.org/${long(1900, 'u')}`;
  const reason = (c: string) => long(2000, c);
  applyCommand(
    state,
    'recordIntakeDecision',
    { requestId: rid('intake'), accepted: true, interviewedOn: '2026-01-15', notes: long(5000, 'a') },
    coordinator,
    t,
  );
  for (const partyId of ids) {
    send('recordResolution', {
      partyId,
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: long(100),
      adoptedOn: '2026-02-01',
      documentUrl: url,
      reason: long(5000, 'b'),
    });
  }
  enterStage(state, 'groundwork', t);
  for (const milestone of ['launch-workshop', 'communication-protocol', 'feasibility-study', 'public-engagement-strategy', 'review-workshop'] as const) {
    send('recordMilestone', { milestone, completedOn: '2026-02-10', notes: long(5000, 'c') });
  }
  send('recordMilestone', { milestone: 'funding-proposal', skipped: true, reason: reason('d') });
  for (let v = 1; v <= 30; v++) {
    send('submitDraft', { version: v, title: long(300), text: long(100_000, 'e'), documentUrl: url, summary: long(5000, 'f') });
    state.stage = 'consultation';
    for (const partyId of ids) {
      for (let n = 0; n < LIMITS.feedbackPerPartyPerRound; n++) send('submitFeedback', { partyId, author: long(200), comments: long(20_000, 'g') });
    }
    for (let n = 0; n < LIMITS.communityFeedbackPerRound; n++) send('submitFeedback', { community: long(200), author: long(200), comments: long(20_000, 'h') });
    state.stage = 'approval';
    for (const partyId of ids) {
      send('recordResolution', {
        partyId,
        subject: 'approval',
        outcome: 'rejected',
        resolutionNumber: long(100),
        adoptedOn: '2026-03-01',
        draftVersion: v,
        documentUrl: url,
        reason: long(5000, 'i'),
      });
      state.signingRound = { draftVersion: v, since: t };
      send('sign', { partyId, signatoryName: long(200), signatoryTitle: long(200), signedOn: '2026-03-02', draftVersion: v });
    }
  }
  state.stage = 'in-force';
  state.term = { effectiveAt: t, effectiveOn: '2026-04-01', endsAt: t + 3650 * DAY, number: 1 };
  for (let n = 0; n < 40; n++) send('recordReview', { heldOn: '2026-06-01', findings: long(20_000, 'j') });
  for (let n = 0; n < 20; n++) {
    send('giveNotice', { partyId: ids[0]!, reason: reason('k') });
    state.pastNotices.push({ ...state.notice!, withdrawnAt: t });
  }
  send('giveNotice', { partyId: ids[1]!, reason: reason('l') });
  for (const party of state.parties) party.withdrawalReason = reason('m');
  state.closedReason = reason('o');

  // The timeline and the reminder tracks are the workflow core's to bound: left out here.
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
  const measured = { ...state, timeline: [], reminders: {} };
  expect(state.drafts).toHaveLength(LIMITS.draftsKept);
  expect(state.reviews).toHaveLength(LIMITS.reviewsKept);
  expect(Object.keys(state.applied)).toHaveLength(LIMITS.appliedKept);
  expect(state.feedback).toHaveLength(LIMITS.feedbackRoundsKept * (20 * LIMITS.feedbackPerPartyPerRound + LIMITS.communityFeedbackPerRound));
  expect(size(measured)).toBeLessThan(1024 * 1024);
  expect(size({ ...partnershipView(state), timeline: [] })).toBeLessThan(1024 * 1024);
});
