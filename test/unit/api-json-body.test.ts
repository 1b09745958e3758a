/**
 * api/json-body.ts: the JSON body parser of the API, against express.json, which it stands in for
 * on the request every client sends and hands every other request to.
 *
 * | case                                          | expects                                                       |
 * |-----------------------------------------------|---------------------------------------------------------------|
 * | the same requests to jsonBody and express.json | the same status, body or error type: an object, an array,   |
 * |                                               | white space, charset, a byte-order mark, malformed, a scalar, |
 * |                                               | blank, invalid UTF-8, gzip, chunked, oversize, at the limit,  |
 * |                                               | text/plain, latin1, +json                                     |
 * | malformed, oversize                           | entity.parse.failed; 413, as the problem handler maps them     |
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { jsonBody } from '../../api/json-body';

type Body = NonNullable<RequestInit['body']>;

async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An app that answers what the body parser made of the request, or the error it passed on. */
function echoApp(parser: RequestHandler): express.Express {
  const app = express();
  app.use(parser);
  app.post('/echo', (req, res) => {
    res.json({ body: req.body === undefined ? '(undefined)' : req.body });
  });
  app.use((err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err.status ?? 500).json({ error: err.type ?? 'unknown' });
  });
  return app;
}

describe('jsonBody', () => {
  const LIMIT = 256 * 1024;
  let fast: { url: string; close: () => Promise<void> };
  let reference: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    fast = await listen(echoApp(jsonBody(LIMIT)));
    reference = await listen(echoApp(express.json({ limit: LIMIT })));
  });
  afterAll(async () => {
    await fast.close();
    await reference.close();
  });

  const send = async (url: string, body: Body, headers: Record<string, string>) => {
    const res = await fetch(`${url}/echo`, { method: 'POST', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
    return { status: res.status, body: await res.json() };
  };

  const json = { 'content-type': 'application/json' };
  const cases: Array<[string, () => Body, Record<string, string>]> = [
    ['an object', () => JSON.stringify({ requestId: 'r-1', findings: 'Targets met. Économies: 12 %, 🌊' }), json],
    ['an array', () => '[1, 2, {"a": null}]', json],
    ['leading white space', () => ' \n\t{"a": 1}', json],
    ['charset=utf-8', () => '{"a": "é"}', { 'content-type': 'application/json; charset=utf-8' }],
    ['charset=UTF-8 without a space', () => '{"a": "é"}', { 'content-type': 'application/json;charset=UTF-8' }],
    ['a byte-order mark', () => new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('{"a": 1}')]), json],
    ['malformed JSON', () => '{"a": ', json],
    ['a bare string', () => '"text"', json],
    ['a number', () => '42', json],
    ['white space only', () => '   ', json],
    ['invalid UTF-8', () => new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), json],
    ['gzip', () => new Uint8Array(gzipSync(Buffer.from('{"zipped": true}'))), { ...json, 'content-encoding': 'gzip' }],
    [
      'chunked (no length)',
      () =>
        new ReadableStream({
          start(controller) {
            controller.enqueue(Buffer.from('{"chun'));
            controller.enqueue(Buffer.from('ked": 1}'));
            controller.close();
          },
        }),
      json,
    ],
    ['over the limit', () => JSON.stringify({ text: 'x'.repeat(LIMIT) }), json],
    ['exactly at the limit', () => JSON.stringify({ text: 'x'.repeat(LIMIT - 12) }), json],
    ['text/plain', () => '{"a": 1}', { 'content-type': 'text/plain' }],
    ['latin1', () => '{"a": 1}', { 'content-type': 'application/json; charset=latin1' }],
    ['+json', () => '{"a": 1}', { 'content-type': 'application/merge-patch+json' }],
  ];

  test.each(cases)('%s: as express.json answers', async (_name, body, headers) => {
    const expected = await send(reference.url, body(), headers);
    const actual = await send(fast.url, body(), headers);
    expect(actual).toEqual(expected);
  });

  test('the two tell a parsed body from a refused one as the problem handler reads them', async () => {
    expect((await send(fast.url, '{"a": ', json)).body).toEqual({ error: 'entity.parse.failed' });
    expect((await send(fast.url, JSON.stringify({ text: 'x'.repeat(LIMIT) }), json)).status).toBe(413);
  });
});
