import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { LinkAction } from '../domain';
import type { ActionLinkTable, RegisterSchema } from './database';
import { hashKey as hashToken } from './access-keys';

const TOKEN = /^ens_[A-Za-z0-9_-]{43}$/;

/** A session opened with a link: the link's scope, for a few hours. The token is returned once. */
export async function issueSession(
  db: Kysely<RegisterSchema>,
  link: Selectable<ActionLinkTable>,
  now: Date,
  lifetimeMs: number,
): Promise<{ token: string; id: string; expiresAt: string }> {
  const token = `ens_${randomBytes(32).toString('base64url')}`;
  const tokenHash = hashToken(token);
  const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash,
      id: tokenHash.slice(0, 16),
      link_id: link.id,
      partnership_id: link.partnership_id,
      party_id: link.party_id,
      role: link.role,
      contact_hash: link.contact_hash,
      action: link.action,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
      revoked_reason: null,
    })
    .execute();
  return { token, id: tokenHash.slice(0, 16), expiresAt };
}

/** Who a live session belongs to, and the link it was opened with (the register's `means`). */
export interface SessionHolder {
  partnershipId: string;
  partyId: string;
  role: ActionLinkTable['role'];
  sessionId: string;
  linkId: string;
  expiresAt: string;
  action?: LinkAction;
}

/** The holder of a session that is neither expired nor revoked; undefined otherwise. */
export async function principalForSession(db: Kysely<RegisterSchema>, token: string, now: Date = new Date()): Promise<SessionHolder | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const row = await db.selectFrom('sessions').selectAll().where('token_hash', '=', hashToken(token)).where('revoked_at', 'is', null).executeTakeFirst();
  if (!row || Date.parse(row.expires_at) <= now.getTime()) return undefined;
  return {
    partnershipId: row.partnership_id,
    partyId: row.party_id,
    role: row.role,
    sessionId: row.id,
    linkId: row.link_id,
    expiresAt: row.expires_at,
    ...(row.action ? { action: JSON.parse(row.action) as LinkAction } : {}),
  };
}
