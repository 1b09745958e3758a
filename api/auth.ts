import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../domain';
import { Problem } from './problem';

export interface Principal extends Actor {
  /** Party keys are valid for one partnership only; the coordinator's for all. */
  partnershipId?: string;
}

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * Bearer keys are compared by their SHA-256 only, in constant time; the key itself is never
 * stored or logged.
 */
export function bearerAuth(coordinatorKey: string) {
  const coordinatorDigest = digest(coordinatorKey);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(new Problem(401, 'Authentication required', 'Send an API key as "Authorization: Bearer <key>".'));
    if (timingSafeEqual(digest(match[1]!), coordinatorDigest)) {
      res(req).principal = { role: 'coordinator' };
      return next();
    }
    next(new Problem(401, 'Authentication failed', 'The API key is not known.'));
  };
}

const res = (req: Request) => req as Request & { principal?: Principal };

export function principalOf(req: Request): Principal {
  const principal = res(req).principal;
  if (!principal) throw new Problem(401, 'Authentication required');
  return principal;
}
