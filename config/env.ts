import { z } from 'zod';

/**
 * Every setting comes from the environment; the defaults are those of `npm start` on one
 * machine. Secrets (COORDINATOR_API_KEY, TEMPORAL_API_KEY) are never logged.
 */
const Env = z.object({
  TEMPORAL_ADDRESS: z.string().default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TASK_QUEUE: z.string().default('entente'),
  SMTP_URL: z.string().default('smtp://localhost:1025'),
  /**
   * Worker only: SMTP connections the worker keeps open and reuses across emails (a pool); more
   * emails than connections wait their turn. A relay that limits connections per client wants it small.
   */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(4),
  MAIL_FROM: z.string().default('Entente <entente@localhost>'),
  /** Times in emails are written in this zone (dates alone are not shifted). */
  MAIL_TIME_ZONE: z.string().default('America/Toronto'),
  DATABASE_URL: z.string().default('sqlite:./data/register.db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().optional(),
  COORDINATOR_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKER_METRICS_ADDRESS: z.string().optional(),
  /**
   * Worker only: partnerships kept in the worker's cache. Each costs about 0.3 MB; one evicted is
   * replayed from its (short, continued-as-new) history when it next has work.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(2000),
  /**
   * Worker only: days a personal link in an email works (each new email carries a fresh one).
   * A fraction is accepted, for demos and tests of expiry.
   */
  LINK_LIFETIME_DAYS: z.coerce.number().positive().max(365).default(30),
  /**
   * API only: Express's `trust proxy` behind a reverse proxy (`loopback`, a hop count such as `1`,
   * or addresses), so that limits per address see the client's address, not the proxy's. Unset:
   * the connection's own address.
   */
  TRUST_PROXY: z.string().max(200).optional(),
  /**
   * API only: `true` lets a council's iCalendar URL name a private or local address (an intranet);
   * by default only public addresses are fetched, so that a URL cannot make the API read its own network.
   */
  CALENDAR_URLS_MAY_BE_PRIVATE: z.enum(['true', 'false', ''], { message: 'must be "true", "false" or empty' }).optional(),
  /** API only: writes (POSTs) each API key may send a minute; requests without a key count by address. */
  WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /**
   * API only: seconds a stop (SIGINT, SIGTERM) waits for requests still open, then closes their
   * connections: a client that never finishes sending its body cannot hold the API up for ever.
   */
  API_STOP_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
  /**
   * `true` lifts the floors on start-request durations (domain/duration-floors.ts) for demos and
   * end-to-end tests that need seconds. Only the exact `true` does; `false` or empty is the
   * default, and any other value ("1", "yes") stops the API at start rather than being ignored.
   */
  ALLOW_SHORT_DURATIONS: z.enum(['true', 'false', ''], { message: 'must be "true", "false" or empty' }).optional(),
});
export type Env = z.infer<typeof Env>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    // Names only: values may be secrets.
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment: ${fields}`);
  }
  return parsed.data;
}

export const publicUrl = (env: Env): string => env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
