/**
 * api/server-timing.ts, the Server-Timing of a command's answer, read back by the benchmark's
 * `serverTimingOf` (bench/services.ts), over a real HTTP server on loopback.
 *
 * | app                              | handler                                  | header read back                          |
 * |----------------------------------|------------------------------------------|-------------------------------------------|
 * | `receivedAt` first               | 3 ms of work, then an update of 5 ms     | api ≥ 3 ms and below the whole request; temporal 5.00 |
 * | without `receivedAt`             | the same                                 | temporal alone                            |
 * | (the parser alone)               | several metrics, params, spaces, none    | each named duration; {} for no header     |
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { receivedAt, setCommandTiming } from '../../api/server-timing';
import { serverTimingOf } from '../../bench/services';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

async function serve(withReceivedAt: boolean): Promise<{ server: Server; url: string }> {
  const app = express();
  if (withReceivedAt) app.use(receivedAt);
  app.post('/command', (_req, res) => {
    busy(3);
    const sentAt = performance.now();
    setCommandTiming(res, sentAt, sentAt + 5);
    res.json({ ok: true });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/command` };
}

test("the API's own time and the update's, as a client reads them", async () => {
  const { server, url } = await serve(true);
  try {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST' });
    const took = performance.now() - t0;
    const header = res.headers.get('server-timing');
    expect(header).toMatch(/^api;dur=\d+\.\d{2};desc="before the update", temporal;dur=5\.00;desc="the update"$/);
    const timing = serverTimingOf(header ?? undefined);
    expect(timing.temporal).toBe(5);
    expect(timing.api).toBeGreaterThanOrEqual(3);
    expect(timing.api).toBeLessThan(took);
  } finally {
    server.close();
  }
});

test('without the arrival noted, the update alone', async () => {
  const { server, url } = await serve(false);
  try {
    const res = await fetch(url, { method: 'POST' });
    expect(serverTimingOf(res.headers.get('server-timing') ?? undefined)).toEqual({ temporal: 5 });
  } finally {
    server.close();
  }
});

test('the parser takes every named duration and nothing else', () => {
  expect(serverTimingOf('db;dur=53, app;dur=47.2;desc="x", cache;desc="hit",miss ;dur=0.5')).toEqual({ db: 53, app: 47.2, miss: 0.5 });
  expect(serverTimingOf(undefined)).toEqual({});
  expect(serverTimingOf('')).toEqual({});
});
