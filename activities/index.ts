import type { Transporter } from 'nodemailer';
import type { DecisionRequest, NotificationRequest } from '../domain';
import { sendNotificationWith, sendNotificationsWith, type MailSettings } from './notifications/send';
import type { RegisterDb } from '../store/database';
import { appendDecision } from '../store/decisions';
import { revokeAccess } from '../store/revocations';

export interface ActivityDeps {
  db: RegisterDb;
  transport: Transporter;
  mail: MailSettings;
}

/** The side effects of the lifecycle; the workflow proxies them by type only. */
export function createActivities(deps: ActivityDeps) {
  return {
    async sendNotification(request: NotificationRequest) {
      return sendNotificationWith(deps.db, deps.transport, deps.mail, request);
    },
    /** The outbox's waiting emails in one go (runs of generation 8 on); `sendNotification` stays for older runs. */
    async sendNotifications(requests: NotificationRequest[]) {
      return sendNotificationsWith(deps.db, deps.transport, deps.mail, requests);
    },
    /** The row, and the access it ends, in one transaction: a retry finds the row and does neither again. */
    async recordDecision(request: DecisionRequest) {
      const revocation = request.revokeAccess;
      const { row, duplicate } = await appendDecision(
        deps.db,
        request,
        undefined,
        revocation ? (tx) => revokeAccess(tx, { ...revocation, partnershipId: request.partnershipId }) : undefined,
      );
      return { seq: row.seq, hash: row.hash, duplicate };
    },
  };
}
