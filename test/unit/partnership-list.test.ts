/**
 * api/partnership-list.ts, the pages of `GET /partnerships`, and the desk's listing of the live
 * ones (api/listing.ts), against an in-memory visibility store that evaluates the queries they
 * send and orders and pages as Temporal's SQL store does (test/helpers/visibility-store.ts). The
 * dev server's own store: test/e2e/listing-pages.test.ts; PostgreSQL's: test/e2e/team-mode.test.ts.
 *
 * | store                                                | between pages                     | listed                                     |
 * |------------------------------------------------------|-----------------------------------|--------------------------------------------|
 * | 7 live, 2 ended                                      | every live one hands over in turn | each once: the live ones newest first, then the ended |
 * | 5 runs started in the same nanosecond, 2 others      | (none), pages of 2 and of 1       | each once                                  |
 * | an old run still listed as running beside its new one | (none)                           | the partnership once                       |
 * | a token for other filters, an altered one            |                                   | 422                                        |
 * | one started a moment before the first page, one that  | pages of 1, 2 and 10              | the new ones first, then the snapshot, each |
 * | handed over then                                       |                                   | once                                       |
 * | 4 started since the snapshot, 1 before, pages of 1   | each of the 4 hands over in turn  | each once, the new ones first              |
 * | the desk's: one handed over 1 s ago, its new run not | (none)                            | each live one once, the lagging one too    |
 * | listed yet; one just started; one ended              |                                   |                                            |
 * | 2,500 live (the desk's listing, 1,000 a page)        | 600 hand over after the first page | each once                                  |
 */
import type { Client } from '@temporalio/client';
import { LISTING_SETTLE_MS, PageTokens, listWorkflowIds, liveQuery, liveWorkflowIds } from '../../api/listing';
import { listPartnerships } from '../../api/partnership-list';
import { SECOND, nanos as ns, visibilityStore as store, type VisibilityRun as Run } from '../helpers/visibility-store';

const tokens = new PageTokens('secret');
const NOW = ns(new Date().toISOString());

async function listAll(client: Client, pageSize: number, between: (page: number) => void = () => undefined, filters = {}): Promise<string[][]> {
  const pages: string[][] = [];
  let pageToken: string | undefined;
  do {
    const page = await listPartnerships(client, 'default', { pageSize, ...filters, ...(pageToken ? { pageToken } : {}) }, tokens);
    pages.push(page.items.map((item) => item.id));
    pageToken = page.nextPageToken ?? undefined;
    between(pages.length);
  } while (pageToken);
  return pages;
}

test('every live partnership handing over in turn while the list is paged: each listed once, in its place', async () => {
  const runs: Run[] = [];
  for (let i = 1; i <= 7; i++) runs.push({ workflowId: `partnership-live-${i}`, runId: `r${i}`, start: NOW - BigInt(100 - i) * SECOND, status: 'Running' });
  runs.push({ workflowId: 'partnership-ended-1', runId: 'e1', start: NOW - 300n * SECOND, close: NOW - 200n * SECOND, status: 'Completed' });
  runs.push({ workflowId: 'partnership-ended-2', runId: 'e2', start: NOW - 400n * SECOND, close: NOW - 150n * SECOND, status: 'Terminated' });
  const client = store(runs);
  let handedOver = 0;
  const pages = await listAll(client, 2, () => {
    // After each page, the oldest live run not yet handed over hands over: its new run starts now.
    const run = runs.filter((r) => r.status === 'Running' && r.start < NOW).sort((a, b) => (a.start < b.start ? -1 : 1))[0];
    if (!run) return;
    run.status = 'ContinuedAsNew';
    run.close = ns(new Date().toISOString()) + 1n;
    runs.push({ workflowId: run.workflowId, runId: `${run.runId}-next`, start: run.close + BigInt(++handedOver), status: 'Running' });
  });
  expect(pages.flat()).toEqual(['live-7', 'live-6', 'live-5', 'live-4', 'live-3', 'live-2', 'live-1', 'ended-2', 'ended-1']);
  expect(handedOver).toBeGreaterThanOrEqual(4);
  // A new listing lists each once too, the handed-over ones by their new runs.
  expect((await listAll(client, 100)).flat().sort()).toEqual(['ended-1', 'ended-2', 'live-1', 'live-2', 'live-3', 'live-4', 'live-5', 'live-6', 'live-7']);
});

test('runs that started in the same nanosecond are each listed once, whatever the page size', async () => {
  const runs: Run[] = [
    { workflowId: 'partnership-newer', runId: 'n', start: NOW - 10n * SECOND, status: 'Running' },
    ...['a', 'b', 'c', 'd', 'e'].map((id): Run => ({ workflowId: `partnership-same-${id}`, runId: `run-${id}`, start: NOW - 20n * SECOND, status: 'Running' })),
    { workflowId: 'partnership-older', runId: 'o', start: NOW - 30n * SECOND, status: 'Running' },
  ];
  for (const pageSize of [1, 2, 3]) {
    const listed = (await listAll(store(runs), pageSize)).flat();
    expect({ pageSize, listed }).toEqual({ pageSize, listed: ['newer', 'same-e', 'same-d', 'same-c', 'same-b', 'same-a', 'older'] });
  }
});

test('an old run still listed as running beside its new one lists the partnership once', async () => {
  const client = store([
    { workflowId: 'partnership-a', runId: 'a1', start: NOW - 20n * SECOND, status: 'Running' },
    { workflowId: 'partnership-a', runId: 'a2', start: NOW - 10n * SECOND, status: 'Running' },
    { workflowId: 'partnership-b', runId: 'b1', start: NOW - 15n * SECOND, status: 'Running' },
  ]);
  const page = await listPartnerships(client, 'default', { pageSize: 3 }, tokens);
  expect(page.items.map((item) => item.id)).toEqual(['a', 'b']);
});

test('a token is refused for other filters, and altered', async () => {
  const runs: Run[] = [1, 2, 3].map((i) => ({ workflowId: `partnership-p${i}`, runId: `r${i}`, start: NOW - BigInt(10 * i) * SECOND, status: 'Running' }));
  const client = store(runs);
  const first = await listPartnerships(client, 'default', { pageSize: 1 }, tokens);
  expect(first.items.map((item) => item.id)).toEqual(['p1']);
  const pageToken = first.nextPageToken!;
  await expect(listPartnerships(client, 'default', { pageSize: 1, stage: 'intake', pageToken }, tokens)).rejects.toMatchObject({ status: 422 });
  const [payload, mac] = pageToken.split('.');
  const altered = Buffer.from(JSON.stringify({ phase: 'ended', at: '2026-01-01T00:00:00Z', temporal: '' })).toString('base64url');
  expect(altered).not.toBe(payload);
  await expect(listPartnerships(client, 'default', { pageSize: 1, pageToken: `${altered}.${mac}` }, tokens)).rejects.toMatchObject({ status: 422 });
});

test("the desk's listing of the live ones: runs that hand over between its pages are each listed once", async () => {
  const runs: Run[] = Array.from({ length: 2500 }, (_, i) => ({
    workflowId: `partnership-d${i}`,
    runId: `r${i}`,
    start: NOW - BigInt(5000 - i) * SECOND,
    status: 'Running',
  }));
  runs.push({ workflowId: 'partnership-gone', runId: 'g', start: NOW - 9000n * SECOND, close: NOW - 8000n * SECOND, status: 'Completed' });
  const client = store(runs, (call) => {
    if (call !== 2) return;
    // After the first page (the 1,000 newest), 300 of them and 300 of the oldest hand over.
    for (const i of [...Array.from({ length: 300 }, (_, k) => 2499 - k), ...Array.from({ length: 300 }, (_, k) => k)]) {
      const run = runs[i]!;
      run.status = 'ContinuedAsNew';
      run.close = ns(new Date().toISOString()) + BigInt(i);
      runs.push({ workflowId: run.workflowId, runId: `${run.runId}-next`, start: run.close + 1n, status: 'Running' });
    }
  });
  const { workflowIds, more } = await listWorkflowIds(client, 'default', liveQuery({}, new Date()), 10_000);
  expect(more).toBe(false);
  expect(workflowIds.length).toBe(2500);
  expect(new Set(workflowIds).size).toBe(2500);
  expect(workflowIds).not.toContain('partnership-gone');
});

test('a listing is of the partnerships as they were a few seconds before its first page, those started since first', async () => {
  const settled = NOW - BigInt(LISTING_SETTLE_MS + 1000) * 1_000_000n;
  const justNow = ns(new Date().toISOString());
  const client = store([
    { workflowId: 'partnership-older', runId: 'o', start: settled - SECOND, status: 'Running' },
    // Handed over a moment ago: listed by its old run, in its place, not again by its new one.
    { workflowId: 'partnership-handed-over', runId: 'h1', start: settled, close: justNow - 2n, status: 'ContinuedAsNew' },
    { workflowId: 'partnership-handed-over', runId: 'h2', start: justNow - 1n, status: 'Running' },
    // Started a moment ago (and one of them already handed over): listed at once, first.
    { workflowId: 'partnership-just-started', runId: 'j', start: justNow, status: 'Running' },
    { workflowId: 'partnership-quick', runId: 'q1', start: justNow - 5n, close: justNow - 3n, status: 'ContinuedAsNew' },
    { workflowId: 'partnership-quick', runId: 'q2', start: justNow - 3n, status: 'Running' },
  ]);
  for (const pageSize of [1, 2, 10]) {
    const listed = (await listAll(client, pageSize)).flat();
    expect({ pageSize, listed }).toEqual({ pageSize, listed: ['just-started', 'quick', 'handed-over', 'older'] });
  }
});

test('partnerships started since the snapshot that hand over while they are paged are each listed once', async () => {
  const justNow = ns(new Date().toISOString());
  const runs: Run[] = [
    { workflowId: 'partnership-older', runId: 'o', start: NOW - 60n * SECOND, status: 'Running' },
    ...[1, 2, 3, 4].map((i): Run => ({ workflowId: `partnership-new-${i}`, runId: `n${i}`, start: justNow - BigInt(10 - i), status: 'Running' })),
  ];
  const client = store(runs);
  const pages = await listAll(client, 1, () => {
    // After each page, the newest of those not handed over yet hands over.
    const run = runs.filter((r) => r.status === 'Running' && r.workflowId.startsWith('partnership-new') && !r.runId.endsWith('-next')).at(-1);
    if (!run) return;
    run.status = 'ContinuedAsNew';
    run.close = ns(new Date().toISOString()) + 1n;
    runs.push({ workflowId: run.workflowId, runId: `${run.runId}-next`, start: run.close + 1n, status: 'Running' });
  });
  expect(pages.flat()).toEqual(['new-4', 'new-3', 'new-2', 'new-1', 'older']);
});

test("the desk's live ones: one whose run handed over a moment ago, its new run not listed yet, and one just started, each once", async () => {
  const justNow = ns(new Date().toISOString());
  const client = store([
    { workflowId: 'partnership-steady', runId: 's', start: NOW - 60n * SECOND, status: 'Running' },
    // The store has its old run's close, not yet its new run.
    { workflowId: 'partnership-lagging', runId: 'l1', start: NOW - 50n * SECOND, close: justNow - SECOND, status: 'ContinuedAsNew' },
    // Both runs listed.
    { workflowId: 'partnership-handed-over', runId: 'h1', start: NOW - 40n * SECOND, close: justNow - SECOND, status: 'ContinuedAsNew' },
    { workflowId: 'partnership-handed-over', runId: 'h2', start: justNow - SECOND + 1n, status: 'Running' },
    { workflowId: 'partnership-just-started', runId: 'j', start: justNow, status: 'Running' },
    { workflowId: 'partnership-ended', runId: 'e', start: NOW - 90n * SECOND, close: NOW - 80n * SECOND, status: 'Completed' },
  ]);
  const { workflowIds, total } = await liveWorkflowIds(client, 'default', {}, 100);
  expect([...workflowIds].sort()).toEqual(['partnership-handed-over', 'partnership-just-started', 'partnership-lagging', 'partnership-steady']);
  expect(total).toBe(4);
  // As of this instant alone (the desk before), the lagging one was missed.
  const { workflowIds: atOnce } = await listWorkflowIds(client, 'default', liveQuery({}, new Date()), 100);
  expect(atOnce).not.toContain('partnership-lagging');
});
