/**
 * The coordinator's desk at the live section's load (every partnership live on the worker, most
 * evicted from its cache), measured once the timers are in:
 *
 * - `GET /desk` of every live partnership (their summaries read from the register), against
 *   listing the same partnerships from the visibility store, which the desk does first;
 * - the desk's next page (`offset` past the first page's entries), which reuses the listing the
 *   first page made, against that first page;
 * - the desk as it was before summaries (at most 1,000 of them listed, then a state query each,
 *   eight at a time, which the worker answers by replaying every partnership it has evicted),
 *   against `GET /desk`.
 *
 * The three in turn, the order rotated every round; the worker's CPU over each, and over as long
 * a wait after it with no request (the timers that fire meanwhile). The desk lists the
 * whole namespace: partnerships other sections left running (their workers stopped, their
 * summaries in their own registers) are ended first.
 */
import { performance } from 'node:perf_hooks';
import type { WorkflowHandle } from '@temporalio/client';
import { filterQuery, liveWorkflowIds } from '../api/listing';
import { stateQuery } from '../workflows/messages';
import { fmt, latencySummary, median, spread, type Row } from './measure';
import { expectStatus, pool, startApi, type BenchContext, type WorkerProcess } from './services';
import { progress, sleep } from './stack';

/** What the desk read before summaries: at most this many partnerships, this many queries at once. */
const OLD_LIMIT = 1000;
const OLD_CONCURRENCY = 8;

export async function deskRows(ctx: BenchContext, worker: WorkerProcess, handles: WorkflowHandle[], rounds: number): Promise<Row[]> {
  const client = ctx.server.client;
  const ended = await endOthers(ctx, worker.taskQueue);
  if (ended > 0) progress(`desk: ${ended} partnerships of other sections ended first`);
  const api = await startApi(ctx, worker);
  const live = handles.length;
  try {
    const listIds = async (cap: number): Promise<string[]> => (await liveWorkflowIds(client, 'default', {}, cap)).workflowIds;
    const byId = new Map(handles.map((h) => [h.workflowId, h]));
    let shown = { partnerships: 0, unreadable: 0, omitted: 0, entries: 0, entriesTotal: 0, bytes: 0 };
    let listed = 0;
    // The desk before summaries showed a partnership whose query failed as unreadable; so does its baseline.
    const beforeFailed: number[] = [];
    const nextPage: number[] = [];
    let nextShown = { partnerships: 0, entries: 0 };
    // Every page of a listing, 100 a page, as a client reads it: the live ones missed, the entries
    // listed twice, per round.
    const liveIds = new Set(handles.map((h) => h.workflowId));
    const paged = { plain: [] as Array<{ missed: number; twice: number }>, pages: [] as Array<{ missed: number; twice: number }> };
    const tally = (ids: string[]) => {
      const listedIds = new Set(ids);
      return { missed: [...liveIds].filter((id) => !listedIds.has(id)).length, twice: ids.length - listedIds.size };
    };
    // Each case's time, unless it says its own (the desk's: its first page, without the next).
    const cases: Record<'list' | 'desk' | 'before' | 'plain' | 'pages', () => Promise<number | void>> = {
      list: async () => {
        // Each once: the runs current a few seconds ago, which a hand-over does not move, and those started since (the desk's listing).
        listed = (await listIds(Infinity)).length;
      },
      plain: async () => {
        // Temporal's own paging of the partnerships' current runs: GET /partnerships before 2026-11-29.
        const ids: string[] = [];
        let nextPageToken: Uint8Array | undefined;
        do {
          const page = await client.workflowService.listWorkflowExecutions({
            namespace: 'default',
            query: `${filterQuery({})} AND ExecutionStatus != 'ContinuedAsNew'`,
            pageSize: 100,
            ...(nextPageToken ? { nextPageToken } : {}),
          });
          ids.push(...(page.executions ?? []).map((e) => e.execution?.workflowId ?? ''));
          nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
        } while (nextPageToken);
        paged.plain.push(tally(ids));
      },
      pages: async () => {
        const ids: string[] = [];
        let token: string | null = null;
        do {
          const res = await api.call('GET', `/partnerships?pageSize=100${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
          expectStatus(res, 200, 'GET /partnerships');
          const body = res.body as { items: Array<{ id: string }>; nextPageToken: string | null };
          ids.push(...body.items.map((item) => `partnership-${item.id}`));
          token = body.nextPageToken;
        } while (token);
        paged.pages.push(tally(ids));
      },
      desk: async () => {
        const t0 = performance.now();
        const res = await api.call('GET', '/desk');
        const first = performance.now() - t0;
        expectStatus(res, 200, 'GET /desk');
        const body = res.body as { partnerships: number; unreadable: number; omitted: number; entries: unknown[]; entriesTotal: number };
        shown = { ...body, entries: body.entries.length, entriesTotal: body.entriesTotal, bytes: Buffer.byteLength(JSON.stringify(body)) };
        // The page a coordinator turns to next, at once.
        const t1 = performance.now();
        const next = await api.call('GET', `/desk?offset=${body.entries.length}`);
        nextPage.push(performance.now() - t1);
        expectStatus(next, 200, 'GET /desk, its next page');
        const nextBody = next.body as { partnerships: number; entries: unknown[] };
        nextShown = { partnerships: nextBody.partnerships, entries: nextBody.entries.length };
        return first;
      },
      before: async () => {
        const ids = await listIds(OLD_LIMIT);
        let failed = 0;
        await pool(ids.length, OLD_CONCURRENCY, (i) =>
          byId
            .get(ids[i]!)!
            .query(stateQuery)
            .catch(() => {
              failed++;
            }),
        );
        beforeFailed.push(failed);
      },
    };
    const names = Object.keys(cases) as Array<keyof typeof cases>;
    const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof cases, number[]>;
    // The worker's CPU over each (every thread, from schedstat: a desk of a hundred milliseconds is
    // no tick of /proc/<pid>/stat at all).
    const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof cases, number[]>;
    // The worker's CPU over as long a wait with no request, after each: the live section's timers
    // keep firing (a partnership reminded once is reminded again), and that is not the desk's.
    const quiet = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof cases, number[]>;
    // A first round, not kept: the API's code compiled, its register's pages read once.
    for (const name of names) await cases[name]();
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + r) % names.length]!;
        const cpuBefore = worker.child.cpuPreciseMs();
        const t0 = performance.now();
        const own = await cases[name]();
        const took = own ?? performance.now() - t0;
        times[name].push(took);
        const cpuAfter = worker.child.cpuPreciseMs();
        cpu[name].push(cpuAfter - cpuBefore);
        await sleep(took);
        quiet[name].push(worker.child.cpuPreciseMs() - cpuAfter);
      }
    }
    progress(`desk: ${rounds} rounds at ${live.toLocaleString('en')} live`);
    const workerCpu = (name: keyof typeof cases) => `the worker's CPU ${fmt(median(cpu[name]))} ms (${fmt(median(quiet[name]))} ms in as long with no request)`;
    const complete = shown.unreadable === 0 && shown.omitted === 0;
    return [
      {
        section: 'desk',
        what: `GET /desk of ${live.toLocaleString('en')} live partnerships, from their summaries (p50)`,
        baseline: `listing them (visibility, 1,000 a page): ${latencySummary(times.list)}; ${listed.toLocaleString('en')} listed`,
        candidate: `GET /desk: ${latencySummary(times.desk)}; ${shown.partnerships.toLocaleString('en')} partnerships owing ${shown.entriesTotal.toLocaleString('en')} things, the ${shown.entries.toLocaleString('en')} most pressing sent (${fmt(shown.bytes / 1024)} KB); ${workerCpu('desk')}${complete ? '' : `; ${shown.unreadable} unreadable, ${shown.omitted} omitted`}`,
        ratio: spread(times.desk.map((t, k) => t / times.list[k]!)),
      },
      {
        section: 'desk',
        what: `the desk's next page (\`offset\` past the first page's entries), which reuses the first page's listing (p50)`,
        baseline: `GET /desk, its first page: ${latencySummary(times.desk)}`,
        candidate: `GET /desk?offset=${shown.entries}: ${latencySummary(nextPage.slice(1))}; ${nextShown.entries.toLocaleString('en')} entries of ${nextShown.partnerships.toLocaleString('en')} partnerships`,
        // The first round's, not kept, as the other cases'.
        ratio: spread(nextPage.slice(1).map((t, k) => t / times.desk[k]!)),
      },
      {
        section: 'desk',
        what: `GET /partnerships of ${live.toLocaleString('en')} live partnerships and the ended ones, every page of 100 in turn (p50)`,
        baseline: `Temporal's own paging of their current runs, 100 a page (the listing before 2026-11-29): ${latencySummary(times.plain)}; ${pagedSummary(paged.plain.slice(1))}`,
        candidate: `${latencySummary(times.pages)}; ${pagedSummary(paged.pages.slice(1))}`,
        ratio: spread(times.pages.map((t, k) => t / times.plain[k]!)),
      },
      {
        section: 'desk',
        what: `the desk before summaries: ${Math.min(OLD_LIMIT, live).toLocaleString('en')} listed, then a state query each, ${OLD_CONCURRENCY} at a time (p50)`,
        baseline: `GET /desk (of all ${live.toLocaleString('en')}): ${latencySummary(times.desk)}; ${workerCpu('desk')}`,
        candidate: `state queries: ${latencySummary(times.before)}; ${workerCpu('before')}${unanswered(beforeFailed)}`,
        ratio: spread(times.before.map((t, k) => t / times.desk[k]!)),
      },
    ];
  } finally {
    await api.child.stop();
  }
}

/** What listings missed of the live partnerships (runs that handed over while they were paged), or listed twice, over the rounds. */
function pagedSummary(rounds: Array<{ missed: number; twice: number }>): string {
  const missed = rounds.map((r) => r.missed);
  const twice = rounds.reduce((n, r) => n + r.twice, 0);
  return `${missed.reduce((a, b) => a + b, 0) === 0 ? 'none of the live missed' : `live ones missed: ${missed.join(', ')} in ${rounds.length} rounds`}${twice ? `, ${twice} listed twice` : ''}`;
}

/** The queries that failed (timed out on a saturated server), as the old desk's unreadable rows. */
function unanswered(failed: number[]): string {
  const total = failed.reduce((a, b) => a + b, 0);
  return total === 0 ? '' : `; ${total.toLocaleString('en')} queries failed over ${failed.length} rounds (the old desk showed them unreadable)`;
}

/** Ends the running partnerships of every other task queue, until the list shows none; how many. */
async function endOthers(ctx: BenchContext, taskQueue: string): Promise<number> {
  const client = ctx.server.client;
  const ended = new Set<string>();
  for (const until = Date.now() + 120_000; ;) {
    const page = await client.workflowService.listWorkflowExecutions({
      namespace: 'default',
      query: `${filterQuery({})} AND ExecutionStatus = 'Running' AND TaskQueue != '${taskQueue}'`,
      pageSize: 500,
    });
    const ids = (page.executions ?? []).map((e) => e.execution!.workflowId!);
    if (ids.length === 0) return ended.size;
    if (Date.now() > until) throw new Error(`desk: ${ids.length} partnerships of other sections still listed as running`);
    const fresh = ids.filter((id) => !ended.has(id));
    await pool(fresh.length, 16, (i) =>
      client.workflow
        .getHandle(fresh[i]!)
        .terminate('the benchmark ends it before measuring the desk')
        .catch(() => undefined),
    );
    for (const id of fresh) ended.add(id);
    // The visibility store lists them as ended a moment later.
    if (fresh.length === 0) await sleep(500);
  }
}
