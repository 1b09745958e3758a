import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Where a register test runs, and a second connection to the same database through which the
 * tests tamper with rows as an outsider would, bypassing the register's code.
 */
export interface RegisterBackend {
  name: 'sqlite' | 'postgres';
  url: string;
  /** SQL with `?` placeholders, run on the outsider's connection. */
  raw(sql: string, params?: unknown[]): Promise<any[]>;
  tables(): Promise<string[]>;
  dispose(): Promise<void>;
}

export async function sqliteBackend(): Promise<RegisterBackend & { file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-register-'));
  const file = join(dir, 'nested', 'register.db');
  const withRaw = <T>(fn: (raw: Database.Database) => T): T => {
    const raw = new Database(file);
    try {
      return fn(raw);
    } finally {
      raw.close();
    }
  };
  const raw = async (sql: string, params: unknown[] = []): Promise<any[]> =>
    withRaw((connection) => {
      const statement = connection.prepare(sql);
      return statement.reader ? (statement.all(...params) as any[]) : (statement.run(...params), []);
    });
  return {
    name: 'sqlite',
    url: `sqlite:${file}`,
    file,
    raw,
    async tables() {
      const rows = await raw("select name from sqlite_master where type = 'table' order by name");
      return rows.map((r) => r.name as string);
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database in the PostgreSQL at TEST_POSTGRES_URL, dropped at the end. */
export async function postgresBackend(adminUrl: string): Promise<RegisterBackend> {
  const name = `entente_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const outsider = new Client({ connectionString: url.toString() });
  await outsider.connect();
  const raw = async (sql: string, params: unknown[] = []): Promise<any[]> => {
    let n = 0;
    const result = await outsider.query(
      sql.replace(/\?/g, () => `$${++n}`),
      params,
    );
    return result.rows;
  };
  return {
    name: 'postgres',
    url: url.toString(),
    raw,
    async tables() {
      const rows = await raw("select table_name as name from information_schema.tables where table_schema = 'public' order by table_name");
      return rows.map((r) => r.name as string);
    },
    async dispose() {
      await outsider.end();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
