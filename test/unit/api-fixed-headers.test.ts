/**
 * fixedHeaders (api/app.ts): helmet's headers set in one pass.
 *
 * | case                                                   | expects                                            |
 * |--------------------------------------------------------|----------------------------------------------------|
 * | fixedHeaders(helmet(…)) against helmet(…)              | the same headers in the same order; not helmet     |
 * | a middleware that reads the request, or goes on later  | that middleware itself                             |
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { fixedHeaders } from '../../api/app';

async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('fixedHeaders', () => {
  test("sets helmet's headers, the same and in the same order, without running helmet per request", async () => {
    const policy = helmet({ referrerPolicy: { policy: 'no-referrer' } });
    const fixed = fixedHeaders(policy);
    expect(fixed).not.toBe(policy);
    const headersWith = async (middleware: RequestHandler) => {
      const app = express();
      app.use(middleware);
      app.get('/', (_req, res) => {
        res.send('ok');
      });
      const server = await listen(app);
      try {
        const res = await fetch(server.url);
        return [...res.headers].filter(([name]) => !['date', 'etag', 'connection', 'keep-alive'].includes(name));
      } finally {
        await server.close();
      }
    };
    const expected = await headersWith(policy);
    expect(expected.some(([name]) => name === 'content-security-policy')).toBe(true);
    expect(await headersWith(fixed)).toEqual(expected);
  });

  test('a middleware that reads the request, or does not go on at once, is kept as it is', () => {
    const reads: RequestHandler = (req, res, next) => {
      res.setHeader('Vary', req.get('origin') ?? 'none');
      next();
    };
    const later: RequestHandler = (_req, res, next) => {
      res.setHeader('X-Later', '1');
      setImmediate(next);
    };
    expect(fixedHeaders(reads)).toBe(reads);
    expect(fixedHeaders(later)).toBe(later);
  });
});
