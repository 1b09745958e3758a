/**
 * store/ (the register): the decision register, on a real temporary SQLite file and on a real
 * PostgreSQL (a fresh database in the server at TEST_POSTGRES_URL; .ci/run starts one with
 * scripts/test-postgres.sh). Without TEST_POSTGRES_URL the PostgreSQL half does not run, except
 * under CI=true where its absence is a failure.
 *
 * | case (each backend)                              | expects                                           |
 * |--------------------------------------------------|---------------------------------------------------|
 * | openRegister(url)                                | tables created, migrations applied, reopen is fine|
 * | sqlite: a nested path                            | its directory is created                          |
 * | postgres URL with a password, nothing listening  | rejected; the password is not in the message      |
 * | appendDecision, same key twice                   | one row; duplicate: true and the same row back    |
 * | the same key appended concurrently               | one row; exactly one call says not duplicate      |
 * | rows of one partnership                          | seq 1..n, prevHash = hash of the row before,      |
 * |                                                  | first prevHash = GENESIS_HASH, hash = rowHash     |
 * | two partnerships                                 | independent chains                                |
 * | concurrent appends (pool of connections on pg)   | distinct seqs, chain still valid                  |
 * | untouched chain                                  | verifyChain ok                                    |
 * | payload edited with SQL by an outsider           | ok:false, firstBroken.seq = that row              |
 * | edited row with its hash recomputed              | the next row no longer links                      |
 * | middle row deleted                               | ok:false, firstBroken names the row after the gap |
 * | first row deleted                                | ok:false                                          |
 * | chainLockId                                      | stable, differs per partnership, fits a bigint    |
 * | decisionByKey                                    | the row of a key; undefined for an unknown key    |
 * | storeContents, the same text twice               | one row (insert if absent), the first stored_at   |
 * | the same text in two partnerships                | one row each; each reads only its own             |
 * | contentOf                                        | the text byte for byte (UTF-8, new lines, emoji)  |
 * | a content whose hash does not match its text     | refused, nothing stored                           |
 * | committedBeforeDurable(storeContents)            | the text readable on return; `durable` resolves   |
 * | appendDecision with the texts a command carried  | texts stored with the row; a repeat stores nothing|
 * |                                                  | again; a text not matching its hash: neither the  |
 * |                                                  | row nor the text (one transaction)                |
 * | appendDecision with a desk summary               | kept; a newer version replaces it, an older one   |
 * |                                                  | (a retry landing late, a repeated row) does not   |
 * | a row that fails (text not matching its hash)    | its summary is not kept either                    |
 * | deskSummariesOf, 1,201 ids (three queries)       | every kept one, none for ids without one          |
 * | keepQueriedSummaries (what the desk queried)     | kept only where none is; the workflow's replaces  |
 * | worker heartbeats: beats, a stop, a restart      | beat counts up; stopped_at set; the same identity |
 * |                                                  | beating again starts from 1; queues kept apart    |
 * | forgetHeartbeats(a day ago)                      | rows not seen since then removed, others kept     |
 */
import { existsSync } from 'node:fs';
import type { DecisionRequest } from '../../domain/decisions';
import { dialectOf, openRegister, type RegisterDb } from '../../store/database';
import { appendDecision, chainLockId, decisionByKey, decisionsOf, GENESIS_HASH, rowHash, verifyChain } from '../../store/decisions';
import { contentOf, storeContent, storeContents } from '../../store/contents';
import { committedBeforeDurable } from '../../store/sqlite';
import { contentRef } from '../../domain/content';
import type { DeskSummary } from '../../domain/view';
import { deskSummariesOf, keepQueriedSummaries } from '../../store/desk-summaries';
import { forgetHeartbeats, heartbeatsOf, recordBeat, recordStop } from '../../store/worker-heartbeats';
import { postgresBackend, sqliteBackend, type RegisterBackend } from '../helpers/register-backends';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

if (!POSTGRES_URL && process.env.CI === 'true') {
  test('CI provides a PostgreSQL for the register tests (TEST_POSTGRES_URL)', () => {
    throw new Error('TEST_POSTGRES_URL is not set: .ci/run starts one with scripts/test-postgres.sh');
  });
}

const backends: Array<[string, () => Promise<RegisterBackend>]> = [['sqlite', sqliteBackend]];
if (POSTGRES_URL) backends.push(['postgres', () => postgresBackend(POSTGRES_URL)]);

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

test('a postgres URL that cannot be reached is refused without its password in the message', async () => {
  const error = await openRegister('postgres://entente:s3cr3t-pw@127.0.0.1:1/entente').then(
    () => undefined,
    (err: Error) => err,
  );
  expect(error?.message).toMatch(/ECONNREFUSED|connect/);
  expect(`${error!.message} ${error!.stack}`).not.toContain('s3cr3t-pw');
});

test('chainLockId is stable, distinct per partnership and a positive 63-bit number', () => {
  expect(chainLockId('water')).toBe(chainLockId('water'));
  expect(chainLockId('water')).not.toBe(chainLockId('fire'));
  for (const id of ['water', 'fire', 'x'.repeat(64)]) {
    expect(chainLockId(id) >= 0n).toBe(true);
    expect(chainLockId(id) < 2n ** 63n).toBe(true);
  }
});

describe.each(backends)('register on %s', (name, makeBackend) => {
  let backend: RegisterBackend;
  let db: RegisterDb;

  beforeAll(async () => {
    backend = await makeBackend();
    db = await openRegister(backend.url);
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await backend?.dispose();
  });

  async function appendMany(partnershipId: string, count: number): Promise<void> {
    for (let n = 1; n <= count; n++) await appendDecision(db, decision(partnershipId, n), fixedNow);
  }

  describe('openRegister', () => {
    test('creates the tables on the right engine', async () => {
      expect(dialectOf(db)).toBe(name);
      expect(await backend.tables()).toEqual(expect.arrayContaining(['decisions', 'outbox', 'access_keys', 'contents']));
      if (backend.name === 'sqlite') expect(existsSync((backend as RegisterBackend & { file: string }).file)).toBe(true);
    });

    test('the worker and the API opening a new database at once both get it, migrated once', async () => {
      const fresh = await makeBackend();
      const opened = await Promise.allSettled([openRegister(fresh.url), openRegister(fresh.url), openRegister(fresh.url)]);
      try {
        expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'opened'))).toEqual(['opened', 'opened', 'opened']);
        const migrations = await fresh.raw('select name from kysely_migration');
        expect(migrations.map((m) => m.name).sort()).toEqual([
          '0001-decisions-and-outbox',
          '0002-access-keys',
          '0003-contents',
          '0004-action-links',
          '0005-desk-summaries',
          '0006-worker-heartbeats',
        ]);
      } finally {
        for (const o of opened) if (o.status === 'fulfilled') await o.value.destroy();
        await fresh.dispose();
      }
    }, 60_000);

    test('opening the same database again keeps the rows and applies no migration twice', async () => {
      await appendDecision(db, decision('reopen', 1), fixedNow);
      const again = await openRegister(backend.url);
      try {
        expect((await decisionsOf(again, 'reopen')).map((r) => r.key)).toEqual(['reopen:decision:1']);
      } finally {
        await again.destroy();
      }
      const migrations = await backend.raw('select name from kysely_migration');
      expect(migrations.map((m) => m.name)).toEqual([
        '0001-decisions-and-outbox',
        '0002-access-keys',
        '0003-contents',
        '0004-action-links',
        '0005-desk-summaries',
        '0006-worker-heartbeats',
      ]);
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
      expect(await decisionsOf(db, 'idem')).toHaveLength(1);
      const rows = await backend.raw('select key from decisions where key = ?', ['idem:decision:1']);
      expect(rows).toHaveLength(1);
    });

    test('the same key appended concurrently still gives one row', async () => {
      const request = decision('race', 1);
      const results = await Promise.all(Array.from({ length: 6 }, () => appendDecision(db, request, fixedNow)));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => r.row.hash)).size).toBe(1);
      expect(await backend.raw('select seq from decisions where partnership_id = ?', ['race'])).toEqual([{ seq: 1 }]);
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
      // The stored hash is the hash of the stored row, read back by an outsider.
      const stored = await backend.raw('select * from decisions where partnership_id = ? order by seq', ['chain']);
      expect(stored).toHaveLength(4);
      for (const { id: _id, hash, ...rest } of stored) expect(rowHash(rest)).toBe(hash);
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
      await Promise.all(Array.from({ length: 12 }, (_, i) => appendDecision(db, decision('parallel', i + 1), fixedNow)));
      const rows = await decisionsOf(db, 'parallel');
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(new Set(rows.map((r) => r.key)).size).toBe(12);
      expect(await verifyChain(db, 'parallel')).toEqual({ ok: true, rows: 12 });
    });

    test('an empty partnership verifies with no rows', async () => {
      expect(await verifyChain(db, 'nobody')).toEqual({ ok: true, rows: 0 });
    });
  });

  describe('verifyChain detects tampering', () => {
    test('a payload edited directly in the database breaks that row', async () => {
      await appendMany('edit', 4);
      await backend.raw('update decisions set payload = ? where partnership_id = ? and seq = 2', [
        JSON.stringify({ resolutionNumber: '2025-2', outcome: 'rejected', n: 2 }),
        'edit',
      ]);
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
      const [row] = await backend.raw('select * from decisions where partnership_id = ? and seq = 2', ['rehash']);
      const { id, hash: _old, ...rest } = row;
      const forged = { ...rest, payload: JSON.stringify({ forged: true }) };
      await backend.raw('update decisions set payload = ?, hash = ? where id = ?', [forged.payload, rowHash(forged), id]);
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
      await backend.raw('delete from decisions where partnership_id = ? and seq = 2', ['renumber']);
      await backend.raw('update decisions set seq = 2 where partnership_id = ? and seq = 3', ['renumber']);
      const check = await verifyChain(db, 'renumber');
      expect(check.ok).toBe(false);
      expect(check.firstBroken?.key).toBe('renumber:decision:3');
    });

    test('a deleted first row is detected', async () => {
      await appendMany('head', 3);
      await backend.raw('delete from decisions where partnership_id = ? and seq = 1', ['head']);
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
  describe('contents (the claim check)', () => {
    const TEXT = 'Première ligne\r\n\tdeuxième ligne — 🌊 eau potable\n'.repeat(50);

    test('decisionByKey finds the row of a key, and nothing for another', async () => {
      await appendDecision(db, decision('bykey', 1), fixedNow);
      expect((await decisionByKey(db, 'bykey:decision:1'))?.seq).toBe(1);
      expect(await decisionByKey(db, 'bykey:decision:2')).toBeUndefined();
    });

    test('a text is stored once per partnership, under its SHA-256, and read back byte for byte', async () => {
      const ref = await storeContent(db, 'texts', TEXT, fixedNow);
      expect(ref).toEqual(contentRef(TEXT));
      expect(ref.size).toBe(Buffer.byteLength(TEXT, 'utf8'));
      await storeContent(db, 'texts', TEXT, () => new Date('2030-01-01T00:00:00Z'));
      const rows = await backend.raw('select partnership_id, sha256, size, stored_at from contents where partnership_id = ?', ['texts']);
      expect(rows).toEqual([{ partnership_id: 'texts', sha256: ref.sha256, size: ref.size, stored_at: fixedNow().toISOString() }]);
      expect(await contentOf(db, 'texts', ref.sha256)).toBe(TEXT);
    });

    test('the same text in two partnerships: a row each, and each partnership reads only its own', async () => {
      const ref = await storeContent(db, 'texts-a', 'shared text');
      expect(await contentOf(db, 'texts-b', ref.sha256)).toBeUndefined();
      await storeContents(db, 'texts-b', [{ sha256: ref.sha256, size: ref.size, body: 'shared text' }]);
      expect(await contentOf(db, 'texts-b', ref.sha256)).toBe('shared text');
      expect(await backend.raw('select partnership_id from contents where sha256 = ? order by partnership_id', [ref.sha256])).toEqual([
        { partnership_id: 'texts-a' },
        { partnership_id: 'texts-b' },
      ]);
    });

    test('texts stored under committedBeforeDurable are readable on return, and durable once it resolves', async () => {
      const ref = contentRef('a committed text');
      const { durable } = await committedBeforeDurable(() => storeContents(db, 'texts-d', [{ sha256: ref.sha256, size: ref.size, body: 'a committed text' }]));
      expect(await backend.raw('select body from contents where partnership_id = ?', ['texts-d'])).toEqual([{ body: 'a committed text' }]);
      await expect(durable).resolves.toBeUndefined();
    });

    test('a content whose hash is not that of its text is refused', async () => {
      const ref = contentRef('the real text');
      await expect(storeContents(db, 'texts-c', [{ sha256: ref.sha256, size: ref.size, body: 'another text' }])).rejects.toThrow(/does not match/);
      expect(await contentOf(db, 'texts-c', ref.sha256)).toBeUndefined();
    });

    test('the short texts a command carried are stored with its row, once', async () => {
      const findings = contentRef('Targets met; two follow-ups.');
      const texts = [{ sha256: findings.sha256, size: findings.size, body: 'Targets met; two follow-ups.' }];
      const request = decision('texts-row', 1, { payload: { findings }, contents: texts });
      const first = await appendDecision(db, request, fixedNow);
      expect(first.duplicate).toBe(false);
      expect(await contentOf(db, 'texts-row', findings.sha256)).toBe('Targets met; two follow-ups.');
      // The row's payload names the reference, never the text.
      expect(first.row.payload).toEqual({ findings });
      const again = await appendDecision(db, request, () => new Date('2030-01-01T00:00:00Z'));
      expect(again.duplicate).toBe(true);
      expect(await backend.raw('select stored_at from contents where partnership_id = ?', ['texts-row'])).toEqual([{ stored_at: fixedNow().toISOString() }]);
    });

    test('a row whose carried text does not match its hash is not written, nor the text', async () => {
      const ref = contentRef('the real findings');
      const request = decision('texts-bad', 1, { contents: [{ sha256: ref.sha256, size: ref.size, body: 'other findings' }] });
      await expect(appendDecision(db, request, fixedNow)).rejects.toThrow(/does not match/);
      expect(await decisionsOf(db, 'texts-bad')).toEqual([]);
      expect(await contentOf(db, 'texts-bad', ref.sha256)).toBeUndefined();
    });
  });

  describe('desk summaries', () => {
    const summary = (id: string, stage: DeskSummary['stage'], owed: number): DeskSummary => ({
      id,
      title: `Partnership ${id}`,
      stage,
      template: 'cipp-shared-services',
      pendingActions: Array.from({ length: owed }, (_, i) => ({
        what: 'participation-resolution',
        who: 'clerk',
        partyId: `party-${i}`,
        since: '2025-02-01T00:00:00.000Z',
      })),
      nextTimers: [{ kind: 'resolution-reminder', at: '2025-02-15T14:00:00.000Z', partyId: 'party-0' }],
    });
    const kept = async (id: string) => (await deskSummariesOf(db, [id])).get(id);

    test('the newest version is kept: a later write replaces it, an earlier one (late, or with a repeated row) does not', async () => {
      const id = 'desk-order';
      await appendDecision(db, decision(id, 1, { desk: { version: 2_000, summary: summary(id, 'commitment', 2) } }), fixedNow);
      expect(await kept(id)).toEqual(summary(id, 'commitment', 2));
      await appendDecision(db, decision(id, 2, { desk: { version: 3_000, summary: summary(id, 'commitment', 1) } }), fixedNow);
      expect(await kept(id)).toEqual(summary(id, 'commitment', 1));
      // A write from before the last one, landing after it (its activity retried).
      await appendDecision(db, decision(id, 3, { desk: { version: 2_500, summary: summary(id, 'intake', 3) } }), fixedNow);
      expect(await kept(id)).toEqual(summary(id, 'commitment', 1));
      // A row already there (a retry) still brings a newer summary, and only a newer one.
      const repeated = await appendDecision(db, decision(id, 2, { desk: { version: 4_000, summary: summary(id, 'drafting', 0) } }), fixedNow);
      expect(repeated.duplicate).toBe(true);
      expect(await kept(id)).toEqual(summary(id, 'drafting', 0));
      await appendDecision(db, decision(id, 2, { desk: { version: 3_500, summary: summary(id, 'intake', 3) } }), fixedNow);
      expect(await kept(id)).toEqual(summary(id, 'drafting', 0));
      expect((await decisionsOf(db, id)).map((r) => r.seq)).toEqual([1, 2, 3]);
    });

    test('a row that is not written leaves the summary as it was (one transaction)', async () => {
      const id = 'desk-failed';
      await appendDecision(db, decision(id, 1, { desk: { version: 1_000, summary: summary(id, 'commitment', 2) } }), fixedNow);
      const ref = contentRef('the real findings');
      const failing = decision(id, 2, {
        contents: [{ sha256: ref.sha256, size: ref.size, body: 'other findings' }],
        desk: { version: 2_000, summary: summary(id, 'drafting', 0) },
      });
      await expect(appendDecision(db, failing, fixedNow)).rejects.toThrow(/does not match/);
      expect(await kept(id)).toEqual(summary(id, 'commitment', 2));
    });

    test('what the desk queried is kept only where no summary is, and the workflow’s next one replaces it', async () => {
      await appendDecision(db, decision('desk-q-1', 1, { desk: { version: 5_000, summary: summary('desk-q-1', 'drafting', 1) } }), fixedNow);
      const queried = Array.from({ length: 601 }, (_, i) => summary(`desk-q-${i}`, 'commitment', 2));
      await keepQueriedSummaries(db, queried, fixedNow());
      const found = await deskSummariesOf(
        db,
        queried.map((q) => q.id),
      );
      expect(found.size).toBe(601);
      expect(found.get('desk-q-1')).toEqual(summary('desk-q-1', 'drafting', 1));
      expect(found.get('desk-q-600')).toEqual(summary('desk-q-600', 'commitment', 2));
      await appendDecision(db, decision('desk-q-600', 1, { desk: { version: 1, summary: summary('desk-q-600', 'groundwork', 0) } }), fixedNow);
      expect((await deskSummariesOf(db, ['desk-q-600'])).get('desk-q-600')).toEqual(summary('desk-q-600', 'groundwork', 0));
    });

    test('read for many partnerships at once: every one kept, none for those without', async () => {
      const ids = Array.from({ length: 1_201 }, (_, i) => `desk-many-${i}`);
      const written = ids.filter((_, i) => i % 3 !== 0);
      await db.transaction().execute(async (tx) => {
        for (const [i, id] of written.entries()) {
          await tx
            .insertInto('desk_summaries')
            .values({ partnership_id: id, version: i, summary: JSON.stringify(summary(id, 'in-force', i % 4)), updated_at: fixedNow().toISOString() })
            .execute();
        }
      });
      const found = await deskSummariesOf(db, ids);
      expect(found.size).toBe(written.length);
      expect([...found.keys()].sort()).toEqual([...written].sort());
      expect(found.get('desk-many-1')).toEqual(summary('desk-many-1', 'in-force', 0));
      expect(await deskSummariesOf(db, [])).toEqual(new Map());
    });
  });

  describe('worker heartbeats', () => {
    const worker = (identity: string, taskQueue = 'hb-queue') => ({ identity, namespace: 'default', taskQueue });
    const beats = async (taskQueue = 'hb-queue') => (await heartbeatsOf(db, 'default', taskQueue)).sort((a, b) => a.identity.localeCompare(b.identity));

    test('a beat counts up; a stop is recorded; the same identity beating again is a new start; other queues are apart', async () => {
      await recordBeat(db, worker('1@host-a'), new Date('2026-11-29T10:00:00Z'));
      await recordBeat(db, worker('1@host-a'), new Date('2026-11-29T10:00:01Z'));
      await recordBeat(db, worker('2@host-b'), new Date('2026-11-29T10:00:01Z'));
      await recordBeat(db, worker('3@host-c', 'other-queue'), new Date('2026-11-29T10:00:01Z'));
      expect(await beats()).toEqual([
        { identity: '1@host-a', beat: 2, stoppedAt: null },
        { identity: '2@host-b', beat: 1, stoppedAt: null },
      ]);

      await recordStop(db, '1@host-a', new Date('2026-11-29T10:00:02Z'));
      expect((await beats())[0]).toEqual({ identity: '1@host-a', beat: 2, stoppedAt: '2026-11-29T10:00:02.000Z' });

      // Restarted under the same pid and host: running again, counted from one.
      await recordBeat(db, worker('1@host-a'), new Date('2026-11-29T10:05:00Z'));
      expect((await beats())[0]).toEqual({ identity: '1@host-a', beat: 1, stoppedAt: null });
      const row = await db.selectFrom('worker_heartbeats').selectAll().where('identity', '=', '1@host-a').executeTakeFirstOrThrow();
      expect({ started: row.started_at, seen: row.seen_at }).toEqual({ started: '2026-11-29T10:05:00.000Z', seen: '2026-11-29T10:05:00.000Z' });

      expect(await beats('other-queue')).toEqual([{ identity: '3@host-c', beat: 1, stoppedAt: null }]);
    });

    test('workers not seen since a day are forgotten, the others kept', async () => {
      await recordBeat(db, worker('old@host', 'hb-forget'), new Date('2026-11-20T10:00:00Z'));
      await recordBeat(db, worker('new@host', 'hb-forget'), new Date('2026-11-29T10:00:00Z'));
      expect(await forgetHeartbeats(db, new Date('2026-11-28T10:00:00Z'))).toBeGreaterThanOrEqual(1);
      expect((await beats('hb-forget')).map((b) => b.identity)).toEqual(['new@host']);
    });
  });
});
