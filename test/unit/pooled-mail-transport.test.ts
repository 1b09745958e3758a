/**
 * The worker's pooled SMTP transport (createMailTransport) under the sendNotification activity, as
 * the worker runs it (createActivities), against real SMTP servers on loopback that count the
 * connections they accept, and a temporary SQLite register.
 *
 * | case                                                    | expects                                        |
 * |---------------------------------------------------------|------------------------------------------------|
 * | 6 events × 3 recipients at once, then 6 more one by one | 36 messages over at most 4 connections; the    |
 * |                                                         | transport closed, the server holds none        |
 * | the server stopped with the pool's connections open,    | the next emails are delivered at once over a   |
 * | restarted on the same port                              | new connection: no stale pooled socket         |
 * | the server down while an email is sent, then back       | a retryable failure, then the retry delivers   |
 * |                                                         | each message once                              |
 * | a server that accepts and never greets, 3 emails queued | each attempt gives up within 90% of its        |
 * | on one connection                                       | start-to-close, not 5 s per queued message     |
 * | an activity cancelled while its message waits on a hung | it ends at once; once the server answers, the  |
 * | connection                                              | next email goes out: the pool is not held      |
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createActivities } from '../../activities';
import type { MailSettings } from '../../activities/notifications/send';
import type { NotificationRequest, Recipient } from '../../domain/notifications';
import { openRegister, type RegisterDb } from '../../store/database';
import { silentLogger } from '../helpers/polling';
import { DEFAULT_SMTP_MAX_CONNECTIONS, createMailTransport } from '../../worker/create-worker';

const MAIL: MailSettings = { from: 'Entente <entente@test.example>', publicUrl: 'http://entente.test', messageIdDomain: 'entente.test' };
const COORDINATORS: Recipient[] = ['ana', 'ben', 'cleo'].map((name) => ({ name, email: `${name}@coordination.example`, language: 'en', role: 'coordinator' }));

/**
 * A real SMTP server on loopback that counts the connections it accepts and keeps the Message-ID
 * of what it receives; `stop` drops every session and refuses connections until `start` again.
 */
class CountingSmtpServer {
  connections = 0;
  readonly messageIds: string[] = [];
  readonly open = new Set<Socket>();
  port = 0;
  private server: SMTPServer | undefined;

  async start(): Promise<this> {
    // A closed SMTPServer answers 421 even if it listens again: each start gets a new one.
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, callback) => {
        this.connections++;
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.messageIds.push(mail.messageId ?? '');
            callback();
          })
          .catch(callback);
      },
    });
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      this.open.add(socket);
      socket.on('close', () => this.open.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
    for (const socket of this.open) socket.destroy();
    await closed;
  }
}

/**
 * In front of an SMTP server: while `hung`, it accepts connections and never says a word (a mail
 * server that hangs before its greeting); otherwise it passes them through.
 */
class HangingFront {
  hung = true;
  port = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => {
      this.track(client);
      if (this.hung) return;
      const upstream = this.track(connect(this.targetPort, '127.0.0.1'));
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

let dir: string;
let db: RegisterDb;
let sequence = 0;
const transports: Transporter[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entente-pool-'));
  db = await openRegister(`sqlite:${join(dir, 'register.db')}`);
});

afterAll(async () => {
  await db?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function pooledActivities(url: string, maxConnections?: number) {
  const transport = createMailTransport(url, maxConnections === undefined ? {} : { maxConnections });
  transports.push(transport);
  return { transport, activities: createActivities({ db, transport, mail: MAIL }) };
}

/** A distinct event each time, so that outbox keys never collide. */
function request(recipients: Recipient[] = COORDINATORS): NotificationRequest {
  sequence++;
  const partnershipId = `pool-${sequence}`;
  return {
    key: `${partnershipId}:resolution-requested:participation:1`,
    partnershipId,
    event: 'resolution-requested',
    recipients,
    data: { title: `Partnership ${sequence}`, partyName: 'Riverside', subject: 'participation' },
  };
}

/** An activity attempt as the worker runs it, with its start-to-close timeout and cancellation. */
const attemptOf = (startToCloseTimeoutMs: number) => new MockActivityEnvironment({ startToCloseTimeoutMs }, { logger: silentLogger });

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the pooled SMTP transport', () => {
  let smtp: CountingSmtpServer;

  beforeEach(async () => {
    smtp = await new CountingSmtpServer().start();
  });

  afterEach(async () => {
    for (const transport of transports.splice(0)) transport.close();
    await smtp.stop();
  });

  it('sends many emails over at most its few connections, and closes them when closed', async () => {
    const { transport, activities } = pooledActivities(smtp.url);

    const together = await Promise.all(Array.from({ length: 6 }, () => activities.sendNotification(request())));
    for (let i = 0; i < 6; i++) await activities.sendNotification(request());

    expect(together.every((result) => result.sent === 3)).toBe(true);
    expect(new Set(smtp.messageIds).size).toBe(36);
    expect(smtp.connections).toBeGreaterThanOrEqual(1);
    expect(smtp.connections).toBeLessThanOrEqual(DEFAULT_SMTP_MAX_CONNECTIONS);
    expect(smtp.open.size).toBe(smtp.connections); // kept open for the next emails

    transport.close();
    await until(() => smtp.open.size === 0, 5_000);
  });

  it('delivers after the server is stopped and restarted: no stale pooled connection', async () => {
    const { activities } = pooledActivities(smtp.url);
    await Promise.all([activities.sendNotification(request()), activities.sendNotification(request())]);
    const before = smtp.connections;
    expect(smtp.open.size).toBeGreaterThan(0);

    await smtp.stop(); // every pooled connection is dropped by the server
    await smtp.start(); // the same port
    const results = await Promise.all([activities.sendNotification(request()), activities.sendNotification(request())]);

    expect(results).toEqual([
      { sent: 3, alreadySent: 0 },
      { sent: 3, alreadySent: 0 },
    ]);
    expect(new Set(smtp.messageIds).size).toBe(12);
    expect(smtp.connections).toBeGreaterThan(before);
  });

  it('fails as retryable while the server is down, and the retry delivers each message once when it is back', async () => {
    const { activities } = pooledActivities(smtp.url);
    await activities.sendNotification(request());
    const during = request();

    await smtp.stop();
    const failure = await failureOf(activities.sendNotification(during));
    await smtp.start();
    const retried = await activities.sendNotification(during);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    expect(retried).toEqual({ sent: 3, alreadySent: 0 });
    expect(smtp.messageIds).toHaveLength(6);
    expect(new Set(smtp.messageIds).size).toBe(6);
  });
});

describe('the pooled SMTP transport with a server that hangs', () => {
  let smtp: CountingSmtpServer;
  let front: HangingFront;

  beforeEach(async () => {
    smtp = await new CountingSmtpServer().start();
    front = await new HangingFront(smtp.port).start();
  });

  afterEach(async () => {
    for (const transport of transports.splice(0)) transport.close();
    await front.stop();
    await smtp.stop();
  });

  it('gives up each queued message within 90% of the attempt, not after 5 s per message ahead of it', async () => {
    const { activities } = pooledActivities(front.url, 1);
    const started = Date.now();

    const attempts = [1, 2, 3].map(async () => {
      const attempt = attemptOf(3_000);
      const failure = await failureOf(attempt.run(activities.sendNotification, request(COORDINATORS.slice(0, 1))));
      return { failure, afterMs: Date.now() - started };
    });
    const outcomes = await Promise.all(attempts);

    for (const { failure, afterMs } of outcomes) {
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).message).toContain('EABORT');
      expect(afterMs).toBeLessThan(4_000); // greetingTimeout alone: 5, 10 and 15 s
    }
    expect(smtp.messageIds).toHaveLength(0);
  });

  it('lets a cancelled activity go at once and keeps the pool free for the next email', async () => {
    const { activities } = pooledActivities(front.url, 1);
    const attempt = attemptOf(20_000);
    const started = Date.now();
    const running = failureOf(attempt.run(activities.sendNotification, request(COORDINATORS.slice(0, 1))));

    await new Promise((resolve) => setTimeout(resolve, 300));
    attempt.cancel();
    const failure = await running;
    const endedAfterMs = Date.now() - started;

    front.hung = false;
    const next = attemptOf(20_000);
    const sentAt = Date.now();
    const result = await next.run(activities.sendNotification, request());

    expect(failure).toBeDefined();
    expect(endedAfterMs).toBeLessThan(1_500);
    expect(result).toEqual({ sent: 3, alreadySent: 0 });
    expect(Date.now() - sentAt).toBeLessThan(2_000); // not behind the hung connection's 5 s
    expect(smtp.messageIds).toHaveLength(3);
  });
});
