/**
 * The write limit per API key, and what the API answers when no worker polls its task queue,
 * over HTTP against the Temporal CLI dev server (one real worker on its own task queue).
 *
 * | app                                  | request                                            | answer                                                          |
 * |--------------------------------------|----------------------------------------------------|-----------------------------------------------------------------|
 * | writesPerMinute 3                    | 3 POSTs with the coordinator's key                 | not 429; draft-8 RateLimit-Policy and RateLimit headers          |
 * | writesPerMinute 3                    | a 4th                                              | 429 "Too many writes" naming 3 a minute, Retry-After            |
 * | writesPerMinute 3                    | a clerk's key, then GETs with the coordinator's    | its own budget of 3; reads are not limited                       |
 * | task queue nobody polls              | GET /healthz                                       | 503 degraded, workers 'none'                                     |
 * | task queue nobody polls              | GET /partnerships/:id, GET /desk, a command        | 503 "No worker is running" within 5 s; the command was not sent  |
 * | the worker's task queue              | GET /healthz                                       | 200, workers 'polling'                                           |
 * | the API's register sync held         | a command with a text stored first (intake notes   | applied by the workflow meanwhile; answered 200 once it is synced |
 * |                                      | longer than the 1,024 bytes carried along)         |                                                                 |
 * | a worker whose identity names no     | a command with short intake notes                  | the API stores them first: not carried in the update; served    |
 * | features (as a worker from before)   |                                                    | whole; with the suite's worker they are carried along           |
 */
import { COORDINATOR_KEY, eventually, issueKey, startApi, startE2eStack, type ApiHarness, type ApiResponse, type E2eStack } from '../helpers/api-harness';
import { requestId, startRequest } from '../helpers/fixtures';
import { openRegister, type RegisterDb } from '../../store/database';
import { decisionsOf } from '../../store/decisions';
import { contentOf } from '../../store/contents';
import { startHarness, type Harness } from '../helpers/worker-harness';
import { acceptedCommandInputs } from '../helpers/histories';

/** Intake notes longer than a text a command carries along (INLINE_TEXT_BYTES): the API stores them first. */
const NOTES = 'Interview notes: both councils are ready to commit. '.repeat(25).trim();

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({ writesPerMinute: 100_000 });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

function expectProblem(res: ApiResponse, status: number, title: string) {
  expect({ status: res.status, title: res.body?.title }).toEqual({ status, title });
  expect(res.type).toContain('application/problem+json');
}

describe('writes per API key', () => {
  let limited: ApiHarness;
  const ID = 'limits-one';

  beforeAll(async () => {
    limited = await startApi(stack.env.client, stack.h.db, stack.h.taskQueue, { writesPerMinute: 3 });
    expect((await stack.api.call('POST', '/partnerships', startRequest({ slug: ID }))).status).toBe(201);
  });

  afterAll(async () => {
    await limited?.stop();
  });

  test('each key has its own budget; the 429 names the limit; the RateLimit headers are sent', async () => {
    const clerkKey = await issueKey(stack.api, ID, 'clerk', 'riverside');
    // A body that fails its schema: a write that counts, and touches nothing.
    const write = (key: string) => limited.as(key)('POST', `/partnerships/${ID}/milestones`, { requestId: requestId('m'), milestone: 42 });

    const policies = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await write(COORDINATOR_KEY);
      expect(res.status).not.toBe(429);
      expect(res.headers.get('ratelimit-policy')).toMatch(/^"writes"; q=3; w=60; pk=:[^:]+:$/);
      policies.add(res.headers.get('ratelimit-policy')!);
      expect(res.headers.get('ratelimit')).toMatch(new RegExp(`^"writes"; r=${2 - i}; t=\\d+$`));
    }
    const refused = await write(COORDINATOR_KEY);
    expectProblem(refused, 429, 'Too many writes');
    expect(refused.body.detail).toMatch(/may send 3 writes \(POST\) a minute/);
    expect(refused.headers.get('ratelimit')).toMatch(/^"writes"; r=0; t=\d+$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // The clerk's key is counted apart from the coordinator's.
    for (let i = 0; i < 3; i++) {
      const res = await write(clerkKey);
      expect(res.status).not.toBe(429);
      policies.add(res.headers.get('ratelimit-policy')!);
    }
    expectProblem(await write(clerkKey), 429, 'Too many writes');
    // Two partitions (pk), one per key; neither names the key itself.
    expect(policies.size).toBe(2);
    for (const policy of policies) expect(policy).not.toContain(clerkKey);

    // Reads are not writes.
    expect((await limited.call('GET', '/me')).status).toBe(200);
    // An unknown key is refused before it is counted.
    expectProblem(await write('not-a-known-key-0123456789'), 401, 'Authentication failed');
  });
});

describe('no worker polls the task queue', () => {
  let idle: ApiHarness;
  const ID = 'limits-no-worker';

  beforeAll(async () => {
    idle = await startApi(stack.env.client, stack.h.db, `nobody-polls-${Math.random().toString(36).slice(2)}`);
    // A start needs no worker: the workflow waits for one.
    expect((await idle.call('POST', '/partnerships', startRequest({ slug: ID }))).status).toBe(201);
  });

  afterAll(async () => {
    await idle?.stop();
  });

  test('/healthz says none and 503; reads and commands answer 503 at once; with a worker it says polling', async () => {
    const health = await idle.as(null)('GET', '/healthz');
    expect({ status: health.status, body: health.body }).toEqual({
      status: 503,
      body: { status: 'degraded', temporal: 'ok', database: 'ok', workers: 'none' },
    });

    let started = Date.now();
    const read = await idle.call('GET', `/partnerships/${ID}`, undefined, {}, { timeoutMs: 10_000 });
    expectProblem(read, 503, 'No worker is running');
    expect(Date.now() - started).toBeLessThan(5_000);

    // The desk reads states too: 503 as well, not a desk of unreadable partnerships.
    started = Date.now();
    expectProblem(await idle.call('GET', '/desk', undefined, {}, { timeoutMs: 10_000 }), 503, 'No worker is running');
    expect(Date.now() - started).toBeLessThan(5_000);

    started = Date.now();
    const command = await idle.call(
      'POST',
      `/partnerships/${ID}/intake-decision`,
      { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' },
      {},
      { timeoutMs: 10_000 },
    );
    expectProblem(command, 503, 'No worker is running');
    expect(command.body.detail).toMatch(/not sent to the partnership/);
    expect(Date.now() - started).toBeLessThan(5_000);

    // Whether a partnership exists is the server's to say, not a worker's: an unknown one is 404,
    // and the register of a known one is read without a worker.
    expectProblem(await idle.call('GET', '/partnerships/no-such-one'), 404, 'No such partnership');
    expectProblem(await idle.call('GET', '/partnerships/no-such-one/decisions'), 404, 'No such partnership');
    const register = await idle.call('GET', `/partnerships/${ID}/decisions`);
    expect(register.status).toBe(200);
    expect(register.body.chain.ok).toBe(true);

    const polled = await stack.api.as(null)('GET', '/healthz');
    expect({ status: polled.status, body: polled.body }).toEqual({ status: 200, body: { status: 'ok', temporal: 'ok', database: 'ok', workers: 'polling' } });
  });
});

describe("a command's texts are synced alongside the command, not before it", () => {
  let api: ApiHarness;
  let db: RegisterDb;
  const ID = 'limits-text-sync';
  let held = false;
  const releases: Array<() => void> = [];

  beforeAll(async () => {
    // A second API on the same register file, whose own syncs of the WAL the test holds.
    db = await openRegister(`sqlite:${stack.h.dbFile}`, {
      syncWal: () => (held ? new Promise<void>((resolve) => releases.push(resolve)) : Promise.resolve()),
    });
    api = await startApi(stack.env.client, db, stack.h.taskQueue, { writesPerMinute: 100_000 });
    expect((await api.call('POST', '/partnerships', startRequest({ slug: ID }))).status).toBe(201);
  });

  afterAll(async () => {
    held = false;
    for (const release of releases) release();
    await api?.stop();
    await db?.destroy();
  });

  test('the workflow applies the command while the text is synced; the answer waits for the sync', async () => {
    held = true;
    let answered = false;
    const answer = api
      .call('POST', `/partnerships/${ID}/intake-decision`, {
        requestId: requestId('intake'),
        accepted: true,
        interviewedOn: '2026-01-15',
        notes: NOTES,
      })
      .finally(() => (answered = true));
    // The worker records the command (its own sync is not held) while the API's is.
    await eventually(
      async () => ((await decisionsOf(stack.h.db, ID)).some((r) => r.kind === 'recordIntakeDecision') ? true : undefined),
      'the intake decision in the register',
    );
    expect(releases.length).toBeGreaterThan(0);
    expect(answered).toBe(false);
    held = false;
    for (const release of releases.splice(0)) release();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body.state.intake.notes).toMatchObject({ size: Buffer.byteLength(NOTES) });
  }, 60_000);
});

describe('a worker that does not say it stores the texts a command carries', () => {
  let older: Harness;
  let api: ApiHarness;
  const ID = 'limits-older-worker';
  const notes = 'Both councils are ready to commit.';

  beforeAll(async () => {
    // This code's worker under an identity without features, as a worker from before would poll.
    older = await startHarness(stack.env.nativeConnection, 'default', { identity: `${process.pid}@older-worker` });
    api = await startApi(stack.env.client, older.db, older.taskQueue, { writesPerMinute: 100_000 });
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await older?.stop();
  });

  /** The texts the intake decision's update carried. */
  async function intakeTexts(id: string): Promise<unknown> {
    const input = (await acceptedCommandInputs(stack.env.client, `partnership-${id}`)).find((i) => (i.command as { accepted?: boolean }).accepted === true);
    if (!input) throw new Error(`no intake decision in the history of ${id}`);
    return input.texts;
  }

  test('the API stores short texts before the command rather than send them along; the suite worker gets them along', async () => {
    for (const [harness, call, id] of [
      [older, api.call, ID],
      [stack.h, stack.api.call, `${ID}-current`],
    ] as const) {
      expect((await call('POST', '/partnerships', startRequest({ slug: id }))).status).toBe(201);
      const res = await call('POST', `/partnerships/${id}/intake-decision`, {
        requestId: requestId('intake'),
        accepted: true,
        interviewedOn: '2026-01-15',
        notes,
      });
      expect(res.status).toBe(200);
      const served = await call('GET', res.body.state.intake.notes.url);
      expect({ status: served.status, body: served.body }).toEqual({ status: 200, body: notes });
      expect(await contentOf(harness.db, id, res.body.state.intake.notes.sha256)).toBe(notes);
    }
    expect(await intakeTexts(ID)).toBeUndefined();
    expect(await intakeTexts(`${ID}-current`)).toEqual([{ sha256: expect.any(String), size: Buffer.byteLength(notes), body: notes }]);
  }, 60_000);
});
