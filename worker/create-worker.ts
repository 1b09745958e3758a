import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { createActivities } from '../activities';
import type { MailSettings } from '../activities/notifications/send';
import type { RegisterDb } from '../store/database';
import { workerIdentity } from '../workflows/messages';
import { PREBUILT_BUNDLE, bundleEntenteWorkflows } from './workflow-bundle';

export interface EntenteWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: RegisterDb;
  /** From createMailTransport; the caller closes it after the worker stops. */
  transport: Transporter;
  mail: MailSettings;
  /** Partnerships kept in the worker's cache; unset, the SDK derives it from the heap. */
  maxCachedWorkflows?: number;
  /** A bundle built by the caller (tests build one per suite). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * The payload codec (config/codec.ts), the same as every client's. It runs in the worker's
   * main thread, outside the workflow sandbox, so the prebuilt bundle needs nothing of it.
   */
  dataConverter?: DataConverter;
  /** The worker's identity: unset, the SDK's default and the features this code understands (a test stands in for an older worker). */
  identity?: string;
}

/** The bundle given, else the one built with this code, else the workflows bundled now (from sources). */
async function workflowCode(given: WorkerOptions['workflowBundle']): Promise<NonNullable<WorkerOptions['workflowBundle']>> {
  if (given) return given;
  if (existsSync(PREBUILT_BUNDLE)) return { codePath: PREBUILT_BUNDLE };
  return bundleEntenteWorkflows();
}

/** SMTP connections kept open and reused across emails, unless SMTP_MAX_CONNECTIONS says otherwise. */
export const DEFAULT_SMTP_MAX_CONNECTIONS = 4;

export interface MailTransportOptions {
  /** At most this many SMTP connections at once (SMTP_MAX_CONNECTIONS); 4 when unset. */
  maxConnections?: number;
}

/**
 * The SMTP transport of the activities, owned by the caller, who closes it once the worker has
 * stopped. Pooled: a few connections are reused across emails instead of one SMTP session (TCP,
 * greeting, EHLO, QUIT) per message, and bound how many sessions the worker opens at once.
 *
 * A connection the server ends (an outage, a restart, its idle timeout) leaves the pool, and a
 * message that found it dropped before a byte was sent goes out over a new one; a connection is
 * replaced after 100 messages and closed after 4 idle minutes (nodemailer's pool). A mail server
 * that hangs fails a connection within 5 to 10 s; a message waiting for a connection behind hung
 * ones is bounded by the activity (activities/notifications/send.ts gives up before its 20 s).
 */
export function createMailTransport(smtpUrl: string, options: MailTransportOptions = {}): Transporter {
  return nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: options.maxConnections ?? DEFAULT_SMTP_MAX_CONNECTIONS,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
}

export async function createEntenteWorker(options: EntenteWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // The SDK's default identity, and what this worker understands (the API reads it from the pollers).
    identity: options.identity ?? workerIdentity(`${process.pid}@${hostname()}`),
    workflowBundle: await workflowCode(options.workflowBundle),
    activities: createActivities({ db: options.db, transport: options.transport, mail: options.mail }),
    // Lets an email that is being sent finish before the process exits on SIGTERM.
    shutdownGraceTime: '20 seconds',
    // A worker that dies holding a partnership's sticky queue: its next task goes to another worker
    // (or the restarted one) after 3 s instead of 10 s.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  });
}
