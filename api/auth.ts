import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { RegisterDb } from '../store/database';
import type { Actor } from '../domain';
import { principalForKey } from '../store/access-keys';
import { Problem } from './problem';

export interface Principal extends Actor {
  /** Party keys are valid for one partnership only; the coordinator's for all. */
  partnershipId?: string;
}

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * Bearer keys: the coordinator's (from the environment) compared by SHA-256 in constant time,
 * party keys looked up by their SHA-256. A key is never stored or logged in clear.
 */
export function bearerAuth(coordinatorKey: string, db: RegisterDb) {
  const coordinatorDigest = digest(coordinatorKey);
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match) return next(new Problem(401, 'Authentication required', 'Send an API key as "Authorization: Bearer <key>".'));
    const key = match[1]!;
    if (timingSafeEqual(digest(key), coordinatorDigest)) {
      withPrincipal(req).principal = { role: 'coordinator' };
      return next();
    }
    const principal = await principalForKey(db, key);
    if (!principal) return next(new Problem(401, 'Authentication failed', 'The API key is not known.'));
    withPrincipal(req).principal = principal;
    next();
  };
}

const withPrincipal = (req: Request) => req as Request & { principal?: Principal };

export function principalOf(req: Request): Principal {
  const principal = withPrincipal(req).principal;
  if (!principal) throw new Problem(401, 'Authentication required');
  return principal;
}

/**
 * A party key sees its own partnership only; to anyone else that partnership does not exist
 * (404, not 403, so that keys cannot probe for the names of other partnerships).
 */
export function requirePartnershipAccess(principal: Principal, partnershipId: string): void {
  if (principal.role !== 'coordinator' && principal.partnershipId !== partnershipId) {
    throw new Problem(404, 'No such partnership', `There is no partnership "${partnershipId}".`);
  }
}
