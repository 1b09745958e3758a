import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { Problem } from './problem';

interface Window {
  totalHits: number;
  /** Epoch milliseconds at which this key's count starts again from zero. */
  resetTime: number;
}

/**
 * Hits per key in a fixed window that starts at the key's first hit, as express-rate-limit's
 * MemoryStore counts them, but synchronous: every request passes through a limiter, and an
 * awaited store costs each of them a few turns of the microtask queue for a lookup in a Map.
 * Keys not seen for a whole window are dropped together once a window.
 */
export class WindowCounter {
  private previous = new Map<string, Window>();
  private current = new Map<string, Window>();

  constructor(
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    setInterval(() => {
      this.previous = this.current;
      this.current = new Map();
    }, windowMs).unref();
  }

  /** The key's window, unless it has none or it has ended. */
  get(key: string): Readonly<Window> | undefined {
    const window = this.current.get(key) ?? this.previous.get(key);
    return window && window.resetTime > this.now() ? window : undefined;
  }

  increment(key: string): Readonly<Window> {
    let window = this.current.get(key);
    if (!window) {
      window = this.previous.get(key) ?? { totalHits: 0, resetTime: this.now() + this.windowMs };
      this.previous.delete(key);
      this.current.set(key, window);
    }
    const now = this.now();
    if (window.resetTime <= now) {
      window.totalHits = 0;
      window.resetTime = now + this.windowMs;
    }
    window.totalHits++;
    return window;
  }
}

/**
 * A pure function of a string, remembered for the strings seen most: parsing an IPv6 address (and
 * a loopback or IPv4 client of a dual-stack server is one, `::ffff:127.0.0.1`) costs more than
 * the rest of a limiter together. Emptied when full, so that it stays bounded.
 */
export function remembered(fn: (key: string) => string, limit = 10_000): (key: string) => string {
  const seen = new Map<string, string>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      if (seen.size >= limit) seen.clear();
      seen.set(key, (value = fn(key)));
    }
    return value;
  };
}

/** The bucket of a source address: IPv4 as it is, IPv6 by its /56, as express-rate-limit keys them. */
export const sourceKey = remembered((ip) => ipKeyGenerator(ip));

/** The `pk` of a draft-8 RateLimit-Policy: a short digest of the bucket's key, never the key itself. */
const partitionKey = remembered((key) => Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64'));

const secondsUntil = (time: number): number => Math.max(0, Math.ceil((time - Date.now()) / 1000));

/**
 * Writes (POST) per key and minute, with the draft-8 RateLimit headers that express-rate-limit
 * sends (`RateLimit-Policy: "writes"; q=…; w=60; pk=:…:`, `RateLimit: "writes"; r=…; t=…`);
 * past the limit, Retry-After and a 429 naming the limit. Reads are not limited.
 */
export function writeLimit(writesPerMinute: number, keyOf: (req: Request) => string): RequestHandler {
  const windowMs = 60_000;
  const counter = new WindowCounter(windowMs);
  const policy = remembered((key) => `"writes"; q=${writesPerMinute}; w=${windowMs / 1000}; pk=:${partitionKey(key)}:`);
  return (req: Request, res, next) => {
    if (req.method === 'GET') return next();
    const key = keyOf(req);
    const { totalHits, resetTime } = counter.increment(key);
    const reset = secondsUntil(resetTime);
    res.setHeader('RateLimit', `"writes"; r=${Math.max(writesPerMinute - totalHits, 0)}; t=${reset}`);
    res.setHeader('RateLimit-Policy', policy(key));
    if (totalHits <= writesPerMinute) return next();
    res.setHeader('Retry-After', String(reset));
    const wait = Math.max(1, reset);
    next(new Problem(429, 'Too many writes', `This API key may send ${writesPerMinute} writes (POST) a minute; wait ${wait} s before sending more.`));
  };
}
