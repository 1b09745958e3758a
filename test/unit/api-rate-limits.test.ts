/**
 * api/rate-limits.ts: the write limit and the window counter of both limits, against
 * express-rate-limit, whose headers and counting they keep.
 *
 * | case                                      | expects                                                                  |
 * |-------------------------------------------|--------------------------------------------------------------------------|
 * | writeLimit and express-rate-limit, keys a a b a b b, limit 2 | the same status, RateLimit, RateLimit-Policy and Retry-After; |
 * |                                           | the 429's detail names the limit; a GET is not counted                   |
 * | WindowCounter                             | counts per key; a window ends windowMs after its first hit               |
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import rateLimit from 'express-rate-limit';
import { WindowCounter, writeLimit } from '../../api/rate-limits';

async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('writeLimit', () => {
  const keyOf = (req: Request) => `key:${req.get('x-key') ?? 'none'}`;

  /** Both limiters on one app each; the headers of their answers to the same requests. */
  async function exchange(limit: number, keys: string[]) {
    const build = (limiter: RequestHandler) => {
      const app = express();
      app.use(limiter);
      app.all('/write', (_req, res) => {
        res.json({ ok: true });
      });
      app.use((err: { status?: number; detail?: string }, _req: Request, res: Response, _next: NextFunction) => {
        res.status(err.status ?? 500).json({ detail: err.detail });
      });
      return app;
    };
    const ours = await listen(build(writeLimit(limit, keyOf)));
    const theirs = await listen(
      build(
        rateLimit({
          windowMs: 60_000,
          limit,
          skip: (req) => req.method === 'GET',
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          identifier: 'writes',
          keyGenerator: keyOf,
          handler: (_req, res) => {
            res.status(429).json({});
          },
        }),
      ),
    );
    const answers: Array<{ ours: Record<string, string | null>; theirs: Record<string, string | null>; body: unknown }> = [];
    const headersOf = (res: globalThis.Response) =>
      Object.fromEntries(['ratelimit', 'ratelimit-policy', 'retry-after'].map((h) => [h, res.headers.get(h)])) as Record<string, string | null>;
    try {
      for (const key of keys) {
        const [a, b] = await Promise.all([ours, theirs].map((s) => fetch(`${s.url}/write`, { method: 'POST', headers: { 'x-key': key } })));
        answers.push({ ours: { status: String(a!.status), ...headersOf(a!) }, theirs: { status: String(b!.status), ...headersOf(b!) }, body: await a!.json() });
        await b!.arrayBuffer();
      }
      const read = await fetch(`${ours.url}/write`, { headers: { 'x-key': 'a' } });
      expect(read.status).toBe(200);
      expect(read.headers.get('ratelimit')).toBeNull();
    } finally {
      await ours.close();
      await theirs.close();
    }
    return answers;
  }

  test("the headers and the 429 are express-rate-limit's, per key", async () => {
    const answers = await exchange(2, ['a', 'a', 'b', 'a', 'b', 'b']);
    for (const { ours, theirs } of answers) expect(ours).toEqual(theirs);
    expect(answers.map((a) => a.ours.status)).toEqual(['200', '200', '200', '429', '200', '429']);
    expect(answers[0]!.ours['ratelimit-policy']).toMatch(/^"writes"; q=2; w=60; pk=:[^:]+:$/);
    expect(answers[3]!.ours['ratelimit']).toMatch(/^"writes"; r=0; t=\d+$/);
    expect(Number(answers[3]!.ours['retry-after'])).toBeGreaterThan(0);
    expect((answers[3]!.body as { detail: string }).detail).toMatch(/^This API key may send 2 writes \(POST\) a minute; wait \d+ s before sending more\.$/);
  });
});

describe('WindowCounter', () => {
  test('counts per key in a window that starts at its first hit, and forgets ended windows', () => {
    let clock = 1_000;
    const counter = new WindowCounter(60_000, () => clock);
    expect(counter.get('a')).toBeUndefined();
    expect(counter.increment('a')).toEqual({ totalHits: 1, resetTime: 61_000 });
    clock += 30_000;
    expect(counter.increment('a').totalHits).toBe(2);
    expect(counter.increment('b')).toEqual({ totalHits: 1, resetTime: 91_000 });
    expect(counter.get('a')).toEqual({ totalHits: 2, resetTime: 61_000 });
    clock = 61_000;
    expect(counter.get('a')).toBeUndefined();
    expect(counter.increment('a')).toEqual({ totalHits: 1, resetTime: 121_000 });
    expect(counter.get('b')?.totalHits).toBe(1);
  });
});
