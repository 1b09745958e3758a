/**
 * An SMTP outage delays emails, never an answer or a stage change (issue 8): against the Temporal
 * CLI dev server, a real worker, a real SQLite register file and the API over HTTP, the SMTP
 * receiver on loopback is cut (its port refuses connections) while commands whose effects
 * include emails are sent, then restarted on the same port.
 *
 * | while SMTP is down                                  | expects                                                          |
 * |-----------------------------------------------------|------------------------------------------------------------------|
 * | the port                                            | refuses connections (ECONNREFUSED), checked before and after     |
 * | intake decision (accepted)                          | 200 before SMTP is back; stage commitment                        |
 * | both participation resolutions                      | 200 each before SMTP is back; stage groundwork (a second change) |
 * | the outbox table meanwhile                          | rows pending with the connection error; nothing received         |
 * | once SMTP is back (about 10 s after the cut)        | within 30 s: intake-accepted ×3, resolution-requested ×4,        |
 * |                                                     | resolution-recorded ×2 ×2, commitment-complete ×3, in that order |
 * | then, after a quiet moment                          | each Message-ID exactly once, each event → recipient as expected |
 * |                                                     | (no more, no less); every outbox row sent; the register holds    |
 * |                                                     | the three command rows and the stage rows, chain intact, and no  |
 * |                                                     | notification-failed row                                          |
 *
 * The bound on delivery: sendNotification retries after 2, 4, 8, 16 s… (at most 1 min); with the
 * first attempt at the cut and SMTP back about 10 s later, the next attempt comes about 4 s after
 * the restart, and the queued emails follow at once.
 */
import { entryOf, compareMail, mails, recipientsOf } from '../helpers/expected-mail';
import { startE2eStack, type E2eStack } from '../helpers/api-harness';
import { requestId, startRequest } from '../helpers/fixtures';
import { pause, stageReached } from '../helpers/resilient-client';

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack();
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const ID = 'smtp-outage';
const OUTAGE_MS = 10_000;
const DELIVERY_BOUND_MS = 30_000;

test('commands answer and stages move on while SMTP is down; each email arrives exactly once after it is back', async () => {
  const { api, h } = stack;
  const body = startRequest({ slug: ID });
  const to = recipientsOf(body);
  expect((await api.call('POST', '/partnerships', body)).status).toBe(201);
  await stageReached(api.call, ID, 'intake', 20_000);

  await h.smtp.cut();
  const cutAt = Date.now();
  expect(await h.smtp.probe()).toBe('refused');

  // Generous client timeouts: the test asserts when the answers came, not that they came fast.
  const post = async (route: string, command: Record<string, unknown>) => {
    const sent = Date.now();
    const res = await api.call('POST', `/partnerships/${ID}/${route}`, command, {}, { timeoutMs: 60_000 });
    return { status: res.status, body: res.body, sent, answeredAt: Date.now() };
  };
  const intake = await post('intake-decision', { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' });
  expect(intake.status).toBe(200);
  await stageReached(api.call, ID, 'commitment', 20_000);
  const resolutions = [];
  for (const partyId of to.partyIds) {
    const res = await post('resolutions', {
      requestId: requestId(`res-${partyId}`),
      partyId,
      subject: 'participation',
      outcome: 'adopted',
      adoptedOn: '2026-02-03',
      resolutionNumber: `${partyId.toUpperCase()}-2026-7`,
    });
    expect(res.status).toBe(200);
    resolutions.push(res);
  }
  await stageReached(api.call, ID, 'groundwork', 20_000);
  const groundworkAt = Date.now();

  // Still down: nothing received, and the outbox shows the sender trying.
  expect(await h.smtp.probe()).toBe('refused');
  expect(h.smtp.messages.filter((m) => m.partnership === ID)).toEqual([]);
  const during = await h.db.selectFrom('outbox').selectAll().where('partnership_id', '=', ID).execute();
  expect(during.length).toBeGreaterThan(0);
  expect(during.every((r) => r.status === 'pending')).toBe(true);
  expect(during.some((r) => r.last_error !== null && r.attempts >= 1)).toBe(true);

  await pause(Math.max(0, cutAt + OUTAGE_MS - Date.now()));
  await h.smtp.restart();
  const restartedAt = Date.now();
  expect(await h.smtp.probe()).toBe('open');

  const answers = [intake, ...resolutions];
  for (const a of answers) expect(a.answeredAt).toBeLessThan(restartedAt);

  const expected = [
    ...mails('intake-accepted', to.championsAndCoordinator),
    ...mails('resolution-requested', to.clerksAndChampions),
    ...to.partyIds.flatMap((id) => mails('resolution-recorded', [to.coordinator, ...to.of(id, ['champion'])])),
    ...mails('commitment-complete', to.championsAndCoordinator),
  ];
  const ours = () => h.smtp.messages.filter((m) => m.partnership === ID);
  await h.smtp.waitFor(() => new Set(ours().map((m) => m.messageId)).size >= expected.length, DELIVERY_BOUND_MS);
  const deliveredAt = Date.now();
  // A resend would come now, if at all.
  await pause(3_000);

  const received = ours();
  const comparison = compareMail(received, expected);
  expect(comparison).toEqual({ missing: [], unexpected: [], duplicates: [], distinct: expected.length });
  expect(received).toHaveLength(expected.length);
  expect(received.map(entryOf).sort()).toEqual([...expected].sort());
  // Each resolution's email names its own resolution, once per recipient.
  for (const partyId of to.partyIds) {
    const about = received.filter((m) => m.event === 'resolution-recorded' && m.subject.includes(`${partyId.toUpperCase()}-2026-7`));
    expect(about.map((m) => m.to.join(',')).sort()).toEqual([to.coordinator, ...to.of(partyId, ['champion'])].sort());
  }
  // The outbox sends in order: no email of a later event before every email of an earlier one.
  const order = ['intake-accepted', 'resolution-requested', 'resolution-recorded', 'commitment-complete'];
  const ranks = received.map((m) => order.indexOf(m.event));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

  const after = await h.db.selectFrom('outbox').selectAll().where('partnership_id', '=', ID).execute();
  expect(after).toHaveLength(expected.length);
  expect(after.every((r) => r.status === 'sent')).toBe(true);
  const register = (await api.call('GET', `/partnerships/${ID}/decisions`)).body;
  expect(register.chain).toEqual({ ok: true, rows: register.decisions.length });
  const keys: string[] = register.decisions.map((d: any) => d.key);
  expect(new Set(keys).size).toBe(keys.length);
  for (const a of answers) expect(keys).toContain(`${ID}:command:${a.body.result.requestId}`);
  expect(register.decisions.map((d: any) => d.kind)).toEqual([
    'partnership-started',
    'recordIntakeDecision',
    'stage:commitment',
    'recordResolution',
    'recordResolution',
    'stage:groundwork',
  ]);

  const attemptsOfFirst = Math.max(...after.map((r) => r.attempts));
  console.log(
    [
      `SMTP down for ${restartedAt - cutAt} ms`,
      `answers in ${answers.map((a) => a.answeredAt - a.sent).join(', ')} ms, all before SMTP was back`,
      `groundwork reached ${groundworkAt - cutAt} ms after the cut`,
      `${expected.length} emails delivered ${deliveredAt - restartedAt} ms after the restart (bound ${DELIVERY_BOUND_MS} ms)`,
      `most SMTP attempts for one message: ${attemptsOfFirst}`,
    ].join('\n'),
  );
}, 120_000);
