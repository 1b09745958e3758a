/**
 * Bounded state, whatever is sent (issue 8, point 1): a partnership flooded over HTTP with every
 * command that carries text, each sent to its limit, against the Temporal CLI dev server, a real
 * worker, SMTP receiver and SQLite register.
 *
 * | step                                                    | expects                                                          |
 * |---------------------------------------------------------|------------------------------------------------------------------|
 * | intake notes, participation reasons, milestone notes    | accepted at their maximum length; one character more: 422 naming |
 * | and a skip reason, each at its maximum                  | the field and its maximum                                        |
 * | draft v1: 100,000 characters of text, summary 5,000     | accepted; the state holds its SHA-256, size and excerpt          |
 * | 110 feedback POSTs of 20,000 characters, one champion key | the first 5 applied, the other 105 refused 422 naming the limit; |
 * |                                                         | the coordinator gets 5 feedback emails, not 110                  |
 * | 51 community feedback entries (coordinator)             | 50 applied, the 51st refused 422 naming the limit                |
 * | 12 rounds: a 100,000-character draft, then an approval  | the state keeps the last 10 drafts and the resolutions of 2      |
 * | rejected with a 5,000-character reason                  | versions; every draft still served whole                         |
 * | approval, signatures, then 15 reviews of 20,000         | the state keeps the last 10 reviews                              |
 * | 8 notices (2,000-character reasons) given and withdrawn | past notices bounded                                             |
 * | 5 amended terms with 2,000-character reasons            | accepted                                                         |
 * | a party withdrawn and a process abandoned (reasons 2,000)| accepted; 2,001: 422                                            |
 * | after all that                                          | GET state answers; its JSON and the largest payload in every run |
 * |                                                         | of the workflow's history (update arguments and results, activity|
 * |                                                         | inputs, the continue-as-new state) stay under 256 KiB; no text   |
 * |                                                         | beyond its excerpt ever entered the history                      |
 * | GET /partnerships/:id/contents/:sha256                  | the full text byte for byte, text/plain; 404 for an unknown hash,|
 * |                                                         | another partnership's text, or a key of another partnership      |
 * | a request id older than the last 100 the state keeps    | answered as a repeat from the register (200, nothing new); with  |
 * |                                                         | another body, 409                                                |
 */
import { createHash } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { LIMITS } from '../../domain';
import { COORDINATOR_KEY, eventually, issueKey, startE2eStack, type ApiCall, type ApiResponse, type E2eStack } from '../helpers/api-harness';
import { requestId, startRequest, withOak } from '../helpers/fixtures';
import { runHistories } from '../helpers/histories';

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({ writesPerMinute: 100_000 });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const ID = 'flood';
const BOUND = 256 * 1024;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A multi-line text of exactly `length` characters (code points, as zod counts them), distinct per
 * label, with accents and an emoji, numbered lines (a line far down is in the text, not in its
 * excerpt); no outer whitespace, which the API would trim.
 */
function textOf(label: string, length: number): string {
  const chars: string[] = [];
  for (let n = 1; chars.length < length; n++) chars.push(...`${label} line ${n}: l’entente — eau potable 🌊 partagée.\n`);
  chars.length = length;
  if (/\s/.test(chars[length - 1]!)) chars[length - 1] = 'x';
  return chars.join('');
}

const ok = (res: ApiResponse, what: string) => {
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/** A 422 whose problem names the field and the maximum. */
function expectTooLong(res: ApiResponse, pointer: string, max: number) {
  expect(res.status).toBe(422);
  expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer, detail: expect.stringContaining(String(max)) })]));
}

const stateOf = async (id: string) => ok(await stack.api.call('GET', `/partnerships/${id}`), `state of ${id}`);
const stageReaches = (id: string, stage: string) =>
  eventually(async () => {
    const state = await stateOf(id);
    return state.stage === stage ? state : undefined;
  }, `${id} to reach ${stage}`);

const post = (route: string, body: Record<string, unknown>, call: ApiCall = stack.api.call) =>
  call('POST', `/partnerships/${ID}/${route}`, { requestId: requestId(route.replace(/\W/g, '')), ...body });

/** Every payload in a history (update arguments, activity inputs, results, markers), as bytes. */
function payloads(node: unknown, found: Uint8Array[] = []): Uint8Array[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return found;
  const record = node as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata) found.push(record.data);
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) for (const item of value) payloads(item, found);
    else payloads(value, found);
  }
  return found;
}

/** Until no email has arrived for a second: the outbox sends after the command is answered. */
async function mailsSettle(): Promise<number> {
  let count = -1;
  while (count !== stack.h.smtp.messages.length) {
    count = stack.h.smtp.messages.length;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return count;
}

/** What the flood sent, to read back whole at the end. */
const sent: Array<{ what: string; text: string; url?: string }> = [];
let firstRequest: { route: string; body: Record<string, unknown> };

test('a partnership flooded with text at every limit stays small, answers, and serves every text whole', async () => {
  const { api } = stack;
  expect((await api.call('POST', '/partnerships', startRequest({ slug: ID, title: 'Flooded: Riverside and Maple' }))).status).toBe(201);

  // ── Intake, commitment, groundwork: notes and reasons at their maximum ────────────────────
  const notes = textOf('intake notes', 5000);
  expectTooLong(await post('intake-decision', { accepted: true, interviewedOn: '2026-01-15', notes: `${notes}x` }), '/notes', 5000);
  firstRequest = { route: 'intake-decision', body: { requestId: requestId('intake-first'), accepted: true, interviewedOn: '2026-01-15', notes } };
  const intake = ok(await api.call('POST', `/partnerships/${ID}/intake-decision`, firstRequest.body), 'intake');
  sent.push({ what: 'intake notes', text: notes, url: intake.state.intake.notes.url });
  await stageReaches(ID, 'commitment');
  for (const partyId of ['riverside', 'maple']) {
    const reason = textOf(`participation reason ${partyId}`, 5000);
    const res = ok(
      await post('resolutions', { partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: `P-${partyId}`, adoptedOn: '2026-02-01', reason }),
      'participation',
    );
    sent.push({ what: `participation reason ${partyId}`, text: reason, url: res.state.resolutions.find((r: any) => r.partyId === partyId).reason.url });
  }
  await stageReaches(ID, 'groundwork');
  expectTooLong(await post('milestones', { milestone: 'launch-workshop', completedOn: '2026-02-10', notes: textOf('m', 5001) }), '/notes', 5000);
  expectTooLong(await post('milestones', { milestone: 'funding-proposal', skipped: true, reason: textOf('skip', 2001) }), '/reason', 2000);
  ok(await post('milestones', { milestone: 'funding-proposal', skipped: true, reason: textOf('skip', 2000) }), 'skip');
  for (const milestone of ['launch-workshop', 'communication-protocol', 'feasibility-study', 'public-engagement-strategy']) {
    ok(await post('milestones', { milestone, completedOn: '2026-02-10', notes: textOf(`notes of ${milestone}`, 5000) }), milestone);
  }
  await stageReaches(ID, 'drafting');

  // ── Draft 1, at 100,000 characters ────────────────────────────────────────────────────────
  expectTooLong(await post('drafts', { version: 1, title: 'Agreement v1', text: textOf('d', 100_001) }), '/text', 100_000);
  const draft1 = textOf('draft version 1', 100_000);
  const summary1 = textOf('summary version 1', 5000);
  const submitted = ok(await post('drafts', { version: 1, title: 'Agreement v1', text: draft1, summary: summary1 }), 'draft 1');
  expect(submitted.state.drafts[0]).toMatchObject({ version: 1, sha256: sha256(draft1), text: { sha256: sha256(draft1), size: Buffer.byteLength(draft1) } });
  expect(submitted.state.drafts[0].text.excerpt.length).toBeLessThanOrEqual(201);
  sent.push(
    { what: 'draft 1', text: draft1, url: submitted.state.drafts[0].text.url },
    { what: 'summary 1', text: summary1, url: submitted.state.drafts[0].summary.url },
  );
  await stageReaches(ID, 'consultation');

  // ── The flood of the issue: 110 feedback POSTs of 20,000 characters from one champion key ──
  const champion = await issueKey(api, ID, 'champion', 'riverside');
  expectTooLong(await post('feedback', { partyId: 'riverside', author: 'Rita', comments: textOf('c', 20_001) }, api.as(champion)), '/comments', 20_000);
  const statuses: number[] = [];
  for (let n = 1; n <= 110; n++) {
    const comments = textOf(`feedback ${n} of riverside`, 20_000);
    const res = await post('feedback', { partyId: 'riverside', author: 'Rita Champion', comments }, api.as(champion));
    statuses.push(res.status);
    if (res.status === 200)
      sent.push({ what: `feedback ${n}`, text: comments, url: res.body.state.feedback.find((f: any) => f.comments.sha256 === sha256(comments)).comments.url });
    else {
      expect(res.status).toBe(422);
      expect(res.body.detail).toBe(
        `party "riverside" has sent 5 feedback entries on version 1: the limit is ${LIMITS.feedbackPerPartyPerRound} per party per consultation round`,
      );
    }
  }
  expect(statuses.filter((s) => s === 200)).toHaveLength(LIMITS.feedbackPerPartyPerRound);
  expect(statuses.slice(0, LIMITS.feedbackPerPartyPerRound).every((s) => s === 200)).toBe(true);
  expect(statuses.filter((s) => s === 422)).toHaveLength(110 - LIMITS.feedbackPerPartyPerRound);
  // The coordinator hears of the 5 accepted entries only.
  const feedbackMails = () => stack.h.smtp.messages.filter((m) => m.partnership === ID && m.event === 'feedback-received');
  await stack.h.smtp.waitFor(() => feedbackMails().length >= LIMITS.feedbackPerPartyPerRound);

  // The community's feedback, sent by the coordinator: 50 per round.
  for (let n = 1; n <= LIMITS.communityFeedbackPerRound; n++) {
    ok(await post('feedback', { community: `Residents ${n}`, author: `Resident ${n}`, comments: textOf(`community ${n}`, 20_000) }), `community ${n}`);
  }
  const community = await post('feedback', { community: 'Residents', author: 'One more', comments: textOf('community 51', 20_000) });
  expect(community.status).toBe(422);
  expect(community.body.detail).toBe(
    `${LIMITS.communityFeedbackPerRound} community feedback entries were received on version 1: the limit is ${LIMITS.communityFeedbackPerRound} per consultation round`,
  );
  await stack.h.smtp.waitFor(() => feedbackMails().length >= LIMITS.feedbackPerPartyPerRound + LIMITS.communityFeedbackPerRound);
  await new Promise((r) => setTimeout(r, 500));
  expect(feedbackMails()).toHaveLength(LIMITS.feedbackPerPartyPerRound + LIMITS.communityFeedbackPerRound);

  ok(await post('feedback', { partyId: 'maple', author: 'Lise', comments: textOf('feedback of maple', 20_000) }), 'maple feedback');
  await stageReaches(ID, 'revision');
  ok(await post('milestones', { milestone: 'review-workshop', completedOn: '2026-04-10', notes: textOf('review workshop notes', 5000) }), 'review workshop');

  // ── 12 rounds: a draft of 100,000 characters, rejected with a reason of 5,000 ─────────────
  for (let version = 2; version <= 13; version++) {
    const text = textOf(`draft version ${version}`, 100_000);
    const draft = ok(await post('drafts', { version, title: `Agreement v${version}`, text, summary: textOf(`summary ${version}`, 5000) }), `draft ${version}`);
    sent.push({ what: `draft ${version}`, text, url: draft.state.drafts.at(-1).text.url });
    await stageReaches(ID, 'approval');
    // Maple's council rejects the version, with a reason one character over its limit, then at it.
    const rejection = (reason: string) => ({
      partyId: 'maple',
      subject: 'approval',
      outcome: 'rejected',
      resolutionNumber: `R-${version}`,
      adoptedOn: '2026-05-01',
      draftVersion: version,
      reason,
    });
    expectTooLong(await post('resolutions', rejection(textOf('r', 5001))), '/reason', 5000);
    const reason = textOf(`rejection of version ${version}`, 5000);
    const rejected = ok(await post('resolutions', rejection(reason)), `rejection ${version}`);
    sent.push({ what: `rejection ${version}`, text: reason, url: rejected.state.resolutions.at(-1).reason.url });
    await stageReaches(ID, 'revision');
  }
  const revised = await stateOf(ID);
  expect(revised.drafts.map((d: any) => d.version)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  expect(revised.resolutions.filter((r: any) => r.subject === 'approval').map((r: any) => r.draftVersion)).toEqual([12, 13]);
  // The rejection's reason: its excerpt in the state, the whole text behind its url.
  expect(revised.resolutions.at(-1).reason.sha256).toBe(sha256(textOf('rejection of version 13', 5000)));

  // ── Approval, signatures, then years of reviews, notices and amendments ───────────────────
  const last = textOf('draft version 14', 100_000);
  ok(await post('drafts', { version: 14, title: 'Agreement v14', text: last }), 'draft 14');
  await stageReaches(ID, 'approval');
  for (const partyId of ['riverside', 'maple']) {
    ok(
      await post('resolutions', {
        partyId,
        subject: 'approval',
        outcome: 'adopted',
        resolutionNumber: `A-${partyId}`,
        adoptedOn: '2026-06-01',
        draftVersion: 14,
        draftHash: sha256(last),
      }),
      `approval ${partyId}`,
    );
  }
  await stageReaches(ID, 'signing');
  for (const partyId of ['riverside', 'maple']) {
    const signatory = await issueKey(api, ID, 'signatory', partyId);
    ok(
      await post(
        'signatures',
        { partyId, signatoryName: `Signatory ${partyId}`, signatoryTitle: 'Mayor', signedOn: '2026-06-15', draftVersion: 14, draftHash: sha256(last) },
        api.as(signatory),
      ),
      `sign ${partyId}`,
    );
  }
  await stageReaches(ID, 'in-force');
  expectTooLong(await post('reviews', { heldOn: '2026-11-01', findings: textOf('f', 20_001) }), '/findings', 20_000);
  for (let n = 1; n <= 15; n++) {
    const findings = textOf(`findings of review ${n}`, 20_000);
    const review = ok(await post('reviews', { heldOn: '2026-11-01', findings }), `review ${n}`);
    sent.push({ what: `review ${n}`, text: findings, url: review.state.reviews.at(-1).findings.url });
  }
  expect((await stateOf(ID)).reviews.map((r: any) => r.findings.sha256)).toEqual(
    Array.from({ length: LIMITS.reviewsKept }, (_, i) => sha256(textOf(`findings of review ${6 + i}`, 20_000))),
  );
  expectTooLong(await post('notices', { partyId: 'maple', reason: textOf('n', 2001) }), '/reason', 2000);
  for (let n = 1; n <= 8; n++) {
    ok(await post('notices', { partyId: 'maple', reason: textOf(`notice ${n}`, 2000) }), `notice ${n}`);
    await stageReaches(ID, 'notice');
    ok(await post('notices/withdraw', { partyId: 'maple' }), `withdraw notice ${n}`);
    await stageReaches(ID, 'in-force');
  }
  expectTooLong(await post('term', { newEndsOn: '2031-01-01', reason: textOf('a', 2001) }), '/reason', 2000);
  for (let n = 1; n <= 5; n++) ok(await post('term', { newEndsOn: `${2030 + n}-01-01`, reason: textOf(`amendment ${n}`, 2000) }), `amend ${n}`);

  // ── After all that: the partnership answers, and stays small ──────────────────────────────
  const state = await stateOf(ID);
  expect(state.stage).toBe('in-force');
  const stateBytes = Buffer.byteLength(JSON.stringify(state));
  expect(stateBytes).toBeLessThan(BOUND);
  // Every run of the workflow, from the first (a run continues as new when its history grows).
  const described = await stack.env.client.workflow.getHandle(`partnership-${ID}`).describe();
  const runs = await runHistories(stack.env.client, `partnership-${ID}`, described.raw.workflowExecutionInfo!.firstRunId!);
  const all = runs.flatMap((run) => payloads(run.events));
  const sizes = all.map((p) => p.length);
  expect(sizes.length).toBeGreaterThan(100);
  expect(Math.max(...sizes)).toBeLessThan(BOUND);
  // No text of the flood reached the history, not even once: only references did.
  const historyText = all.map((p) => Buffer.from(p).toString('utf8')).join('\n');
  for (const far of [
    'intake notes line 50:',
    'feedback 1 of riverside line 100:',
    'draft version 1 line 1000:',
    'findings of review 15 line 100:',
    'rejection of version 13 line 50:',
  ]) {
    expect(sent.some((s) => s.text.includes(far))).toBe(true);
    expect(historyText.includes(far)).toBe(false);
  }
  expect(historyText).toContain('feedback 1 of riverside line 1:'); // its excerpt, as a check of the search
  const runBytes = runs.map((run) => temporal.api.history.v1.History.encode(run).finish().length);
  console.log(
    `flood: state ${stateBytes} bytes; ${runs.length} runs (the largest ${Math.max(...runBytes)} bytes, ${Math.max(...runs.map((r) => r.events!.length))} events), ${sizes.length} payloads, the largest ${Math.max(...sizes)} bytes`,
  );
  // Each run hands over while its history is a fraction of the 4 MiB a client reads in one message
  // (some 1.2 MiB here: a second of commands, as a run lives at least a second), though commands
  // arriving all along keep emails waiting: past RUN_LIMITS.emailsFirstUpTo it hands over without them.
  for (const bytes of runBytes) expect(bytes).toBeLessThan(3 * 2 ** 20);
}, 600_000);

test('every text sent is served whole, byte for byte, to keys that may read the partnership', async () => {
  const { api } = stack;
  expect(sent.length).toBeGreaterThan(30);
  for (const { what, text, url } of sent) {
    expect({ what, url }).toEqual({ what, url: `/partnerships/${ID}/contents/${sha256(text)}` });
    const res = await fetch(`${api.url}${url}`, { headers: { authorization: `Bearer ${COORDINATOR_KEY}` } });
    expect({ what, status: res.status, type: res.headers.get('content-type') }).toEqual({ what, status: 200, type: 'text/plain; charset=utf-8' });
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(text, 'utf8'))).toBe(true);
  }
  // A party key of this partnership reads them too; drafts no longer in the state as well.
  const clerk = await issueKey(api, ID, 'clerk', 'maple');
  const oldDraft = sent.find((s) => s.what === 'draft 2')!;
  const asClerk = await api.as(clerk)('GET', oldDraft.url!);
  expect(asClerk.status).toBe(200);
  expect(asClerk.body).toBe(oldDraft.text);

  // 404: an unknown hash, a malformed one, another partnership's text, another partnership's key.
  expect((await api.call('GET', `/partnerships/${ID}/contents/${sha256('never sent')}`)).status).toBe(404);
  expect((await api.call('GET', `/partnerships/${ID}/contents/NOT-A-HASH`)).status).toBe(404);
  const other = withOak({ slug: 'flood-other', title: 'Another partnership' });
  expect((await api.call('POST', '/partnerships', other)).status).toBe(201);
  expect((await api.call('GET', `/partnerships/flood-other/contents/${sha256(oldDraft.text)}`)).status).toBe(404);
  const otherKey = await issueKey(api, 'flood-other', 'champion', 'oak');
  expect((await api.as(otherKey)('GET', oldDraft.url!)).status).toBe(404);
  expect((await api.as(null)('GET', oldDraft.url!)).status).toBe(401);
}, 120_000);

test('a request id the state no longer remembers is answered from the register: a repeat, or 409 with another body', async () => {
  const { api, h } = stack;
  const rows = async () => ok(await api.call('GET', `/partnerships/${ID}/decisions`), 'decisions').decisions.length;
  const before = { rows: await rows(), mails: await mailsSettle() };
  expect(before.rows).toBeGreaterThan(LIMITS.appliedKept + 20);
  const again = await api.call('POST', `/partnerships/${ID}/${firstRequest.route}`, firstRequest.body);
  expect(again.status).toBe(200);
  expect(again.body.result).toMatchObject({ requestId: firstRequest.body.requestId, command: 'recordIntakeDecision' });
  expect(again.body.state.stage).toBe('in-force');
  // Answered as any command's answer is, with the latest timeline entries; GET has them all.
  const full = ok(await api.call('GET', `/partnerships/${ID}`), 'state');
  expect(again.body.state.timeline).toHaveLength(LIMITS.answerTimelineKept);
  expect(again.body.state.timelineOmitted).toBe(full.timeline.length - LIMITS.answerTimelineKept);
  expect(again.body.state.timeline).toEqual(full.timeline.slice(-LIMITS.answerTimelineKept));
  expect(full.timelineOmitted).toBeUndefined();
  const changed = await api.call('POST', `/partnerships/${ID}/${firstRequest.route}`, { ...firstRequest.body, accepted: false });
  expect(changed.status).toBe(409);
  expect(changed.body.detail).toBe(`request id ${firstRequest.body.requestId} was already used for a different command`);
  await new Promise((r) => setTimeout(r, 500));
  expect({ rows: await rows(), mails: h.smtp.messages.length }).toEqual(before);
}, 60_000);

test('reasons of a withdrawal and an abandonment: 2,000 characters accepted, 2,001 refused', async () => {
  const { api } = stack;
  const id = 'flood-reasons';
  expect((await api.call('POST', '/partnerships', withOak({ slug: id, title: 'Three parties' }))).status).toBe(201);
  const send = (route: string, body: Record<string, unknown>) => api.call('POST', `/partnerships/${id}/${route}`, { requestId: requestId(route), ...body });
  ok(await send('intake-decision', { accepted: true, interviewedOn: '2026-01-15' }), 'intake');
  await stageReaches(id, 'commitment');
  expectTooLong(await send('withdrawals', { partyId: 'oak', reason: textOf('w', 2001) }), '/reason', 2000);
  ok(await send('withdrawals', { partyId: 'oak', reason: textOf('withdrawal of oak', 2000) }), 'withdrawal');
  expectTooLong(await send('abandon', { reason: textOf('a', 2001) }), '/reason', 2000);
  ok(await send('abandon', { reason: textOf('abandoned', 2000) }), 'abandon');
  const state = await stageReaches(id, 'abandoned');
  expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThan(BOUND);
}, 120_000);
