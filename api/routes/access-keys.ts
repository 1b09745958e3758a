import express, { type Router } from 'express';
import { IssueAccessKey, KeyId } from '../../domain';
import { accessKeysOf, issueAccessKey, revokeAccessKey, type RegisterDb } from '../../store';
import type { Logger } from '../../config/logger';
import { Problem } from '../problem';
import { idempotencyKey, parse, requireCoordinator, visiblePartnership } from '../requests';
import { IdempotencyKeyReused } from '../errors';
import { fingerprint } from '../../domain/fingerprint';
import type { PartnershipService } from '../service';

/** Keys the coordinator issues to party contacts, and revokes. */
export function accessKeyRoutes(deps: { service: PartnershipService; db: RegisterDb; log: Logger }): Router {
  const { service, db } = deps;
  const router = express.Router();

  router.post('/partnerships/:id/access-keys', async (req, res) => {
    requireCoordinator(req);
    const id = visiblePartnership(req);
    const request = parse(IssueAccessKey, req.body);
    const state = await service.state(id);
    if (!state.parties.some((p) => p.id === request.partyId && p.status !== 'withdrawn')) {
      throw new Problem(422, 'Unknown party', `No party "${request.partyId}" in this partnership.`, [
        { pointer: '/partyId', detail: 'not a party of this partnership' },
      ]);
    }
    const idempotency = idempotencyKey(req);
    const issued = idempotency
      ? await issueAccessKey(db, id, request, { key: idempotency, fingerprint: fingerprint(request) })
      : await issueAccessKey(db, id, request);
    if ('conflict' in issued) throw new IdempotencyKeyReused('issue a key');
    const { key, id: keyId } = issued;
    deps.log.info(
      { partnership: id, key: keyId, role: request.role, party: request.partyId, ...('retried' in issued && issued.retried ? { retried: true } : {}) },
      'access key issued',
    );
    res.status(201).json({ key, id: keyId, role: request.role, partyId: request.partyId, partnershipId: id, note: 'Shown once; only its hash is kept.' });
  });

  router.get('/partnerships/:id/access-keys', async (req, res) => {
    requireCoordinator(req);
    const id = visiblePartnership(req);
    await service.requireExists(id);
    res.json({ partnershipId: id, keys: await accessKeysOf(db, id) });
  });

  router.post('/partnerships/:id/access-keys/:keyId/revoke', async (req, res) => {
    requireCoordinator(req);
    const id = visiblePartnership(req);
    const keyId = KeyId.safeParse(req.params.keyId);
    const revoked = keyId.success ? await revokeAccessKey(db, id, keyId.data) : undefined;
    if (!revoked) throw new Problem(404, 'No such key', `This partnership has no key "${String(req.params.keyId).slice(0, 40)}".`);
    deps.log.info({ partnership: id, key: revoked.id }, 'access key revoked');
    res.json(revoked);
  });

  return router;
}
