/**
 * bench/stack.ts `scrapeMetric`: the benchmark's reading of a worker's Prometheus endpoint (the
 * live section's replays column, the evicted section's cache misses), against a real HTTP server.
 *
 * | exposition                                   | names asked                  | sum            |
 * |----------------------------------------------|------------------------------|----------------|
 * | one sample per label set                     | the metric                   | every sample   |
 * | the counter named with `_total` by one exporter, without by another | both names | both, in one scrape |
 * | a metric whose name starts with the one asked (`_miss_rate`), HELP and TYPE lines | the metric | not counted |
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scrapeMetric } from '../../bench/stack';

const EXPOSITION = [
  '# HELP temporal_sticky_cache_miss Workflow tasks that missed the cache',
  '# TYPE temporal_sticky_cache_miss counter',
  'temporal_sticky_cache_miss{namespace="default",task_queue="a"} 7',
  'temporal_sticky_cache_miss{namespace="default",task_queue="b"} 5',
  'temporal_sticky_cache_miss_total{task_queue="c"} 3',
  'temporal_sticky_cache_miss_rate 100',
  'temporal_sticky_cache_size 42',
  '',
].join('\n');

let server: Server;
let scrapes = 0;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    scrapes++;
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end(EXPOSITION);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('sums every label set of the metric asked, and nothing whose name only starts like it', async () => {
  await expect(scrapeMetric(url, 'temporal_sticky_cache_miss')).resolves.toBe(12);
  await expect(scrapeMetric(url, 'temporal_sticky_cache_size')).resolves.toBe(42);
});

test('sums several names (a counter with and without `_total`) in one scrape', async () => {
  const before = scrapes;
  await expect(scrapeMetric(url, 'temporal_sticky_cache_miss', 'temporal_sticky_cache_miss_total')).resolves.toBe(15);
  expect(scrapes - before).toBe(1);
});

test('a metric the endpoint does not expose sums to 0', async () => {
  await expect(scrapeMetric(url, 'temporal_sticky_cache_hit')).resolves.toBe(0);
});
