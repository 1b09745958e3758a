import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import { sha256Hex } from '../../domain/fingerprint';
import { linkActionOf } from '../../domain/action-links';
import type { NotificationRequest, Recipient } from '../../domain';
import { issueActionLink, revokeActionLink } from '../../store/action-links';
import type { Kysely } from 'kysely';
import type { RegisterDb, RegisterSchema } from '../../store/database';
import { appendDecision } from '../../store/decisions';
import { DAY } from '../../domain/time';
import { calendarFor } from './calendar';
import { renderNotification } from './render';
import { partnershipPageUrl } from '../../domain/action-links';

export interface MailSettings {
  from: string;
  /** The base of links in emails, e.g. the API's public address. */
  publicUrl: string;
  /** The domain part of Message-IDs and calendar UIDs. */
  messageIdDomain: string;
  /** Where date-times in emails and calendar files are shown as days; UTC when unset. */
  timeZone?: string;
  /** How long the personal link in an email to a party contact works; 30 days when unset. */
  linkLifetimeDays?: number;
}

export const DEFAULT_LINK_LIFETIME_DAYS = 30;

const PARTY_CONTACT_ROLES = ['clerk', 'signatory', 'champion'] as const;
type PartyContactRole = (typeof PARTY_CONTACT_ROLES)[number];

const isPartyContact = (recipient: Recipient): recipient is Recipient & { partyId: string; role: PartyContactRole } =>
  recipient.partyId !== undefined && (PARTY_CONTACT_ROLES as readonly string[]).includes(recipient.role);

export interface SendResult {
  sent: number;
  alreadySent: number;
}

/** Per recipient, so the key never contains an address: the outbox holds no personal data. */
export const recipientKey = (eventKey: string, recipient: Recipient): string => `${eventKey}:${sha256Hex(recipient.email.toLowerCase()).slice(0, 16)}`;

export const messageIdFor = (key: string, domain: string): string => `<${sha256Hex(key).slice(0, 32)}@${domain}>`;

/** The register row of a permanent rejection; derived from the outbox key, so it is written once. */
export const failureDecisionKey = (outboxKey: string): string => `${outboxKey}:notification-failed`;

type Outcome = { status: 'sent' | 'already-sent' } | { status: 'permanent' | 'temporary'; summary: string };

/** The share of an attempt's start-to-close timeout its messages may take before it gives up (18 s of 20 s). */
const SMTP_SHARE_OF_ATTEMPT = 0.9;

/**
 * Aborts the attempt's SMTP work when the activity is cancelled (the worker shutting down) or
 * shortly before its start-to-close timeout. Over the pooled transport a message can wait for a
 * connection behind others, a wait no socket timeout bounds; aborted, it leaves the pool's queue
 * (or the connection carrying it is closed) rather than going out after the attempt was given up,
 * and the pool goes on with the next. Undefined when called outside an activity.
 */
function attemptSignal(): AbortSignal | undefined {
  const context = asyncLocalStorage.getStore();
  if (!context) return undefined;
  const budgetMs = context.info.startToCloseTimeoutMs * SMTP_SHARE_OF_ATTEMPT;
  return budgetMs > 0 ? AbortSignal.any([context.cancellationSignal, AbortSignal.timeout(budgetMs)]) : context.cancellationSignal;
}

/**
 * Sends one message per recipient, each at most once: the outbox row is written before the
 * SMTP conversation and marked sent after it. A retry finds `sent` rows and skips them; a crash
 * between sending and marking resends with the same Message-ID, which receivers may deduplicate.
 *
 * Every recipient is tried before the activity fails, so that one bad address does not hold back
 * the others. Any temporary failure makes the whole attempt retryable (the retry skips what was
 * sent and what was permanently refused); otherwise a permanent refusal (SMTP 5xx) is final: the
 * outbox row says `failed`, the register gets a `notification-failed` row, and the failure is
 * non-retryable so Temporal does not loop on it.
 */
export async function sendNotificationWith(db: RegisterDb, transport: Transporter, settings: MailSettings, request: NotificationRequest): Promise<SendResult> {
  const attempt = await attemptAll(db, transport, settings, [request]);
  throwIfTemporary(attempt, request.key);
  if (attempt.failures.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `${attempt.failures.length} of ${attempt.messages} messages of ${request.key} permanently rejected (${attempt.failures[0]!.summary})`,
      'PermanentMailFailure',
      { failed: attempt.failures.map((f) => f.key), sent: attempt.result.sent, alreadySent: attempt.result.alreadySent },
    );
  }
  return attempt.result;
}

export interface BatchResult extends SendResult {
  /** The emails (outbox keys) of which a message was permanently refused, in the batch's order. */
  rejected: string[];
}

/**
 * The emails waiting in a partnership's outbox, in order, in one activity: a reminder round's
 * emails go out together instead of each waiting for the one before it to be reported to the
 * server. Each message is sent at most once, as `sendNotificationWith` sends it. A temporary
 * failure retries the whole batch, which skips what was sent; a permanent refusal is not an
 * error here but part of the answer (`rejected`), so that the others are reported sent.
 */
export async function sendNotificationsWith(
  db: RegisterDb,
  transport: Transporter,
  settings: MailSettings,
  requests: NotificationRequest[],
): Promise<BatchResult> {
  const attempt = await attemptAll(db, transport, settings, requests);
  throwIfTemporary(attempt, requests.length === 1 ? requests[0]!.key : `${requests.length} emails`);
  const rejected = requests.filter((r) => attempt.failures.some((f) => f.request === r.key)).map((r) => r.key);
  return { ...attempt.result, rejected };
}

interface Attempt {
  result: SendResult;
  messages: number;
  failures: Array<{ request: string; key: string; status: 'permanent' | 'temporary'; summary: string }>;
}

async function attemptAll(db: RegisterDb, transport: Transporter, settings: MailSettings, requests: NotificationRequest[]): Promise<Attempt> {
  const attempt: Attempt = { result: { sent: 0, alreadySent: 0 }, messages: 0, failures: [] };
  const signal = attemptSignal();
  for (const request of requests) {
    for (const recipient of request.recipients) {
      attempt.messages++;
      const key = recipientKey(request.key, recipient);
      // Given up (cancelled, or out of time): the rest wait for the retry, untouched.
      const outcome: Outcome = signal?.aborted
        ? { status: 'temporary', summary: 'EABORT' }
        : await sendOnce(db, transport, settings, request, recipient, key, signal);
      if (outcome.status === 'permanent' || outcome.status === 'temporary') attempt.failures.push({ request: request.key, key, ...outcome });
      else if (outcome.status === 'sent') attempt.result.sent++;
      else attempt.result.alreadySent++;
    }
  }
  return attempt;
}

function throwIfTemporary(attempt: Attempt, what: string): void {
  const temporary = attempt.failures.filter((f) => f.status === 'temporary');
  if (temporary.length > 0) {
    throw ApplicationFailure.retryable(
      `${temporary.length} of ${attempt.messages} messages of ${what} not sent yet (${temporary[0]!.summary})`,
      'TemporaryMailFailure',
    );
  }
}

async function sendOnce(
  db: RegisterDb,
  transport: Transporter,
  settings: MailSettings,
  request: NotificationRequest,
  recipient: Recipient,
  key: string,
  signal: AbortSignal | undefined,
): Promise<Outcome> {
  const messageId = messageIdFor(key, settings.messageIdDomain);
  // The row, the personal link and the attempt in one commit: one sync of the register before
  // the SMTP conversation rather than three.
  const { row, personal } = await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('outbox')
      .values({
        key,
        partnership_id: request.partnershipId,
        event: request.event,
        message_id: messageId,
        status: 'pending',
        attempts: 0,
        last_error: null,
        created_at: new Date().toISOString(),
        sent_at: null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await tx.selectFrom('outbox').select(['status', 'created_at', 'last_error']).where('key', '=', key).executeTakeFirstOrThrow();
    if (row.status !== 'pending') return { row, personal: undefined };
    const personal = await personalLink(tx, settings, request, recipient, key);
    await tx
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('key', '=', key)
      .execute();
    return { row, personal };
  });
  if (row.status === 'sent') return { status: 'already-sent' };
  if (row.status === 'failed') {
    // A crash after marking the row but before the register row would otherwise lose the record.
    await recordFailure(db, request, recipient, key, row.last_error ?? 'rejected');
    return { status: 'permanent', summary: row.last_error ?? 'rejected' };
  }

  const page = partnershipPageUrl(settings.publicUrl, request.partnershipId);
  const link = personal?.url ?? page;
  const options = settings.timeZone ? { timeZone: settings.timeZone } : {};
  const message = renderNotification(request.event, recipient.language, { ...request.data, link }, options);
  const calendar = calendarFor(request, recipient.language, {
    uidDomain: settings.messageIdDomain,
    // A calendar entry is copied and shared where an email is not: it carries the page, not the personal link.
    link: page,
    stampedAt: new Date(row.created_at),
    ...options,
  });
  try {
    await transport.sendMail({
      from: settings.from,
      to: { name: recipient.name, address: recipient.email },
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId,
      headers: { 'X-Entente-Event': request.event, 'X-Entente-Partnership': request.partnershipId },
      ...(calendar ? { attachments: [calendar] } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    // Only the SMTP status goes into errors and rows: a server's reply may quote the address.
    const summary = code ? `SMTP ${code}` : `${(err as { code?: string }).code ?? 'send failed'}`;
    // The server refused the message, so nobody holds this attempt's link (a retry sends
    // another); after a lost connection the message may have arrived, and the link stays.
    if (personal && code !== undefined) await revokeActionLink(db, request.partnershipId, personal.id, 'not-sent');
    if (code !== undefined && code >= 500) {
      await db.updateTable('outbox').set({ status: 'failed', last_error: summary }).where('key', '=', key).execute();
      await recordFailure(db, request, recipient, key, summary);
      return { status: 'permanent', summary };
    }
    await db.updateTable('outbox').set({ last_error: summary }).where('key', '=', key).execute();
    return { status: 'temporary', summary };
  }
  await db.updateTable('outbox').set({ status: 'sent', sent_at: new Date().toISOString(), last_error: null }).where('key', '=', key).execute();
  return { status: 'sent' };
}

/**
 * A party contact's own link to the page, signed in as them and open on what the email asks
 * for; a fresh one per attempt, since the token is never stored to send again. Undefined for the
 * coordinator, and for a contact whose access was taken away meanwhile.
 */
async function personalLink(
  db: Kysely<RegisterSchema>,
  settings: MailSettings,
  request: NotificationRequest,
  recipient: Recipient,
  outboxKey: string,
): Promise<{ url: string; id: string } | undefined> {
  if (!isPartyContact(recipient)) return undefined;
  const action = linkActionOf(request.event, request.data, recipient.partyId, recipient.role);
  const issued = await issueActionLink(
    db,
    { partnershipId: request.partnershipId, partyId: recipient.partyId, role: recipient.role, email: recipient.email },
    {
      event: request.event,
      notificationKey: outboxKey,
      ...(action ? { action } : {}),
      lifetimeMs: (settings.linkLifetimeDays ?? DEFAULT_LINK_LIFETIME_DAYS) * DAY,
    },
  );
  return issued && { url: `${settings.publicUrl}/#/act/${issued.token}`, id: issued.id };
}

/** The register is the minute book: a notice nobody received is a fact worth keeping. */
async function recordFailure(db: RegisterDb, request: NotificationRequest, recipient: Recipient, outboxKey: string, summary: string) {
  await appendDecision(db, {
    key: failureDecisionKey(outboxKey),
    partnershipId: request.partnershipId,
    kind: 'notification-failed',
    actor: 'system',
    ...(recipient.partyId ? { partyId: recipient.partyId } : {}),
    payload: { event: request.event, notificationKey: request.key, outboxKey, role: recipient.role, error: summary },
    occurredAt: new Date().toISOString(),
  });
}
