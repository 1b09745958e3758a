import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type SqliteDatabase,
  type SqliteStatement,
  type TransactionSettings,
} from 'kysely';

/** Makes the WAL's committed frames durable; resolves once they are on disk. */
export type SyncWal = (walFile: string) => Promise<void>;

export interface SqliteOptions {
  /** How the WAL is synced; the real `fdatasync` unless a test needs to hold or fail it. */
  syncWal?: SyncWal;
}

/**
 * The register on a SQLite file, every commit on disk before its caller goes on, as PostgreSQL's
 * default (synchronous_commit on) does, but one sync for every commit made while the one before
 * was under way (group commit).
 *
 * SQLite's own way, `synchronous = FULL`, syncs inside every COMMIT, on this process's only
 * thread: with thousands of reminders due together the worker's event loop stood in fsync for
 * seconds, one row and one outbox update at a time, and the emails came late. Here SQLite runs
 * at `NORMAL` (a commit writes its WAL frames; SQLite itself syncs the WAL before every
 * checkpoint and when the WAL is reused), and a commit's caller waits for an `fdatasync` of the
 * WAL file on libuv's thread pool, shared with every commit made meanwhile. Linux syncs a file
 * whatever descriptor names it, so the frames SQLite wrote are the ones synced.
 *
 * The connection is handed to the next query before the sync ends, so another process (the API
 * beside the worker) may read a row a few milliseconds before it is on disk; nobody is told it
 * was written until it is.
 */
export function sqliteDialect(file: string, options: SqliteOptions = {}): SqliteDialect {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
  } catch (err) {
    // Found locked (openRegister tries again): not a handle left open for each attempt.
    sqlite.close();
    throw err;
  }
  const database = trackCommits(sqlite);
  const wal = walFile(`${file}-wal`);
  const durable = file === ':memory:' ? undefined : groupCommit(() => (options.syncWal ? options.syncWal(`${file}-wal`) : wal.sync()));
  return new (class extends SqliteDialect {
    override createDriver(): Driver {
      const driver = super.createDriver();
      return durable ? new GroupCommitDriver(driver, database, durable, wal.close) : driver;
    }
  })({ database });
}

/** The syncs of commits made inside `committedBeforeDurable`, collected rather than awaited. */
const deferredSyncs = new AsyncLocalStorage<Array<Promise<void>>>();

/**
 * Runs `write` and returns once its commits are made (visible to every connection) but before
 * they are synced; `durable` resolves once they are on disk. For a caller with something else to
 * wait for meanwhile: the API commits a command's texts, sends the command that names them, and
 * answers once both the sync and the command are done. On PostgreSQL a commit is durable when it
 * returns, and an in-memory database has nothing to sync: there `durable` is already resolved.
 */
export async function committedBeforeDurable<T>(write: () => Promise<T>): Promise<{ value: T; durable: Promise<void> }> {
  const syncs: Array<Promise<void>> = [];
  const value = await deferredSyncs.run(syncs, write);
  const durable = Promise.all(syncs).then(() => undefined);
  // Awaited by the caller, maybe only after something else fails: never an unhandled rejection.
  durable.catch(() => undefined);
  return { value, durable };
}

/** One sync at a time, shared by every commit made while the one before ran. */
export interface GroupCommit {
  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void>;
  /** Why the register refuses every query, once a sync has failed. */
  failure(): Error | undefined;
}

/**
 * Runs `sync` for every caller, but at most one at a time: callers that come while one runs all
 * wait for the next, which starts once it ends and covers everything committed before it
 * started. A failed sync fails its callers and every later query: what SQLite wrote can no
 * longer be known to be on disk (the kernel may have dropped the pages it could not write), and
 * the process must start again for SQLite to recover from what the disk holds, as PostgreSQL
 * does.
 */
export function groupCommit(sync: () => Promise<void>): GroupCommit {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  let broken: Error | undefined;
  const start = (): Promise<void> => {
    const attempt = sync().catch((err: unknown) => {
      broken ??= new Error(`the register's disk failed a sync (${(err as { code?: string }).code ?? 'error'}): restart the process`);
      throw broken;
    });
    const settled = (): void => {
      if (running === current) running = undefined;
    };
    const current: Promise<void> = attempt.then(settled, settled);
    running = current;
    return attempt;
  };
  return {
    failure: () => broken,
    sync() {
      if (broken) return Promise.reject(broken);
      if (!running && !next) return start();
      next ??= (running ?? Promise.resolve()).then(() => {
        next = undefined;
        return broken ? Promise.reject(broken) : start();
      });
      return next;
    },
  };
}

/**
 * `fdatasync` of the WAL file, opened once: SQLite keeps the file (truncating or reusing it, never
 * replacing it) while this process's connection is open. A WAL not there yet has nothing to sync;
 * a WAL gone was checkpointed into the database and synced by SQLite.
 */
function walFile(path: string): { sync(): Promise<void>; close(): Promise<void> } {
  let handle: Promise<FileHandle> | undefined;
  const close = async () => {
    const opened = handle;
    handle = undefined;
    await opened?.then((h) => h.close()).catch(() => undefined);
  };
  return {
    close,
    async sync() {
      handle ??= open(path, 'r+');
      try {
        await (await handle).datasync();
      } catch (err) {
        await close();
        if ((err as { code?: string }).code !== 'ENOENT') throw err;
      }
    },
  };
}

const ROLLBACK = /^\s*rollback\s*(transaction)?\s*;?\s*$/i;

interface TrackedDatabase extends SqliteDatabase {
  /** Whether a write was committed since the last call. */
  takeCommitted(): boolean;
}

/**
 * Notes when a statement leaves written data committed: a write outside a transaction, or the
 * COMMIT of a transaction that wrote. Statements are prepared once each (Kysely prepares every
 * query anew, and the register runs the same few dozen), which is safe because Kysely runs one
 * query at a time on its single SQLite connection; the cache is bounded.
 */
function trackCommits(sqlite: Database.Database, limit = 256): TrackedDatabase {
  const statements = new Map<string, SqliteStatement>();
  let wrote = false;
  let committed = false;
  const settled = <T>(statement: Database.Statement, result: () => T): T => {
    let value: T;
    try {
      value = result();
    } catch (err) {
      // A statement that failed outside a transaction committed nothing, nor did one that ended it.
      if (!sqlite.inTransaction) wrote = false;
      throw err;
    }
    if (!statement.readonly) wrote = true;
    if (ROLLBACK.test(statement.source)) wrote = false;
    if (wrote && !sqlite.inTransaction) {
      committed = true;
      wrote = false;
    }
    return value;
  };
  const tracked = (statement: Database.Statement): SqliteStatement => ({
    reader: statement.reader,
    all: (parameters) => settled(statement, () => statement.all(parameters)),
    run: (parameters) => settled(statement, () => statement.run(parameters)),
    // Only Kysely's streaming of selects iterates, and selects commit nothing.
    iterate: (parameters) => statement.iterate(parameters),
  });
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= limit) statements.clear();
        statements.set(sql, (statement = tracked(sqlite.prepare(sql))));
      }
      return statement;
    },
    takeCommitted() {
      const was = committed;
      committed = false;
      return was;
    },
  };
}

/**
 * Kysely holds the one connection from a query's (or a transaction's) start until it releases
 * it: the release hands the connection on at once and then waits for the sync of what was
 * committed, so the next writer's commit joins the next sync instead of waiting behind this one.
 */
class GroupCommitDriver implements Driver {
  constructor(
    private readonly driver: Driver,
    private readonly database: TrackedDatabase,
    private readonly durable: GroupCommit,
    private readonly closeWal: () => Promise<void>,
  ) {}

  init = () => this.driver.init();
  destroy = async () => {
    await this.driver.destroy();
    await this.closeWal();
  };
  beginTransaction = (connection: DatabaseConnection, settings: TransactionSettings) => this.driver.beginTransaction(connection, settings);
  commitTransaction = (connection: DatabaseConnection) => this.driver.commitTransaction(connection);
  rollbackTransaction = (connection: DatabaseConnection) => this.driver.rollbackTransaction(connection);
  savepoint = (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) => this.driver.savepoint!(connection, name, compile);
  rollbackToSavepoint = (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) =>
    this.driver.rollbackToSavepoint!(connection, name, compile);
  releaseSavepoint = (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) =>
    this.driver.releaseSavepoint!(connection, name, compile);

  async acquireConnection(): Promise<DatabaseConnection> {
    const failure = this.durable.failure();
    if (failure) throw failure;
    return this.driver.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const committed = this.database.takeCommitted();
    await this.driver.releaseConnection(connection);
    if (!committed) return;
    const deferred = deferredSyncs.getStore();
    if (!deferred) return this.durable.sync();
    const sync = this.durable.sync();
    sync.catch(() => undefined); // its caller sees it through `durable`, even if its write fails later
    deferred.push(sync);
  }
}
