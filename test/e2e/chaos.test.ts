/**
 * Worker crashes at random moments (issue 8: a crash must cost seconds, and nothing else). The
 * worker runs as its own OS process, `node dist/worker/main.js` built as `npm run build` builds it
 * (into a temporary directory, test/helpers/worker-process.ts), configured by its environment,
 * against the Temporal CLI dev server, a real SMTP receiver on loopback and a SQLite register file
 * in WAL mode that the API in this process shares (PostgreSQL when TEST_POSTGRES_URL is set). The
 * API is called over HTTP as a careful client would: an attempt without an answer, or with a 5xx,
 * is sent again with the same requestId, and counted as a retry.
 *
 * | phase                                           | expects                                                            |
 * |-------------------------------------------------|--------------------------------------------------------------------|
 * | 4 lanes, each driving cipp-shared-services      | every partnership reaches in-force                                 |
 * | partnerships from intake to in force, one after |                                                                    |
 * | another (resolutions, milestones, feedback,     |                                                                    |
 * | approvals and signatures sent concurrently),    |                                                                    |
 * | while the worker is killed with SIGKILL 12 times|                                                                    |
 * | (alive 2–7 s, down 0.2–1.5 s, seeded: CHAOS_SEED)|                                                                   |
 * | every command answered 2xx                      | its `<id>:command:<requestId>` row is in the register              |
 * | every register                                  | keys unique, one command row per command sent, chain verifies, no  |
 * |                                                 | notification-failed row                                            |
 * | every email expected (partnership, event,       | present; a copy only with the same Message-ID (a resend after a    |
 * | recipient)                                      | crash between SMTP and the outbox row), counted and printed        |
 * | a command in flight when the worker is killed,  | completes within 15 s of the restart (printed), three times with   |
 * | the worker restarted after 1 s                  | the kill 10, 40 and 150 ms after the request                       |
 *
 * Printed: the seed, kills, commands, retries, duplicate emails, the command latency distribution
 * (p50/p90/max, retries included) overall and for the commands in flight at a kill, and the
 * build and start times.
 */
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegister, type RegisterDb } from '../../activities/register/database';
import type { StartPartnership } from '../../domain';
import { startApi, startDevServer, type ApiCall, type ApiHarness } from '../helpers/api-harness';
import { cippToInForceMails, compareMail } from '../helpers/expected-mail';
import { requestId, startRequest } from '../helpers/fixtures';
import { postgresBackend, type RegisterBackend } from '../helpers/register-backends';
import { distribution, retrying, seededRandom, sendCommand, stageReached, type CommandOutcome } from '../helpers/resilient-client';
import { SmtpReceiver } from '../helpers/smtp';
import { buildWorker, WorkerProcess, type WorkerBuild } from '../helpers/worker-process';

const SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
const KILLS = 12;
const LANES = 4;
const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

const random = seededRandom(SEED);
const between = (lo: number, hi: number) => Math.round(lo + (hi - lo) * random());
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let build: WorkerBuild;
let env: TestWorkflowEnvironment;
let smtp: SmtpReceiver;
let backend: RegisterBackend | undefined;
let db: RegisterDb;
let api: ApiHarness;
let worker: WorkerProcess;
const figures: string[] = [];

beforeAll(async () => {
  console.log(`chaos seed ${SEED} (CHAOS_SEED=${SEED} replays this kill schedule)`);
  build = await buildWorker();
  figures.push(`worker build: tsc ${build.compileMs} ms, workflow bundle ${build.bundleMs} ms`);
  env = await startDevServer();
  smtp = await new SmtpReceiver().start();
  let registerUrl: string;
  if (POSTGRES_URL) {
    backend = await postgresBackend(POSTGRES_URL);
    registerUrl = backend.url;
  } else {
    registerUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'entente-chaos-')), 'register.db')}`;
  }
  // Migrated here first: the worker opens a register that exists.
  db = await openRegister(registerUrl);
  const taskQueue = `chaos-${SEED}-${Date.now().toString(36)}`;
  worker = new WorkerProcess(
    build.mainJs,
    {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: 'default',
      TASK_QUEUE: taskQueue,
      DATABASE_URL: registerUrl,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Entente <entente@chaos.test>',
      PUBLIC_URL: 'http://chaos.test',
      LOG_LEVEL: 'info',
    },
    join(mkdtempSync(join(tmpdir(), 'entente-chaos-log-')), 'worker.log'),
  );
  figures.push(`worker process ready ${await worker.start()} ms after spawn (log: ${worker.logFile})`);
  api = await startApi(env.client, db, taskQueue, { writesPerMinute: 1_000_000 });
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await db?.destroy();
  await backend?.dispose();
  await smtp?.stop();
  await env?.teardown();
  build?.dispose();
  if (figures.length) console.log(figures.join('\n'));
});

const RETRY = { attemptTimeoutMs: 30_000, retryDelayMs: 500, giveUpAfterMs: 150_000 };

interface Driven {
  id: string;
  body: StartPartnership;
}

const outcomes: CommandOutcome[] = [];
const killedAt: number[] = [];
const driven: Driven[] = [];
let extraRetries = 0;

/** A command that must be applied (2xx), retried with its requestId meanwhile. */
async function command(id: string, route: string, body: { requestId: string } & Record<string, unknown>, call: ApiCall = api.call) {
  const outcome = await sendCommand(call, id, route, body, RETRY);
  outcomes.push(outcome);
  if (outcome.status !== 200) {
    throw new Error(
      `${id} ${route} ${body.requestId}: ${outcome.status} ${JSON.stringify(outcome.body)} after ${outcome.attempts} attempts (${outcome.failures.join(', ')})`,
    );
  }
  return outcome;
}

/** A request that is not a command (start, key issuing), retried the same way. */
async function must(method: string, path: string, body: unknown, expected: number, headers: Record<string, string> = {}) {
  const { res, attempts } = await retrying(api.call, method, path, body, headers, RETRY);
  extraRetries += attempts - 1;
  if (res?.status !== expected) throw new Error(`${method} ${path}: ${res?.status} ${JSON.stringify(res?.body)}`);
  return res.body;
}

/** A `cipp-shared-services` partnership from its start to in force, over HTTP, whatever the worker does meanwhile. */
async function drive(id: string): Promise<void> {
  const body = startRequest({ slug: id, title: `Chaos ${id}` });
  driven.push({ id, body });
  const parties = body.parties.map((p) => p.id);
  // With an Idempotency-Key, a start repeated after a lost answer gets the same 201.
  await must('POST', '/partnerships', body, 201, { 'idempotency-key': `start-${id}` });
  await stageReached(api.call, id, 'intake');
  const signatory: Record<string, ApiCall> = {};
  for (const partyId of parties) {
    const { key } = await must('POST', `/partnerships/${id}/access-keys`, { role: 'signatory', partyId, label: `signatory of ${partyId}` }, 201);
    signatory[partyId] = api.as(key);
  }

  await command(id, 'intake-decision', { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' });
  await stageReached(api.call, id, 'commitment');
  const resolution = (partyId: string, extra: object) => ({
    requestId: requestId(`res-${partyId}`),
    partyId,
    outcome: 'adopted',
    adoptedOn: '2026-02-03',
    ...extra,
  });
  await Promise.all(parties.map((p) => command(id, 'resolutions', resolution(p, { subject: 'participation', resolutionNumber: `P-${p}` }))));
  await stageReached(api.call, id, 'groundwork');
  const milestones = [
    { milestone: 'launch-workshop', completedOn: '2026-02-10' },
    { milestone: 'communication-protocol', completedOn: '2026-02-20' },
    { milestone: 'feasibility-study', completedOn: '2026-03-01' },
    { milestone: 'funding-proposal', skipped: true, reason: 'No outside funding needed' },
    { milestone: 'public-engagement-strategy', completedOn: '2026-03-05' },
  ];
  await Promise.all(milestones.map((m) => command(id, 'milestones', { requestId: requestId('milestone'), ...m })));
  await stageReached(api.call, id, 'drafting');
  await command(id, 'drafts', { requestId: requestId('draft'), version: 1, title: 'Agreement, version 1', text: `Agreement of ${id}, version 1.` });
  await stageReached(api.call, id, 'consultation');
  await Promise.all(
    parties.map((p) =>
      command(id, 'feedback', { requestId: requestId(`fb-${p}`), partyId: p, author: `Council of ${p}`, comments: 'Clarify the cost sharing.' }),
    ),
  );
  await stageReached(api.call, id, 'revision');
  await command(id, 'milestones', { requestId: requestId('workshop'), milestone: 'review-workshop', completedOn: '2026-04-10' });
  await command(id, 'drafts', { requestId: requestId('draft'), version: 2, title: 'Agreement, version 2', text: `Agreement of ${id}, version 2.` });
  await stageReached(api.call, id, 'approval');
  await Promise.all(parties.map((p) => command(id, 'resolutions', resolution(p, { subject: 'approval', resolutionNumber: `A-${p}`, draftVersion: 2 }))));
  await stageReached(api.call, id, 'signing');
  await Promise.all(
    parties.map((p) =>
      command(
        id,
        'signatures',
        { requestId: requestId(`sign-${p}`), partyId: p, signatoryName: `Signatory of ${p}`, signatoryTitle: 'Mayor', signedOn: '2026-05-15', draftVersion: 2 },
        signatory[p],
      ),
    ),
  );
  await stageReached(api.call, id, 'in-force');
}

const killsDuring = (o: CommandOutcome) => killedAt.filter((t) => o.startedAt <= t && t <= o.endedAt);
const inFlightAtKill = (o: CommandOutcome) => killsDuring(o).length > 0;

/** What the crashes cost, read from the histories: workflow tasks that timed out, activity attempts beyond the first. */
async function crashCosts(ids: string[]) {
  const { EventType, TimeoutType } = temporal.api.enums.v1;
  const costs = { workflowTaskStartToClose: 0, workflowTaskScheduleToStart: 0, recordDecisionRetries: 0, sendNotificationRetries: 0 };
  for (const id of ids) {
    const events = (await env.client.workflow.getHandle(`partnership-${id}`).fetchHistory()).events ?? [];
    const activityType = new Map<string, string>();
    for (const e of events) {
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
        if (e.workflowTaskTimedOutEventAttributes?.timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) costs.workflowTaskScheduleToStart++;
        else costs.workflowTaskStartToClose++;
      }
      if (e.activityTaskScheduledEventAttributes) activityType.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
      const started = e.activityTaskStartedEventAttributes;
      if (started && (started.attempt ?? 1) > 1) {
        const type = activityType.get(String(started.scheduledEventId));
        if (type === 'recordDecision') costs.recordDecisionRetries += started.attempt! - 1;
        if (type === 'sendNotification') costs.sendNotificationRetries += started.attempt! - 1;
      }
    }
  }
  return costs;
}
const summary = (xs: CommandOutcome[]) => {
  const d = distribution(xs.map((o) => o.ms));
  return `n=${d.n} p50=${d.p50} ms p90=${d.p90} ms max=${d.max} ms`;
};

test('lifecycles over HTTP while the worker process is killed at random: every answer had its effect, every email arrived', async () => {
  const started = Date.now();
  let chaosOver = false;
  const restartMs: number[] = [];

  async function chaos(): Promise<void> {
    try {
      for (let k = 0; k < KILLS; k++) {
        await pause(between(2_000, 7_000));
        killedAt.push(Date.now());
        await worker.kill();
        await pause(between(200, 1_500));
        restartMs.push(await worker.start());
      }
    } finally {
      chaosOver = true;
    }
  }
  // Each lane drives one partnership after another until the kills are over.
  async function lane(n: number): Promise<void> {
    for (let i = 0; ; i++) {
      await drive(`chaos-${n}-${i}`);
      if (chaosOver) return;
    }
  }
  const settled = await Promise.allSettled([chaos(), ...Array.from({ length: LANES }, (_, n) => lane(n))]);
  const driveMs = Date.now() - started;
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed.length > 0) throw failed[0]!.reason;
  expect(worker.kills).toBe(KILLS);

  // Every partnership where it should be, every 2xx command in its register, once, and the chain intact.
  let commandRows = 0;
  for (const { id } of driven) {
    expect((await stageReached(api.call, id, 'in-force', 30_000)).stage).toBe('in-force');
    const { res } = await retrying(api.call, 'GET', `/partnerships/${id}/decisions`, undefined, {}, RETRY);
    expect(res?.status).toBe(200);
    const register = res!.body;
    expect(register.chain).toEqual({ ok: true, rows: register.decisions.length });
    const keys: string[] = register.decisions.map((d: any) => d.key);
    expect(keys.length - new Set(keys).size).toBe(0);
    const sent = outcomes.filter((o) => o.partnership === id);
    const missing = sent.filter((o) => !keys.includes(`${id}:command:${o.requestId}`)).map((o) => `${o.route} ${o.requestId}`);
    expect(missing).toEqual([]);
    const rowsOfCommands = keys.filter((k) => k.startsWith(`${id}:command:`));
    expect(rowsOfCommands).toHaveLength(sent.length);
    commandRows += rowsOfCommands.length;
    expect(register.decisions.filter((d: any) => d.kind === 'notification-failed')).toEqual([]);
  }

  // Every email expected, per partnership, event and recipient; a copy only under the same Message-ID.
  const expected = new Map(driven.map(({ id, body }) => [id, cippToInForceMails(body)]));
  const total = [...expected.values()].reduce((n, e) => n + e.length, 0);
  const distinctIds = () => new Set(smtp.messages.map((m) => m.messageId)).size;
  const mailWaitStarted = Date.now();
  await smtp.waitFor(() => distinctIds() >= total, 90_000).catch(() => undefined);
  const mailWaitMs = Date.now() - mailWaitStarted;
  await pause(2_000);
  const duplicates: string[] = [];
  for (const [id, want] of expected) {
    const comparison = compareMail(
      smtp.messages.filter((m) => m.partnership === id),
      want,
    );
    expect({ id, missing: comparison.missing, unexpected: comparison.unexpected }).toEqual({ id, missing: [], unexpected: [] });
    duplicates.push(...comparison.duplicates.map((d) => `${id} ${d.entry} ×${d.copies} (${d.messageId})`));
  }
  expect(smtp.messages.filter((m) => !expected.has(m.partnership))).toEqual([]);

  const retries = outcomes.reduce((n, o) => n + o.attempts - 1, 0);
  const hit = outcomes.filter(inFlightAtKill);
  figures.push(
    [
      `chaos: seed ${SEED}, ${worker.kills} kills (SIGKILL), ${driven.length} partnerships to in-force in ${driveMs} ms`,
      `worker restarts ready in ${distribution(restartMs).p50} ms (p50), ${distribution(restartMs).max} ms (max)`,
      `commands: ${outcomes.length} answered 2xx (${commandRows} command rows), retries with the same requestId: ${retries} (+${extraRetries} for starts and keys)`,
      `  failed attempts: ${JSON.stringify(Object.fromEntries([...new Set(outcomes.flatMap((o) => o.failures))].map((f) => [f, outcomes.flatMap((o) => o.failures).filter((x) => x === f).length])))}`,
      `command latency, all: ${summary(outcomes)}`,
      `command latency, in flight at a kill: ${summary(hit)}; of which spanning 2 kills or more: ${hit.filter((o) => killsDuring(o).length > 1).length}`,
      `  from the kill to the answer (first kill in flight): ${summary(hit.map((o) => ({ ...o, ms: o.endedAt - killsDuring(o)[0]! })))}`,
      `  from the kill to the answer, commands in flight at one kill only: ${summary(
        hit.filter((o) => killsDuring(o).length === 1).map((o) => ({ ...o, ms: o.endedAt - killsDuring(o)[0]! })),
      )}`,
      `command latency, untouched by kills: ${summary(outcomes.filter((o) => !inFlightAtKill(o)))}`,
      `emails: ${total} expected, ${distinctIds()} distinct Message-IDs received, ${smtp.messages.length} messages (waited ${mailWaitMs} ms after the last stage)`,
      `what the crashes cost in the histories: ${JSON.stringify(await crashCosts(driven.map((d) => d.id)))}`,
      `duplicate emails (same Message-ID): ${duplicates.length}${duplicates.map((d) => `\n  ${d}`).join('')}`,
    ].join('\n'),
  );
}, 240_000);

test('a command in flight when the worker dies completes within 15 s of the restart', async () => {
  const id = 'chaos-focus';
  const body = startRequest({ slug: id, title: 'Chaos, focused' });
  await must('POST', '/partnerships', body, 201, { 'idempotency-key': `start-${id}` });
  await stageReached(api.call, id, 'intake');
  const commands: Array<{ route: string; body: { requestId: string } & Record<string, unknown>; then?: string }> = [
    { route: 'intake-decision', body: { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' }, then: 'commitment' },
    ...body.parties.map((p) => ({
      route: 'resolutions',
      body: {
        requestId: requestId(`res-${p.id}`),
        partyId: p.id,
        subject: 'participation',
        outcome: 'adopted',
        adoptedOn: '2026-02-03',
        resolutionNumber: `P-${p.id}`,
      },
    })),
  ];
  const measured: string[] = [];
  let inFlight = 0;
  for (const [i, killAfterMs] of [10, 40, 150].entries()) {
    const { route, body: commandBody, then } = commands[i]!;
    const pending = sendCommand(api.call, id, route, commandBody, RETRY);
    await pause(killAfterMs);
    const killAt = Date.now();
    await worker.kill();
    await pause(1_000);
    const restartAt = Date.now();
    const readyMs = await worker.start();
    const outcome = await pending;
    outcomes.push(outcome);
    expect(outcome.status).toBe(200);
    const wasInFlight = outcome.endedAt > killAt;
    if (wasInFlight) inFlight++;
    const afterRestart = outcome.endedAt - restartAt;
    measured.push(
      `${route} killed ${killAfterMs} ms after the request: ${wasInFlight ? `answered ${afterRestart} ms after the restart` : 'answered before the kill'} (worker ready after ${readyMs} ms; ${outcome.attempts} attempt(s), total ${outcome.ms} ms)`,
    );
    if (wasInFlight) expect(afterRestart).toBeLessThan(15_000);
    if (then) await stageReached(api.call, id, then, 30_000);
  }
  await stageReached(api.call, id, 'groundwork', 30_000);
  figures.push(['a command in flight at a crash, worker restarted after 1 s:', ...measured.map((m) => `  ${m}`)].join('\n'));
  expect(inFlight).toBeGreaterThan(0);
}, 120_000);
