import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import {
  CommandRefused,
  IdempotencyKeyReused,
  NoWorker,
  NotAnswered,
  PartnershipBusy,
  PartnershipEnded,
  PartnershipExists,
  PartnershipFailing,
  PartnershipNotFound,
  TemporalUnavailable,
} from './errors';
import { isDatabaseOutage } from './outages';
import type { SignInLockout } from './auth';

/** An RFC 9457 problem: every error the API returns is one of these. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: Array<{ pointer: string; detail: string }>,
    /** RFC 9457 extension members: facts a client reads by name rather than from the detail's words. */
    readonly extensions?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

/** A 422 with a JSON pointer per failing field, from zod's issues or the domain's own (same shape). */
export const fromIssues = (issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, title = 'The request body is not valid'): Problem =>
  new Problem(
    422,
    title,
    `${issues.length} field${issues.length === 1 ? '' : 's'} failed validation`,
    issues.map((issue) => ({
      pointer: `/${issue.path.map(String).join('/')}`,
      detail: issue.message,
    })),
  );

export const fromZod = (error: z.ZodError, title = 'The request body is not valid'): Problem => fromIssues(error.issues, title);

export function sendProblem(res: Response, problem: Problem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      ...problem.extensions,
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

const REFUSAL_STATUS: Record<CommandRefused['code'], number> = { stage: 409, conflict: 409, invalid: 422, 'unknown-party': 422, forbidden: 403 };

/** The service's errors (api/errors.ts) as the problems a client can act on, matched by type. */
export function problemOf(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  if (err instanceof PartnershipNotFound) return new Problem(404, 'No such partnership', err.message);
  if (err instanceof PartnershipExists) return new Problem(409, 'The partnership already exists', 'Choose another slug.');
  if (err instanceof PartnershipEnded) return new Problem(409, 'The command was refused', err.message);
  if (err instanceof IdempotencyKeyReused) return new Problem(409, 'Idempotency-Key reused', err.message);
  if (err instanceof CommandRefused) return new Problem(REFUSAL_STATUS[err.code], 'The command was refused', err.message);
  if (err instanceof NoWorker) return new Problem(503, 'No worker is running', err.message);
  if (err instanceof NotAnswered)
    return new Problem(503, err.why === 'worker-stopped' ? 'No worker is running' : 'The partnership did not answer', err.message);
  if (err instanceof TemporalUnavailable) return new Problem(503, 'Temporal is unreachable', 'Try again shortly.');
  if (err instanceof PartnershipFailing) return new Problem(503, 'The partnership is failing', err.message);
  if (err instanceof PartnershipBusy) return new Problem(503, 'The partnership is busy', err.message);
  return undefined;
}

/** The last middleware: known problems as they are, anything else as a bare 500 without details. */
export function problemHandler(log: { error: (obj: object, msg: string) => void }) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = problemOf(err);
    // Past its limit on failed sign-ins (api/auth.ts), a source's failures are answered 429.
    const lockout = known?.status === 401 ? (res.locals.signInLockout as SignInLockout | undefined) : undefined;
    if (lockout) {
      res.set('Retry-After', String(lockout.wait));
      return sendProblem(res, new Problem(429, 'Too many failed sign-ins', lockout.detail));
    }
    if (known) return sendProblem(res, known);
    // body-parser's refusals, by type: each says what to send instead.
    const { status, type } = err as { status?: number; type?: string };
    if (type === 'entity.parse.failed') return sendProblem(res, new Problem(400, 'The body is not valid JSON'));
    if (type === 'entity.too.large') return sendProblem(res, new Problem(413, 'The body is too large'));
    if (type === 'charset.unsupported') {
      return sendProblem(res, new Problem(415, "The body's charset is not supported", 'Send the body as JSON in UTF-8 ("Content-Type: application/json").'));
    }
    const compressed = !/^(identity)?$/i.test(req.get('content-encoding') ?? '');
    if (type === 'encoding.unsupported' || (compressed && status === 400)) {
      const unknown = type === 'encoding.unsupported';
      return sendProblem(
        res,
        new Problem(
          unknown ? 415 : 400,
          unknown ? "The body's Content-Encoding is not supported" : 'The body could not be decompressed',
          'Send the body uncompressed, or compressed as its Content-Encoding says (gzip, deflate or br).',
        ),
      );
    }
    if (status && status >= 400 && status < 500) return sendProblem(res, new Problem(status, 'The request was refused'));
    if (isDatabaseOutage(err)) {
      log.error({ err: { name: (err as Error)?.name, code: (err as { code?: unknown }).code }, path: req.path }, 'database unreachable');
      return sendProblem(res, new Problem(503, 'The database is unreachable', 'Try again shortly.'));
    }
    log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message }, path: req.path }, 'request failed');
    sendProblem(res, new Problem(500, 'Internal error', 'The error was logged; nothing in this request was applied twice.'));
  };
}
