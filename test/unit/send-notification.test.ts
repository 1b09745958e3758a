/**
 * activities: sendNotification(s) and recordDecision as the worker runs them (createActivities),
 * against a real SMTP receiver on loopback, nodemailer and a temporary SQLite register.
 *
 * | case                                               | expects                                          |
 * |----------------------------------------------------|--------------------------------------------------|
 * | one event, two recipients                          | one message each, in each one's language; text   |
 * |                                                    | and html; Message-ID from the key; headers       |
 * | the same request sent twice (a retried activity)   | one message per recipient; alreadySent = 2       |
 * | SMTP down, then back                               | first call: retryable failure, nothing received; |
 * |                                                    | after the outage exactly one message             |
 * | 550 for every recipient                            | non-retryable; outbox failed; one register row   |
 * |                                                    | notification-failed; no address in row or error; |
 * |                                                    | a retry neither resends nor adds a row           |
 * | 550 for one of two recipients                      | the other still receives; non-retryable          |
 * | 450, then accepted                                 | retryable, then exactly one message              |
 * | a dated reminder (consultation closing)            | an all-day text/calendar attachment, UID from    |
 * |                                                    | the key, the same for every recipient and resend |
 * | an undated event                                   | no attachment                                    |
 * | a formal notice                                    | both languages in one message                    |
 * | a party contact's message                          | a personal link #/act/enl_… whose hash alone is  |
 * |                                                    | stored, with the email's action if their role    |
 * |                                                    | may take it; the coordinator                     |
 * |                                                    | gets #/p/<id>; no token in outbox or register    |
 * | a refused attempt, then a retry                    | the first link revoked (not-sent), a new one live |
 * | a contact whose access was revoked before sending  | the page's address, no link issued               |
 * | recordDecision twice                               | one row, the second says duplicate               |
 * | recordDecision with revokeAccess                   | the contact's links, sessions and keys revoked   |
 * |                                                    | with the row; a repeat revokes nothing more      |
 * | a batch of two emails (sendNotifications)          | each message once, in order; a retry sends none; |
 * |                                                    | a 550 for one is answered as rejected, not thrown |
 * |                                                    | (one register row); SMTP down: retryable, then   |
 * |                                                    | each once                                        |
 * | on PostgreSQL (TEST_POSTGRES_URL): a retried send, | one message; failed outbox row and one register  |
 * | then a 550                                         | row, as on SQLite                                |
 */
import { ApplicationFailure } from '@temporalio/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createActivities } from '../../activities';
import { calendarUid } from '../../activities/notifications/calendar';
import { failureDecisionKey, messageIdFor, recipientKey, type MailSettings } from '../../activities/notifications/send';
import { openRegister, type RegisterDb } from '../../store/database';
import { actionLinksOf, exchangeActionLink, hashKey, issueAccessKey, principalForKey, principalForSession, revokeAccess } from '../../store';
import { contactHashOf } from '../../domain/action-links';
import { decisionsOf, verifyChain } from '../../store/decisions';
import type { NotificationRequest, Recipient } from '../../domain/notifications';
import { postgresBackend, type RegisterBackend } from '../helpers/register-backends';
import { SmtpReceiver } from '../helpers/smtp';

const TITLE = 'Water services: Town of Riverside and Maple First Nation';
const MAIL: MailSettings = { from: 'Entente <entente@test.example>', publicUrl: 'http://entente.test', messageIdDomain: 'entente.test' };

const rita: Recipient = { name: 'Rita Champion', email: 'champion@riverside.example', language: 'en', role: 'champion', partyId: 'riverside' };
const lise: Recipient = { name: 'Lise Championne', email: 'championne@maple.example', language: 'fr', role: 'champion', partyId: 'maple' };

let dir: string;
let db: RegisterDb;
let smtp: SmtpReceiver;
let sequence = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entente-send-'));
  db = await openRegister(`sqlite:${join(dir, 'register.db')}`);
  smtp = await new SmtpReceiver().start();
});

afterAll(async () => {
  await smtp?.stop();
  await db?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  smtp.messages.length = 0;
  smtp.rejectWith = undefined;
  smtp.rejectAddress.clear();
});

function activitiesOn(port: number, register: RegisterDb = db) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5_000 });
  return createActivities({ db: register, transport, mail: MAIL });
}

/** A distinct partnership per test, so that keys and register rows never collide. */
function request(overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  sequence++;
  const partnershipId = `water-${sequence}`;
  return {
    key: `${partnershipId}:resolution-requested:participation:1`,
    partnershipId,
    event: 'resolution-requested',
    recipients: [rita, lise],
    data: { title: TITLE, partyName: 'Maple First Nation', subject: 'participation' },
    ...overrides,
  };
}

async function caught(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const outboxRows = (partnershipId: string) => db.selectFrom('outbox').selectAll().where('partnership_id', '=', partnershipId).orderBy('key').execute();

describe('sending', () => {
  test('each recipient gets one message in their own language, with text and html parts', async () => {
    const req = request();
    const result = await activitiesOn(smtp.port).sendNotification(req);
    expect(result).toEqual({ sent: 2, alreadySent: 0 });
    const [toRita] = smtp.to(rita.email);
    const [toLise] = smtp.to(lise.email);
    expect(toRita!.subject).toBe(`Resolution requested from Maple First Nation: ${TITLE}`);
    expect(toLise!.subject).toBe(`Résolution demandée à Maple First Nation : ${TITLE}`);
    expect(toRita!.text).toMatch(/http:\/\/entente\.test\/#\/act\/enl_[A-Za-z0-9_-]{43}/);
    expect(toRita!.html).toContain('<html lang="en">');
    expect(toLise!.html).toContain('<html lang="fr">');
    expect(toRita!.messageId).toBe(messageIdFor(recipientKey(req.key, rita), 'entente.test'));
    expect(toRita!.messageId).not.toBe(toLise!.messageId);
    expect(toRita!.event).toBe('resolution-requested');
    expect(toRita!.partnership).toBe(req.partnershipId);
    const rows = await outboxRows(req.partnershipId);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
    for (const row of rows) expect(JSON.stringify(row)).not.toMatch(/@(riverside|maple)\.example/);
  });

  test('a retried send leaves one message per recipient at the receiver', async () => {
    const req = request();
    const activities = activitiesOn(smtp.port);
    await activities.sendNotification(req);
    const again = await activities.sendNotification(req);
    expect(again).toEqual({ sent: 0, alreadySent: 2 });
    expect(smtp.to(rita.email)).toHaveLength(1);
    expect(smtp.to(lise.email)).toHaveLength(1);
    expect(smtp.messages).toHaveLength(2);
  });
});

describe('failures', () => {
  test('SMTP down for a while, then back: a retryable failure, then exactly one message', async () => {
    const port = await freePort();
    const activities = activitiesOn(port);
    const req = request({ recipients: [rita] });
    const failure = await caught(activities.sendNotification(req));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('TemporaryMailFailure');
    expect(failure.message).not.toContain(rita.email);
    const [pending] = await outboxRows(req.partnershipId);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending!.last_error).toBeTruthy();

    const late = await new SmtpReceiver().start(port);
    try {
      expect(await activities.sendNotification(req)).toEqual({ sent: 1, alreadySent: 0 });
      expect(await activities.sendNotification(req)).toEqual({ sent: 0, alreadySent: 1 });
      expect(late.messages).toHaveLength(1);
      expect(late.messages[0]!.to).toEqual([rita.email]);
      const [sent] = await outboxRows(req.partnershipId);
      expect(sent).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    } finally {
      await late.stop();
    }
  });

  test('a 550 rejection is final: no retry loop, the outbox says failed, the register has a row', async () => {
    smtp.rejectWith = 550;
    const activities = activitiesOn(smtp.port);
    const req = request({ recipients: [lise] });
    const failure = await caught(activities.sendNotification(req));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('PermanentMailFailure');
    expect(failure.message).toContain('SMTP 550');
    expect(`${failure.message} ${JSON.stringify(failure.details)}`).not.toContain(lise.email);

    const outboxKey = recipientKey(req.key, lise);
    const [row] = await outboxRows(req.partnershipId);
    expect(row).toMatchObject({ key: outboxKey, status: 'failed', attempts: 1, last_error: 'SMTP 550' });
    const decisions = await decisionsOf(db, req.partnershipId);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      key: failureDecisionKey(outboxKey),
      kind: 'notification-failed',
      actor: 'system',
      partyId: 'maple',
      payload: { event: 'resolution-requested', notificationKey: req.key, outboxKey, role: 'champion', error: 'SMTP 550' },
    });
    expect(JSON.stringify(decisions)).not.toContain(lise.email);

    // Temporal would not retry; a replayed workflow calling again must not resend or re-record.
    smtp.rejectWith = undefined;
    const again = await caught(activities.sendNotification(req));
    expect(again.nonRetryable).toBe(true);
    expect(smtp.messages).toHaveLength(0);
    expect((await outboxRows(req.partnershipId))[0]!.attempts).toBe(1);
    expect(await decisionsOf(db, req.partnershipId)).toHaveLength(1);
    expect((await verifyChain(db, req.partnershipId)).ok).toBe(true);
  });

  test('one rejected address does not hold back the other recipient', async () => {
    smtp.rejectAddress.set(rita.email, 550);
    const req = request();
    const failure = await caught(activitiesOn(smtp.port).sendNotification(req));
    expect(failure.nonRetryable).toBe(true);
    expect(smtp.to(lise.email)).toHaveLength(1);
    expect(smtp.to(rita.email)).toHaveLength(0);
    const statuses = Object.fromEntries((await outboxRows(req.partnershipId)).map((r) => [r.key, r.status]));
    expect(statuses).toEqual({ [recipientKey(req.key, rita)]: 'failed', [recipientKey(req.key, lise)]: 'sent' });
  });

  test('a 450 is temporary: retryable, then one message once the server accepts', async () => {
    smtp.rejectWith = 450;
    const activities = activitiesOn(smtp.port);
    const req = request({ recipients: [rita] });
    const failure = await caught(activities.sendNotification(req));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('SMTP 450');
    smtp.rejectWith = undefined;
    expect(await activities.sendNotification(req)).toEqual({ sent: 1, alreadySent: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(await decisionsOf(db, req.partnershipId)).toHaveLength(0);
  });
});

describe('a batch: the waiting emails of an outbox in one activity (sendNotifications)', () => {
  const sam: Recipient = { name: 'Sam Secrétaire', email: 'clerk@maple.example', language: 'fr', role: 'clerk', partyId: 'maple' };
  /** Two emails of one partnership, as a reminder round leaves them in its outbox. */
  function round(): [NotificationRequest, NotificationRequest] {
    const first = request({ recipients: [rita] });
    return [first, { ...first, key: `${first.partnershipId}:resolution-requested:participation:2`, recipients: [lise, sam] }];
  }

  test('every message of every email once, in order; a retried batch sends nothing again', async () => {
    const batch = round();
    const activities = activitiesOn(smtp.port);
    expect(await activities.sendNotifications(batch)).toEqual({ sent: 3, alreadySent: 0, rejected: [] });
    expect(smtp.messages.map((m) => m.to)).toEqual([[rita.email], [lise.email], [sam.email]]);
    expect(await activities.sendNotifications(batch)).toEqual({ sent: 0, alreadySent: 3, rejected: [] });
    expect(smtp.messages).toHaveLength(3);
    // The same rows as one activity an email would write: the two paths never send a message twice.
    expect(await activities.sendNotification(batch[1])).toEqual({ sent: 0, alreadySent: 2 });
  });

  test('a permanent refusal is part of the answer, not an error: the other emails are reported sent', async () => {
    smtp.rejectAddress.set(sam.email, 550);
    const batch = round();
    const result = await activitiesOn(smtp.port).sendNotifications(batch);
    expect(result).toEqual({ sent: 2, alreadySent: 0, rejected: [batch[1].key] });
    expect(smtp.to(lise.email)).toHaveLength(1);
    const decisions = await decisionsOf(db, batch[0].partnershipId);
    expect(decisions.map((d) => [d.kind, d.key])).toEqual([['notification-failed', failureDecisionKey(recipientKey(batch[1].key, sam))]]);
    expect(JSON.stringify(result)).not.toContain(sam.email);
  });

  test('SMTP down: retryable, nothing lost; once back, each message once', async () => {
    const port = await freePort();
    const activities = activitiesOn(port);
    const batch = round();
    const failure = await caught(activities.sendNotifications(batch));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('TemporaryMailFailure');
    expect(failure.message).toMatch(/^3 of 3 messages of 2 emails not sent yet/);
    expect(failure.message).not.toMatch(/@(riverside|maple)\.example/);
    const late = await new SmtpReceiver().start(port);
    try {
      expect(await activities.sendNotifications(batch)).toEqual({ sent: 3, alreadySent: 0, rejected: [] });
      expect(late.messages).toHaveLength(3);
    } finally {
      await late.stop();
    }
  });
});

describe('attachments and formal notices', () => {
  test('a dated reminder carries an all-day iCalendar entry whose UID comes from the key', async () => {
    const req = request({
      event: 'consultation-closing',
      data: { title: TITLE, draftVersion: 2, closesAt: '2025-04-01T12:00:00.000Z' },
    });
    req.key = `${req.partnershipId}:consultation-closing:2`;
    const activities = activitiesOn(smtp.port);
    await activities.sendNotification(req);
    const uid = calendarUid(req.key, 'entente.test');
    for (const message of smtp.messages) {
      expect(message.attachments).toHaveLength(1);
      const [ics] = message.attachments;
      expect(ics!.contentType).toBe('text/calendar');
      expect(ics!.filename).toBe('consultation-closing.ics');
      expect(ics!.content).toContain(`UID:${uid}`);
      expect(ics!.content).toContain('DTSTART;VALUE=DATE:20250401');
      expect(ics!.content).toContain('DTEND;VALUE=DATE:20250402');
      expect(ics!.content).toContain(`URL:http://entente.test/#/p/${req.partnershipId}`);
    }
    expect(smtp.to(rita.email)[0]!.attachments[0]!.content).toContain('SUMMARY:Feedback on the draft closes: Water services');
    expect(smtp.to(lise.email)[0]!.attachments[0]!.content).toContain('SUMMARY:Fin de la rétroaction sur l’ébauche: Water services');
    expect(smtp.to(rita.email)[0]!.text).toContain('April 1, 2025');
    expect(smtp.to(lise.email)[0]!.text).toContain('1er avril 2025');
  });

  test('an undated event has no attachment', async () => {
    await activitiesOn(smtp.port).sendNotification(request());
    expect(smtp.messages).toHaveLength(2);
    for (const message of smtp.messages) expect(message.attachments).toEqual([]);
  });

  test('a formal notice carries both languages whatever the recipient reads', async () => {
    const req = request({
      event: 'notice-received',
      recipients: [rita],
      data: { title: TITLE, partyName: 'Maple First Nation', reason: 'new regional service', endsOn: '2026-03-31', noticeDays: 90 },
    });
    await activitiesOn(smtp.port).sendNotification(req);
    const [message] = smtp.messages;
    expect(message!.subject).toBe(
      `Written notice of termination from Maple First Nation: ${TITLE} / Avis écrit de résiliation de Maple First Nation : ${TITLE}`,
    );
    expect(message!.text).toContain('The notice period is 90 days and ends on March 31, 2026');
    expect(message!.text).toContain('Le préavis est de 90 jours et prend fin le 31 mars 2026');
    expect(message!.text.indexOf('The notice period')).toBeLessThan(message!.text.indexOf('Le préavis'));
    expect(message!.attachments[0]!.content).toContain('DTSTART;VALUE=DATE:20260331');
  });
});

/** The token of the personal link in a message's text. */
const tokenIn = (text: string): string => /#\/act\/(enl_[A-Za-z0-9_-]{43})/.exec(text)![1]!;

describe('personal links', () => {
  test('a party contact gets their own link, open on the action; only its hash is stored', async () => {
    const coordinator: Recipient = { name: 'Cora Ordinator', email: 'cora@program.example', language: 'en', role: 'coordinator' };
    const carl: Recipient = { name: 'Carl Clerk', email: 'clerk@riverside.example', language: 'en', role: 'clerk', partyId: 'riverside' };
    const req = request({ recipients: [carl, rita, coordinator], data: { title: TITLE, partyId: 'riverside', subject: 'participation' } });
    await activitiesOn(smtp.port).sendNotification(req);
    const token = tokenIn(smtp.to(carl.email)[0]!.text);
    expect(smtp.to(coordinator.email)[0]!.text).toContain(`http://entente.test/#/p/${req.partnershipId}`);
    expect(smtp.to(coordinator.email)[0]!.text).not.toContain('#/act/');

    const links = await actionLinksOf(db, req.partnershipId);
    expect(links).toHaveLength(2);
    const link = links.find((l) => l.role === 'clerk');
    expect(link).toMatchObject({ partyId: 'riverside', event: 'resolution-requested', usedAt: null, revokedAt: null });
    expect(Date.parse(link!.expiresAt) - Date.parse(link!.createdAt)).toBe(30 * 86_400_000);
    const stored = await db.selectFrom('action_links').selectAll().where('partnership_id', '=', req.partnershipId).where('id', '=', link!.id).execute();
    expect(stored.map((r) => r.token_hash)).toEqual([hashKey(token)]);
    expect(stored[0]!.contact_hash).toBe(contactHashOf(carl.email));

    const exchanged = await exchangeActionLink(db, token);
    expect(exchanged).toMatchObject({
      ok: true,
      partnershipId: req.partnershipId,
      partyId: 'riverside',
      role: 'clerk',
      action: { command: 'recordResolution', prefill: { partyId: 'riverside', subject: 'participation' } },
    });
    // The champion is told, and the link opens the partnership: recording it is the clerk's.
    const championLink = await exchangeActionLink(db, tokenIn(smtp.to(rita.email)[0]!.text));
    expect(championLink).toMatchObject({ ok: true, role: 'champion' });
    expect(championLink.ok && championLink.action).toBeUndefined();
    const everything = JSON.stringify([
      await outboxRows(req.partnershipId),
      await decisionsOf(db, req.partnershipId),
      await db.selectFrom('action_links').selectAll().execute(),
      await db.selectFrom('sessions').selectAll().execute(),
    ]);
    expect(everything).not.toContain(token);
  });

  test('a refused attempt’s link is revoked; the retry sends a fresh one that works', async () => {
    smtp.rejectWith = 450;
    const activities = activitiesOn(smtp.port);
    const req = request({ recipients: [rita] });
    await caught(activities.sendNotification(req));
    smtp.rejectWith = undefined;
    await activities.sendNotification(req);
    const links = await actionLinksOf(db, req.partnershipId);
    expect(links.map((l) => l.revokedReason)).toEqual(['not-sent', null]);
    expect(await exchangeActionLink(db, tokenIn(smtp.to(rita.email)[0]!.text))).toMatchObject({ ok: true });
  });

  test('a contact whose access was taken away before the email left gets the page, not a link', async () => {
    const req = request({ recipients: [rita] });
    await revokeAccess(db, { partnershipId: req.partnershipId, partyId: 'riverside', reason: 'party-withdrew' });
    await activitiesOn(smtp.port).sendNotification(req);
    expect(smtp.to(rita.email)[0]!.text).toContain(`http://entente.test/#/p/${req.partnershipId}`);
    expect(smtp.to(rita.email)[0]!.text).not.toContain('#/act/');
    expect(await actionLinksOf(db, req.partnershipId)).toEqual([]);
  });
});

describe('recordDecision', () => {
  test('a repeated recordDecision leaves one row', async () => {
    const activities = activitiesOn(smtp.port);
    const decision = {
      key: 'water-rd:cmd:req-00000001',
      partnershipId: 'water-rd',
      kind: 'resolution-recorded',
      actor: 'clerk:maple',
      partyId: 'maple',
      payload: { resolutionNumber: '2025-042' },
      occurredAt: '2025-02-10T00:00:00.000Z',
    };
    const first = await activities.recordDecision(decision);
    const second = await activities.recordDecision(decision);
    expect(first).toMatchObject({ seq: 1, duplicate: false });
    expect(second).toEqual({ ...first, duplicate: true });
    expect(await decisionsOf(db, 'water-rd')).toHaveLength(1);
  });

  test('a row that revokes access does it in its transaction, once', async () => {
    const activities = activitiesOn(smtp.port);
    const req = request({ recipients: [rita, lise] });
    await activities.sendNotification(req);
    const ritaSession = await exchangeActionLink(db, tokenIn(smtp.to(rita.email)[0]!.text));
    const liseSession = await exchangeActionLink(db, tokenIn(smtp.to(lise.email)[0]!.text));
    const ritaKey = await issueAccessKey(db, req.partnershipId, { role: 'champion', partyId: 'riverside' });
    if (!ritaSession.ok || !liseSession.ok) throw new Error('links refused');

    const decision = {
      key: `${req.partnershipId}:command:contact-01`,
      partnershipId: req.partnershipId,
      kind: 'replaceContact',
      actor: 'coordinator',
      partyId: 'riverside',
      payload: { role: 'champion' },
      occurredAt: '2025-02-10T00:00:00.000Z',
      means: 'coordinator-key',
      revokeAccess: { reason: 'contact-replaced' as const, partyId: 'riverside', role: 'champion' as const, contactHash: contactHashOf(rita.email) },
    };
    await activities.recordDecision(decision);
    expect(await principalForSession(db, ritaSession.session)).toBeUndefined();
    expect(await principalForKey(db, ritaKey.key)).toBeUndefined();
    expect(await principalForSession(db, liseSession.session)).toMatchObject({ partyId: 'maple' });
    const [row] = await decisionsOf(db, req.partnershipId);
    expect(row).toMatchObject({ kind: 'replaceContact', means: 'coordinator-key' });
    expect((await verifyChain(db, req.partnershipId)).ok).toBe(true);

    // A repeat of the row (a retried activity) finds it and revokes nothing issued since.
    const later = await issueAccessKey(db, req.partnershipId, { role: 'champion', partyId: 'riverside' });
    expect((await activities.recordDecision(decision)).duplicate).toBe(true);
    expect(await principalForKey(db, later.key)).toMatchObject({ partyId: 'riverside' });
  });
});

// register.test.ts fails under CI=true when the URL is missing; here the same absence only means
// the outbox is checked on SQLite alone.
const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
if (POSTGRES_URL)
  describe('the outbox on PostgreSQL', () => {
    let backend: RegisterBackend;
    let pg: RegisterDb;

    beforeAll(async () => {
      backend = await postgresBackend(POSTGRES_URL!);
      pg = await openRegister(backend.url);
    }, 60_000);

    afterAll(async () => {
      await pg?.destroy();
      await backend?.dispose();
    });

    test('a retried send leaves one message, and a 550 leaves a failed row and one register row', async () => {
      const activities = activitiesOn(smtp.port, pg);
      const req = request({ recipients: [rita] });
      await activities.sendNotification(req);
      expect(await activities.sendNotification(req)).toEqual({ sent: 0, alreadySent: 1 });
      expect(smtp.messages).toHaveLength(1);

      smtp.rejectWith = 550;
      const rejected = request({ recipients: [lise] });
      const failure = await caught(activities.sendNotification(rejected));
      expect(failure.nonRetryable).toBe(true);
      await caught(activities.sendNotification(rejected));
      const rows = await backend.raw('select status, attempts from outbox where partnership_id = ?', [rejected.partnershipId]);
      expect(rows).toEqual([{ status: 'failed', attempts: 1 }]);
      const decisions = await decisionsOf(pg, rejected.partnershipId);
      expect(decisions.map((d) => d.kind)).toEqual(['notification-failed']);
    });
  });
