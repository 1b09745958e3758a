/**
 * Personal action links and sessions: the store on SQLite and PostgreSQL (TEST_POSTGRES_URL), and
 * the domain's decisions about them (the action an email opens, the access a register row ends,
 * the means a command's row records).
 *
 * | case                                                   | expects                                                       |
 * |--------------------------------------------------------|---------------------------------------------------------------|
 * | a link issued                                          | `enl_` + 43 base64url characters; only its SHA-256 stored     |
 * | exchanged                                              | an `ens_` session with the link's scope and action; used_at   |
 * | exchanged twice (the email read again)                 | two sessions, used_at of the first use                        |
 * | forged, altered, malformed, a session given as a link  | refused: unknown                                              |
 * | past its lifetime                                      | refused: expired; a session past its 12 h is no principal     |
 * | revoked by contact, by party, by partnership           | only the matching links, sessions and keys; the reason given  |
 * | revoked scope                                          | no link issued into it; a contact assigned again is lifted    |
 * | a row whose revocation fails midway                    | neither the row nor the revocation; then both together        |
 * | the coordinator revokes one link                       | it and its sessions, nothing else; listed with the reason     |
 * | linkActionOf                                           | resolution, signature, feedback events; none for others       |
 * | commandEffects                                         | means from the actor; replaceContact, withdrawParty, abandon  |
 * |                                                        | plan the revocation; the same person under a new name: none   |
 */
import { contactHashOf, linkActionOf } from '../../domain/action-links';
import { COMMANDS } from '../../domain';
import { commandEffects } from '../../domain/lifecycle';
import { enterStage, initialState } from '../../domain/state';
import { openRegister, type RegisterDb } from '../../store/database';
import {
  actionLinksOf,
  appendDecision,
  decisionsOf,
  exchangeActionLink,
  hashKey,
  issueAccessKey,
  issueActionLink,
  principalForKey,
  principalForSession,
  revokeAccess,
  revokeActionLink,
  SESSION_LIFETIME_MS,
} from '../../store';
import { startRequest, withOak } from '../helpers/fixtures';
import { postgresBackend, sqliteBackend, type RegisterBackend } from '../helpers/register-backends';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const backends: Array<[string, () => Promise<RegisterBackend>]> = [['sqlite', sqliteBackend]];
if (POSTGRES_URL) backends.push(['postgres', () => postgresBackend(POSTGRES_URL)]);

const DAY = 86_400_000;
const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const rita = { partyId: 'riverside', role: 'clerk' as const, email: 'Rita.Clerk@riverside.example' };
const sam = { partyId: 'riverside', role: 'signatory' as const, email: 'sam@riverside.example' };
const lise = { partyId: 'maple', role: 'clerk' as const, email: 'lise@maple.example' };

describe.each(backends)('the store on %s', (_name, makeBackend) => {
  let backend: RegisterBackend;
  let db: RegisterDb;
  let sequence = 0;
  let partnershipId: string;

  beforeAll(async () => {
    backend = await makeBackend();
    db = await openRegister(backend.url);
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await backend?.dispose();
  });

  beforeEach(() => {
    partnershipId = `links-${++sequence}`;
  });

  const issue = (who: { partyId: string; role: 'clerk' | 'signatory' | 'champion'; email: string }, now = T0, lifetimeMs = 30 * DAY) =>
    issueActionLink(
      db,
      { partnershipId, ...who },
      {
        event: 'resolution-requested',
        notificationKey: `${partnershipId}:resolution-requested:${who.partyId}:${sequence}`,
        action: { command: 'recordResolution', prefill: { partyId: who.partyId, subject: 'participation' } },
        lifetimeMs,
        now,
      },
    ).then((issued) => {
      if (!issued) throw new Error('no link issued');
      return issued;
    });

  test('a link is 256 random bits behind a prefix; only its hash is stored', async () => {
    const link = await issue(rita);
    expect(link.token).toMatch(/^enl_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(link.token.slice(4), 'base64url')).toHaveLength(32);
    expect(link.expiresAt).toBe(at(30 * DAY).toISOString());
    const rows = await backend.raw('select * from action_links where partnership_id = ?', [partnershipId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(hashKey(link.token));
    expect(rows[0].contact_hash).toBe(contactHashOf('rita.clerk@riverside.example'));
    expect(JSON.stringify(rows)).not.toContain(link.token);
    expect(JSON.stringify(rows).toLowerCase()).not.toContain('rita.clerk@');
  });

  test('exchanged for a session with the link’s scope and action; opened again, another session', async () => {
    const link = await issue(rita);
    const first = await exchangeActionLink(db, link.token, at(DAY));
    expect(first).toMatchObject({
      ok: true,
      partnershipId,
      partyId: 'riverside',
      role: 'clerk',
      linkId: link.id,
      expiresAt: new Date(at(DAY).getTime() + SESSION_LIFETIME_MS).toISOString(),
      action: { command: 'recordResolution', prefill: { partyId: 'riverside', subject: 'participation' } },
    });
    if (!first.ok) throw new Error('refused');
    expect(first.session).toMatch(/^ens_[A-Za-z0-9_-]{43}$/);
    expect(await principalForSession(db, first.session, at(DAY))).toMatchObject({ partnershipId, partyId: 'riverside', role: 'clerk', linkId: link.id });

    const second = await exchangeActionLink(db, link.token, at(2 * DAY));
    expect(second.ok && second.session).not.toBe(first.session);
    const [info] = await actionLinksOf(db, partnershipId);
    expect(info).toMatchObject({ id: link.id, usedAt: at(DAY).toISOString(), revokedAt: null });
    const sessions = await backend.raw('select * from sessions where partnership_id = ?', [partnershipId]);
    expect(JSON.stringify(sessions)).not.toContain(first.session);
  });

  test('a forged, altered or malformed token is unknown; so is a session offered as a link', async () => {
    const link = await issue(rita);
    const last = link.token.at(-1) === 'A' ? 'B' : 'A';
    const refusals = await Promise.all(
      [
        `enl_${'A'.repeat(43)}`,
        link.token.slice(0, -1) + last,
        link.token.slice(0, -1),
        `${link.token}x`,
        '',
        'ent_whatever',
        link.token.replace('enl_', 'ens_'),
      ].map((t) => exchangeActionLink(db, t, at(DAY))),
    );
    for (const refusal of refusals) expect(refusal).toEqual({ ok: false, reason: 'unknown' });
    expect(await principalForSession(db, link.token, at(DAY))).toBeUndefined();
  });

  test('past its lifetime a link is refused as expired; a session past 12 h is no principal', async () => {
    const link = await issue(rita, T0, 2 * DAY);
    const opened = await exchangeActionLink(db, link.token, at(DAY));
    if (!opened.ok) throw new Error('refused');
    expect(await exchangeActionLink(db, link.token, at(2 * DAY))).toEqual({ ok: false, reason: 'expired', expiredAt: at(2 * DAY).toISOString() });
    expect(await principalForSession(db, opened.session, new Date(at(DAY).getTime() + SESSION_LIFETIME_MS - 1))).toBeDefined();
    expect(await principalForSession(db, opened.session, new Date(at(DAY).getTime() + SESSION_LIFETIME_MS))).toBeUndefined();
  });

  test('revoked by contact: that contact’s links, sessions and the party-role’s keys; nobody else’s', async () => {
    const [ritaLink, samLink, liseLink] = [await issue(rita), await issue(sam), await issue(lise)];
    const ritaSession = await exchangeActionLink(db, ritaLink.token, at(1));
    expect(ritaSession.ok).toBe(true);
    const ritaKey = await issueAccessKey(db, partnershipId, { role: 'clerk', partyId: 'riverside' });
    const samKey = await issueAccessKey(db, partnershipId, { role: 'signatory', partyId: 'riverside' });
    const count = await revokeAccess(
      db,
      { partnershipId, reason: 'contact-replaced', partyId: 'riverside', role: 'clerk', contactHash: contactHashOf(rita.email) },
      at(2),
    );
    expect(count).toEqual({ links: 1, sessions: 1, keys: 1 });
    expect(await exchangeActionLink(db, ritaLink.token, at(3))).toEqual({ ok: false, reason: 'revoked', revokedReason: 'contact-replaced' });
    expect(ritaSession.ok && (await principalForSession(db, ritaSession.session, at(3)))).toBeUndefined();
    expect(await principalForKey(db, ritaKey.key)).toBeUndefined();
    expect(await principalForKey(db, samKey.key)).toBeDefined();
    expect(await exchangeActionLink(db, samLink.token, at(3))).toMatchObject({ ok: true });
    expect(await exchangeActionLink(db, liseLink.token, at(3))).toMatchObject({ ok: true });

    // An email planned before the replacement and sent after it carries no link; the new clerk's does.
    const late = await issueActionLink(db, { partnershipId, ...rita }, { event: 'resolution-reminder', notificationKey: 'k', lifetimeMs: DAY });
    expect(late).toBeUndefined();
    expect(await issue({ ...rita, email: 'nora@riverside.example' })).toBeDefined();
  });

  test('a contact assigned again to the party-role gets links again', async () => {
    await revokeAccess(db, { partnershipId, reason: 'contact-replaced', partyId: 'riverside', role: 'clerk', contactHash: contactHashOf(rita.email) });
    await revokeAccess(db, {
      partnershipId,
      reason: 'contact-replaced',
      partyId: 'riverside',
      role: 'clerk',
      contactHash: contactHashOf('nora@riverside.example'),
      reinstatedContactHash: contactHashOf(rita.email),
    });
    expect(await issue(rita)).toBeDefined();
  });

  test('revoked by party: all of the party’s access; by partnership: everyone’s', async () => {
    const [ritaLink, samLink, liseLink] = [await issue(rita), await issue(sam), await issue(lise)];
    const liseKey = await issueAccessKey(db, partnershipId, { role: 'clerk', partyId: 'maple' });
    expect(await revokeAccess(db, { partnershipId, reason: 'party-withdrew', partyId: 'riverside' }, at(2))).toEqual({ links: 2, sessions: 0, keys: 0 });
    for (const link of [ritaLink, samLink]) {
      expect(await exchangeActionLink(db, link.token, at(3))).toEqual({ ok: false, reason: 'revoked', revokedReason: 'party-withdrew' });
    }
    const liseSession = await exchangeActionLink(db, liseLink.token, at(3));
    expect(liseSession.ok).toBe(true);

    expect(await revokeAccess(db, { partnershipId, reason: 'partnership-ended' }, at(3))).toEqual({ links: 1, sessions: 1, keys: 1 });
    expect(await exchangeActionLink(db, liseLink.token, at(3))).toEqual({ ok: false, reason: 'revoked', revokedReason: 'partnership-ended' });
    expect(liseSession.ok && (await principalForSession(db, liseSession.session, at(3)))).toBeUndefined();
    expect(await principalForKey(db, liseKey.key)).toBeUndefined();
    // The first reason stays with the links it revoked.
    const reasons = Object.fromEntries((await actionLinksOf(db, partnershipId)).map((l) => [l.id, l.revokedReason]));
    expect(reasons).toEqual({ [ritaLink.id]: 'party-withdrew', [samLink.id]: 'party-withdrew', [liseLink.id]: 'partnership-ended' });
  });

  test('a register row and the revocation it carries commit together, or not at all', async () => {
    const link = await issue(rita);
    const row = (n: number) => ({
      key: `${partnershipId}:command:contact-${n}`,
      partnershipId,
      kind: 'replaceContact',
      actor: 'coordinator',
      payload: { n },
      occurredAt: T0.toISOString(),
    });
    const scope = { partnershipId, reason: 'contact-replaced' as const, partyId: 'riverside', role: 'clerk' as const, contactHash: contactHashOf(rita.email) };
    const failed = await appendDecision(db, row(1), undefined, async (tx) => {
      await revokeAccess(tx, scope, at(2));
      throw new Error('the connection dropped');
    }).catch((err: Error) => err);
    expect(failed).toBeInstanceOf(Error);
    expect(await decisionsOf(db, partnershipId)).toEqual([]);
    expect(await exchangeActionLink(db, link.token, at(3))).toMatchObject({ ok: true });

    await appendDecision(db, row(2), undefined, (tx) => revokeAccess(tx, scope, at(4)));
    expect((await decisionsOf(db, partnershipId)).map((d) => d.key)).toEqual([row(2).key]);
    expect(await exchangeActionLink(db, link.token, at(5))).toEqual({ ok: false, reason: 'revoked', revokedReason: 'contact-replaced' });
  });

  test('the coordinator revokes one link: it and its sessions, nothing else', async () => {
    const [ritaLink, samLink] = [await issue(rita), await issue(sam)];
    const ritaSession = await exchangeActionLink(db, ritaLink.token, at(3));
    expect(ritaSession.ok).toBe(true);
    const revoked = await revokeActionLink(db, partnershipId, ritaLink.id, 'coordinator', at(3));
    expect(revoked).toMatchObject({ id: ritaLink.id, revokedReason: 'coordinator' });
    expect(await revokeActionLink(db, partnershipId, ritaLink.id, 'coordinator')).toEqual(revoked);
    expect(await revokeActionLink(db, 'another', ritaLink.id)).toBeUndefined();
    expect(await exchangeActionLink(db, ritaLink.token, at(3))).toEqual({ ok: false, reason: 'revoked', revokedReason: 'coordinator' });
    expect(ritaSession.ok && (await principalForSession(db, ritaSession.session, at(3)))).toBeUndefined();
    expect(await exchangeActionLink(db, samLink.token, at(3))).toMatchObject({ ok: true });
  });
});

describe('the action an email’s link opens', () => {
  test('resolution, signature and feedback emails open their command, prefilled; others open the partnership', () => {
    expect(linkActionOf('resolution-requested', { title: 'T', partyId: 'maple', subject: 'approval', draftVersion: 2, draftHash: 'h' })).toEqual({
      command: 'recordResolution',
      prefill: { partyId: 'maple', subject: 'approval', draftVersion: 2, draftHash: 'h' },
    });
    expect(linkActionOf('resolution-reminder', { partyId: 'maple', subject: 'participation', count: 2 })).toEqual({
      command: 'recordResolution',
      prefill: { partyId: 'maple', subject: 'participation' },
    });
    expect(linkActionOf('signature-reminder', { partyId: 'maple', draftVersion: 2, draftHash: 'h', count: 1 })).toEqual({
      command: 'sign',
      prefill: { partyId: 'maple', draftVersion: 2, draftHash: 'h' },
    });
    expect(linkActionOf('draft-open-for-feedback', { draftVersion: 3, closesAt: 'x' }, 'oak')).toEqual({
      command: 'submitFeedback',
      prefill: { partyId: 'oak', draftVersion: 3 },
    });
    expect(linkActionOf('consultation-closing', { draftVersion: 3 }, 'oak')?.command).toBe('submitFeedback');
    // Only what the recipient's role may send: the clerk records the resolution the champion is told of.
    expect(linkActionOf('resolution-requested', { partyId: 'maple', subject: 'participation' }, 'maple', 'clerk')?.command).toBe('recordResolution');
    expect(linkActionOf('resolution-requested', { partyId: 'maple', subject: 'participation' }, 'maple', 'champion')).toBeUndefined();
    expect(linkActionOf('draft-open-for-feedback', { draftVersion: 3 }, 'oak', 'signatory')).toBeUndefined();
    expect(linkActionOf('draft-open-for-feedback', { draftVersion: 3 }, 'oak', 'champion')?.command).toBe('submitFeedback');
    expect(linkActionOf('signed', { partyId: 'maple' })).toBeUndefined();
    expect(linkActionOf('contact-assigned', { partyId: 'maple', role: 'clerk' })).toBeUndefined();
  });
});

describe('the access a command ends, and the means it records', () => {
  const NOW = T0.getTime();
  const fresh = () => {
    const state = initialState('water', startRequest(), NOW);
    enterStage(state, 'commitment', NOW);
    return state;
  };

  test('replacing a clerk revokes the replaced clerk’s access and names the means', () => {
    const state = fresh();
    const replaced = state.parties.find((p) => p.id === 'riverside')!.contacts.clerk.email;
    const body = COMMANDS.replaceContact.schema.parse({
      requestId: 'contact-0001',
      partyId: 'riverside',
      role: 'clerk',
      contact: { name: 'Nora Clerk', email: 'Nora@Riverside.example' },
    });
    const effects = commandEffects(state, 'replaceContact', body, { role: 'champion', partyId: 'riverside', via: 'action-link', credentialId: 'abc123' }, NOW);
    expect(effects.records[0]).toMatchObject({
      means: 'action-link:abc123',
      revokeAccess: {
        reason: 'contact-replaced',
        partyId: 'riverside',
        role: 'clerk',
        contactHash: contactHashOf(replaced),
        reinstatedContactHash: contactHashOf('nora@riverside.example'),
      },
    });
  });

  test('the same person under another name keeps their access', () => {
    const state = fresh();
    const clerk = state.parties.find((p) => p.id === 'riverside')!.contacts.clerk;
    const body = COMMANDS.replaceContact.schema.parse({
      requestId: 'contact-0002',
      partyId: 'riverside',
      role: 'clerk',
      contact: { name: 'Renamed', email: clerk.email.toUpperCase() },
    });
    const effects = commandEffects(state, 'replaceContact', body, { role: 'coordinator', via: 'coordinator-key' }, NOW);
    expect(effects.records[0]!.revokeAccess).toBeUndefined();
    expect(effects.records[0]!.means).toBe('coordinator-key');
  });

  test('a party withdrawing before the agreement revokes at once; abandoning revokes everyone’s', () => {
    const state = initialState('water', withOak(), NOW);
    enterStage(state, 'groundwork', NOW);
    const withdraw = commandEffects(state, 'withdrawParty', { requestId: 'withdraw-0001', partyId: 'oak', reason: 'budget' }, { role: 'coordinator' }, NOW);
    expect(withdraw.records[0]!.revokeAccess).toEqual({ reason: 'party-withdrew', partyId: 'oak' });
    expect(withdraw.records[0]!.means).toBeUndefined();
    const abandon = commandEffects(state, 'abandon', { requestId: 'abandon-0001', reason: 'no funding' }, { role: 'coordinator', via: 'coordinator-key' }, NOW);
    expect(abandon.records[0]!.revokeAccess).toEqual({ reason: 'partnership-ended' });
  });
});
