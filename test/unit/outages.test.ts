/**
 * api/outages.ts: which register errors are an outage (503) rather than a fault (500). The real
 * drivers' errors come from real failures: a refused PostgreSQL connection and a SQLite file that
 * another connection holds locked; the rest are the codes the drivers document. And how soon the
 * API's Temporal client sends a call again: a command that met a run handing over at once (either
 * answer the server gives it).
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { apiGrpcRetryOptions, isDatabaseOutage } from '../../api/outages';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a PostgreSQL that refuses connections is an outage', async () => {
  const client = new Client({ connectionString: `postgres://entente@127.0.0.1:${await closedPort()}/entente` });
  const error = await client.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  expect(isDatabaseOutage(error)).toBe(true);
});

test('a SQLite file locked by another writer is an outage', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'entente-outage-')), 'register.db');
  const holder = new Database(file);
  holder.exec('create table t (x integer)');
  holder.exec('begin exclusive');
  const other = new Database(file, { timeout: 50 });
  let error: unknown;
  try {
    other.exec('insert into t values (1)');
  } catch (e) {
    error = e;
  } finally {
    holder.exec('rollback');
    holder.close();
    other.close();
  }
  expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
  expect(isDatabaseOutage(error)).toBe(true);
});

test.each([
  ['a PostgreSQL shut down by its administrator', { code: '57P01', message: 'terminating connection due to administrator command' }],
  ['a connection exception', { code: '08006', message: 'connection failure' }],
  ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
  ['a refused connection to a host with two addresses', new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })])],
])('%s is an outage', (_what, error) => {
  expect(isDatabaseOutage(error)).toBe(true);
});

test.each([
  ['a unique violation', { code: '23505', message: 'duplicate key value violates unique constraint' }],
  ['a syntax error', { code: '42601', message: 'syntax error at or near' }],
  ['a SQLite constraint', { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed' }],
  ['a plain error', new Error('something else')],
  ['not an error', 'ECONNREFUSED'],
  ['nothing', undefined],
])('%s is not an outage', (_what, error) => {
  expect(isDatabaseOutage(error)).toBe(false);
});

describe('the API retries a command that met its run handing over at once', () => {
  const { delayFunction, retryableDecider } = apiGrpcRetryOptions();
  const closing = { code: 8, details: 'workflow operation can not be applied because workflow is closing', metadata: undefined as never };
  const limited = { code: 8, details: 'namespace rate limit exceeded', metadata: undefined as never };

  test('"workflow is closing" goes again after 20 ms, doubling', () => {
    expect(retryableDecider(1, closing)).toBe(true);
    expect([1, 2, 3].map((attempt) => delayFunction(attempt, closing))).toEqual([20, 40, 80]);
  });

  test('a server that is rate limiting still gets a second and more', () => {
    expect(delayFunction(1, limited)).toBeGreaterThanOrEqual(1000);
  });

  test('six attempts in all, as before', () => {
    expect(retryableDecider(5, closing)).toBe(true);
    expect(retryableDecider(6, closing)).toBe(false);
  });

  // The run's workflow task that took the command and handed over was failed by the server
  // (UnhandledCommand: a timer fired meanwhile); the command was not applied.
  const taskFailed = { code: 9, details: 'Unable to perform workflow execution update due to unexpected workflow task failure.', metadata: undefined as never };
  const otherPrecondition = { code: 9, details: 'Workflow execution already started', metadata: undefined as never };

  test('a command whose workflow task failed at a hand-over goes again after 20 ms, doubling, six attempts in all', () => {
    expect([1, 2, 3].map((attempt) => retryableDecider(attempt, taskFailed))).toEqual([true, true, true]);
    expect([1, 2, 3].map((attempt) => delayFunction(attempt, taskFailed))).toEqual([20, 40, 80]);
    expect(retryableDecider(6, taskFailed)).toBe(false);
  });

  test('any other failed precondition is answered at once', () => {
    expect(retryableDecider(1, otherPrecondition)).toBe(false);
  });
});
