/**
 * Repeated and concurrent duplicate requests over HTTP against the Temporal CLI dev server, a
 * real worker, SMTP receiver and register: whatever arrives twice has one effect, counted in
 * register rows, emails received and the workflow's timeline (a start, in its history).
 *
 * | requests                                                         | answers                 | effect                     |
 * |------------------------------------------------------------------|-------------------------|----------------------------|
 * | the same POST twice (same requestId)                             | 200, 200 (same result)  | one row, one set of emails |
 * | the same POST twice with an Idempotency-Key header                | 200, 200                | one row, one set of emails |
 * | the same key with another body (body id or header), another route | 409                    | none                       |
 * | 5 identical requests at once                                      | 5 × 200                 | one row, one set of emails |
 * | 2 different requests at once for one slot (one party's resolution)| one 200, one 409        | one row, one set of emails |
 * | 5 different requests at once for one milestone                    | one 200, four 409       | one row                    |
 * | 5 identical starts at once, without a key                         | one 201, four 409       | one workflow, one row      |
 * | 5 identical starts at once with one Idempotency-Key               | 5 × 201                 | one workflow, one row      |
 * | a start repeated with the same key and another body               | 409                     | none                       |
 */
import { startRequest, requestId, contact } from '../helpers/fixtures';
import { eventually, historyLength, settledHistoryLength, startE2eStack, type ApiResponse, type E2eStack } from '../helpers/api-harness';
import { decisionsOf } from '../../store/decisions';
import type { StartPartnership } from '../../domain';

let stack: E2eStack;
const ID = 'duplicates';
const WF = `partnership-${ID}`;

const party = (id: string, legalName: string, language: 'fr' | 'en'): StartPartnership['parties'][number] => ({
  id,
  legalName,
  kind: 'municipality',
  governingBody: 'Council',
  language,
  contacts: {
    champion: contact(`Champion of ${id}`, `champion@${id}.example`),
    clerk: contact(`Clerk of ${id}`, `clerk@${id}.example`),
    signatory: contact(`Mayor of ${id}`, `mayor@${id}.example`, { title: 'Mayor' }),
  },
});

/** Four parties: four resolution slots for four kinds of duplicate. */
const START = startRequest({
  slug: ID,
  title: 'Four towns share a water plant',
  parties: [
    party('riverside', 'Town of Riverside', 'en'),
    party('maple', 'Maple First Nation', 'fr'),
    party('birch', 'Birch Village', 'en'),
    party('cedar', 'Cedar Township', 'en'),
  ],
});

beforeAll(async () => {
  stack = await startE2eStack({ writesPerMinute: 100_000 });
  const { api, h } = stack;
  expect((await api.call('POST', '/partnerships', START)).status).toBe(201);
  expect(
    (await api.call('POST', `/partnerships/${ID}/intake-decision`, { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' })).status,
  ).toBe(200);
  // intake-accepted to the coordinator and 4 champions, resolution-requested to 4 clerks and 4 champions
  await h.smtp.waitFor((m) => m.filter((x) => x.partnership === ID).length === 13);
  await settledHistoryLength(stack.env.client, WF);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const rowsOf = async (kind: string, partyId?: string) =>
  (await decisionsOf(stack.h.db, ID)).filter((r) => r.kind === kind && (partyId === undefined || r.partyId === partyId));

/** The emails a resolution of this party caused: to the coordinator and the party's champion. */
const resolutionMails = (partyId: string) =>
  stack.h.smtp.messages.filter((m) => m.partnership === ID && m.event === 'resolution-recorded' && m.subject.includes(LEGAL_NAMES[partyId]!));
const LEGAL_NAMES: Record<string, string> = { riverside: 'Town of Riverside', maple: 'Maple First Nation', birch: 'Birch Village', cedar: 'Cedar Township' };

/** Exactly one set: the coordinator and the champion, once each, and nothing more a moment later. */
async function expectOneSetOfResolutionMails(partyId: string) {
  await stack.h.smtp.waitFor(() => resolutionMails(partyId).length >= 2);
  await new Promise((r) => setTimeout(r, 500));
  expect(
    resolutionMails(partyId)
      .map((m) => m.to.join(','))
      .sort(),
  ).toEqual(['champion@' + partyId + '.example', START.coordinator.email].sort());
}

const resolution = (partyId: string, extra: Record<string, unknown> = {}) => ({
  partyId,
  subject: 'participation',
  outcome: 'adopted',
  resolutionNumber: `${partyId}-2026-1`,
  adoptedOn: '2026-02-03',
  ...extra,
});

const statuses = (responses: ApiResponse[]) => responses.map((r) => r.status).sort();

/**
 * What the workflow has applied, as its state records it (every applied command adds a timeline
 * entry): the same before and after a repeat. Not the history's length: a run that hands over to
 * a fresh one between the two (short runs) does not know the first update's id, and its workflow
 * answers the repeat itself (from the request ids it remembers), with a few events and no effect.
 */
const applied = async () => (await stack.api.call('GET', `/partnerships/${ID}`)).body.timeline;

test('the same POST twice with one requestId: 200 both, one register row, one set of emails, one timeline entry', async () => {
  const { api, env } = stack;
  const body = { requestId: 'riverside-res-0001', ...resolution('riverside') };
  const first = await api.call('POST', `/partnerships/${ID}/resolutions`, body);
  expect(first.status).toBe(200);
  await settledHistoryLength(env.client, WF);
  const settled = await applied();
  const second = await api.call('POST', `/partnerships/${ID}/resolutions`, body);
  expect(second.status).toBe(200);
  expect(second.body.result).toEqual(first.body.result);
  expect(second.body.result).toMatchObject({ requestId: 'riverside-res-0001', command: 'recordResolution' });
  expect(second.body.state.resolutions).toEqual(first.body.state.resolutions);
  expect(await applied()).toEqual(settled);

  expect(await rowsOf('recordResolution', 'riverside')).toHaveLength(1);
  await expectOneSetOfResolutionMails('riverside');

  // The same id with another body, on the same route or another: refused, nothing applied.
  const changed = await api.call('POST', `/partnerships/${ID}/resolutions`, { ...body, resolutionNumber: 'riverside-2026-2' });
  expect(changed.status).toBe(409);
  expect(changed.type).toContain('application/problem+json');
  expect(changed.body.detail).toBe('request id riverside-res-0001 was already used for a different command');
  const elsewhere = await api.call('POST', `/partnerships/${ID}/milestones`, {
    requestId: 'riverside-res-0001',
    milestone: 'launch-workshop',
    completedOn: '2026-02-10',
  });
  expect(elsewhere.status).toBe(409);
  expect(elsewhere.body.detail).toBe('request id riverside-res-0001 was already used for a different command');
  expect(await applied()).toEqual(settled);
  expect(await rowsOf('recordResolution', 'riverside')).toHaveLength(1);
  const state = (await api.call('GET', `/partnerships/${ID}`)).body;
  expect(state.resolutions.map((r: any) => r.resolutionNumber)).toEqual(['riverside-2026-1']);
});

test('the same POST twice with an Idempotency-Key header: 200 both, one effect; the key with another body: 409', async () => {
  const { api, env } = stack;
  const key = { 'idempotency-key': 'maple-res-0001' };
  const first = await api.call('POST', `/partnerships/${ID}/resolutions`, resolution('maple'), key);
  expect(first.status).toBe(200);
  expect(first.body.result).toMatchObject({ requestId: 'maple-res-0001', command: 'recordResolution' });
  await settledHistoryLength(env.client, WF);
  const settled = await applied();
  const second = await api.call('POST', `/partnerships/${ID}/resolutions`, resolution('maple'), key);
  expect(second.status).toBe(200);
  expect(second.body.result).toEqual(first.body.result);
  // The key in the body as well as the header: the same request.
  const both = await api.call('POST', `/partnerships/${ID}/resolutions`, { requestId: 'maple-res-0001', ...resolution('maple') }, key);
  expect(both.status).toBe(200);
  expect(both.body.result).toEqual(first.body.result);
  expect(await applied()).toEqual(settled);

  const rows = await rowsOf('recordResolution', 'maple');
  expect(rows).toHaveLength(1);
  expect(rows[0]!.payload.requestId).toBe('maple-res-0001');
  expect(rows[0]!.key).toBe(`${ID}:command:maple-res-0001`);
  await expectOneSetOfResolutionMails('maple');

  const changed = await api.call('POST', `/partnerships/${ID}/resolutions`, resolution('maple', { outcome: 'rejected', reason: 'Changed our mind' }), key);
  expect(changed.status).toBe(409);
  expect(changed.body.detail).toBe('request id maple-res-0001 was already used for a different command');
  const otherRoute = await api.call('POST', `/partnerships/${ID}/abandon`, { reason: 'Stop' }, key);
  expect(otherRoute.status).toBe(409);
  expect(await applied()).toEqual(settled);
  expect(await rowsOf('recordResolution', 'maple')).toHaveLength(1);
  const state = (await api.call('GET', `/partnerships/${ID}`)).body;
  expect(state.stage).toBe('commitment');
  expect(state.resolutions.find((r: any) => r.partyId === 'maple').outcome).toBe('adopted');
});

test('5 identical requests at once: all 200, exactly one effect', async () => {
  const { api } = stack;
  const body = { requestId: 'birch-res-0001', ...resolution('birch') };
  const responses = await Promise.all(Array.from({ length: 5 }, () => api.call('POST', `/partnerships/${ID}/resolutions`, body)));
  expect(statuses(responses)).toEqual([200, 200, 200, 200, 200]);
  for (const res of responses) expect(res.body.result).toMatchObject({ requestId: 'birch-res-0001', command: 'recordResolution' });
  expect(await rowsOf('recordResolution', 'birch')).toHaveLength(1);
  await expectOneSetOfResolutionMails('birch');
  const state = (await api.call('GET', `/partnerships/${ID}`)).body;
  expect(state.resolutions.filter((r: any) => r.partyId === 'birch')).toHaveLength(1);
  expect(state.timeline.filter((t: any) => t.partyId === 'birch' && t.event === 'resolution-participation-adopted')).toHaveLength(1);
});

test('two different requests at once for one slot: one 200, one 409, one effect', async () => {
  const { api } = stack;
  const [a, b] = await Promise.all([
    api.call('POST', `/partnerships/${ID}/resolutions`, { requestId: 'cedar-res-000a', ...resolution('cedar', { resolutionNumber: 'CEDAR-A' }) }),
    api.call('POST', `/partnerships/${ID}/resolutions`, { requestId: 'cedar-res-000b', ...resolution('cedar', { resolutionNumber: 'CEDAR-B' }) }),
  ]);
  expect(statuses([a!, b!])).toEqual([200, 409]);
  const [won, lost] = a!.status === 200 ? [a!, b!] : [b!, a!];
  expect(lost.type).toContain('application/problem+json');
  const winner = won.body.result.requestId === 'cedar-res-000a' ? 'CEDAR-A' : 'CEDAR-B';
  // Cedar's was the last participation owed: the loser meets either the winner's resolution or,
  // if the winner's step already closed commitment, the stage after it. Either way, refused.
  expect([
    `party "cedar" already has participation resolution ${winner} (adopted)`,
    'participation resolutions are recorded during commitment; the partnership is in groundwork',
  ]).toContain(lost.body.detail);
  const rows = await rowsOf('recordResolution', 'cedar');
  expect(rows).toHaveLength(1);
  expect(rows[0]!.payload.resolutionNumber).toBe(winner);
  await expectOneSetOfResolutionMails('cedar');
  expect(resolutionMails('cedar').every((m) => m.subject.includes(winner))).toBe(true);

  // Every party has committed (one resolution each): the process moved on once.
  const state = await eventually(async () => {
    const s = (await api.call('GET', `/partnerships/${ID}`)).body;
    return s.stage === 'groundwork' ? s : undefined;
  }, 'groundwork');
  expect(state.resolutions.map((r: any) => r.partyId)).toEqual(['riverside', 'maple', 'birch', 'cedar']);
  expect(await rowsOf('stage:groundwork')).toHaveLength(1);
  await stack.h.smtp.waitFor((m) => m.filter((x) => x.partnership === ID && x.event === 'commitment-complete').length === 5);
});

test('5 different requests at once for one milestone: one 200, four 409, one row', async () => {
  const { api } = stack;
  const responses = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      api.call('POST', `/partnerships/${ID}/milestones`, { requestId: `launch-000${i}`, milestone: 'launch-workshop', completedOn: `2026-02-1${i}` }),
    ),
  );
  expect(statuses(responses)).toEqual([200, 409, 409, 409, 409]);
  for (const res of responses.filter((x) => x.status === 409)) expect(res.body.detail).toBe('milestone launch-workshop is already recorded');
  expect(await rowsOf('recordMilestone')).toHaveLength(1);
  const state = (await api.call('GET', `/partnerships/${ID}`)).body;
  expect(state.milestones).toHaveLength(1);
});

test('5 identical starts at once without a key: one 201, four 409, one workflow', async () => {
  const { api, env, h } = stack;
  const body = startRequest({ slug: 'started-once', title: 'Started once' });
  const responses = await Promise.all(Array.from({ length: 5 }, () => api.call('POST', '/partnerships', body)));
  expect(statuses(responses)).toEqual([201, 409, 409, 409, 409]);
  for (const res of responses.filter((x) => x.status === 409)) expect(res.body.title).toBe('The partnership already exists');
  await eventually(async () => ((await decisionsOf(h.db, 'started-once')).length > 0 ? true : undefined), 'the started row');
  await settledHistoryLength(env.client, 'partnership-started-once');
  expect((await decisionsOf(h.db, 'started-once')).map((r) => r.kind)).toEqual(['partnership-started']);
});

test('5 identical starts at once with one Idempotency-Key: all 201, one workflow; the key with another body: 409', async () => {
  const { api, env, h } = stack;
  const body = startRequest({ slug: 'started-with-key', title: 'Started with a key' });
  const key = { 'idempotency-key': 'start-key-0001' };
  const responses = await Promise.all(Array.from({ length: 5 }, () => api.call('POST', '/partnerships', body, key)));
  expect(statuses(responses)).toEqual([201, 201, 201, 201, 201]);
  for (const res of responses) expect(res.body).toEqual({ id: 'started-with-key', workflowId: 'partnership-started-with-key' });
  await eventually(async () => ((await decisionsOf(h.db, 'started-with-key')).length > 0 ? true : undefined), 'the started row');
  const settled = await settledHistoryLength(env.client, 'partnership-started-with-key');

  // Later, the same again: the same answer.
  const again = await api.call('POST', '/partnerships', body, key);
  expect(again.status).toBe(201);
  expect(again.body).toEqual(responses[0]!.body);
  // The same key with another body, or the same slug under another key: refused.
  const changed = await api.call('POST', '/partnerships', { ...body, purpose: 'Something else' }, key);
  expect(changed.status).toBe(409);
  expect(changed.body.title).toBe('Idempotency-Key reused');
  const otherKey = await api.call('POST', '/partnerships', body, { 'idempotency-key': 'start-key-0002' });
  expect(otherKey.status).toBe(409);
  expect(otherKey.body.title).toBe('The partnership already exists');
  const badKey = await api.call('POST', '/partnerships', body, { 'idempotency-key': 'no spaces allowed' });
  expect(badKey.status).toBe(422);

  expect(await historyLength(env.client, 'partnership-started-with-key')).toBe(settled);
  expect((await decisionsOf(h.db, 'started-with-key')).map((r) => r.kind)).toEqual(['partnership-started']);
  expect((await api.call('GET', '/partnerships/started-with-key')).body.purpose).toBe(body.purpose);
});
