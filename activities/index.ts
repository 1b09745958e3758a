import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { DecisionRequest, NotificationRequest } from '../domain';
import type { AgreementInputData } from '../domain/agreement';
import { AgreementInputError, renderAgreement, type RenderedAgreement } from './documents/render-agreement';
import { sendNotificationWith, type MailSettings } from './notifications/send';
import type { RegisterDb } from './register/database';
import { appendDecision } from './register/register';

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
    /** Pure; an activity because the template engine has no place in the workflow sandbox (the API can import renderAgreement directly). */
    async renderAgreement(input: AgreementInputData): Promise<RenderedAgreement> {
      try {
        return renderAgreement(input);
      } catch (err) {
        // Retrying the same input gives the same refusal.
        if (err instanceof AgreementInputError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidAgreementInput', err.issues);
        throw err;
      }
    },
  };
}
