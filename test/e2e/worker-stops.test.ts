/**
 * A worker that stops, is killed or hangs, as the API answers it: the worker is `node
 * dist/worker/main.js` in its own process (its heartbeat in the register, as in production), the
 * Temporal CLI dev server, a SQLite register file, an SMTP receiver on loopback, the API over HTTP.
 *
 * Temporal lists a stopped worker's pollers for about a minute more: without the heartbeat,
 * /healthz said `polling` all that time, and reads and commands hung until a worker came back.
 *
 * | the worker                       | then                                               | the API answers                                              |
 * |----------------------------------|----------------------------------------------------|--------------------------------------------------------------|
 * | SIGTERM (an operator's stop)     | /healthz; a read; a command                        | workers 'none' within 5 s; 503 "No worker is running" at once;|
 * |                                  |                                                    | the command "was not sent"                                   |
 * | SIGKILL (a crash)                | a command sent at once, before the API can know    | 503 "No worker is running" within 12 s, "may still be        |
 * |                                  |                                                    | applied … same requestId", not a hang                         |
 * |                                  | a worker again; the same command (same requestId)  | 200; one register row for it                                 |
 * | SIGSTOP (hung; its pollers and   | a command to an API that waits 2 s for an answer   | 503 "The partnership did not answer" after about 2 s         |
 * | connections stay)                | SIGCONT; the same command again                    | 200; one register row for it                                 |
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegister, type RegisterDb } from '../../store/database';
import { eventually, startApi, startDevServer, type ApiHarness, type ApiResponse } from '../helpers/api-harness';
import { requestId, startRequest } from '../helpers/fixtures';
import { SmtpReceiver } from '../helpers/smtp';
import { buildWorker, workerEnv, WorkerProcess, type WorkerBuild } from '../helpers/worker-process';

let build: WorkerBuild;
let env: TestWorkflowEnvironment;
let smtp: SmtpReceiver;
let db: RegisterDb;
let api: ApiHarness;
let impatient: ApiHarness;
let worker: WorkerProcess;
let dir: string;
const figures: string[] = [];

beforeAll(async () => {
  build = await buildWorker();
  env = await startDevServer();
  smtp = await new SmtpReceiver().start();
  dir = mkdtempSync(join(tmpdir(), 'entente-worker-stops-'));
  const registerUrl = `sqlite:${join(dir, 'register.db')}`;
  db = await openRegister(registerUrl);
  const taskQueue = `worker-stops-${Date.now().toString(36)}`;
  worker = new WorkerProcess(
    build.mainJs,
    workerEnv({ temporalAddress: env.address, taskQueue, registerUrl, smtpUrl: smtp.url, site: 'worker-stops' }),
    join(dir, 'worker.log'),
  );
  await worker.start();
  api = await startApi(env.client, db, taskQueue, { writesPerMinute: 1_000_000 });
  impatient = await startApi(env.client, db, taskQueue, { writesPerMinute: 1_000_000, answerTimeoutMs: 2_000 });
}, 180_000);

afterAll(async () => {
  await impatient?.stop();
  await api?.stop();
  await worker?.stop();
  await db?.destroy();
  await smtp?.stop();
  await env?.teardown();
  build?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (figures.length) console.log(figures.join('\n'));
}, 60_000);

function expectProblem(res: ApiResponse, status: number, title: string) {
  expect({ status: res.status, title: res.body?.title }).toEqual({ status, title });
}

/** The API says a worker polls (after a start, or a resume). */
const polling = () =>
  eventually(async () => ((await api.as(null)('GET', '/healthz')).body.workers === 'polling' ? true : undefined), 'a worker polling', 30_000);

async function started(slug: string): Promise<void> {
  expect((await api.call('POST', '/partnerships', startRequest({ slug }))).status).toBe(201);
  await polling();
  expect((await api.call('GET', `/partnerships/${slug}`)).body.stage).toBe('intake');
}

const intake = (id: string) => ({ requestId: id, accepted: true, interviewedOn: '2026-01-15' });

/** The register rows of the intake decision: one, whatever was sent again. */
async function intakeRows(slug: string): Promise<number> {
  const res = await api.call('GET', `/partnerships/${slug}/decisions`);
  expect(res.status).toBe(200);
  return (res.body.decisions as Array<{ kind: string }>).filter((row) => /intake/i.test(row.kind)).length;
}

/** The intake decision sent through one API, and how long its answer took. */
async function timedIntake(through: ApiHarness, slug: string, body: ReturnType<typeof intake>): Promise<{ res: ApiResponse; ms: number }> {
  const sent = Date.now();
  const res = await through.call('POST', `/partnerships/${slug}/intake-decision`, body, {}, { timeoutMs: 60_000 });
  return { res, ms: Date.now() - sent };
}

/** A command answered as applied: past intake, with one register row however often it was sent. */
async function expectAppliedOnce(slug: string, answer: ApiResponse): Promise<void> {
  expect(answer.status).toBe(200);
  expect(answer.body.state.stage).not.toBe('intake');
  expect(await intakeRows(slug)).toBe(1);
}

test('a worker stopped by an operator: /healthz says none within seconds, and reads and commands answer 503 at once, the command not sent', async () => {
  const slug = 'stops-sigterm';
  await started(slug);

  const stoppedAt = Date.now();
  await worker.terminate();
  await eventually(async () => ((await api.as(null)('GET', '/healthz')).body.workers === 'none' ? true : undefined), '/healthz saying none', 30_000);
  const seenMs = Date.now() - stoppedAt;
  figures.push(`SIGTERM: /healthz said none ${seenMs} ms after the signal`);
  expect(seenMs).toBeLessThan(5_000);

  let sent = Date.now();
  expectProblem(await api.call('GET', `/partnerships/${slug}`, undefined, {}, { timeoutMs: 20_000 }), 503, 'No worker is running');
  expect(Date.now() - sent).toBeLessThan(3_000);
  sent = Date.now();
  const command = await api.call('POST', `/partnerships/${slug}/intake-decision`, intake(requestId('intake')), {}, { timeoutMs: 20_000 });
  expectProblem(command, 503, 'No worker is running');
  expect(command.body.detail).toMatch(/not sent to the partnership/);
  expect(Date.now() - sent).toBeLessThan(3_000);

  await worker.start();
  await polling();
  expect(await intakeRows(slug)).toBe(0);
}, 90_000);

test('a worker killed: a command sent before the API can know answers 503 within seconds, not a hang; sent again once a worker runs, it is applied once', async () => {
  const slug = 'stops-sigkill';
  await started(slug);
  const body = intake(requestId('intake'));

  await worker.kill();
  const { res: first, ms: answeredMs } = await timedIntake(api, slug, body);
  figures.push(`SIGKILL: a command sent at once answered ${first.status} after ${answeredMs} ms`);
  expectProblem(first, 503, 'No worker is running');
  expect(first.body.detail).toMatch(/may still be applied/);
  expect(first.body.detail).toMatch(/same requestId/);
  expect(answeredMs).toBeLessThan(12_000);
  expect((await api.as(null)('GET', '/healthz')).body.workers).toBe('none');

  await worker.start();
  await polling();
  await expectAppliedOnce(slug, (await timedIntake(api, slug, body)).res);
}, 120_000);

test('a hung worker: the API answers 503 "did not answer" after its wait; once the worker runs again, the same command is applied once', async () => {
  const slug = 'stops-sigstop';
  await started(slug);
  const body = intake(requestId('intake'));

  worker.pause();
  try {
    const { res: first, ms: answeredMs } = await timedIntake(impatient, slug, body);
    figures.push(`SIGSTOP: a command to an API waiting 2 s answered ${first.status} after ${answeredMs} ms`);
    expectProblem(first, 503, 'The partnership did not answer');
    expect(first.body.detail).toMatch(/did not answer within 2 s/);
    expect(first.body.detail).toMatch(/same requestId/);
    expect(answeredMs).toBeGreaterThanOrEqual(2_000);
    expect(answeredMs).toBeLessThan(6_000);
  } finally {
    worker.resume();
  }

  await polling();
  const again = await eventually(
    async () => {
      const { res } = await timedIntake(api, slug, body);
      return res.status === 200 ? res : undefined;
    },
    'the command applied',
    60_000,
  );
  await expectAppliedOnce(slug, again);
}, 120_000);
