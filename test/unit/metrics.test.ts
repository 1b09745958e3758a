/**
 * api/metrics.ts: the API's Prometheus metrics, on a real Express app listening on loopback.
 *
 * | case                                        | expects                                                              |
 * |---------------------------------------------|----------------------------------------------------------------------|
 * | requests to /partnerships/<two ids>         | one series route="/partnerships/:id", count 3; no raw id anywhere    |
 * | a route of a router mounted at /v1          | route="/v1/things/:thingId" (mount path joined with the pattern)     |
 * | a path that matches no route                | route="unmatched", status 404                                        |
 * | a 401 before any route matched              | route = the documented route its method and path fit (OpenAPI paths) |
 * |                                             | ("/guarded/:id/things"); a path documented nowhere stays "unmatched" |
 * | a handler that throws                       | status 500 counted in http_request_errors_total; 2xx/4xx are not     |
 * | latency                                     | histogram _count per series equals the requests, _sum > 0, buckets   |
 * | default metrics                             | process_* and nodejs_* in the same registry                          |
 * | GET /metrics                                | Prometheus text content type                                         |
 * | two createMetrics()                         | separate registries: the second has counted nothing                  |
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createMetrics, type ApiMetrics } from '../../api/metrics';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, as far as these tests need it: one sample per non-comment line. */
function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

const find = (samples: Sample[], name: string, labels: Record<string, string>): Sample[] =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

function buildApp(metrics: ApiMetrics): express.Express {
  const app = express();
  app.use(metrics.middleware);
  app.get('/metrics', metrics.handler);
  const api = express.Router();
  api.get('/partnerships/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  api.post('/partnerships/:id/resolutions', (_req, res) => {
    res.status(409).json({ title: 'does not fit the stage' });
  });
  api.get('/boom', () => {
    throw new Error('boom');
  });
  // A key check before the routes, as the API's: its 401s are answered before any route matches.
  const guarded = express.Router();
  guarded.use((req, res, next) => (req.path.startsWith('/guarded/') ? void res.status(401).json({ title: 'Authentication failed' }) : next()));
  guarded.post('/guarded/:id/things', (_req, res) => void res.json({}));
  app.use(guarded);
  app.use(api);
  const v1 = express.Router();
  v1.get('/things/:thingId', (req, res) => {
    res.json({ thing: req.params.thingId });
  });
  app.use('/v1', v1);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ title: 'Not found' });
  });
  app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ title: 'Internal error' });
  });
  return app;
}

describe('createMetrics', () => {
  let server: Server;
  let base: string;
  let text: string;
  let contentType: string | null;
  let samples: Sample[];

  beforeAll(async () => {
    const app = buildApp(createMetrics({ '/guarded/{id}/things': { post: {} }, '/partnerships/{id}': { get: {} } }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const statuses: number[] = [];
    for (const path of ['/partnerships/riverside-maple-water', '/partnerships/riverside-maple-water', '/partnerships/oden-kinosao-mou']) {
      statuses.push((await fetch(base + path)).status);
    }
    statuses.push((await fetch(`${base}/partnerships/riverside-maple-water/resolutions`, { method: 'POST' })).status);
    statuses.push((await fetch(`${base}/v1/things/thing-4711`)).status);
    statuses.push((await fetch(`${base}/no/such/path-8c1f`)).status);
    statuses.push((await fetch(`${base}/guarded/guard-1234/things`, { method: 'POST' })).status);
    statuses.push((await fetch(`${base}/guarded/guard-1234/other`, { method: 'POST' })).status);
    statuses.push((await fetch(`${base}/boom`)).status);
    statuses.push((await fetch(`${base}/boom`)).status);
    expect(statuses).toEqual([200, 200, 200, 409, 200, 404, 401, 401, 500, 500]);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    contentType = res.headers.get('content-type');
    text = await res.text();
    samples = parseSamples(text);
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });

  test('GET /metrics answers in the Prometheus text format', () => {
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE http_request_errors_total counter');
  });

  test('requests are counted by the route pattern, never the raw path', () => {
    expect(find(samples, 'http_requests_total', { method: 'GET', route: '/partnerships/:id', status_code: '200' })).toEqual([
      expect.objectContaining({ value: 3 }),
    ]);
    expect(find(samples, 'http_requests_total', { method: 'POST', route: '/partnerships/:id/resolutions', status_code: '409' })).toEqual([
      expect.objectContaining({ value: 1 }),
    ]);
    for (const raw of ['riverside-maple-water', 'oden-kinosao-mou', 'thing-4711', 'path-8c1f']) expect(text).not.toContain(raw);
    // Every route label is a pattern or 'unmatched'.
    const routes = new Set(samples.filter((s) => s.name === 'http_requests_total').map((s) => s.labels.route));
    expect([...routes].sort()).toEqual([
      '/boom',
      '/guarded/:id/things',
      '/partnerships/:id',
      '/partnerships/:id/resolutions',
      '/v1/things/:thingId',
      'unmatched',
    ]);
  });

  test("a mounted router's routes carry the mount path", () => {
    expect(find(samples, 'http_requests_total', { route: '/v1/things/:thingId', status_code: '200' })).toEqual([expect.objectContaining({ value: 1 })]);
  });

  test('a 401 before any route matched is counted under the documented route it was for; an undocumented path stays unmatched', () => {
    expect(find(samples, 'http_requests_total', { method: 'POST', route: '/guarded/:id/things', status_code: '401' })).toEqual([
      expect.objectContaining({ value: 1 }),
    ]);
    expect(find(samples, 'http_requests_total', { method: 'POST', route: 'unmatched', status_code: '401' })).toEqual([expect.objectContaining({ value: 1 })]);
    expect(text).not.toContain('guard-1234');
  });

  test("a path that matches no route is 'unmatched'", () => {
    expect(find(samples, 'http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' })).toEqual([expect.objectContaining({ value: 1 })]);
  });

  test('5xx responses are counted as errors, and nothing else is', () => {
    const errors = samples.filter((s) => s.name === 'http_request_errors_total');
    expect(errors).toEqual([{ name: 'http_request_errors_total', labels: { method: 'GET', route: '/boom', status_code: '500' }, value: 2 }]);
    expect(find(samples, 'http_requests_total', { route: '/boom', status_code: '500' })).toEqual([expect.objectContaining({ value: 2 })]);
  });

  test('latency is observed once per request in a histogram', () => {
    const labels = { method: 'GET', route: '/partnerships/:id', status_code: '200' };
    expect(find(samples, 'http_request_duration_seconds_count', labels)).toEqual([expect.objectContaining({ value: 3 })]);
    const [sum] = find(samples, 'http_request_duration_seconds_sum', labels);
    expect(sum!.value).toBeGreaterThan(0);
    expect(sum!.value).toBeLessThan(30);
    const buckets = find(samples, 'http_request_duration_seconds_bucket', labels);
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(3);
    // Cumulative buckets never decrease.
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  test('the default process and Node.js metrics are in the same registry', () => {
    const names = new Set(samples.map((s) => s.name));
    expect(names).toContain('process_cpu_user_seconds_total');
    expect(names).toContain('process_start_time_seconds');
    expect(names).toContain('nodejs_heap_size_used_bytes');
  });

  test('each createMetrics() has its own registry', async () => {
    const other = createMetrics();
    const otherText = await other.registry.metrics();
    expect(otherText).toContain('# TYPE http_requests_total counter');
    expect(parseSamples(otherText).filter((s) => s.name === 'http_requests_total')).toEqual([]);
    expect(otherText).toContain('process_cpu_user_seconds_total');
  });
});
