import { createHash } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import { contentRef, type ContentRef } from '../domain/content';
import type { StoredContent } from '../domain/commands';
import type { RegisterDb } from './database';

type ContentRow = { partnership_id: string; sha256: string; size: number; body: string; stored_at: string };

const COLUMNS = ['partnership_id', 'sha256', 'size', 'body', 'stored_at'] as const;

/** The insert of one text, compiled once per register in its dialect, and where each column's value goes in its parameters. */
const insertOneQueries = new WeakMap<RegisterDb, { query: CompiledQuery; columns: Array<keyof ContentRow> }>();

const insertContents = (db: RegisterDb, rows: ContentRow[]) =>
  db
    .insertInto('contents')
    .values(rows)
    .onConflict((oc) => oc.columns(['partnership_id', 'sha256']).doNothing());

/**
 * The register's store of texts (the claim check): each stored once per partnership under its
 * SHA-256, inserted if absent, never changed. A text already there (the same draft sent twice)
 * costs nothing more.
 */
export async function storeContents(db: RegisterDb, partnershipId: string, contents: StoredContent[], now: () => Date = () => new Date()): Promise<void> {
  if (contents.length === 0) return;
  for (const c of contents) {
    // The same SHA-256 as the domain's sha256Hex, from node:crypto: the pure-JavaScript one is for workflows.
    if (createHash('sha256').update(c.body).digest('hex') !== c.sha256) throw new Error(`content ${c.sha256} does not match its text`);
  }
  const storedAt = now().toISOString();
  const rows = contents.map((c) => ({ partnership_id: partnershipId, sha256: c.sha256, size: c.size, body: c.body, stored_at: storedAt }));
  if (rows.length > 1) {
    await insertContents(db, rows).execute();
    return;
  }
  // A command carries one text as a rule, and each command stores it: Kysely would build and
  // compile the same insert every time.
  let insert = insertOneQueries.get(db);
  if (!insert) {
    // Each column's name as its own value, to find where the compiled query wants it.
    const query = insertContents(db, [Object.fromEntries(COLUMNS.map((c) => [c, c])) as unknown as ContentRow]).compile();
    insertOneQueries.set(db, (insert = { query, columns: query.parameters.map((p) => p as keyof ContentRow) }));
  }
  const row = rows[0]!;
  await db.executeQuery({ ...insert.query, parameters: insert.columns.map((c) => row[c]) });
}

/** Stores one text and returns its reference. */
export async function storeContent(db: RegisterDb, partnershipId: string, text: string, now?: () => Date): Promise<ContentRef> {
  const ref = contentRef(text);
  await storeContents(db, partnershipId, [{ sha256: ref.sha256, size: ref.size, body: text }], now);
  return ref;
}

/** The text stored for a partnership under this hash, if any. */
export async function contentOf(db: RegisterDb, partnershipId: string, sha256: string): Promise<string | undefined> {
  const row = await db.selectFrom('contents').select('body').where('partnership_id', '=', partnershipId).where('sha256', '=', sha256).executeTakeFirst();
  return row?.body;
}
