import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { NEXT_DEADLINE, PARTIES, STAGE, TEMPLATE } from '../workflows/search-attributes';
import { LISTING_SETTLE_MS, filterQuery, type ListQuery, type PageTokens } from './listing';
import { Problem } from './problem';

type Execution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** A visibility timestamp as the query language takes it: RFC 3339, to the nanosecond. */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

/** The last run a page listed: the next starts after it (a tie, at the same start, by run id). */
const After = z.strictObject({ start: z.string().regex(INSTANT), run: z.string().max(100), tie: z.boolean() });

/**
 * Where a listing is, sealed in its page tokens. `at`: the instant it lists the partnerships as
 * they were then. First those started since (fresh), then the live ones (a run open at `at`,
 * still running or closed since), newest run first, after `after`; then the ended ones, by
 * Temporal's own token.
 */
const Cursor = z.discriminatedUnion('phase', [
  // Those started since `at` and there at `until`, the first page's instant: not of the snapshot.
  z.strictObject({ phase: z.literal('fresh'), at: z.string().regex(INSTANT), until: z.string().regex(INSTANT), after: After }),
  z.strictObject({
    phase: z.literal('live'),
    at: z.string().regex(INSTANT),
    // None: the first page held only partnerships started since `at`, and the snapshot is still to list.
    after: After.optional(),
  }),
  z.strictObject({ phase: z.literal('ended'), at: z.string().regex(INSTANT), temporal: z.string().max(2000) }),
]);
type Cursor = z.infer<typeof Cursor>;

interface Run {
  execution: Execution;
  start: string;
  /** The start in nanoseconds, to order runs. */
  startNs: bigint;
  run: string;
}

/** An instant of ours (INSTANT) in nanoseconds. */
function instantNs(instant: string): bigint {
  const [whole = '', fraction = ''] = instant.replace('Z', '').split('.');
  return BigInt(Date.parse(`${whole}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

function runOf(execution: Execution): Run {
  const { seconds, nanos } = execution.startTime ?? {};
  const s = Number(seconds ?? 0);
  const n = Number(nanos ?? 0);
  const start = `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(n).padStart(9, '0')}Z`;
  return { execution, start, startNs: BigInt(s) * 1_000_000_000n + BigInt(n), run: execution.execution?.runId ?? '' };
}

/** Newest start first; runs that started in the same nanosecond by run id, descending. */
const newestFirst = (a: Run, b: Run): number => (a.startNs === b.startNs ? b.run.localeCompare(a.run) : a.startNs > b.startNs ? -1 : 1);

/**
 * The list of partnerships, a page at a time, each listed once however long the paging takes.
 * Temporal lists a partnership by its current run, newest first, and a run that hands over to a
 * fresh one (short runs) would move ahead of the pages already read and be missed. So a listing
 * is of the partnerships as they were a few seconds before its first page (LISTING_SETTLE_MS):
 * each by the run that was current then, which stays in the list, by the same start, when it
 * hands over. Those started since then come first (a person who has just started one looks for
 * it), then the live ones (newest run first), then the ended ones (latest ended first).
 */
export async function listPartnerships(client: Client, namespace: string, q: ListQuery, tokens: PageTokens) {
  const filters = filterQuery(q);
  const cursor = q.pageToken ? openCursor(tokens, q.pageToken, filters) : undefined;
  const at = cursor?.at ?? new Date(Date.now() - LISTING_SETTLE_MS).toISOString();
  const list = async (query: string, pageSize: number, nextPageToken?: Uint8Array) => {
    const page = await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize, ...(nextPageToken ? { nextPageToken } : {}) });
    const next = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    return { executions: page.executions ?? [], next };
  };

  const endedQuery = `${filters} AND ExecutionStatus != 'Running' AND ExecutionStatus != 'ContinuedAsNew' AND CloseTime <= '${at}'`;
  const phase = cursor?.phase ?? 'fresh';
  const taken: Execution[] = [];
  let next: Cursor | undefined;
  if (phase === 'fresh') {
    const until = cursor?.phase === 'fresh' ? cursor.until : new Date().toISOString();
    const fresh = await freshPage(list, filters, at, until, cursor?.phase === 'fresh' ? cursor.after : undefined, q.pageSize);
    taken.push(...fresh.executions);
    if (fresh.after) next = { phase: 'fresh', at, until, after: fresh.after };
    else if (taken.length >= q.pageSize) next = { phase: 'live', at };
  }
  if (!next && phase !== 'ended' && taken.length < q.pageSize) {
    const live = await livePage(list, filters, at, cursor?.phase === 'live' ? cursor.after : undefined, q.pageSize - taken.length);
    taken.push(...live.runs.map((r) => r.execution));
    if (live.after) next = { phase: 'live', at, after: live.after };
  }
  if (!next && taken.length < q.pageSize) {
    const endedToken = cursor?.phase === 'ended' && cursor.temporal ? Buffer.from(cursor.temporal, 'base64url') : undefined;
    const ended = await list(endedQuery, q.pageSize - taken.length, endedToken);
    taken.push(...ended.executions);
    if (ended.next) next = { phase: 'ended', at, temporal: Buffer.from(ended.next).toString('base64url') };
  } else if (!next && (await list(endedQuery, 1)).executions.length > 0) {
    // The live ones filled the page exactly: the ended ones start the next, if there are any.
    next = { phase: 'ended', at, temporal: '' };
  }
  return {
    items: distinct(taken).map(itemOf),
    nextPageToken: next ? tokens.seal(Buffer.from(JSON.stringify(next)), filters) : null,
  };
}

/**
 * A page of the partnerships started since `at` (a few seconds before the first page) and still
 * there at `until` (the first page's instant), newest first: they open the listing, so that one
 * just started is listed at once. Paged as the live ones are (`livePage`, as of `until`), less
 * those whose partnership the snapshot holds by an older run (the new run of a hand-over).
 */
async function freshPage(list: ListPage, filters: string, at: string, until: string, after: LiveAfter | undefined, pageSize: number) {
  const page = await livePage(list, `${filters} AND StartTime > '${at}'`, until, after, pageSize);
  const executions = page.runs.map((r) => r.execution);
  if (executions.length === 0) return { executions, after: page.after };
  // Workflow ids are `partnership-<slug>`: nothing in them to escape.
  const ids = [...new Set(executions.map((e) => `'${e.execution?.workflowId ?? ''}'`))].join(', ');
  const held = await list(`${filters} AND WorkflowId IN (${ids}) AND StartTime <= '${at}' AND (ExecutionStatus = 'Running' OR CloseTime > '${at}')`, 1000);
  const inSnapshot = new Set(held.executions.map((e) => e.execution?.workflowId));
  return { executions: executions.filter((e) => !inSnapshot.has(e.execution?.workflowId)), after: page.after };
}

type LiveAfter = NonNullable<Extract<Cursor, { phase: 'live' }>['after']>;
type ListPage = (query: string, pageSize: number, token?: Uint8Array) => Promise<{ executions: Execution[]; next: Uint8Array | undefined }>;

/**
 * A page of the live partnerships after `after`: the running runs (Temporal lists them newest
 * first) and the runs closed since `at` (listed by when they closed, so each read to the oldest
 * start this page can reach) merged by start. `after` undefined when the live ones are done.
 */
async function livePage(
  list: ListPage,
  filters: string,
  at: string,
  after: LiveAfter | undefined,
  pageSize: number,
): Promise<{ runs: Run[]; after?: LiveAfter }> {
  const opened = `StartTime <= '${at}'`;
  const before = after ? ` AND StartTime < '${after.start}'` : '';
  // One more than the page: the oldest it may reach is the one after it.
  const running = await list(`${filters} AND ExecutionStatus = 'Running' AND ${opened}${before}`, pageSize + 1);
  const runs = running.executions.map(runOf);
  // Temporal's page of running runs may end amid runs that started in the same instant: those
  // of that instant wait for the next page, unless they are all it has.
  const boundary = running.next || runs.length > pageSize ? runs[runs.length - 1] : undefined;
  const since = boundary ? ` AND StartTime >= '${boundary.start}'` : '';
  let closedToken: Uint8Array | undefined;
  do {
    // Not Running: the dev server's store takes a running run's CloseTime as the end of time.
    const closed = await list(`${filters} AND ExecutionStatus != 'Running' AND CloseTime > '${at}' AND ${opened}${before}${since}`, 1000, closedToken);
    runs.push(...closed.executions.map(runOf));
    closedToken = closed.next;
  } while (closedToken);
  // The runs open at `at` that started in this instant, those after `after` if it is of it.
  const afterNs = after ? instantNs(after.start) : undefined;
  const tiedAt = async (start: string) => {
    const tied = await list(`${filters} AND ${opened} AND StartTime = '${start}' AND (ExecutionStatus = 'Running' OR CloseTime > '${at}')`, 1000);
    return tied.executions.map(runOf).filter((r) => r.startNs !== afterNs || r.run.localeCompare(after!.run) < 0);
  };
  if (after?.tie) runs.push(...(await tiedAt(after.start)));
  runs.sort(newestFirst);
  let reachable = boundary ? runs.filter((r) => r.startNs > boundary.startNs) : runs;
  // Every run Temporal gave started in one instant: all of that instant, in order.
  if (boundary && reachable.length === 0) reachable = (await tiedAt(boundary.start)).sort(newestFirst);
  const page = reachable.slice(0, pageSize);
  const last = page[page.length - 1];
  const more = boundary !== undefined || reachable.length > pageSize;
  if (!last || !more) return { runs: page };
  const following = reachable[pageSize];
  return { runs: page, after: { start: last.start, run: last.run, tie: following?.startNs === last.startNs || last.startNs === boundary?.startNs } };
}

function openCursor(tokens: PageTokens, token: string, filters: string): Cursor {
  const raw = tokens.open(token, filters);
  const cursor = raw ? Cursor.safeParse(safeJson(raw.toString('utf8'))) : undefined;
  if (!cursor?.success) {
    throw new Problem(422, 'The query is not valid', '1 field failed validation', [
      { pointer: '/pageToken', detail: 'not a nextPageToken of this listing with these filters' },
    ]);
  }
  return cursor.data;
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * Each partnership once, by its first run here: for a moment after a hand-over the visibility store
 * may list its old run as running beside the new one.
 */
function distinct(executions: Execution[]): Execution[] {
  const seen = new Set<string>();
  return executions.filter((execution) => {
    const workflowId = execution.execution?.workflowId ?? '';
    if (seen.has(workflowId)) return false;
    seen.add(workflowId);
    return true;
  });
}

function itemOf(execution: Execution) {
  const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
  const deadline = attributes.get(NEXT_DEADLINE);
  return {
    id: (execution.execution?.workflowId ?? '').replace(/^partnership-/, ''),
    stage: attributes.get(STAGE) ?? null,
    template: attributes.get(TEMPLATE) ?? null,
    parties: attributes.get(PARTIES) ?? [],
    nextDeadline: deadline ? deadline.toISOString() : null,
  };
}
