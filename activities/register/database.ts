import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, SqliteDialect, type Generated, type Migration, type MigrationProvider } from 'kysely';

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

export interface RegisterSchema {
  decisions: DecisionTable;
  outbox: OutboxTable;
}

export type RegisterDb = Kysely<RegisterSchema>;

const MIGRATIONS: Record<string, Migration> = {
  '0001-decisions-and-outbox': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('decisions')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
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
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Opens the register named by DATABASE_URL (`sqlite:./data/register.db`, or a bare path) and
 * applies pending migrations.
 */
export async function openRegister(url: string): Promise<RegisterDb> {
  const file = sqlitePath(url);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<RegisterSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error;
  return db;
}

function sqlitePath(url: string): string {
  if (/^postgres(ql)?:/.test(url)) {
    throw new Error('PostgreSQL registers are not supported yet; use a sqlite: DATABASE_URL');
  }
  return url.replace(/^sqlite:(\/\/)?/, '');
}
