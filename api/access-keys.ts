import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { RegisterDb } from '../activities/register/database';
import { PartyId, singleLine } from '../domain';
import type { Principal } from './auth';

export const IssueAccessKey = z.strictObject({
  role: z.enum(['clerk', 'signatory', 'champion']),
  partyId: PartyId,
  /** Whose key it is, as the coordinator wants to recognise it later; no address needed. */
  label: singleLine(200).optional(),
});
export type IssueAccessKey = z.infer<typeof IssueAccessKey>;

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new key for one party contact of one partnership; the plain key is returned once, never stored. */
export async function issueAccessKey(db: RegisterDb, partnershipId: string, request: IssueAccessKey): Promise<string> {
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
  return key;
}

export async function principalForKey(db: RegisterDb, key: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('access_keys')
    .select(['partnership_id', 'role', 'party_id'])
    .where('key_hash', '=', hashKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { role: row.role, partyId: row.party_id, partnershipId: row.partnership_id } : undefined;
}
