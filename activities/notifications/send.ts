import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import { sha256Hex } from '../../domain/fingerprint';
import type { NotificationRequest, Recipient } from '../../domain';
import type { RegisterDb } from '../register/database';
import { renderNotification } from './render';

export interface MailSettings {
  from: string;
  /** The base of links in emails, e.g. the API's public address. */
  publicUrl: string;
  /** The domain part of Message-IDs. */
  messageIdDomain: string;
}

export interface SendResult {
  sent: number;
  alreadySent: number;
}

/** Per recipient, so the key never contains an address: the outbox holds no personal data. */
export const recipientKey = (eventKey: string, recipient: Recipient): string =>
  `${eventKey}:${sha256Hex(recipient.email.toLowerCase()).slice(0, 16)}`;

/**
 * Sends one message per recipient, each at most once: the outbox row is written before the
 * SMTP conversation and marked sent after it. A retry finds `sent` rows and skips them; a crash
 * between sending and marking resends with the same Message-ID, which receivers may deduplicate.
 */
export async function sendNotificationWith(
  db: RegisterDb,
  transport: Transporter,
  settings: MailSettings,
  request: NotificationRequest,
): Promise<SendResult> {
  const result: SendResult = { sent: 0, alreadySent: 0 };
  for (const recipient of request.recipients) {
    const key = recipientKey(request.key, recipient);
    const messageId = `<${sha256Hex(key).slice(0, 32)}@${settings.messageIdDomain}>`;
    const now = new Date().toISOString();
    await db
      .insertInto('outbox')
      .values({
        key,
        partnership_id: request.partnershipId,
        event: request.event,
        message_id: messageId,
        status: 'pending',
        attempts: 0,
        last_error: null,
        created_at: now,
        sent_at: null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await db.selectFrom('outbox').select(['status']).where('key', '=', key).executeTakeFirstOrThrow();
    if (row.status === 'sent') {
      result.alreadySent++;
      continue;
    }
    if (row.status === 'failed') {
      throw ApplicationFailure.nonRetryable(`message ${key} was permanently rejected earlier`, 'PermanentMailFailure');
    }
    const message = renderNotification(request.event, recipient.language, {
      ...request.data,
      link: `${settings.publicUrl}/partnerships/${encodeURIComponent(request.partnershipId)}`,
    });
    await db.updateTable('outbox').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('key', '=', key).execute();
    try {
      await transport.sendMail({
        from: settings.from,
        to: { name: recipient.name, address: recipient.email },
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId,
        headers: { 'X-Entente-Event': request.event, 'X-Entente-Partnership': request.partnershipId },
      });
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // Only the SMTP status goes into errors and rows: a server's reply may quote the address.
      const summary = code ? `SMTP ${code}` : `${(err as { code?: string }).code ?? 'send failed'}`;
      if (code !== undefined && code >= 500) {
        await db.updateTable('outbox').set({ status: 'failed', last_error: summary }).where('key', '=', key).execute();
        throw ApplicationFailure.nonRetryable(`message ${key} permanently rejected (${summary})`, 'PermanentMailFailure');
      }
      await db.updateTable('outbox').set({ last_error: summary }).where('key', '=', key).execute();
      throw ApplicationFailure.retryable(`message ${key} not sent yet (${summary})`, 'TemporaryMailFailure');
    }
    await db.updateTable('outbox').set({ status: 'sent', sent_at: new Date().toISOString(), last_error: null }).where('key', '=', key).execute();
    result.sent++;
  }
  return result;
}
