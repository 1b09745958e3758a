import type { Transporter } from 'nodemailer';
import type { DecisionRequest, NotificationRequest } from '../domain';
import { sendNotificationWith, type MailSettings } from './notifications/send';
import type { RegisterDb } from '../store/database';
import { appendDecision } from '../store/decisions';

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
    async recordDecision(request: DecisionRequest) {
      const { row, duplicate } = await appendDecision(deps.db, request);
      return { seq: row.seq, hash: row.hash, duplicate };
    },
  };
}
