import express, { type Request, type Router } from 'express';
import { AgreementInputError, renderAgreement } from '../../activities/documents/render-agreement';
import { StartPartnership, type Language } from '../../domain';
import { offeredActions } from '../../domain/actions';
import { Sha256 } from '../../domain/schemas/content';
import { durationFloorIssues } from '../../domain/duration-floors';
import { contentOf, decisionsOf, verifyChain, type RegisterDb } from '../../store';
import { loadEnv, publicUrl } from '../../config/env';
import type { Logger } from '../../config/logger';
import { principalOf } from '../auth';
import { partnershipCalendar } from '../calendar';
import { startSchedules } from '../meeting-calendars';
import { ListQuery } from '../listing';
import { Problem, fromIssues } from '../problem';
import { idempotencyKey, parse, requireCoordinator, visiblePartnership } from '../requests';
import type { PartnershipService } from '../service';
import { slugify } from '../slug';
import { partnershipPageUrl } from '../../domain/action-links';

export interface PartnershipRoutesDeps {
  service: PartnershipService;
  db: RegisterDb;
  log: Logger;
  /** Base of the calendar's links; PUBLIC_URL's own default when unset, never the request's Host. */
  publicUrl?: string;
  allowShortDurations: boolean;
  /** How a council's iCalendar URL is fetched: public addresses only unless set (api/public-fetch.ts). */
  calendarFetch?: typeof fetch;
}

/** Partnerships: started, listed, read whole, with their register, agreement, calendar and texts. */
export function partnershipRoutes(deps: PartnershipRoutesDeps): Router {
  const { service, db } = deps;
  const base = deps.publicUrl ?? publicUrl(loadEnv({}));
  const router = express.Router();

  /** Who this caller is: the web page shows the coordinator the desk, and a party contact its partnership. */
  router.get('/me', (req, res) => {
    const { role, partyId, partnershipId, via, action } = principalOf(req);
    res.json({ role, ...(partyId ? { partyId } : {}), ...(partnershipId ? { partnershipId } : {}), means: via, ...(action ? { action } : {}) });
  });

  router.post('/partnerships', async (req, res) => {
    requireCoordinator(req);
    const request = parse(StartPartnership, req.body);
    // Reminders every millisecond, a notice of 0 days: refused before the workflow starts.
    const tooShort = durationFloorIssues(request.durations, { allowShortDurations: deps.allowShortDurations });
    if (tooShort.length > 0) throw fromIssues(tooShort, 'A duration is below its floor');
    const slug = request.slug ?? slugify(request.title);
    // Each council's calendar expanded into its dates (an iCalendar URL fetched) before the workflow starts.
    const { request: given, schedules } = await startSchedules({ ...request, slug }, Date.now(), deps.calendarFetch);
    const started = await service.start(slug, given, idempotencyKey(req), schedules);
    deps.log.info({ partnership: slug, template: request.template }, 'partnership started');
    res.status(201).location(`/partnerships/${slug}`).json(started);
  });

  router.get('/partnerships', async (req, res) => {
    requireCoordinator(req);
    res.json(await service.list(parse(ListQuery, req.query, 'The query is not valid')));
  });

  /** The state, and the actions the caller may take now (the domain's rules, as the workflow applies them). */
  router.get('/partnerships/:id', async (req, res) => {
    const view = await service.state(visiblePartnership(req));
    const { role, partyId } = principalOf(req);
    res.json({ ...view, actions: offeredActions(view, { role, ...(partyId ? { partyId } : {}) }) });
  });

  router.get('/partnerships/:id/decisions', async (req, res) => {
    const id = visiblePartnership(req);
    await service.requireExists(id);
    const [rows, chain] = await Promise.all([decisionsOf(db, id), verifyChain(db, id)]);
    res.json({ partnershipId: id, chain, decisions: rows });
  });

  router.get('/partnerships/:id/agreement', async (req, res) => {
    const id = visiblePartnership(req);
    const language = languageAsked(req);
    const data = await service.agreement(id, language);
    let rendered;
    try {
      rendered = renderAgreement(data);
    } catch (err) {
      // What the partnership knows does not make a valid agreement yet (a shared-services agreement
      // without a provider, say): a fact about the partnership, not a fault of the server.
      if (err instanceof AgreementInputError) {
        throw new Problem(409, 'The agreement cannot be rendered', err.issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; '));
      }
      throw err;
    }
    if (req.accepts(['text/html', 'text/markdown']) === 'text/markdown') {
      res.type('text/markdown; charset=utf-8').send(rendered.markdown);
    } else {
      res.type('html').send(rendered.html);
    }
  });

  router.get('/partnerships/:id/calendar.ics', async (req, res) => {
    const id = visiblePartnership(req);
    const view = await service.state(id);
    res
      .type('text/calendar; charset=utf-8')
      .set('content-disposition', `attachment; filename="${id}.ics"`)
      .vary('Accept-Language')
      .send(partnershipCalendar(view, partnershipPageUrl(base, id), new URL(base).hostname, languageAsked(req)));
  });

  /**
   * A text a command carried (the claim check): stored once in the register, served whole to the
   * caller who may read the partnership.
   */
  router.get('/partnerships/:id/contents/:sha256', async (req, res) => {
    const id = visiblePartnership(req);
    const hash = Sha256.safeParse(req.params.sha256);
    const text = hash.success ? await contentOf(db, id, hash.data) : undefined;
    if (text === undefined) throw new Problem(404, 'No such content', 'This partnership holds no text with this SHA-256.');
    res
      .type('text/plain; charset=utf-8')
      .set('cache-control', 'private, max-age=31536000, immutable')
      .set('etag', `"${hash.data}"`)
      .send(Buffer.from(text, 'utf8'));
  });

  return router;
}

/** `?lang=fr` or `?lang=en`, else the browser's Accept-Language, else English. */
function languageAsked(req: Request): Language {
  const asked = req.query.lang === 'fr' || req.query.lang === 'en' ? req.query.lang : req.acceptsLanguages('en', 'fr');
  return asked === 'fr' ? 'fr' : 'en';
}
