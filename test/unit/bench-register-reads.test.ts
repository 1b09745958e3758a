/**
 * bench/register-reads.ts: what the benchmark reads of a worker's register, on either engine it
 * runs beside (SQLite with the dev server, PostgreSQL with the team's: BENCH_SERVER=team).
 *
 * | read                              | register holds                                  | answer                          |
 * |-----------------------------------|-------------------------------------------------|---------------------------------|
 * | started(prefix)                   | started rows under the prefix and under another | those under the prefix          |
 * |                                   | other kinds under the prefix                    | not counted                     |
 * | rows(prefix, kinds)               | rows of those kinds and others, two prefixes    | those kinds under the prefix, with their times and payload |
 */
import { openRegister, type RegisterDb } from '../../store/database';
import { appendDecision } from '../../store/decisions';
import { registerReads, type RegisterReads } from '../../bench/register-reads';
import { postgresBackend, sqliteBackend, type RegisterBackend } from '../helpers/register-backends';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const backends: Array<[string, () => Promise<RegisterBackend>]> = [['sqlite', sqliteBackend]];
if (POSTGRES_URL) backends.push(['postgres', () => postgresBackend(POSTGRES_URL)]);

describe.each(backends)('the benchmark reads a register on %s', (_name, makeBackend) => {
  let backend: RegisterBackend;
  let db: RegisterDb;
  let reads: RegisterReads;

  beforeAll(async () => {
    backend = await makeBackend();
    db = await openRegister(backend.url);
    const row = (partnershipId: string, n: number, kind: string) =>
      appendDecision(db, {
        key: `${partnershipId}:${kind}:${n}`,
        partnershipId,
        kind,
        actor: 'coordinator',
        payload: { count: n },
        occurredAt: `2026-01-0${n + 1}T00:00:00.000Z`,
      });
    for (const id of ['bench-live-a-0', 'bench-live-a-1', 'bench-live-a-2']) await row(id, 0, 'partnership-started');
    await row('bench-live-a-0', 1, 'stage:commitment');
    await row('bench-live-a-0', 2, 'resolution-reminder');
    await row('bench-live-a-1', 1, 'intake-decision');
    await row('bench-live-b-0', 0, 'partnership-started');
    await row('bench-live-b-0', 1, 'stage:commitment');
    reads = await registerReads(backend.url);
  });

  afterAll(async () => {
    await reads?.close();
    await db?.destroy();
    await backend?.dispose();
  });

  test("counts the started partnerships under a prefix, and none of another's", async () => {
    expect(await reads.started('bench-live-a-')).toBe(3);
    expect(await reads.started('bench-live-b-')).toBe(1);
    expect(await reads.started('bench-live-c-')).toBe(0);
  });

  test('gives the rows of the kinds asked under a prefix, with their times and payload', async () => {
    const rows = await reads.rows('bench-live-a-', ['stage:commitment', 'resolution-reminder']);
    expect(rows.map((r) => `${r.id} ${r.kind}`).sort()).toEqual(['bench-live-a-0 resolution-reminder', 'bench-live-a-0 stage:commitment']);
    const reminder = rows.find((r) => r.kind === 'resolution-reminder')!;
    expect(reminder.occurredAt).toBe('2026-01-03T00:00:00.000Z');
    expect(Date.parse(reminder.recordedAt)).not.toBeNaN();
    expect(JSON.parse(reminder.payload)).toEqual({ count: 2 });
  });
});
