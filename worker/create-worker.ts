import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { createActivities } from '../activities';
import type { MailSettings } from '../activities/notifications/send';
import type { RegisterDb } from '../activities/register/database';

export interface EntenteWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: RegisterDb;
  smtpUrl: string;
  mail: MailSettings;
  /** A prebuilt bundle (tests build one per suite); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createEntenteWorker(options: EntenteWorkerOptions): Promise<Worker> {
  const transport = nodemailer.createTransport(options.smtpUrl);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ db: options.db, transport, mail: options.mail }),
    // Lets an email that is being sent finish before the process exits on SIGTERM.
    shutdownGraceTime: '20 seconds',
  });
}
