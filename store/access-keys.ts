import { createHash, randomBytes } from 'node:crypto';
import type { IssueAccessKey } from '../domain';
import type { RegisterDb } from './database';

/** Who a party key belongs to: one contact role of one party of one partnership. */
export interface KeyHolder {
  role: IssueAccessKey['role'];
  partyId: string;
  partnershipId: string;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new key for one party contact of one partnership; the plain key is returned once, never stored. */
export async function issueAccessKey(db: RegisterDb, partnershipId: string, request: IssueAccessKey): Promise<{ key: string; id: string }> {
  const key = `ent_${randomBytes(24).toString('base64url')}`;
  await db
    .insertInto('access_keys')
    .values({
      key_hash: hashKey(key),
      partnership_id: partnershipId,
      role: request.role,
      party_id: request.partyId,
      label: request.label ?? null,
      created_at: new Date().toISOString(),
      revoked_at: null,
    })
    .execute();
  return { key, id: keyIdOf(hashKey(key)) };
}

/** How a key is named once issued: a prefix of its hash, from which the key cannot be recovered. */
export const keyIdOf = (keyHash: string): string => keyHash.slice(0, 16);

export interface AccessKeyInfo {
  id: string;
  role: IssueAccessKey['role'];
  partyId: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export async function accessKeysOf(db: RegisterDb, partnershipId: string): Promise<AccessKeyInfo[]> {
  const rows = await db.selectFrom('access_keys').selectAll().where('partnership_id', '=', partnershipId).orderBy('created_at').execute();
  return rows.map((r) => ({
    id: keyIdOf(r.key_hash),
    role: r.role,
    partyId: r.party_id,
    label: r.label,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes one key of a partnership; revoking it again changes nothing. Undefined when there is no such key. */
export async function revokeAccessKey(db: RegisterDb, partnershipId: string, keyId: string, now = new Date()): Promise<AccessKeyInfo | undefined> {
  const row = (await db.selectFrom('access_keys').select('key_hash').where('partnership_id', '=', partnershipId).execute()).find(
    (r) => keyIdOf(r.key_hash) === keyId,
  );
  if (!row) return undefined;
  await db.updateTable('access_keys').set({ revoked_at: now.toISOString() }).where('key_hash', '=', row.key_hash).where('revoked_at', 'is', null).execute();
  return (await accessKeysOf(db, partnershipId)).find((k) => k.id === keyId);
}

export async function principalForKey(db: RegisterDb, key: string): Promise<KeyHolder | undefined> {
  const row = await db
    .selectFrom('access_keys')
    .select(['partnership_id', 'role', 'party_id'])
    .where('key_hash', '=', hashKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { role: row.role, partyId: row.party_id, partnershipId: row.partnership_id } : undefined;
}
