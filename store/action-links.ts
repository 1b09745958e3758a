import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { contactHashOf } from '../domain/action-links';
import type { LinkAction, RevocationReason } from '../domain';
import type { ActionLinkTable, RegisterDb, RegisterSchema } from './database';
import { hashKey as hashToken } from './access-keys';
import { issueSession } from './sessions';

export type ContactRole = ActionLinkTable['role'];

/** `enl_` and 32 random bytes, base64url: 256 bits nobody can guess. */
const TOKEN = /^enl_[A-Za-z0-9_-]{43}$/;

/** A link is named by a prefix of its token's hash, from which the token cannot be recovered. */
const linkIdOf = (tokenHash: string): string => tokenHash.slice(0, 16);

export interface LinkRecipient {
  partnershipId: string;
  partyId: string;
  role: ContactRole;
  email: string;
}

export interface IssueLinkOptions {
  /** The email's event and its outbox key. */
  event: string;
  notificationKey: string;
  action?: LinkAction;
  lifetimeMs: number;
  now?: Date;
}

/**
 * A new link for one contact; the token is returned once and only its hash is stored. Undefined
 * when the contact's access was taken away (a replaced contact, a withdrawn party, an ended
 * partnership): an email planned before that and sent after it carries no working link.
 */
export async function issueActionLink(
  db: Kysely<RegisterSchema>,
  recipient: LinkRecipient,
  options: IssueLinkOptions,
): Promise<{ token: string; id: string; expiresAt: string } | undefined> {
  const contactHash = contactHashOf(recipient.email);
  if (await isRevoked(db, recipient, contactHash)) return undefined;
  const token = `enl_${randomBytes(32).toString('base64url')}`;
  const tokenHash = hashToken(token);
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + options.lifetimeMs).toISOString();
  await db
    .insertInto('action_links')
    .values({
      id: linkIdOf(tokenHash),
      token_hash: tokenHash,
      partnership_id: recipient.partnershipId,
      party_id: recipient.partyId,
      role: recipient.role,
      contact_hash: contactHash,
      event: options.event,
      notification_key: options.notificationKey,
      action: options.action ? JSON.stringify(options.action) : null,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
      revoked_at: null,
      revoked_reason: null,
    })
    .execute();
  return { token, id: linkIdOf(tokenHash), expiresAt };
}

async function isRevoked(db: Kysely<RegisterSchema>, scope: LinkRecipient, contactHash: string): Promise<boolean> {
  const rows = await db
    .selectFrom('access_revocations')
    .select(['party_id', 'role', 'contact_hash'])
    .where('partnership_id', '=', scope.partnershipId)
    .where('lifted_at', 'is', null)
    .execute();
  return rows.some(
    (r) =>
      (r.party_id === null || r.party_id === scope.partyId) &&
      (r.role === null || r.role === scope.role) &&
      (r.contact_hash === null || r.contact_hash === contactHash),
  );
}

/** Why a token opens nothing: unknown (forged, altered, mistyped), expired, or revoked and why. */
export type LinkRefusal = { reason: 'unknown' } | { reason: 'expired'; expiredAt: string } | { reason: 'revoked'; revokedReason: RevocationReason };

export interface ExchangedLink {
  session: string;
  expiresAt: string;
  partnershipId: string;
  partyId: string;
  role: ContactRole;
  linkId: string;
  action?: LinkAction;
}

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * Exchanges a link's token for a session. A link may be opened again until it expires (the same
 * email read twice); the first use is remembered.
 */
export async function exchangeActionLink(
  db: RegisterDb,
  token: string,
  now: Date = new Date(),
): Promise<({ ok: true } & ExchangedLink) | ({ ok: false } & LinkRefusal)> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  return db.transaction().execute(async (tx) => {
    const link = await tx.selectFrom('action_links').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!link) return { ok: false, reason: 'unknown' } as const;
    if (link.revoked_at !== null) return { ok: false, reason: 'revoked', revokedReason: (link.revoked_reason ?? 'coordinator') as RevocationReason } as const;
    if (Date.parse(link.expires_at) <= now.getTime()) return { ok: false, reason: 'expired', expiredAt: link.expires_at } as const;
    await tx.updateTable('action_links').set({ used_at: now.toISOString() }).where('id', '=', link.id).where('used_at', 'is', null).execute();
    const session = await issueSession(tx, link, now, SESSION_LIFETIME_MS);
    return {
      ok: true,
      session: session.token,
      expiresAt: session.expiresAt,
      partnershipId: link.partnership_id,
      partyId: link.party_id,
      role: link.role,
      linkId: link.id,
      ...(link.action ? { action: JSON.parse(link.action) as LinkAction } : {}),
    } as const;
  });
}

/** What the coordinator sees of a link: never the token, never the address. */
export interface ActionLinkInfo {
  id: string;
  partyId: string;
  role: ContactRole;
  event: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
}

const infoOf = (r: Selectable<ActionLinkTable>): ActionLinkInfo => ({
  id: r.id,
  partyId: r.party_id,
  role: r.role,
  event: r.event,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  revokedAt: r.revoked_at,
  revokedReason: r.revoked_reason,
});

export async function actionLinksOf(db: RegisterDb, partnershipId: string): Promise<ActionLinkInfo[]> {
  const rows = await db.selectFrom('action_links').selectAll().where('partnership_id', '=', partnershipId).orderBy('created_at').orderBy('id').execute();
  return rows.map(infoOf);
}

/**
 * Revokes one link of a partnership and the sessions opened with it; revoking it again changes
 * nothing (the first reason stays). Undefined when there is no such link.
 */
export async function revokeActionLink(
  db: Kysely<RegisterSchema>,
  partnershipId: string,
  linkId: string,
  reason: RevocationReason = 'coordinator',
  now: Date = new Date(),
): Promise<ActionLinkInfo | undefined> {
  const at = now.toISOString();
  await db
    .updateTable('action_links')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('partnership_id', '=', partnershipId)
    .where('id', '=', linkId)
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('sessions')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('partnership_id', '=', partnershipId)
    .where('link_id', '=', linkId)
    .where('revoked_at', 'is', null)
    .execute();
  const row = await db.selectFrom('action_links').selectAll().where('partnership_id', '=', partnershipId).where('id', '=', linkId).executeTakeFirst();
  return row ? infoOf(row) : undefined;
}
