import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { PartyId, STAGES, TEMPLATE_IDS } from '../domain';
import { NEXT_DEADLINE, PARTIES, STAGE, TEMPLATE } from '../workflows/search-attributes';

export const ListQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  template: z.enum(TEMPLATE_IDS).optional(),
  party: PartyId.optional(),
  deadlineAfter: z.iso.datetime({ offset: true }).optional(),
  deadlineBefore: z.iso.datetime({ offset: true }).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** A token this API issued (see PageTokens), never one a caller made up. */
  pageToken: z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/, 'a nextPageToken from an earlier page')
    .optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

/**
 * The filters as a visibility query, from validated values only: every value is an enum, a slug
 * or an ISO instant, so nothing a caller sends can change the query's shape.
 */
export function filterQuery(q: Omit<ListQuery, 'pageSize'>): string {
  const clauses = [`WorkflowType = 'partnershipWorkflow'`];
  if (q.stage) clauses.push(`${STAGE.name} = '${q.stage}'`);
  if (q.template) clauses.push(`${TEMPLATE.name} = '${q.template}'`);
  if (q.party) clauses.push(`${PARTIES.name} = '${q.party}'`);
  if (q.deadlineAfter) clauses.push(`${NEXT_DEADLINE.name} >= '${new Date(q.deadlineAfter).toISOString()}'`);
  if (q.deadlineBefore) clauses.push(`${NEXT_DEADLINE.name} <= '${new Date(q.deadlineBefore).toISOString()}'`);
  return clauses.join(' AND ');
}

/**
 * The visibility query of the partnerships live at `at` that match these filters, each by the run
 * that was current then: running, or handed over to a fresh one since (continue-as-new). Listed
 * over several pages, a partnership whose run hands over meanwhile is then still listed: its new
 * run, which Temporal lists first, is not, and its old one stays.
 */
export const liveQuery = (filters: Pick<ListQuery, 'stage' | 'template' | 'party'>, at: Date): string =>
  `${filterQuery(filters)} AND StartTime <= '${at.toISOString()}' AND (ExecutionStatus = 'Running' OR (ExecutionStatus = 'ContinuedAsNew' AND CloseTime > '${at.toISOString()}'))`;

/**
 * How long before its first page a listing is taken (and the instant a desk lists the live ones
 * as of, with those started since). The visibility store learns of a hand-over a
 * moment after it: a partnership whose run handed over just before the instant of a listing, its
 * new run not yet listed when the first page was read, and its old one closed before that instant,
 * would be in no page. By then the store has settled, and a clock of the API's a little ahead of
 * the server's changes nothing. Those started within it open the listing
 * (api/partnership-list.ts's `freshPage`) and are on the desk (`liveWorkflowIds`).
 */
export const LISTING_SETTLE_MS = 5_000;

/**
 * The partnerships live now that match the filters, for the desk: each by the run that was current
 * `LISTING_SETTLE_MS` ago (so that one whose run handed over just now is there, though the store
 * does not list its new run yet), with those started since; each once, at most `cap`. `total`:
 * how many in all, counted when there are more than `cap`.
 */
export async function liveWorkflowIds(
  client: Client,
  namespace: string,
  filters: Pick<ListQuery, 'stage' | 'template' | 'party'>,
  cap: number,
  now = Date.now(),
): Promise<{ workflowIds: string[]; total: number }> {
  const at = new Date(now - LISTING_SETTLE_MS);
  const query = liveQuery(filters, at);
  const [held, fresh] = await Promise.all([
    listWorkflowIds(client, namespace, query, cap),
    listWorkflowIds(client, namespace, `${filterQuery(filters)} AND ExecutionStatus = 'Running' AND StartTime > '${at.toISOString()}'`, cap),
  ]);
  // The new run of one that handed over since `at` is in both: once.
  const all = [...new Set([...fresh.workflowIds, ...held.workflowIds])];
  if (!held.more && !fresh.more && all.length <= cap) return { workflowIds: all, total: all.length };
  const { count } = await client.workflowService.countWorkflowExecutions({ namespace, query });
  const heldIds = new Set(held.workflowIds);
  const started = fresh.workflowIds.filter((id) => !heldIds.has(id)).length;
  return { workflowIds: all.slice(0, cap), total: Math.max(cap, Number(count ?? 0) + started) };
}

/**
 * The workflow ids `query` lists, 1,000 a page, until `cap`, each once; `more` when the list may
 * go on past it (a full last page may or may not have more behind it).
 *
 * Once: for a moment after a run hands over to a fresh one, the visibility store may still list the
 * old run as running beside the new one, and a partnership counted twice would owe everything twice.
 */
export async function listWorkflowIds(client: Client, namespace: string, query: string, cap: number): Promise<{ workflowIds: string[]; more: boolean }> {
  const workflowIds = new Set<string>();
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({
      namespace,
      query,
      pageSize: Math.min(cap, 1000),
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    for (const execution of page.executions ?? []) workflowIds.add(execution.execution?.workflowId ?? '');
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken && workflowIds.size < cap);
  const more = workflowIds.size > cap || (workflowIds.size === cap && nextPageToken !== undefined);
  return { workflowIds: [...workflowIds].slice(0, cap), more };
}

/**
 * Temporal's page tokens, sealed with an HMAC over the query they continue. The visibility store
 * answers a token it cannot read with an opaque internal error, which the client retries for
 * many seconds: a token that was not issued here for this very query is refused (422) before
 * Temporal sees it. The key derives from a secret every API instance shares.
 */
export class PageTokens {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = createHash('sha256').update(`entente-page-token:${secret}`).digest();
  }

  private mac(query: string, payload: string): string {
    return createHmac('sha256', this.key).update(`${query}\n${payload}`).digest('base64url').slice(0, 32);
  }

  seal(raw: Uint8Array, query: string): string {
    const payload = Buffer.from(raw).toString('base64url');
    return `${payload}.${this.mac(query, payload)}`;
  }

  open(token: string, query: string): Buffer | undefined {
    const dot = token.lastIndexOf('.');
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(query, payload));
    return dot >= 0 && given.length === expected.length && timingSafeEqual(given, expected) ? Buffer.from(payload, 'base64url') : undefined;
  }
}
