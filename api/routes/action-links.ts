import express, { type Router } from 'express';
import { z } from 'zod';
import { actionLinksOf, revokeActionLink, type RegisterDb } from '../../store';
import type { Logger } from '../../config/logger';
import { Problem } from '../problem';
import { requireCoordinator, visiblePartnership } from '../requests';
import type { PartnershipService } from '../service';

const LinkId = z.string().regex(/^[0-9a-f]{16}$/);

/** The personal links emails carried, for the coordinator to see and revoke; never a token. */
export function actionLinkRoutes(deps: { service: PartnershipService; db: RegisterDb; log: Logger }): Router {
  const { service, db } = deps;
  const router = express.Router();

  router.get('/partnerships/:id/action-links', async (req, res) => {
    requireCoordinator(req);
    const id = visiblePartnership(req);
    await service.requireExists(id);
    res.json({ partnershipId: id, links: await actionLinksOf(db, id) });
  });

  router.post('/partnerships/:id/action-links/:linkId/revoke', async (req, res) => {
    requireCoordinator(req);
    const id = visiblePartnership(req);
    const linkId = LinkId.safeParse(req.params.linkId);
    const revoked = linkId.success ? await revokeActionLink(db, id, linkId.data) : undefined;
    if (!revoked) throw new Problem(404, 'No such link', `This partnership has no link "${String(req.params.linkId).slice(0, 40)}".`);
    deps.log.info({ partnership: id, link: revoked.id }, 'action link revoked');
    res.json(revoked);
  });

  return router;
}
