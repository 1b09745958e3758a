import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { z } from 'zod';
import { RequestId, Slug } from '../domain';
import { bearerDigestOf, principalOf, requirePartnershipAccess } from './auth';
import { Problem, fromZod } from './problem';

/**
 * A body that is not JSON (a form, as `curl -d` sends without a Content-Type; text) would reach
 * validation as no body at all, answered "expected object, received undefined": 415 says what to
 * send instead. An empty body, of whatever type, is no body.
 */
export function jsonBodiesOnly(req: Request, _res: Response, next: NextFunction): void {
  const chunked = req.get('transfer-encoding') !== undefined;
  const length = Number(req.get('content-length') ?? 0);
  if ((chunked || length > 0) && !req.is('application/json')) {
    return next(new Problem(415, 'The body is not JSON', 'Send the body as JSON, with the header "Content-Type: application/json".'));
  }
  next();
}

/** A body or query parsed by its zod schema, or a 422 naming each field that failed. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, title?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZod(parsed.error, title);
  return parsed.data;
}

/** The partnership in the path, if this caller may see it; otherwise, as for an unknown one, 404. */
export function visiblePartnership(req: Request): string {
  const parsed = Slug.safeParse(req.params.id);
  if (!parsed.success) throw new Problem(404, 'No such partnership', 'A partnership id is a slug.');
  requirePartnershipAccess(principalOf(req), parsed.data);
  return parsed.data;
}

export function requireCoordinator(req: Request): void {
  if (principalOf(req).role !== 'coordinator') throw new Problem(403, 'Not allowed', 'Only the coordinator may do this.');
}

/** The optional Idempotency-Key of a request (a start, a key issued), with the syntax of a request id. */
export function idempotencyKey(req: Request): string | undefined {
  const header = req.get('idempotency-key');
  if (header === undefined) return undefined;
  const parsed = RequestId.safeParse(header);
  if (!parsed.success) {
    throw new Problem(422, 'The Idempotency-Key header is not valid', undefined, [
      { pointer: '/', detail: `Idempotency-Key: ${parsed.error.issues[0]!.message}` },
    ]);
  }
  return parsed.data;
}

/** A command's `requestId` may come in the body or as an Idempotency-Key header; both must agree. */
export function withIdempotencyKey(req: Request): unknown {
  const header = req.get('idempotency-key');
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? { ...req.body } : req.body;
  if (header && body && typeof body === 'object') {
    if (body.requestId !== undefined && body.requestId !== header) {
      throw new Problem(422, 'Conflicting request ids', "The Idempotency-Key header and the body's requestId differ.");
    }
    body.requestId = header;
  }
  return body;
}

/**
 * The write limit's bucket: an authenticated caller by a digest of its bearer (the coordinator's
 * key, each party key and each session apart; the secret itself is never kept), anything else by
 * its address.
 */
export function writeLimitKey(req: Request): string {
  const principal = (req as Request & { principal?: unknown }).principal;
  // The digest bearerAuth took to check the key, rather than a second one.
  const checked = principal ? bearerDigestOf(req) : undefined;
  if (checked) return `key:${checked.toString('hex', 0, 16)}`;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (bearer && principal) {
    return `key:${createHash('sha256').update(bearer).digest('hex').slice(0, 32)}`;
  }
  return `ip:${ipKeyGenerator(req.ip ?? '')}`;
}
