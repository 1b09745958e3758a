import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type GrpcRetryOptions } from '@temporalio/client';

/** What the server answers a command that arrives while the run hands over to a fresh one. */
const CLOSING = /workflow is closing/i;
/** gRPC's RESOURCE_EXHAUSTED status code. */
const RESOURCE_EXHAUSTED = 8;

/**
 * The API's calls to Temporal retry a few times (about three seconds in all) rather than the
 * client's default of ten attempts (half a minute): a person waiting on a page is better served
 * by a prompt 503, and every command is safe to send again with its requestId. A command that
 * meets its partnership's run as it hands over to a fresh one (short runs) is answered
 * RESOURCE_EXHAUSTED "workflow is closing": the fresh run takes it a few milliseconds later, so it
 * goes again after 20 ms, doubling, not after the second and more the client keeps for a server
 * that is rate limiting.
 */
export function apiGrpcRetryOptions(): GrpcRetryOptions {
  const defaults = defaultGrpcRetryOptions({ maxAttempts: 6 });
  return {
    retryableDecider: defaults.retryableDecider,
    delayFunction: (attempt, status) =>
      status.code === RESOURCE_EXHAUSTED && CLOSING.test(status.details ?? '') ? 20 * 2 ** (attempt - 1) : defaults.delayFunction(attempt, status),
  };
}

export const apiGrpcInterceptors = () => [makeGrpcRetryInterceptor(apiGrpcRetryOptions())];

/** Network errors (node), PostgreSQL's connection and shutdown classes (08, 57P), SQLite's busy or unopenable file. */
const OUTAGE_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|08\w{3}|57P0[1-3]|SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR\w*))$/;
const OUTAGE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|driver has already been destroyed|Client has encountered a connection error/i;

/** Whether an error from the register's driver means the database cannot be reached now, rather than a fault in the request. */
export function isDatabaseOutage(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && OUTAGE_CODES.test(code)) return true;
  if (typeof message === 'string' && OUTAGE_MESSAGES.test(message)) return true;
  // Node reports a refused connection to a host with several addresses as an AggregateError.
  return Array.isArray(errors) && errors.some(isDatabaseOutage);
}
