/**
 * store/sqlite.ts: a commit on the SQLite register is on disk before its caller goes on, and the
 * commits made while one sync runs share the next (group commit). On a real SQLite file; the
 * WAL's sync is held, counted or failed by the test (the real one is `fdatasync`, checked last).
 *
 * | case                                                        | expects                                                   |
 * |-------------------------------------------------------------|-----------------------------------------------------------|
 * | an append while the sync is held                            | not answered until the sync ends; the row already there   |
 * | a read while the sync is held                               | answered at once                                          |
 * | 50 appends at once                                          | all answered, 2 syncs at most (the first, then the rest)  |
 * | a transaction that writes nothing, a rolled-back one        | no sync                                                   |
 * | the WAL's sync named                                        | the database file's `-wal`                                |
 * | a failed sync                                               | its append rejected; every later query too, saying why    |
 * | committedBeforeDurable, the sync held                       | returns with the row committed; `durable` waits for sync  |
 * | committedBeforeDurable around a read                        | no sync; `durable` already resolved                       |
 * | committedBeforeDurable, the sync failed                     | `durable` rejects saying why; nothing unhandled           |
 * | a commit beside a committedBeforeDurable under way          | still waits for its own sync                              |
 * | groupCommit: a call during a sync                           | one more sync, started after the first ended              |
 * | the real fdatasync                                          | appends answered, rows read back after reopening          |
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegister, type RegisterDb } from '../../store/database';
import { appendDecision, decisionByKey, decisionsOf } from '../../store/decisions';
import { committedBeforeDurable, groupCommit } from '../../store/sqlite';
import { contentOf, storeContents } from '../../store/contents';
import type { DecisionRequest } from '../../domain/decisions';

const decision = (n: number, partnershipId = 'sync-p'): DecisionRequest => ({
  key: `${partnershipId}:decision:${n}`,
  partnershipId,
  kind: 'recordMilestone',
  actor: 'coordinator',
  payload: { n },
  occurredAt: '2026-11-26T12:00:00.000Z',
});

/** A sync the test releases: each call waits for `release()`, and is counted. */
function heldSync() {
  const files: string[] = [];
  let waiting: Array<() => void> = [];
  let held = true;
  return {
    files,
    get pending() {
      return waiting.length;
    },
    hold(on: boolean) {
      held = on;
    },
    release() {
      const now = waiting;
      waiting = [];
      for (const resolve of now) resolve();
    },
    syncWal: (file: string) => {
      files.push(file);
      return held ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve();
    },
  };
}

const settledYet = async (promise: Promise<unknown>): Promise<boolean> => {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 30));
  return settled;
};

let dir: string;
let db: RegisterDb | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'entente-sync-'));
});

afterEach(async () => {
  await db?.destroy();
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function open(sync: ReturnType<typeof heldSync>): Promise<RegisterDb> {
  sync.hold(false);
  db = await openRegister(`sqlite:${join(dir, 'register.db')}`, { syncWal: sync.syncWal });
  sync.hold(true);
  sync.files.length = 0;
  return db;
}

test('an append is answered only once its commit is synced; reads do not wait', async () => {
  const sync = heldSync();
  const register = await open(sync);
  const append = appendDecision(register, decision(1));
  expect(await settledYet(append)).toBe(false);
  expect(sync.pending).toBe(1);
  // Committed and visible, not yet answered: nobody was told it is written.
  expect(await decisionByKey(register, decision(1).key)).toMatchObject({ seq: 1 });
  sync.release();
  await expect(append).resolves.toMatchObject({ duplicate: false, row: { seq: 1 } });
  expect(sync.files).toEqual([join(dir, 'register.db-wal')]);
});

test('appends made while a sync runs share the next one', async () => {
  const sync = heldSync();
  const register = await open(sync);
  const appends = Array.from({ length: 50 }, (_, i) => appendDecision(register, decision(i + 1)));
  // Every commit is made while the first sync is held; none of them is answered.
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(sync.files).toHaveLength(1);
  sync.release();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(sync.files).toHaveLength(2);
  sync.release();
  const rows = await Promise.all(appends);
  expect(rows.map((r) => r.row.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  expect(sync.files).toHaveLength(2);
});

test('a transaction that writes nothing, or is rolled back, waits for no sync', async () => {
  const sync = heldSync();
  const register = await open(sync);
  await register.transaction().execute((tx) => tx.selectFrom('decisions').selectAll().execute());
  await expect(
    register.transaction().execute(async (tx) => {
      await tx.insertInto('contents').values({ partnership_id: 'p', sha256: 'x', size: 1, body: 'x', stored_at: 'now' }).execute();
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  expect(sync.files).toHaveLength(0);
  expect(await register.selectFrom('contents').selectAll().execute()).toEqual([]);
});

test('a failed sync fails its append and every later query, saying why', async () => {
  let fail = false;
  db = await openRegister(`sqlite:${join(dir, 'register.db')}`, {
    syncWal: async () => {
      if (fail) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    },
  });
  await appendDecision(db, decision(1));
  fail = true;
  await expect(appendDecision(db, decision(2))).rejects.toThrow("the register's disk failed a sync (EIO): restart the process");
  fail = false;
  await expect(decisionsOf(db, 'sync-p')).rejects.toThrow('restart the process');
  await expect(appendDecision(db, decision(3))).rejects.toThrow('restart the process');
});

const TEXT = { sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9', size: 11, body: 'hello world' };

test('committedBeforeDurable: returns once the write is committed, and `durable` once it is synced', async () => {
  const sync = heldSync();
  const register = await open(sync);
  const { durable } = await committedBeforeDurable(() => storeContents(register, 'p', [TEXT]));
  // Returned while the sync is held: the text is there for whoever is sent its reference.
  expect(sync.pending).toBe(1);
  expect(await contentOf(register, 'p', TEXT.sha256)).toBe('hello world');
  expect(await settledYet(durable)).toBe(false);
  sync.release();
  await expect(durable).resolves.toBeUndefined();
});

test('committedBeforeDurable around a read: no sync, and `durable` already resolved', async () => {
  const sync = heldSync();
  const register = await open(sync);
  const { value, durable } = await committedBeforeDurable(() => decisionsOf(register, 'nobody'));
  expect(value).toEqual([]);
  expect(await settledYet(durable)).toBe(true);
  expect(sync.files).toHaveLength(0);
});

test('committedBeforeDurable: a failed sync rejects `durable`, saying why', async () => {
  let fail = false;
  db = await openRegister(`sqlite:${join(dir, 'register.db')}`, {
    syncWal: async () => {
      if (fail) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    },
  });
  fail = true;
  const { durable } = await committedBeforeDurable(() => storeContents(db!, 'p', [TEXT]));
  await expect(durable).rejects.toThrow("the register's disk failed a sync (EIO): restart the process");
});

test('a commit made beside a committedBeforeDurable under way still waits for its own sync', async () => {
  const sync = heldSync();
  const register = await open(sync);
  const deferred = committedBeforeDurable(() => storeContents(register, 'p', [TEXT]));
  const append = appendDecision(register, decision(1));
  const { durable } = await deferred;
  expect(await settledYet(append)).toBe(false);
  sync.release();
  await new Promise((resolve) => setTimeout(resolve, 10));
  sync.release();
  await expect(append).resolves.toMatchObject({ row: { seq: 1 } });
  await expect(durable).resolves.toBeUndefined();
});

test('groupCommit: a call during a sync starts one more after it, shared by all such calls', async () => {
  const order: string[] = [];
  let finish: Array<() => void> = [];
  const commits = groupCommit(() => {
    order.push(`start ${order.filter((o) => o.startsWith('start')).length + 1}`);
    return new Promise<void>((resolve) =>
      finish.push(() => {
        order.push('end');
        resolve();
      }),
    );
  });
  const first = commits.sync();
  const second = [commits.sync(), commits.sync(), commits.sync()];
  expect(order).toEqual(['start 1']);
  finish.shift()!();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(['start 1', 'end', 'start 2']);
  finish.shift()!();
  await Promise.all(second);
  expect(order).toEqual(['start 1', 'end', 'start 2', 'end']);
  finish = [];
});

test('with the real fdatasync, appends are answered and read back after reopening', async () => {
  const file = `sqlite:${join(dir, 'register.db')}`;
  db = await openRegister(file);
  await Promise.all(Array.from({ length: 20 }, (_, i) => appendDecision(db!, decision(i + 1))));
  await db.destroy();
  db = await openRegister(file);
  expect((await decisionsOf(db, 'sync-p')).map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
});
