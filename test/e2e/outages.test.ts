/**
 * What the API answers while what it depends on is down, and that it recovers without a restart.
 * Temporal (the time-skipping server; nothing here waits on a timer) and the PostgreSQL register
 * are reached through loopback proxies that the test cuts and restores, as an outage would.
 *
 * | down        | request                                          | answer                                              |
 * |-------------|--------------------------------------------------|-----------------------------------------------------|
 * | Temporal    | GET /healthz                                     | 503, temporal unreachable, database ok, workers unknown |
 * | Temporal    | POST /partnerships, GET /partnerships/:id, a command | 503 "Temporal is unreachable", within seconds   |
 * | (restored)  | GET /healthz, then the same start                | 200; 201: the refused start had started nothing     |
 * | PostgreSQL  | GET /healthz                                     | 503, database unreachable, temporal ok              |
 * | PostgreSQL  | a party key (looked up in the register), GET /decisions, POST /access-keys | 503 "The database is unreachable" |
 * | (restored)  | the same requests                                | 200 / 201                                           |
 *
 * No answer carries a stack trace, and the refusals leave the workflow's history as it was.
 */
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openRegister, type RegisterDb } from '../../store/database';
import { apiGrpcInterceptors } from '../../api/outages';
import { eventually, historyLength, issueKey, settledHistoryLength, startApi, type ApiHarness, type ApiResponse } from '../helpers/api-harness';
import { requestId, startRequest } from '../helpers/fixtures';
import { postgresBackend, type RegisterBackend } from '../helpers/register-backends';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTimeSkippingStack, type Harness, type TimeSkippingStack } from '../helpers/worker-harness';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

let stack: TimeSkippingStack;
let env: TestWorkflowEnvironment;
let h: Harness;
let temporalProxy: TcpProxy;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
  ({ env, h } = stack);
  const [host, port] = env.address.split(':');
  temporalProxy = await new TcpProxy(host!, Number(port)).start();
  connection = await Connection.connect({ address: `127.0.0.1:${temporalProxy.port}`, interceptors: apiGrpcInterceptors() });
  client = new Client({ connection });
}, 120_000);

afterAll(async () => {
  await connection?.close();
  await temporalProxy?.stop();
  await stack?.stop();
});

function expectProblem(res: ApiResponse, status: number, title: string) {
  expect({ status: res.status, title: res.body?.title }).toEqual({ status, title });
  expect(res.type).toContain('application/problem+json');
  expect(JSON.stringify(res.body)).not.toMatch(/node_modules|\.ts:\d+|at [A-Za-z]+ \(|ECONNREFUSED|127\.0\.0\.1/);
}

describe('Temporal down', () => {
  let api: ApiHarness;
  const ID = 'outage-temporal';

  beforeAll(async () => {
    api = await startApi(client, h.db, h.taskQueue);
    expect((await api.call('POST', '/partnerships', startRequest({ slug: ID }))).status).toBe(201);
    await settledHistoryLength(env.client, `partnership-${ID}`);
  });

  afterAll(async () => {
    await temporalProxy.restore();
    await api?.stop();
  });

  test('every route that needs Temporal answers 503 promptly, and all is well once it is back', async () => {
    const before = await historyLength(env.client, `partnership-${ID}`);
    await temporalProxy.cut();

    const health = await api.as(null)('GET', '/healthz');
    expect({ status: health.status, body: health.body }).toEqual({
      status: 503,
      body: { status: 'degraded', temporal: 'unreachable', database: 'ok', workers: 'unknown' },
    });

    const started = Date.now();
    expectProblem(await api.call('POST', '/partnerships', startRequest({ slug: 'outage-started-while-down' })), 503, 'Temporal is unreachable');
    expect(Date.now() - started).toBeLessThan(15_000);
    expectProblem(await api.call('GET', `/partnerships/${ID}`), 503, 'Temporal is unreachable');
    expectProblem(
      await api.call('POST', `/partnerships/${ID}/intake-decision`, { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' }),
      503,
      'Temporal is unreachable',
    );

    await temporalProxy.restore();
    await eventually(async () => ((await api.as(null)('GET', '/healthz')).status === 200 ? true : undefined), 'the API to reach Temporal again', 30_000);
    expect(await historyLength(env.client, `partnership-${ID}`)).toBe(before);
    // The start refused during the outage started nothing: the same slug is free.
    expect((await api.call('POST', '/partnerships', startRequest({ slug: 'outage-started-while-down' }))).status).toBe(201);
    expect((await api.call('GET', `/partnerships/${ID}`)).body.stage).toBe('intake');
  }, 90_000);
});

describe('the PostgreSQL register down', () => {
  if (!POSTGRES_URL) {
    // The same rule as the register's own tests: CI always has one (scripts/test-postgres.sh).
    if (process.env.CI) test('CI provides a PostgreSQL (TEST_POSTGRES_URL)', () => expect(POSTGRES_URL).toBeDefined());
    return;
  }
  let backend: RegisterBackend;
  let pgProxy: TcpProxy;
  let register: RegisterDb;
  let api: ApiHarness;
  const ID = 'outage-register';

  beforeAll(async () => {
    backend = await postgresBackend(POSTGRES_URL);
    const url = new URL(backend.url);
    pgProxy = await new TcpProxy(url.hostname, Number(url.port)).start();
    url.port = String(pgProxy.port);
    register = await openRegister(url.toString());
    api = await startApi(client, register, h.taskQueue);
    expect((await api.call('POST', '/partnerships', startRequest({ slug: ID }))).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await register?.destroy();
    await pgProxy?.stop();
    await backend?.dispose();
  });

  test('what reads or writes the register answers 503, and recovers with it', async () => {
    const clerkKey = await issueKey(api, ID, 'clerk', 'riverside');
    expect((await api.as(clerkKey)('GET', `/partnerships/${ID}`)).status).toBe(200);

    await pgProxy.cut();
    const health = await api.as(null)('GET', '/healthz');
    expect({ status: health.status, body: health.body }).toEqual({
      status: 503,
      body: { status: 'degraded', temporal: 'ok', database: 'unreachable', workers: 'unknown' },
    });
    expectProblem(await api.as(clerkKey)('GET', `/partnerships/${ID}`), 503, 'The database is unreachable');
    expectProblem(await api.call('GET', `/partnerships/${ID}/decisions`), 503, 'The database is unreachable');
    expectProblem(await api.call('POST', `/partnerships/${ID}/access-keys`, { role: 'champion', partyId: 'maple' }), 503, 'The database is unreachable');

    await pgProxy.restore();
    await eventually(async () => ((await api.as(null)('GET', '/healthz')).status === 200 ? true : undefined), 'the register to answer again');
    expect((await api.as(clerkKey)('GET', `/partnerships/${ID}`)).status).toBe(200);
    expect((await api.call('GET', `/partnerships/${ID}/decisions`)).status).toBe(200);
    expect((await api.call('POST', `/partnerships/${ID}/access-keys`, { role: 'champion', partyId: 'maple' })).status).toBe(201);
  }, 90_000);
});
