/**
 * activities/register: the decision register on a real temporary SQLite file.
 *
 * | case                                             | expects                                           |
 * |--------------------------------------------------|---------------------------------------------------|
 * | openRegister(sqlite:<file>)                      | file created, migrations applied, reopen is fine  |
 * | openRegister(postgres://...)                     | refused with a clear error                        |
 * | appendDecision, same key twice                   | one row; duplicate: true and the same row back    |
 * | rows of one partnership                          | seq 1..n, prevHash = hash of the row before,      |
 * |                                                  | first prevHash = GENESIS_HASH, hash = rowHash     |
 * | two partnerships                                 | independent chains                                |
 * | concurrent appends                               | distinct seqs, chain still valid                  |
 * | untouched chain                                  | verifyChain ok                                    |
 * | payload edited with SQL (better-sqlite3)         | ok:false, firstBroken.seq = that row              |
 * | edited row with its hash recomputed              | the next row no longer links                      |
 * | middle row deleted                               | ok:false, firstBroken names the row after the gap |
 * | first row deleted                                | ok:false                                          |
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecisionRequest } from '../../domain/decisions';
import { openRegister, type RegisterDb } from '../../activities/register/database';
import { appendDecision, decisionsOf, GENESIS_HASH, rowHash, verifyChain } from '../../activities/register/register';

let dir: string;
let file: string;
let db: RegisterDb;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entente-register-'));
  file = join(dir, 'nested', 'register.db');
  db = await openRegister(`sqlite:${file}`);
});

afterAll(async () => {
  await db?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fixedNow = () => new Date('2025-03-01T12:00:00.000Z');

function decision(partnershipId: string, n: number, extra: Partial<DecisionRequest> = {}): DecisionRequest {
  return {
    key: `${partnershipId}:decision:${n}`,
    partnershipId,
    kind: 'resolution-recorded',
    actor: 'clerk:riverside',
    partyId: 'riverside',
    payload: { resolutionNumber: `2025-${n}`, outcome: 'adopted', n },
    occurredAt: `2025-02-${String(10 + n).padStart(2, '0')}T00:00:00.000Z`,
    ...extra,
  };
}

async function appendMany(partnershipId: string, count: number): Promise<void> {
  for (let n = 1; n <= count; n++) await appendDecision(db, decision(partnershipId, n), fixedNow);
}

/** Tampering as an outsider would: through another SQLite connection to the same file. */
function withRawSqlite<T>(fn: (raw: Database.Database) => T): T {
  const raw = new Database(file);
  try {
    return fn(raw);
  } finally {
    raw.close();
  }
}

describe('openRegister', () => {
  test('creates the file (and its directory) and the tables', async () => {
    expect(existsSync(file)).toBe(true);
    const tables = withRawSqlite((raw) =>
      (raw.prepare("select name from sqlite_master where type = 'table' order by name").all() as Array<{ name: string }>).map((t) => t.name),
    );
    expect(tables).toEqual(expect.arrayContaining(['decisions', 'outbox']));
  });

  test('opening the same file again keeps the rows', async () => {
    await appendDecision(db, decision('reopen', 1), fixedNow);
    const again = await openRegister(`sqlite:${file}`);
    try {
      expect((await decisionsOf(again, 'reopen')).map((r) => r.key)).toEqual(['reopen:decision:1']);
    } finally {
      await again.destroy();
    }
  });

  test('a PostgreSQL URL is refused with an explanation', async () => {
    await expect(openRegister('postgres://localhost/entente')).rejects.toThrow(/PostgreSQL/);
  });
});

describe('appendDecision', () => {
  test('the same key twice gives one row, and the second call says duplicate', async () => {
    const request = decision('idem', 1);
    const first = await appendDecision(db, request, fixedNow);
    const second = await appendDecision(db, { ...request, payload: { changed: true } }, () => new Date('2030-01-01T00:00:00Z'));
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.row).toEqual(first.row);
    expect(second.row.payload).toEqual(request.payload);
    const rows = await decisionsOf(db, 'idem');
    expect(rows).toHaveLength(1);
    const count = withRawSqlite((raw) => raw.prepare("select count(*) as n from decisions where key = 'idem:decision:1'").get() as { n: number });
    expect(count.n).toBe(1);
  });

  test('stores the fields it was given', async () => {
    const { row } = await appendDecision(db, decision('fields', 1, { partyId: undefined, actor: 'coordinator' }), fixedNow);
    expect(row).toMatchObject({
      partnershipId: 'fields',
      seq: 1,
      key: 'fields:decision:1',
      kind: 'resolution-recorded',
      actor: 'coordinator',
      partyId: null,
      payload: { resolutionNumber: '2025-1', outcome: 'adopted', n: 1 },
      occurredAt: '2025-02-11T00:00:00.000Z',
      recordedAt: '2025-03-01T12:00:00.000Z',
    });
  });

  test('rows are numbered and chained', async () => {
    await appendMany('chain', 4);
    const rows = await decisionsOf(db, 'chain');
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
    // The stored hash is the hash of the stored row.
    const raw = withRawSqlite((r) => r.prepare("select * from decisions where partnership_id = 'chain' order by seq").all() as any[]);
    for (const stored of raw) {
      const { id: _id, hash, ...rest } = stored;
      expect(rowHash(rest)).toBe(hash);
    }
    expect(await verifyChain(db, 'chain')).toEqual({ ok: true, rows: 4 });
  });

  test('each partnership has its own chain', async () => {
    await appendMany('left', 2);
    await appendMany('right', 1);
    const left = await decisionsOf(db, 'left');
    const right = await decisionsOf(db, 'right');
    expect(left.map((r) => r.seq)).toEqual([1, 2]);
    expect(right.map((r) => r.seq)).toEqual([1]);
    expect(right[0]!.prevHash).toBe(GENESIS_HASH);
    expect(left[1]!.prevHash).toBe(left[0]!.hash);
  });

  test('concurrent appends still get distinct sequence numbers and a valid chain', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => appendDecision(db, decision('parallel', i + 1), fixedNow)));
    const rows = await decisionsOf(db, 'parallel');
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await verifyChain(db, 'parallel')).toEqual({ ok: true, rows: 8 });
  });

  test('an empty partnership verifies with no rows', async () => {
    expect(await verifyChain(db, 'nobody')).toEqual({ ok: true, rows: 0 });
  });
});

describe('verifyChain detects tampering', () => {
  test('a payload edited directly in SQLite breaks that row', async () => {
    await appendMany('edit', 4);
    withRawSqlite((raw) =>
      raw
        .prepare("update decisions set payload = ? where partnership_id = 'edit' and seq = 2")
        .run(JSON.stringify({ resolutionNumber: '2025-2', outcome: 'rejected', n: 2 })),
    );
    const check = await verifyChain(db, 'edit');
    expect(check.ok).toBe(false);
    expect(check.rows).toBe(4);
    expect(check.firstBroken).toMatchObject({ seq: 2, key: 'edit:decision:2' });
    expect(check.firstBroken!.reason).toMatch(/hash/);
  });

  test('an edit through Kysely to another column (actor) is detected too', async () => {
    await appendMany('actor', 3);
    await db.updateTable('decisions').set({ actor: 'coordinator' }).where('partnership_id', '=', 'actor').where('seq', '=', 3).execute();
    const check = await verifyChain(db, 'actor');
    expect(check.ok).toBe(false);
    expect(check.firstBroken?.seq).toBe(3);
  });

  test('an edit with its own hash recomputed breaks the link of the next row', async () => {
    await appendMany('rehash', 3);
    withRawSqlite((raw) => {
      const row = raw.prepare("select * from decisions where partnership_id = 'rehash' and seq = 2").get() as any;
      const { id, hash: _old, ...rest } = row;
      const forged = { ...rest, payload: JSON.stringify({ forged: true }) };
      raw.prepare('update decisions set payload = ?, hash = ? where id = ?').run(forged.payload, rowHash(forged), id);
    });
    const check = await verifyChain(db, 'rehash');
    expect(check.ok).toBe(false);
    expect(check.firstBroken).toMatchObject({ seq: 3, key: 'rehash:decision:3' });
    expect(check.firstBroken!.reason).toMatch(/link/);
  });

  test('a deleted middle row is detected at the row after the gap', async () => {
    await appendMany('gap', 4);
    await db.deleteFrom('decisions').where('partnership_id', '=', 'gap').where('seq', '=', 2).execute();
    const check = await verifyChain(db, 'gap');
    expect(check.ok).toBe(false);
    expect(check.rows).toBe(3);
    expect(check.firstBroken?.seq).toBe(3);
    expect(check.firstBroken?.key).toBe('gap:decision:3');
  });

  test('a deleted middle row with the rest renumbered is still detected', async () => {
    await appendMany('renumber', 3);
    withRawSqlite((raw) => {
      raw.prepare("delete from decisions where partnership_id = 'renumber' and seq = 2").run();
      raw.prepare("update decisions set seq = 2 where partnership_id = 'renumber' and seq = 3").run();
    });
    const check = await verifyChain(db, 'renumber');
    expect(check.ok).toBe(false);
    expect(check.firstBroken?.key).toBe('renumber:decision:3');
  });

  test('a deleted first row is detected', async () => {
    await appendMany('head', 3);
    withRawSqlite((raw) => raw.prepare("delete from decisions where partnership_id = 'head' and seq = 1").run());
    const check = await verifyChain(db, 'head');
    expect(check.ok).toBe(false);
    expect(check.firstBroken?.seq).toBe(2);
  });

  test('tampering with one partnership leaves the others valid', async () => {
    expect((await verifyChain(db, 'edit')).ok).toBe(false);
    expect(await verifyChain(db, 'chain')).toEqual({ ok: true, rows: 4 });
    expect(await verifyChain(db, 'left')).toEqual({ ok: true, rows: 2 });
  });
});
