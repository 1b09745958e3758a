import express, { type Router } from 'express';
import { z } from 'zod';
import { PartyId, STAGES, TEMPLATE_IDS, type PartnershipView } from '../../domain';
import { deskEntries } from '../../domain/desk';
import { parse, requireCoordinator } from '../requests';
import type { PartnershipService } from '../service';

export const DeskQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  template: z.enum(TEMPLATE_IDS).optional(),
  party: PartyId.optional(),
});

/** How many partnerships a desk reads at once: each is one state query. */
const CONCURRENCY = 8;

/**
 * The most partnerships one desk reads: each is a state query, which a worker answers by
 * replaying the partnership when it is not in its cache. The rest are counted, and the answer
 * says how many were left out (`omitted`), so that the coordinator narrows it with a filter.
 */
export const DESK_LIMIT = 1000;

/**
 * The coordinator's desk: what is owed across every live partnership (overdue first), the
 * escalations, and the next deadlines. Each live partnership's state is read (the visibility
 * store lists them; what is owed since when is in their state only).
 */
export function deskRoutes(deps: { service: PartnershipService; limit?: number }): Router {
  const limit = deps.limit ?? DESK_LIMIT;
  const router = express.Router();
  router.get('/desk', async (req, res) => {
    requireCoordinator(req);
    const query = parse(DeskQuery, req.query, 'The query is not valid');
    const now = Date.now();
    // With no worker every read would fail: 503 at once, as any other read answers then.
    await deps.service.requireWorker(false);
    const { ids, total } = await deps.service.liveIds(query, limit);
    const views = await mapLimit(ids, CONCURRENCY, (id) => deps.service.listedState(id).catch(() => undefined));
    const live = views.filter((v): v is PartnershipView => v !== undefined);
    const entries = live
      .flatMap((view) => deskEntries(view, now))
      .filter((e) => !query.party || e.partyId === query.party || e.partyId === undefined)
      .sort((a, b) => RANK[a.status] - RANK[b.status] || Date.parse(a.since) - Date.parse(b.since));
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
      unreadable: ids.length - live.length,
      omitted: total - ids.length,
      entries,
      nextDeadlines,
    });
  });
  return router;
}

const RANK = { overdue: 0, 'due-this-week': 1, later: 2 } as const;

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
