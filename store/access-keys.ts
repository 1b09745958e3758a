import { createHash, randomBytes } from 'node:crypto';
import type { IssueAccessKey } from '../domain';
import { sql } from 'kysely';
import { dialectOf, type RegisterDb } from './database';
import { chainLockId } from './decisions';

/** Who a party key belongs to: one contact role of one party of one partnership. */
export interface KeyHolder {
  role: IssueAccessKey['role'];
  partyId: string;
  partnershipId: string;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The Idempotency-Key a key is issued under, and the fingerprint of the request's body. */
export interface KeyIdempotency {
  key: string;
  fingerprint: string;
}

/** The Idempotency-Key was used before with another body: nothing issued. */
export interface IdempotencyConflict {
  conflict: true;
}

/**
 * A new key for one party contact of one partnership; the plain key is returned once, never stored.
 *
 * Under an Idempotency-Key already used with the same body, the first attempt's answer was lost
 * and nobody holds its key: that key is revoked and a new one issued, so that one key is live
 * either way. With another body, nothing is issued.
 */
export async function issueAccessKey(db: RegisterDb, partnershipId: string, request: IssueAccessKey): Promise<{ key: string; id: string }>;
export async function issueAccessKey(
  db: RegisterDb,
  partnershipId: string,
  request: IssueAccessKey,
  idempotency: KeyIdempotency,
  now?: Date,
): Promise<{ key: string; id: string; retried: boolean } | IdempotencyConflict>;
export async function issueAccessKey(
  db: RegisterDb,
  partnershipId: string,
  request: IssueAccessKey,
  idempotency?: KeyIdempotency,
  now: Date = new Date(),
): Promise<{ key: string; id: string; retried?: boolean } | IdempotencyConflict> {
  const key = `ent_${randomBytes(24).toString('base64url')}`;
  const row = {
    key_hash: hashKey(key),
    partnership_id: partnershipId,
    role: request.role,
    party_id: request.partyId,
    label: request.label ?? null,
    created_at: now.toISOString(),
    revoked_at: null,
    idempotency_key: idempotency?.key ?? null,
    request_fingerprint: idempotency?.fingerprint ?? null,
  };
  if (!idempotency) {
    await db.insertInto('access_keys').values(row).execute();
    return { key, id: keyIdOf(hashKey(key)) };
  }
  const postgres = dialectOf(db) === 'postgres';
  return db.transaction().execute(async (tx) => {
    // Two attempts at once under one key take turns, so that only one key stays live.
    if (postgres) await sql`select pg_advisory_xact_lock(${chainLockId(`${partnershipId}:access-keys`).toString()}::bigint)`.execute(tx);
    const earlier = await tx
      .selectFrom('access_keys')
      .select(['key_hash', 'request_fingerprint'])
      .where('partnership_id', '=', partnershipId)
      .where('idempotency_key', '=', idempotency.key)
      .execute();
    if (earlier.some((e) => e.request_fingerprint !== idempotency.fingerprint)) return { conflict: true as const };
    if (earlier.length > 0) {
      await tx
        .updateTable('access_keys')
        .set({ revoked_at: now.toISOString(), revoked_reason: 'retried' })
        .where('partnership_id', '=', partnershipId)
        .where('idempotency_key', '=', idempotency.key)
        .where('revoked_at', 'is', null)
        .execute();
    }
    await tx.insertInto('access_keys').values(row).execute();
    return { key, id: keyIdOf(hashKey(key)), retried: earlier.length > 0 };
  });
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
  revokedReason: string | null;
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
    revokedReason: r.revoked_reason,
  }));
}

/** Revokes one key of a partnership; revoking it again changes nothing. Undefined when there is no such key. */
export async function revokeAccessKey(db: RegisterDb, partnershipId: string, keyId: string, now = new Date()): Promise<AccessKeyInfo | undefined> {
  const row = (await db.selectFrom('access_keys').select('key_hash').where('partnership_id', '=', partnershipId).execute()).find(
    (r) => keyIdOf(r.key_hash) === keyId,
  );
  if (!row) return undefined;
  await db
    .updateTable('access_keys')
    .set({ revoked_at: now.toISOString(), revoked_reason: 'coordinator' })
    .where('key_hash', '=', row.key_hash)
    .where('revoked_at', 'is', null)
    .execute();
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
