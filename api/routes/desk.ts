import express, { type Router } from 'express';
import { z } from 'zod';
import { PartyId, STAGES, TEMPLATE_IDS, deskEntries, deskPage, isFinal, summaryOfView, type PartnershipView } from '../../domain';
import { deskSummariesOf, keepQueriedSummaries, type RegisterDb } from '../../store';
import { DeskListings } from '../desk-listings';
import { parse, requireCoordinator } from '../requests';
import type { PartnershipService } from '../service';

/**
 * The entries one desk sends unless asked for fewer or more: the most pressing first, and the
 * counts by status for all of them. Ten thousand live partnerships owe some twelve thousand
 * things (3.6 MB), more than a page can show or a person read.
 */
export const DESK_ENTRIES = 500;
/** The most entries one desk sends. */
export const DESK_ENTRIES_MAX = 2000;

export const DeskQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  template: z.enum(TEMPLATE_IDS).optional(),
  party: PartyId.optional(),
  /** Entries in this answer, from `offset` in the desk's order (most pressing first). */
  limit: z.coerce.number().int().min(1).max(DESK_ENTRIES_MAX).default(DESK_ENTRIES),
  /** How many of the most pressing entries to pass over: the next page starts at `offset + limit`. */
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** How many partnerships without a summary a desk queries at once. */
const CONCURRENCY = 8;

/**
 * The most partnerships one desk lists: their summaries come from the register, one query for
 * hundreds of them, with no workflow asked. The rest are counted, and the answer says how many
 * were left out (`omitted`), so that the coordinator narrows it with a filter.
 */
export const DESK_LIMIT = 10_000;

/**
 * The most partnerships without a summary in the register (begun before summaries were kept, and
 * not changed since) one desk reads by a state query, which a worker answers by replaying the
 * partnership when it is not in its cache. What it read is kept for the next desk, so each is
 * queried once; past the limit, they are counted in `omitted` until a later desk reads them.
 */
export const DESK_QUERY_LIMIT = 1000;

/** How long the pages after a desk's first reuse the live partnerships it listed (see DeskListings). */
export const DESK_LISTING_REUSE_MS = 2 * 60_000;

/**
 * The coordinator's desk: what is owed across every live partnership (overdue first), a page of
 * it with the counts of all, the escalations, and the next deadlines. The visibility store lists
 * the live ones; what each owes, since when, is the summary its workflow keeps in the register
 * with every row it writes.
 */
export function deskRoutes(deps: { service: PartnershipService; db: RegisterDb; limit?: number; queryLimit?: number }): Router {
  const limit = deps.limit ?? DESK_LIMIT;
  const queryLimit = deps.queryLimit ?? DESK_QUERY_LIMIT;
  // One kept listing for each combination of filters a coordinator pages through, a few at a time.
  const listings = new DeskListings<Awaited<ReturnType<PartnershipService['liveIds']>>>({ maxAgeMs: DESK_LISTING_REUSE_MS, maxKept: 16 });
  const router = express.Router();
  router.get('/desk', async (req, res) => {
    requireCoordinator(req);
    const query = parse(DeskQuery, req.query, 'The query is not valid');
    const now = Date.now();
    const filters = { stage: query.stage, template: query.template, party: query.party };
    const { ids, total } = await listings.listing(JSON.stringify(filters), query.offset > 0, () => deps.service.liveIds(query, limit));
    const kept = await deskSummariesOf(deps.db, ids);
    const unsummarised = ids.filter((id) => !kept.has(id));
    const asked = unsummarised.slice(0, queryLimit);
    // Only those without a summary need a worker: with none polling, 503 at once, as any other read answers then.
    if (asked.length > 0) await deps.service.requireWorker(false);
    const read = (await mapLimit(asked, CONCURRENCY, (id) => deps.service.listedState(id).catch(() => undefined)))
      .filter((v): v is PartnershipView => v !== undefined)
      .map(summaryOfView);
    // Kept for the next desk (unless the workflow has written one meanwhile): each is queried once.
    if (read.length > 0) await keepQueriedSummaries(deps.db, read, new Date(now));
    // The list's stage may lag behind a summary or a state read since: they say where it is now,
    // and whether it has ended (a moment before its run closes, or since a next page's listing).
    const live = [...ids.flatMap((id) => kept.get(id) ?? []), ...read].filter((v) => !isFinal(v.stage) && (!query.stage || v.stage === query.stage));
    const page = deskPage(
      live.flatMap((view) => deskEntries(view, now)).filter((e) => !query.party || e.partyId === query.party || e.partyId === undefined),
      query.offset,
      query.limit,
    );
    const nextDeadlines = live
      .flatMap((view) =>
        view.nextTimers.map((t) => ({ partnershipId: view.id, title: view.title, kind: t.kind, at: t.at, ...(t.partyId ? { partyId: t.partyId } : {}) })),
      )
      .filter((d) => !query.party || d.partyId === query.party || d.partyId === undefined)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .slice(0, 50);
    res.json({
      generatedAt: new Date(now).toISOString(),
      partnerships: live.length,
      unreadable: asked.length - read.length,
      omitted: total - ids.length + (unsummarised.length - asked.length),
      counts: page.counts,
      entriesTotal: page.entriesTotal,
      offset: query.offset,
      entries: page.entries,
      nextDeadlines,
    });
  });
  return router;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
