import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Arrival {
  /** When the message's DATA was complete here (epoch ms). */
  at: number;
  event: string;
  partnership: string;
}

/**
 * A real SMTP server on loopback that keeps, of each message, only when it arrived and the two
 * headers the sender adds (X-Entente-Event, X-Entente-Partnership): parsing whole messages would
 * cost the benchmark's own process more than the worker it measures.
 */
export class SmtpSink {
  readonly arrivals: Arrival[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData: (stream, _session, callback) => {
      let head = '';
      let done = false;
      stream.on('data', (chunk: Buffer) => {
        if (done) return;
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end >= 0) {
          head = head.slice(0, end);
          done = true;
        }
      });
      stream.on('end', () => {
        const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
        this.arrivals.push({ at: Date.now(), event: header('X-Entente-Event'), partnership: header('X-Entente-Partnership') });
        callback();
      });
    },
  });
  port = 0;

  async start(): Promise<this> {
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
