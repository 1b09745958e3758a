/**
 * The walking skeleton over HTTP against the Temporal CLI dev server (a real server with
 * visibility), with a real worker, SMTP receiver and SQLite register.
 *
 * | step                                   | asserts                                                     |
 * |----------------------------------------|-------------------------------------------------------------|
 * | bad bodies                             | 422 problem+json naming each failing field, nothing started |
 * | POST /partnerships                     | 201, workflow in intake, register row                       |
 * | intake decision                        | commitment; clerk and champion of each party emailed;       |
 * |                                        | Server-Timing: the API's time and the update's, within it   |
 * | command that does not fit the stage    | 409 with the reason                                         |
 * | same requestId again                   | nothing applied twice                                       |
 * | every participation resolution         | groundwork; register rows hash-chained                      |
 * | milestone notes of 1,024 and 1,025     | both served whole; the short one went along with its command |
 * | UTF-8 bytes                            | (in the history's update), the other was stored first (not) |
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { verifyChain, decisionsOf } from '../../store/decisions';
import { devServerDynamicConfigFlags } from '../../config/temporal-server';
import { NEXT_DEADLINE, PARTIES, STAGE, TEMPLATE } from '../../workflows/search-attributes';
import { startRequest, requestId } from '../helpers/fixtures';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { startHarness, type Harness } from '../helpers/worker-harness';
import { acceptedCommandInputs } from '../helpers/histories';
import { temporalCliPath } from '../helpers/tools';
import { eventually } from '../helpers/polling';

let env: TestWorkflowEnvironment;
let h: Harness;
let api: ApiHarness;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: [STAGE, TEMPLATE, PARTIES, NEXT_DEADLINE],
      extraArgs: ['--log-level', 'error', ...devServerDynamicConfigFlags()],
    },
  });
  h = await startHarness(env.nativeConnection);
  api = await startApi(env.client, h.db, h.taskQueue);
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await h?.stop();
  await env?.teardown();
});

test('a bad start body gets 422 application/problem+json naming every failing field', async () => {
  const body = startRequest() as any;
  delete body.title;
  body.parties[1].id = 'Not A Slug';
  body.coordinator.email = 'not-an-email';
  body.unexpected = true;
  body.durations = { term: 'forever' };
  const res = await api.call('POST', '/partnerships', body);
  expect(res.status).toBe(422);
  expect(res.type).toContain('application/problem+json');
  const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
  expect(pointers).toEqual(expect.arrayContaining(['/title', '/parties/1/id', '/coordinator/email', '/durations/term', '/']));
  expect(res.body.errors.find((e: any) => e.pointer === '/').detail).toMatch(/unexpected/);

  const crlf = startRequest() as any;
  crlf.parties[0].contacts.clerk.name = 'Carl\r\nBcc: victim@example.org';
  const injected = await api.call('POST', '/partnerships', crlf);
  expect(injected.status).toBe(422);
  expect(injected.body.errors[0].pointer).toBe('/parties/0/contacts/clerk/name');

  expect((await api.call('POST', '/partnerships', '{"template":')).status).toBe(400);
  expect((await api.call('POST', '/partnerships', startRequest(), { authorization: 'Bearer wrong' })).status).toBe(401);
});

test('start, intake, commitment: state, emails and register rows over HTTP', async () => {
  const created = await api.call('POST', '/partnerships', startRequest({ slug: 'riverside-maple' }));
  expect(created.status).toBe(201);
  expect(created.body.id).toBe('riverside-maple');
  expect((await api.call('POST', '/partnerships', startRequest({ slug: 'riverside-maple' }))).status).toBe(409);

  const initial = await api.call('GET', '/partnerships/riverside-maple');
  expect(initial.status).toBe(200);
  expect(initial.body.stage).toBe('intake');
  expect(JSON.stringify(initial.body)).not.toContain('@');
  expect((await api.call('GET', '/partnerships/nobody-here')).status).toBe(404);

  // A resolution before the intake decision does not fit the stage.
  const early = await api.call('POST', '/partnerships/riverside-maple/resolutions', {
    requestId: requestId(),
    partyId: 'riverside',
    subject: 'participation',
    outcome: 'adopted',
    resolutionNumber: '2026-041',
    adoptedOn: '2026-02-03',
  });
  expect(early.status).toBe(409);
  expect(early.body.detail).toMatch(/participation resolutions are recorded during commitment; the partnership is in intake/);

  const decision = { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15', notes: 'Strong <b>fit</b>' };
  const sentAt = performance.now();
  const accepted = await api.call('POST', '/partnerships/riverside-maple/intake-decision', decision);
  const took = performance.now() - sentAt;
  expect(accepted.status).toBe(200);
  // Where its time went: the API's own work before the update, then the update's round trip.
  const timing = /^api;dur=(\d+\.\d\d);desc="before the update", temporal;dur=(\d+\.\d\d);desc="the update"$/.exec(accepted.headers.get('server-timing') ?? '');
  expect(timing).not.toBeNull();
  const [apiMs, updateMs] = [Number(timing![1]), Number(timing![2])];
  expect(updateMs).toBeGreaterThan(0);
  expect(apiMs + updateMs).toBeLessThan(took);
  expect(accepted.body.result).toMatchObject({ requestId: decision.requestId, command: 'recordIntakeDecision' });
  expect(accepted.body.state.stage).toBe('commitment');
  expect(accepted.body.state.parties.map((p: any) => p.owes)).toEqual([['participation-resolution'], ['participation-resolution']]);

  await h.smtp.waitFor((m) => m.filter((x) => x.event === 'resolution-requested').length === 4);
  const clerkMail = h.smtp.to('clerk@riverside.example').find((m) => m.event === 'resolution-requested')!;
  expect(clerkMail.subject).toBe('Resolution requested from Town of Riverside: Water services: Town of Riverside and Maple First Nation');
  // The clerk's own link to the page (test/e2e/action-links.test.ts follows it).
  expect(clerkMail.text).toMatch(/http:\/\/entente\.test\/#\/act\/enl_[A-Za-z0-9_-]{43}/);
  expect(clerkMail.partnership).toBe('riverside-maple');

  // The same request again: found in the register, answered as a repeat with the state as it is
  // now; nothing applied twice (the register rows below).
  const again = await api.call('POST', '/partnerships/riverside-maple/intake-decision', decision);
  expect(again.status).toBe(200);
  expect(again.body.result).toEqual({ requestId: decision.requestId, command: 'recordIntakeDecision' });
  expect(again.body.state.stage).toBe('commitment');
  const changed = await api.call('POST', '/partnerships/riverside-maple/intake-decision', { ...decision, accepted: false });
  expect(changed.status).toBe(409);
  expect(changed.body.detail).toMatch(/already used for a different command/);

  for (const [partyId, number] of [
    ['riverside', '2026-041'],
    ['maple', 'BCR-17'],
  ] as const) {
    const res = await api.call('POST', '/partnerships/riverside-maple/resolutions', {
      requestId: requestId(partyId),
      partyId,
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: number,
      adoptedOn: '2026-02-03',
    });
    expect(res.status).toBe(200);
  }
  const unknown = await api.call('POST', '/partnerships/riverside-maple/resolutions', {
    requestId: requestId(),
    partyId: 'elsewhere',
    subject: 'participation',
    outcome: 'adopted',
    resolutionNumber: '1',
    adoptedOn: '2026-02-03',
  });
  expect(unknown.status).toBe(422);
  expect(unknown.body.detail).toBe('no party "elsewhere" in this partnership');

  const state = (await api.call('GET', '/partnerships/riverside-maple')).body;
  expect(state.stage).toBe('groundwork');
  expect(state.resolutions.map((r: any) => r.resolutionNumber)).toEqual(['2026-041', 'BCR-17']);

  const rows = await decisionsOf(h.db, 'riverside-maple');
  expect(rows.map((r) => r.kind)).toEqual([
    'partnership-started',
    'recordIntakeDecision',
    'stage:commitment',
    'recordResolution',
    'recordResolution',
    'stage:groundwork',
  ]);
  // The row holds the notes' reference (the claim check); the text is served by the contents route.
  expect(rows[1]!.payload).toMatchObject({ accepted: true, notes: { excerpt: 'Strong <b>fit</b>', size: 17 } });
  const notes = await api.call('GET', `/partnerships/riverside-maple/contents/${(rows[1]!.payload.notes as { sha256: string }).sha256}`);
  expect({ status: notes.status, body: notes.body }).toEqual({ status: 200, body: 'Strong <b>fit</b>' });
  expect(await verifyChain(h.db, 'riverside-maple')).toEqual({ ok: true, rows: 6 });
  const register = await api.call('GET', '/partnerships/riverside-maple/decisions');
  expect(register.body.chain.ok).toBe(true);
  expect(register.body.decisions).toHaveLength(6);

  // Listed through visibility by its search attributes, which the server indexes a moment later;
  // once, by its latest run (a run that handed over to a fresh one keeps its own entry).
  const listed = async () => {
    const ids: string[] = [];
    const query = `EntenteStage = 'groundwork' AND EntenteParties = 'maple' AND ExecutionStatus != 'ContinuedAsNew'`;
    for await (const wf of env.client.workflow.list({ query })) {
      ids.push(wf.workflowId);
    }
    return ids;
  };
  await eventually(async () => ((await listed()).includes('partnership-riverside-maple') ? true : undefined), 'the listing', 15_000, 200).catch(
    () => undefined,
  );
  expect(await listed()).toEqual(['partnership-riverside-maple']);
});

test('a text of up to 1,024 bytes goes along with its command, a longer one is stored before it: both are served whole', async () => {
  // 1,022 ASCII characters and an é (two bytes): 1,024 bytes in 1,023 characters.
  const short = `${'Atelier tenu a la salle du conseil. '.repeat(30).slice(0, 1022)}é`;
  const long = `${short}.`;
  expect([Buffer.byteLength(short), Buffer.byteLength(long)]).toEqual([1024, 1025]);
  for (const [milestone, notes] of [
    ['launch-workshop', short],
    ['communication-protocol', long],
  ] as const) {
    const sent = await api.call('POST', '/partnerships/riverside-maple/milestones', {
      requestId: requestId('milestone'),
      milestone,
      completedOn: '2026-02-10',
      notes,
    });
    expect(sent.status).toBe(200);
  }
  const rows = await decisionsOf(h.db, 'riverside-maple');
  const refs = rows.filter((r) => r.kind === 'recordMilestone').map((r) => r.payload.notes as { sha256: string; size: number });
  expect(refs.map((r) => r.size)).toEqual([1024, 1025]);
  for (const [ref, text] of [
    [refs[0]!, short],
    [refs[1]!, long],
  ] as const) {
    const served = await api.call('GET', `/partnerships/riverside-maple/contents/${ref.sha256}`);
    expect({ status: served.status, body: served.body }).toEqual({ status: 200, body: text });
  }
  // The short text is in the history once, in its command's update; the long one never.
  expect(await textsCarried('launch-workshop')).toEqual([{ sha256: refs[0]!.sha256, size: 1024, body: short }]);
  expect(await textsCarried('communication-protocol')).toBeUndefined();
});

/** The texts the update of the milestone's command carried. */
async function textsCarried(milestone: string): Promise<unknown> {
  const inputs = await acceptedCommandInputs(env.client, 'partnership-riverside-maple');
  const input = inputs.find((i) => (i.command as { milestone?: string }).milestone === milestone);
  if (!input) throw new Error(`no update of ${milestone} in the history`);
  return input.texts;
}
