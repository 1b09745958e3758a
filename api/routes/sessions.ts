import express, { type Router } from 'express';
import { z } from 'zod';
import type { RevocationReason } from '../../domain';
import { exchangeActionLink, type LinkRefusal, type RegisterDb } from '../../store';
import type { Logger } from '../../config/logger';
import { Problem } from '../problem';
import { parse } from '../requests';

/** Any string: a malformed token is refused like an unknown one, with the same words. */
const OpenSession = z.strictObject({ token: z.string().max(200) });

const REVOKED_BECAUSE: Record<RevocationReason, string> = {
  'contact-replaced': 'you were replaced as this party’s contact',
  'party-withdrew': 'your party withdrew from the partnership',
  'partnership-ended': 'the partnership has ended',
  coordinator: 'the coordinator revoked it',
  'not-sent': 'the email that carried it was never delivered',
};

/** Why a link opens nothing, in words the person who clicked it can act on. */
export function refusalDetail(refusal: LinkRefusal): string {
  switch (refusal.reason) {
    case 'expired':
      return `This link expired on ${refusal.expiredAt.slice(0, 10)}. Each new email from Entente carries a fresh link; ask the coordinator if you need one now.`;
    case 'revoked':
      return `This link no longer works: ${REVOKED_BECAUSE[refusal.revokedReason] ?? 'it was revoked'}.`;
    default:
      return 'This link is not known: it may be incomplete (copy the whole address from the email) or altered.';
  }
}

/**
 * A personal link from an email is exchanged for a session; no key needed. Mounted before the
 * bearer check, behind the failed sign-in limit. The token is neither logged nor answered back.
 */
export function sessionRoutes(deps: { db: RegisterDb; log: Logger }): Router {
  const router = express.Router();
  router.post('/sessions', async (req, res) => {
    const { token } = parse(OpenSession, req.body);
    const exchanged = await exchangeActionLink(deps.db, token);
    if (!exchanged.ok) {
      deps.log.info({ reason: exchanged.reason, ...(exchanged.reason === 'revoked' ? { revokedReason: exchanged.revokedReason } : {}) }, 'action link refused');
      // The reason by name too, so that the page says it in the reader's language.
      const { ok: _refused, ...reason } = exchanged;
      throw new Problem(401, 'The link was refused', refusalDetail(exchanged), undefined, reason);
    }
    const { ok: _ok, session, linkId, ...scope } = exchanged;
    deps.log.info({ partnership: scope.partnershipId, party: scope.partyId, role: scope.role, link: linkId }, 'session opened');
    // The answer is a credential: no cache keeps it.
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ session, ...scope });
  });
  return router;
}
