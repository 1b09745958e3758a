/**
 * Worker crashes at random moments (issue 8: a crash must cost seconds, and nothing else). The
 * worker runs as its own OS process, `node dist/worker/main.js` built as `npm run build` builds it
 * (into a temporary directory, test/helpers/worker-process.ts), configured by its environment,
 * against the Temporal CLI dev server, a real SMTP receiver on loopback and a SQLite register file
 * in WAL mode that the API in this process shares (PostgreSQL when TEST_POSTGRES_URL is set). The
 * API is called over HTTP as a careful client would: an attempt without an answer, or with a 5xx,
 * is sent again with the same requestId, and counted as a retry.
 *
 * | phase                                            | expects                                                           |
 * |--------------------------------------------------|-------------------------------------------------------------------|
 * | 4 lanes, each driving cipp-shared-services       | every partnership reaches in-force                                |
 * | partnerships from intake to in force, one after  |                                                                   |
 * | another (resolutions, milestones, feedback,      |                                                                   |
 * | approvals and signatures sent concurrently),     |                                                                   |
 * | while the worker is killed with SIGKILL 12 times |                                                                   |
 * | (alive 2–7 s, down 0.2–1.5 s; seeded, CHAOS_SEED),|                                                                   |
 * | the state read (GET) after every step            |                                                                   |
 * | every command answered 2xx                       | its `<id>:command:<requestId>` row is in the register             |
 * | every register (GET /partnerships/:id/decisions) | keys unique, no command row of a request never sent, the chain    |
 * |                                                  | verifies, no notification-failed row; rows in lifecycle order     |
 * |                                                  | (printed only, see below)                                         |
 * | every history                                    | no failed workflow task (a non-determinism error leaves the       |
 * |                                                  | partnership stuck), replays against the built bundle; a history   |
 * |                                                  | with a problem is saved beside the worker's log                   |
 * | every email expected (partnership, event,        | present; a copy only with the same Message-ID (a resend after a   |
 * | recipient)                                       | crash between SMTP and the outbox row), counted and printed       |
 * | a command in flight when the worker is killed,   | completes within 15 s of the restart (printed), three times with  |
 * | the worker restarted after 1 s                   | the kill 10, 40 and 150 ms after the request                      |
 * | the API process (`dist/api/main.js`) given       | one "api stopping" line, exit 0 (Ctrl-C under `npm start` sends   |
 * | SIGINT, then SIGTERM                             | both: the terminal's, then the supervisor's)                      |
 * | the API given SIGTERM while a client holds a     | the connection cut after API_STOP_GRACE_SECONDS (1), a warning    |
 * | request open (headers, one byte of its body)     | logged, exit 0                                                    |
 *
 * Printed: the seed, kills, commands, retries, duplicate emails, the command latency distribution
 * (p50/p90/max, retries included) overall and for the commands in flight at a kill, what the
 * crashes cost in the histories (workflow tasks timed out, activity attempts), the API's 500s by
 * cause, the build and start times. The worker's and the API's logs stay in a temporary
 * directory whose path is printed.
 */
import { temporal } from '@temporalio/proto';
import pino from 'pino';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { openRegister, type RegisterDb } from '../../store/database';
import { verifyChain } from '../../store/decisions';
import type { StartPartnership } from '../../domain';
import { startApi, startDevServer, type ApiCall, type ApiHarness } from '../helpers/api-harness';
import { eventually } from '../helpers/polling';
import { cippToInForceMails, compareMail } from '../helpers/expected-mail';
import { requestId, startRequest } from '../helpers/fixtures';
import { postgresBackend, type RegisterBackend } from '../helpers/register-backends';
import { distribution, pause, retrying, seededRandom, sendCommand, stageReached, type CommandOutcome } from '../helpers/resilient-client';
import { SmtpReceiver } from '../helpers/smtp';
import { buildWorker, workerEnv, WorkerProcess, type WorkerBuild } from '../helpers/worker-process';
import { freePort } from '../../scripts/start-team';

const SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
const KILLS = 12;
const LANES = 4;
const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

const random = seededRandom(SEED);
const between = (lo: number, hi: number) => Math.round(lo + (hi - lo) * random());

let build: WorkerBuild;
let env: TestWorkflowEnvironment;
let smtp: SmtpReceiver;
let backend: RegisterBackend | undefined;
let db: RegisterDb;
let api: ApiHarness;
let worker: WorkerProcess;
let logDir: string;
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
  logDir = mkdtempSync(join(tmpdir(), 'entente-chaos-log-'));
  const taskQueue = `chaos-${SEED}-${Date.now().toString(36)}`;
  worker = new WorkerProcess(
    build.mainJs,
    workerEnv({ temporalAddress: env.address, taskQueue, registerUrl, smtpUrl: smtp.url, site: 'chaos' }),
    join(logDir, 'worker.log'),
  );
  figures.push(`worker process ready ${await worker.start()} ms after spawn (log: ${worker.logFile})`);
  // The API's errors (the cause of a 500) go to a file beside the worker's log.
  const apiLog = pino({ name: 'api', level: 'warn' }, pino.destination({ dest: join(logDir, 'api.log'), sync: true }));
  api = await startApi(env.client, db, taskQueue, { writesPerMinute: 1_000_000, log: apiLog });
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

const RETRY = { attemptTimeoutMs: 30_000, retryDelayMs: 500, giveUpAfterMs: 60_000 };

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

/**
 * The stage after a set of commands: their answers say it (a command answers with the state after
 * the stage steps it made ready), and a GET then reads it too, while the kills go on. When this
 * test was written a GET was a state query, and a query that reached a restarted worker while a
 * workflow task still waited on the dead worker's sticky queue let the SDK apply that task's events
 * early, so that the next command was recorded in an order that replay does not reproduce (README,
 * "Known issues"): the test read only when the answers did not say. The API now reads through the
 * `read` update, and a read before every next command is what that fault needed.
 */
async function reached(id: string, stage: string, answers: CommandOutcome[]): Promise<void> {
  if (!answers.some((a) => a.body?.state?.stage === stage)) {
    await stageReached(api.call, id, stage);
    return;
  }
  // One read whatever it says (a timer may have moved the stage on since), retried while the worker is down.
  const read = async () =>
    (await api.call('GET', `/partnerships/${id}`, undefined, {}, { timeoutMs: 10_000 }).catch(() => undefined))?.status === 200 ? true : undefined;
  await eventually(read, `${id} to be read`, 120_000);
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
  const signatory: Record<string, ApiCall> = {};
  for (const partyId of parties) {
    const { key } = await must('POST', `/partnerships/${id}/access-keys`, { role: 'signatory', partyId, label: `signatory of ${partyId}` }, 201);
    signatory[partyId] = api.as(key);
  }

  await reached(id, 'commitment', [await command(id, 'intake-decision', { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' })]);
  const resolution = (partyId: string, extra: object) => ({
    requestId: requestId(`res-${partyId}`),
    partyId,
    outcome: 'adopted',
    adoptedOn: '2026-02-03',
    ...extra,
  });
  await reached(
    id,
    'groundwork',
    await Promise.all(parties.map((p) => command(id, 'resolutions', resolution(p, { subject: 'participation', resolutionNumber: `P-${p}` })))),
  );
  // The optional milestone first: once the required ones are in, groundwork is over and a late
  // optional one is refused (409, not in groundwork any more).
  const optional = await command(id, 'milestones', {
    requestId: requestId('milestone'),
    milestone: 'funding-proposal',
    skipped: true,
    reason: 'No outside funding needed',
  });
  const required = [
    { milestone: 'launch-workshop', completedOn: '2026-02-10' },
    { milestone: 'communication-protocol', completedOn: '2026-02-20' },
    { milestone: 'feasibility-study', completedOn: '2026-03-01' },
    { milestone: 'public-engagement-strategy', completedOn: '2026-03-05' },
  ];
  await reached(id, 'drafting', [
    optional,
    ...(await Promise.all(required.map((m) => command(id, 'milestones', { requestId: requestId('milestone'), ...m })))),
  ]);
  const draft1 = await command(id, 'drafts', {
    requestId: requestId('draft'),
    version: 1,
    title: 'Agreement, version 1',
    text: `Agreement of ${id}, version 1.`,
  });
  await reached(id, 'consultation', [draft1]);
  const feedback = await Promise.all(
    parties.map((p) =>
      command(id, 'feedback', { requestId: requestId(`fb-${p}`), partyId: p, author: `Council of ${p}`, comments: 'Clarify the cost sharing.' }),
    ),
  );
  await reached(id, 'revision', feedback);
  await command(id, 'milestones', { requestId: requestId('workshop'), milestone: 'review-workshop', completedOn: '2026-04-10' });
  const draft2 = await command(id, 'drafts', {
    requestId: requestId('draft'),
    version: 2,
    title: 'Agreement, version 2',
    text: `Agreement of ${id}, version 2.`,
  });
  await reached(id, 'approval', [draft2]);
  await reached(
    id,
    'signing',
    await Promise.all(parties.map((p) => command(id, 'resolutions', resolution(p, { subject: 'approval', resolutionNumber: `A-${p}`, draftVersion: 2 })))),
  );
  const signatures = await Promise.all(
    parties.map((p) =>
      command(
        id,
        'signatures',
        { requestId: requestId(`sign-${p}`), partyId: p, signatoryName: `Signatory of ${p}`, signatoryTitle: 'Mayor', signedOn: '2026-05-15', draftVersion: 2 },
        signatory[p],
      ),
    ),
  );
  await reached(id, 'in-force', signatures);
}

/** The register rows of `drive`, in the order of the lifecycle (as test/e2e/lifecycle-over-http.test.ts checks them step by step). */
const LIFECYCLE_ROWS = [
  'partnership-started',
  'recordIntakeDecision',
  'stage:commitment',
  'recordResolution',
  'recordResolution',
  'stage:groundwork',
  ...Array.from({ length: 5 }, () => 'recordMilestone'),
  'stage:drafting',
  'submitDraft',
  'stage:consultation',
  'submitFeedback',
  'submitFeedback',
  'stage:revision',
  'recordMilestone',
  'submitDraft',
  'stage:approval',
  'recordResolution',
  'recordResolution',
  'stage:signing',
  'sign',
  'sign',
  'stage:in-force',
];

const killsDuring = (o: CommandOutcome) => killedAt.filter((t) => o.startedAt <= t && t <= o.endedAt);
const inFlightAtKill = (o: CommandOutcome) => killsDuring(o).length > 0;

/**
 * What the histories say: what the crashes cost (workflow tasks that timed out, activity attempts
 * beyond the first), any workflow task that failed (a non-determinism error after a crash shows
 * here, and leaves the partnership stuck), and whether each history replays against the built
 * bundle. Histories with a problem are saved beside the worker's log (binary protobuf, as
 * test/helpers/histories.ts reads them).
 */
async function inspectHistories(ids: string[]) {
  const { EventType, TimeoutType, WorkflowTaskFailedCause } = temporal.api.enums.v1;
  const costs = { workflowTaskStartToClose: 0, workflowTaskScheduleToStart: 0, recordDecisionRetries: 0, sendNotificationRetries: 0 };
  const failedTasks: string[] = [];
  const histories: Array<{ workflowId: string; history: temporal.api.history.v1.IHistory }> = [];
  const save = (id: string, history: temporal.api.history.v1.IHistory) => {
    const file = join(logDir, `${id}.pb`);
    writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
    return file;
  };
  for (const id of ids) {
    const history = await env.client.workflow.getHandle(`partnership-${id}`).fetchHistory();
    histories.push({ workflowId: `partnership-${id}`, history });
    const activityType = new Map<string, string>();
    for (const e of history.events ?? []) {
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
        if (e.workflowTaskTimedOutEventAttributes?.timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) costs.workflowTaskScheduleToStart++;
        else costs.workflowTaskStartToClose++;
      }
      const failed = e.workflowTaskFailedEventAttributes;
      if (failed) {
        const cause = WorkflowTaskFailedCause[failed.cause ?? 0] ?? String(failed.cause);
        failedTasks.push(`${id} event ${e.eventId}: ${cause}: ${failed.failure?.message ?? ''} (history: ${save(id, history)})`);
      }
      if (e.activityTaskScheduledEventAttributes) activityType.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
      const started = e.activityTaskStartedEventAttributes;
      if (started && (started.attempt ?? 1) > 1) {
        const type = activityType.get(String(started.scheduledEventId));
        if (type === 'recordDecision') costs.recordDecisionRetries += started.attempt! - 1;
        if (type?.startsWith('sendNotification')) costs.sendNotificationRetries += started.attempt! - 1;
      }
    }
  }
  const replayErrors: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: build.bundle }, replayName: 'chaos-replay' }, histories)) {
    if (result.error) {
      const { history } = histories.find((h) => h.workflowId === result.workflowId)!;
      replayErrors.push(`${result.workflowId}: ${(result.error as Error).message} (history: ${save(result.workflowId, history)})`);
    }
  }
  return { costs, failedTasks, replayErrors };
}
/** What the API logged for its 500s, counted by message. */
function apiErrors(): string {
  const file = join(logDir, 'api.log');
  if (!existsSync(file)) return ' none';
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const entry = JSON.parse(line) as { msg?: string; err?: { name?: string; message?: string } };
    const key = `${entry.msg}: ${entry.err?.name ?? ''} ${(entry.err?.message ?? '').slice(0, 160)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts.size === 0 ? ' none' : [...counts].map(([k, n]) => `\n  ${n} × ${k}`).join('');
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
  // Everything is checked and the figures printed before any assertion fails: a failure names
  // every problem, with the seed and the histories that show it.
  const problems: string[] = settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => `a lane stopped: ${(s.reason as Error).message}`);
  const histories = await inspectHistories(driven.map((d) => d.id));
  problems.push(...histories.failedTasks.map((f) => `workflow task failed: ${f}`), ...histories.replayErrors.map((f) => `does not replay: ${f}`));
  if (worker.kills !== KILLS) problems.push(`${worker.kills} kills instead of ${KILLS}`);

  // Every partnership where it should be, every 2xx command in its register, once, the chain
  // intact, and the rows in the order of the lifecycle: a stage's row before the commands that
  // only that stage accepts, the commands before the stage step they complete.
  let commandRows = 0;
  const outOfOrder: string[] = [];
  for (const { id } of driven) {
    const { res: state } = await retrying(api.call, 'GET', `/partnerships/${id}`, undefined, {}, { ...RETRY, giveUpAfterMs: 10_000 });
    if (state?.body?.stage !== 'in-force') problems.push(`${id} is in stage ${state?.body?.stage ?? `? (${state?.status})`}, not in-force`);
    // Through the API, as a client reads it; straight from the database when the API cannot answer
    // (its 404 check queries the workflow, which a stuck workflow does not answer).
    const { res } = await retrying(api.call, 'GET', `/partnerships/${id}/decisions`, undefined, {}, { ...RETRY, giveUpAfterMs: 10_000 });
    let register: Array<{ key: string; kind: string }>;
    let chain: { ok: boolean; firstBroken?: unknown };
    if (res?.status === 200) {
      ({ decisions: register, chain } = res.body);
    } else {
      problems.push(`${id}: GET /decisions answered ${res?.status ?? 'nothing'}`);
      register = await db.selectFrom('decisions').selectAll().where('partnership_id', '=', id).orderBy('seq').execute();
      chain = await verifyChain(db, id);
    }
    if (!chain.ok) problems.push(`${id}: chain broken at ${JSON.stringify(chain.firstBroken)}`);
    const keys = register.map((d) => d.key);
    if (new Set(keys).size !== keys.length) problems.push(`${id}: duplicate register keys`);
    const sent = outcomes.filter((o) => o.partnership === id);
    for (const o of sent.filter((c) => c.status === 200)) {
      if (!keys.includes(`${id}:command:${o.requestId}`)) problems.push(`${id}: ${o.route} ${o.requestId} answered 200 without its register row`);
    }
    const rowsOfCommands = keys.filter((k) => k.startsWith(`${id}:command:`));
    const strangers = rowsOfCommands.filter((k) => !sent.some((o) => k === `${id}:command:${o.requestId}`));
    if (strangers.length > 0) problems.push(`${id}: command rows of requests never sent: ${strangers.join(', ')}`);
    commandRows += rowsOfCommands.length;
    const failedMail = register.filter((d) => d.kind === 'notification-failed');
    if (failedMail.length > 0) problems.push(`${id}: ${failedMail.length} notification-failed rows`);
    const kinds = register.map((d) => d.kind);
    if (kinds.length === LIFECYCLE_ROWS.length && JSON.stringify(kinds) !== JSON.stringify(LIFECYCLE_ROWS)) {
      const at = kinds.findIndex((k, i) => k !== LIFECYCLE_ROWS[i]);
      outOfOrder.push(`${id}: row ${at + 1} is ${kinds[at]} where ${LIFECYCLE_ROWS[at]} was due (${kinds.slice(Math.max(0, at - 2), at + 4).join(', ')})`);
    }
  }
  // The minute book lists causes before effects even after a crash: a command's row waits for the
  // lifecycle's rows in flight (a stage step's, delayed by the crash), and a stage step waits for
  // the rows of the commands that complete it.
  problems.push(...outOfOrder);

  // Every email expected, per partnership, event and recipient; a copy only under the same Message-ID.
  const inForce = driven.filter((d) => !problems.some((p) => p.startsWith(`${d.id} is in stage`)));
  const expected = new Map(inForce.map(({ id, body }) => [id, cippToInForceMails(body)]));
  const total = [...expected.values()].reduce((n, e) => n + e.length, 0);
  const distinctOf = () => new Set(smtp.messages.filter((m) => expected.has(m.partnership)).map((m) => m.messageId)).size;
  const mailWaitStarted = Date.now();
  await smtp.waitFor(() => distinctOf() >= total, 90_000).catch(() => undefined);
  const mailWaitMs = Date.now() - mailWaitStarted;
  await pause(2_000);
  const duplicates: string[] = [];
  for (const [id, want] of expected) {
    const comparison = compareMail(
      smtp.messages.filter((m) => m.partnership === id),
      want,
    );
    if (comparison.missing.length > 0) problems.push(`${id}: emails missing: ${comparison.missing.join('; ')}`);
    if (comparison.unexpected.length > 0) problems.push(`${id}: emails not expected: ${comparison.unexpected.join('; ')}`);
    duplicates.push(...comparison.duplicates.map((d) => `${id} ${d.entry} ×${d.copies} (${d.messageId})`));
  }
  const strays = smtp.messages.filter((m) => !driven.some((d) => d.id === m.partnership));
  if (strays.length > 0) problems.push(`${strays.length} emails of no partnership driven here`);

  const retries = outcomes.reduce((n, o) => n + o.attempts - 1, 0);
  const hit = outcomes.filter(inFlightAtKill);
  const failures = outcomes.flatMap((o) => o.failures);
  figures.push(
    [
      `chaos: seed ${SEED}, ${worker.kills} kills (SIGKILL), ${driven.length} partnerships driven (${inForce.length} to in-force) in ${driveMs} ms, register on ${backend ? 'PostgreSQL' : 'SQLite'}`,
      `worker restarts ready in ${distribution(restartMs).p50} ms (p50), ${distribution(restartMs).max} ms (max)`,
      `commands: ${outcomes.length} (${outcomes.filter((o) => o.status === 200).length} answered 2xx, ${commandRows} command rows), retries with the same requestId: ${retries} (+${extraRetries} for starts and keys)`,
      `  failed attempts: ${JSON.stringify(Object.fromEntries([...new Set(failures)].map((f) => [f, failures.filter((x) => x === f).length])))}`,
      `command latency, all: ${summary(outcomes)}`,
      `command latency, in flight at a kill: ${summary(hit)}; of which spanning 2 kills or more: ${hit.filter((o) => killsDuring(o).length > 1).length}`,
      `  from the kill to the answer (first kill in flight): ${summary(hit.map((o) => ({ ...o, ms: o.endedAt - killsDuring(o)[0]! })))}`,
      `  from the kill to the answer, commands in flight at one kill only: ${summary(
        hit.filter((o) => killsDuring(o).length === 1).map((o) => ({ ...o, ms: o.endedAt - killsDuring(o)[0]! })),
      )}`,
      `command latency, untouched by kills: ${summary(outcomes.filter((o) => !inFlightAtKill(o)))}`,
      `what the crashes cost in the histories: ${JSON.stringify(histories.costs)}`,
      `emails: ${total} expected, ${distinctOf()} distinct Message-IDs received, ${smtp.messages.length} messages (waited ${mailWaitMs} ms after the last stage)`,
      `duplicate emails (same Message-ID): ${duplicates.length}${duplicates.map((d) => `\n  ${d}`).join('')}`,
      `registers out of lifecycle order: ${outOfOrder.length}${outOfOrder.map((o) => `\n  ${o}`).join('')}`,
      `the API's 500s, by cause (${join(logDir, 'api.log')}):${apiErrors()}`,
      ...(problems.length > 0 ? [`PROBLEMS (${problems.length}):`, ...problems.map((p) => `  ${p}`)] : []),
    ].join('\n'),
  );
  expect(problems).toEqual([]);
}, 240_000);

test('a command in flight when the worker dies completes within 15 s of the restart', async () => {
  const id = 'chaos-focus';
  const body = startRequest({ slug: id, title: 'Chaos, focused' });
  await must('POST', '/partnerships', body, 201, { 'idempotency-key': `start-${id}` });
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
    if (then) await reached(id, then, [outcome]);
  }
  // The kills are over: reading is safe again.
  await stageReached(api.call, id, 'groundwork', 30_000);
  figures.push(['a command in flight at a crash, worker restarted after 1 s:', ...measured.map((m) => `  ${m}`)].join('\n'));
  expect(inFlight).toBeGreaterThan(0);
}, 120_000);

/** The built API (`dist/api/main.js`) in a process of its own, once it listens: its output so far, and its exit code. */
async function spawnedApi(port: number, extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(build.dir, 'dist', 'api', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      TEMPORAL_ADDRESS: env.address,
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'entente-api-stop-')), 'register.db')}`,
      PORT: String(port),
      COORDINATOR_API_KEY: 'api-stop-test-coordinator-key',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await eventually(
    async () => (output.includes('"msg":"api listening"') ? true : undefined),
    () => `api output: ${output}`,
    30_000,
  );
  return { child, exited, output: () => output };
}

test("the API process stops once when Ctrl-C reaches it twice (SIGINT, then the supervisor's SIGTERM), and exits 0", async () => {
  const { child, exited, output } = await spawnedApi(await freePort());
  child.kill('SIGINT');
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(
    output()
      .split('\n')
      .filter((line) => line.includes('"msg":"api stopping"')),
  ).toHaveLength(1);
}, 60_000);

test('the API stops within its grace when a client never finishes sending its request', async () => {
  const port = await freePort();
  const { child, exited, output } = await spawnedApi(port, { API_STOP_GRACE_SECONDS: '1' });
  // Headers promising a body of 100 bytes, and one byte of it: the request stays open.
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write('POST /partnerships HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
  const cut = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((r) => setTimeout(r, 300));
  const stoppedAt = Date.now();
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  await cut;
  const took = Date.now() - stoppedAt;
  expect(took).toBeGreaterThanOrEqual(900);
  expect(took).toBeLessThan(10_000);
  expect(output()).toContain('"msg":"api stopping: closing the connections of requests still open"');
}, 60_000);
