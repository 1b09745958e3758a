import { simpleParser, type ParsedMail } from 'mailparser';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eventually } from './polling';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  event: string;
  partnership: string;
  attachments: Array<{ filename: string; contentType: string; content: string }>;
}

/**
 * A real SMTP server on loopback that keeps what it receives; `reject` makes it answer 5xx or 4xx;
 * `cut` and `restart` make it go down (connections refused) and come back on the same port.
 */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  /** When set, every RCPT is answered with this code. */
  rejectWith: number | undefined;
  /** Per address (lower case): answer RCPT for that address with this code. */
  readonly rejectAddress = new Map<string, number>();
  private server: SMTPServer;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor() {
    this.server = this.create();
  }

  /** A closed SMTPServer answers 421 to everything even if it listens again: each start after a cut gets a new one. */
  private create(): SMTPServer {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const code = this.rejectAddress.get(address.address.toLowerCase()) ?? this.rejectWith;
        if (code) {
          // Quotes the address, as real servers do: the sender must not copy it into its errors.
          const err = Object.assign(new Error(`<${address.address}>: refused by the test receiver`), { responseCode: code });
          return callback(err);
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail: ParsedMail) => {
            const to = ([] as Array<{ value: Array<{ address?: string }> }>)
              .concat((mail.to as never) ?? [])
              .flatMap((a) => a.value.map((v) => v.address ?? ''));
            this.messages.push({
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              event: String(mail.headers.get('x-entente-event') ?? ''),
              partnership: String(mail.headers.get('x-entente-partnership') ?? ''),
              attachments: mail.attachments.map((a) => ({
                filename: a.filename ?? '',
                contentType: a.contentType,
                content: a.content.toString('utf8'),
              })),
            });
            callback();
          })
          .catch(callback);
      },
    });
    // A sender that dies in the middle of a message (a worker killed with SIGKILL) resets the
    // connection: the partial message is discarded, as a real server would, and not reported.
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  /** On `port` when given: a test can point a sender at a port before anything listens there. */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  /** Polls in real time: the worker sends asynchronously after the server's clock moves. */
  async waitFor(predicate: (messages: ReceivedMail[]) => boolean, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    return eventually(
      async () => (predicate(this.messages) ? this.messages : undefined),
      () => `mail; received: ${this.messages.map((m) => `${m.event}→${m.to.join(',')}`).join(' | ')}`,
      timeoutMs,
      50,
    );
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * An outage: the listener closes and every open session is dropped at once, so that a sender
   * finds the port refusing connections (ECONNREFUSED) until `restart`.
   */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Back after `cut`, on the same port (so the sender's SMTP_URL still points here), with what it had received. */
  async restart(): Promise<this> {
    if (this.port === 0) throw new Error('the SMTP receiver was never started');
    this.server = this.create();
    return this.start(this.port);
  }

  /** Whether a TCP connection to the port is accepted now (`open`) or refused (`refused`). */
  async probe(): Promise<'open' | 'refused'> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('open');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve('refused') : reject(err)));
    });
  }
}
