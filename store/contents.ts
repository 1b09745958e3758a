import { createHash } from 'node:crypto';
import { contentRef, type ContentRef, type StoredContent } from '../domain/content';
import type { RegisterDb } from './database';

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
  await db
    .insertInto('contents')
    .values(contents.map((c) => ({ partnership_id: partnershipId, sha256: c.sha256, size: c.size, body: c.body, stored_at: storedAt })))
    .onConflict((oc) => oc.columns(['partnership_id', 'sha256']).doNothing())
    .execute();
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
