import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RegisterDb } from '../store/database';
import type { Actor, LinkAction } from '../domain';
import { hashKey, keyIdOf, principalForKey } from '../store/access-keys';
import { principalForSession } from '../store/sessions';
import { Problem } from './problem';
import { sourceKey, WindowCounter } from './rate-limits';

export interface Principal extends Actor {
  /** Party keys and sessions are valid for one partnership only; the coordinator's key for all. */
  partnershipId?: string;
  /** A session's: what the link it was opened with asks for. */
  action?: LinkAction;
}

/** Who the workflow is told sent a command: the role, the party, and the credential used. */
export const actorOf = (principal: Principal): Actor => ({
  role: principal.role,
  ...(principal.partyId ? { partyId: principal.partyId } : {}),
  ...(principal.via ? { via: principal.via } : {}),
  ...(principal.credentialId ? { credentialId: principal.credentialId } : {}),
});

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

const bearerDigests = new WeakMap<Request, Buffer>();

/** The SHA-256 of the bearer this request was authenticated with: the write limit counts by it. */
export const bearerDigestOf = (req: Request): Buffer | undefined => bearerDigests.get(req);

/**
 * Bearer credentials: the coordinator's key (from the environment) compared by SHA-256 in
 * constant time; a session (`ens_…`, opened with an action link) and a party key looked up by
 * their SHA-256. None is ever stored or logged in clear.
 */
export function bearerAuth(coordinatorKey: string, db: RegisterDb) {
  const coordinatorDigest = digest(coordinatorKey);
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match) return next(new Problem(401, 'Authentication required', 'Send an API key as "Authorization: Bearer <key>".'));
    const key = match[1]!;
    const keyDigest = digest(key);
    bearerDigests.set(req, keyDigest);
    if (timingSafeEqual(keyDigest, coordinatorDigest)) {
      withPrincipal(req).principal = { role: 'coordinator', via: 'coordinator-key' };
      return next();
    }
    if (key.startsWith('ens_')) {
      const session = await principalForSession(db, key);
      if (!session) return next(new Problem(401, 'Authentication failed', 'The session has expired or was ended; open the link in your latest email again.'));
      withPrincipal(req).principal = {
        role: session.role,
        partyId: session.partyId,
        partnershipId: session.partnershipId,
        via: 'action-link',
        credentialId: session.linkId,
        ...(session.action ? { action: session.action } : {}),
      };
      return next();
    }
    const holder = await principalForKey(db, key);
    if (!holder) return next(new Problem(401, 'Authentication failed', 'The API key is not known.'));
    withPrincipal(req).principal = { ...holder, via: 'access-key', credentialId: keyIdOf(hashKey(key)) };
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

export interface FailedSignInLimit {
  /** Failed authentications (401) a source may have in the window before it is refused. */
  limit: number;
  windowMs: number;
}

/** In `res.locals.signInLockout` while the request's source is past its limit on failed sign-ins. */
export interface SignInLockout {
  wait: number;
  detail: string;
}

export const FAILED_SIGN_INS: FailedSignInLimit = { limit: 20, windowMs: 10 * 60_000 };

/**
 * Guessing keys, sessions or link tokens: each 401 counts against its source address, and past
 * the limit every failure from the source is answered 429 until its window ends. A valid
 * credential still gets through: one script with a stale key behind a shared address (an
 * office's NAT, a proxy without TRUST_PROXY) must not lock everyone there out. That tells a
 * guesser nothing worth having: keys carry 192 random bits, links and sessions 256. Only failures
 * count, when they are answered, so that a busy client with a good key is never held back.
 */
export function failedSignInLimit(options: FailedSignInLimit = FAILED_SIGN_INS): RequestHandler {
  const store = new WindowCounter(options.windowMs);
  return (req, res, next) => {
    const source = sourceKey(req.ip ?? '');
    const seen = store.get(source);
    if (seen && seen.totalHits >= options.limit) {
      const wait = Math.max(1, Math.ceil((seen.resetTime - Date.now()) / 1000));
      // The problem handler (api/problem.ts) answers this source's next 401 as this 429.
      res.locals.signInLockout = {
        wait,
        detail: `${options.limit} failed sign-ins from this address in ${options.windowMs / 60_000} minutes; wait ${wait} s. A valid key or link is still accepted.`,
      } satisfies SignInLockout;
      return next();
    }
    // A request without any credential (a page not signed in yet) guesses nothing.
    const guessed = req.get('authorization') !== undefined || req.path === '/sessions';
    res.on('finish', () => {
      if (res.statusCode === 401 && guessed) store.increment(source);
    });
    next();
  };
}
