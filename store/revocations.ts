import type { Kysely } from 'kysely';
import type { AccessRevocation } from '../domain';
import type { RegisterSchema } from './database';

export interface RevocationScope extends AccessRevocation {
  partnershipId: string;
}

export interface RevocationCount {
  links: number;
  sessions: number;
  keys: number;
}

/**
 * Takes access away from a scope: its action links, the sessions opened with them, and the party
 * keys of its party-role (keys name no contact, so a replaced contact's party-role loses all of
 * them; the coordinator issues the new contact's). The scope is remembered, so that no link is
 * issued into it later. Run it in the transaction of the register row that decided it.
 */
export async function revokeAccess(db: Kysely<RegisterSchema>, scope: RevocationScope, now: Date = new Date()): Promise<RevocationCount> {
  const at = now.toISOString();
  const revoked = { revoked_at: at, revoked_reason: scope.reason };
  let links = db.updateTable('action_links').set(revoked).where('partnership_id', '=', scope.partnershipId).where('revoked_at', 'is', null);
  let sessions = db.updateTable('sessions').set(revoked).where('partnership_id', '=', scope.partnershipId).where('revoked_at', 'is', null);
  let keys = db.updateTable('access_keys').set(revoked).where('partnership_id', '=', scope.partnershipId).where('revoked_at', 'is', null);
  if (scope.partyId !== undefined) {
    links = links.where('party_id', '=', scope.partyId);
    sessions = sessions.where('party_id', '=', scope.partyId);
    keys = keys.where('party_id', '=', scope.partyId);
  }
  if (scope.role !== undefined) {
    links = links.where('role', '=', scope.role);
    sessions = sessions.where('role', '=', scope.role);
    keys = keys.where('role', '=', scope.role);
  }
  if (scope.contactHash !== undefined) {
    links = links.where('contact_hash', '=', scope.contactHash);
    sessions = sessions.where('contact_hash', '=', scope.contactHash);
  }
  const [l, s, k] = [await links.executeTakeFirst(), await sessions.executeTakeFirst(), await keys.executeTakeFirst()];
  if (scope.reinstatedContactHash !== undefined && scope.partyId !== undefined && scope.role !== undefined) {
    await db
      .updateTable('access_revocations')
      .set({ lifted_at: at })
      .where('partnership_id', '=', scope.partnershipId)
      .where('party_id', '=', scope.partyId)
      .where('role', '=', scope.role)
      .where('contact_hash', '=', scope.reinstatedContactHash)
      .where('lifted_at', 'is', null)
      .execute();
  }
  await db
    .insertInto('access_revocations')
    .values({
      partnership_id: scope.partnershipId,
      party_id: scope.partyId ?? null,
      role: scope.role ?? null,
      contact_hash: scope.contactHash ?? null,
      reason: scope.reason,
      revoked_at: at,
      lifted_at: null,
    })
    .execute();
  return { links: Number(l.numUpdatedRows), sessions: Number(s.numUpdatedRows), keys: Number(k.numUpdatedRows) };
}
