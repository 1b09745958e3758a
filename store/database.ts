import { Kysely, Migrator, PostgresDialect, type Generated, type Migration } from 'kysely';
import { Pool } from 'pg';
import { sqliteDialect, type SqliteOptions } from './sqlite';

export interface DecisionTable {
  id: Generated<number>;
  partnership_id: string;
  seq: number;
  key: string;
  kind: string;
  actor: string;
  party_id: string | null;
  payload: string;
  occurred_at: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
  /** How the sender of a command was authenticated (`action-link:<id>`); null on older rows and rows of the lifecycle. */
  means: string | null;
}

export interface OutboxTable {
  key: string;
  partnership_id: string;
  event: string;
  message_id: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** API keys of party contacts: only the SHA-256 of a key is kept. */
export interface AccessKeyTable {
  key_hash: string;
  partnership_id: string;
  role: 'clerk' | 'signatory' | 'champion';
  party_id: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
  /** Why it stopped working (`contact-replaced`, `party-withdrew`, `partnership-ended`, `coordinator`, `retried`). */
  revoked_reason: string | null;
  /** The Idempotency-Key it was issued under, and the fingerprint of that request's body. */
  idempotency_key: string | null;
  request_fingerprint: string | null;
}

/**
 * Personal action links sent in emails to party contacts: only the SHA-256 of the token is kept.
 * A link names one contact (the SHA-256 of their lower-cased address) of one party-role of one
 * partnership, and the action the email asks for.
 */
export interface ActionLinkTable {
  id: string;
  token_hash: string;
  partnership_id: string;
  party_id: string;
  role: 'clerk' | 'signatory' | 'champion';
  contact_hash: string;
  /** The email's event and outbox key: which message carried the link. */
  event: string;
  notification_key: string;
  /** JSON of `{ command, prefill }`, or null when the link only opens the partnership. */
  action: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
}

/** What an action link is exchanged for: a short-lived bearer credential with the link's scope. */
export interface SessionTable {
  token_hash: string;
  id: string;
  link_id: string;
  partnership_id: string;
  party_id: string;
  role: 'clerk' | 'signatory' | 'champion';
  contact_hash: string;
  action: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

/**
 * Scopes whose access was taken away (a replaced contact, a withdrawn party, an ended
 * partnership): links are not issued into them afterwards, so that an email planned before the
 * revocation and sent after it carries no working link. A contact assigned again lifts theirs.
 */
export interface AccessRevocationTable {
  id: Generated<number>;
  partnership_id: string;
  party_id: string | null;
  role: string | null;
  contact_hash: string | null;
  reason: string;
  revoked_at: string;
  lifted_at: string | null;
}

/**
 * Texts a person wrote at length (drafts, feedback comments, findings, notes), stored once per
 * partnership under their SHA-256; commands and the workflow carry only the reference (the claim
 * check, domain/content.ts). Rows are only ever inserted.
 */
export interface ContentTable {
  partnership_id: string;
  sha256: string;
  /** Bytes of the UTF-8 text. */
  size: number;
  body: string;
  stored_at: string;
}

/**
 * What the coordinator's desk shows of each partnership (domain/view.ts, DeskSummary), as its
 * workflow last wrote it with a register row: the desk reads this table rather than asking every
 * workflow. `version` orders the writes of one partnership; only a newer one replaces a row.
 */
export interface DeskSummaryTable {
  partnership_id: string;
  version: number;
  summary: string;
  updated_at: string;
}

/**
 * Each worker process says here, every second, that it still runs (`beat` counts up), and that it
 * stopped as it begins to shut down. Temporal keeps a poller's last access for about a minute after
 * its worker is gone; the API reads these rows to tell a stopped worker from an idle one at once.
 */
export interface WorkerHeartbeatTable {
  /** The worker's identity, as its polls name it (DescribeTaskQueue's pollers). */
  identity: string;
  namespace: string;
  task_queue: string;
  beat: number;
  started_at: string;
  seen_at: string;
  stopped_at: string | null;
}

export interface RegisterSchema {
  decisions: DecisionTable;
  outbox: OutboxTable;
  access_keys: AccessKeyTable;
  contents: ContentTable;
  action_links: ActionLinkTable;
  sessions: SessionTable;
  access_revocations: AccessRevocationTable;
  desk_summaries: DeskSummaryTable;
  worker_heartbeats: WorkerHeartbeatTable;
}

export type RegisterDb = Kysely<RegisterSchema>;

export type RegisterDialect = 'sqlite' | 'postgres';

/** The same tables on both engines; only the auto-numbered key is spelled differently. */
function migrations(dialect: RegisterDialect): Record<string, Migration> {
  return {
    '0001-decisions-and-outbox': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('decisions')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('partnership_id', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('party_id', 'text')
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('occurred_at', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addUniqueConstraint('decisions_partnership_seq', ['partnership_id', 'seq'])
          .execute();
        await db.schema
          .createTable('outbox')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('partnership_id', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .execute();
      },
    },
    '0002-access-keys': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('access_keys')
          .addColumn('key_hash', 'text', (c) => c.primaryKey())
          .addColumn('partnership_id', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('party_id', 'text', (c) => c.notNull())
          .addColumn('label', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
      },
    },
    '0003-contents': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('contents')
          .addColumn('partnership_id', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('stored_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('contents_pkey', ['partnership_id', 'sha256'])
          .execute();
      },
    },
    '0004-action-links': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('decisions').addColumn('means', 'text').execute();
        await db.schema.alterTable('access_keys').addColumn('revoked_reason', 'text').execute();
        await db.schema.alterTable('access_keys').addColumn('idempotency_key', 'text').execute();
        await db.schema.alterTable('access_keys').addColumn('request_fingerprint', 'text').execute();
        await db.schema
          .createTable('action_links')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('partnership_id', 'text', (c) => c.notNull())
          .addColumn('party_id', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('contact_hash', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('notification_key', 'text', (c) => c.notNull())
          .addColumn('action', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('revoked_reason', 'text')
          .execute();
        await db.schema.createIndex('action_links_scope').on('action_links').columns(['partnership_id', 'party_id', 'role']).execute();
        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('link_id', 'text', (c) => c.notNull())
          .addColumn('partnership_id', 'text', (c) => c.notNull())
          .addColumn('party_id', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('contact_hash', 'text', (c) => c.notNull())
          .addColumn('action', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .addColumn('revoked_reason', 'text')
          .execute();
        await db.schema.createIndex('sessions_scope').on('sessions').columns(['partnership_id', 'party_id', 'role']).execute();
        await db.schema
          .createTable('access_revocations')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('partnership_id', 'text', (c) => c.notNull())
          .addColumn('party_id', 'text')
          .addColumn('role', 'text')
          .addColumn('contact_hash', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text', (c) => c.notNull())
          .addColumn('lifted_at', 'text')
          .execute();
        await db.schema.createIndex('access_revocations_partnership').on('access_revocations').column('partnership_id').execute();
      },
    },
    '0005-desk-summaries': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('desk_summaries')
          .addColumn('partnership_id', 'text', (c) => c.primaryKey())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0006-worker-heartbeats': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('worker_heartbeats')
          .addColumn('identity', 'text', (c) => c.primaryKey())
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('task_queue', 'text', (c) => c.notNull())
          .addColumn('beat', 'integer', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('seen_at', 'text', (c) => c.notNull())
          .addColumn('stopped_at', 'text')
          .execute();
        await db.schema.createIndex('worker_heartbeats_queue').on('worker_heartbeats').columns(['namespace', 'task_queue']).execute();
      },
    },
  };
}

const dialects = new WeakMap<object, RegisterDialect>();

/**
 * Which engine a register runs on: appending takes a lock on PostgreSQL that SQLite neither
 * needs (one writer at a time) nor understands.
 */
export function dialectOf(db: RegisterDb): RegisterDialect {
  const dialect = dialects.get(db);
  if (!dialect) throw new Error('this register was not opened with openRegister');
  return dialect;
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/**
 * Opens the register named by DATABASE_URL: `postgres://user@host:port/db` (PostgreSQL),
 * otherwise a SQLite file (`sqlite:./data/register.db`, or a bare path); then applies pending
 * migrations.
 */
export async function openRegister(url: string, options: SqliteOptions = {}): Promise<RegisterDb> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openOnce(url, options);
    } catch (err) {
      // `npm start` on a new data directory: the worker and the API open the SQLite file at once,
      // and on a loaded machine one may find it locked past SQLite's own wait (its WAL mode being
      // set, its tables created). A few seconds later it is free.
      if (!isSqliteBusy(err) || attempt >= OPEN_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

const OPEN_ATTEMPTS = 8;

const isSqliteBusy = (err: unknown): boolean => /^SQLITE_BUSY/.test(String((err as { code?: unknown } | undefined)?.code ?? ''));

async function openOnce(url: string, options: SqliteOptions): Promise<RegisterDb> {
  const dialect: RegisterDialect = isPostgresUrl(url) ? 'postgres' : 'sqlite';
  const db = dialect === 'postgres' ? openPostgres(url) : openSqlite(url, options);
  dialects.set(db, dialect);
  try {
    await migrate(db, dialect);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/**
 * The worker and the API open the register at the same moment on a first start. Kysely locks
 * migrations on PostgreSQL, but on SQLite two processes can both find a migration missing and one
 * then fails on the table the other has just created: the loser looks again, and finds nothing
 * left to do.
 */
async function migrate(db: RegisterDb, dialect: RegisterDialect): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(dialect) } });
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return;
    if (attempt >= 5) throw error;
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

function openPostgres(url: string): RegisterDb {
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle client's error (the server restarting) would otherwise crash the process; the next
  // query reconnects or fails on its own.
  pool.on('error', () => undefined);
  return new Kysely<RegisterSchema>({ dialect: new PostgresDialect({ pool }) });
}

function openSqlite(url: string, options: SqliteOptions): RegisterDb {
  return new Kysely<RegisterSchema>({ dialect: sqliteDialect(url.replace(/^sqlite:(\/\/)?/, ''), options) });
}
