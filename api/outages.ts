import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type GrpcRetryOptions } from '@temporalio/client';

/** What the server answers a command that arrives while the run hands over to a fresh one. */
const CLOSING = /workflow is closing/i;
/** What it answers a command whose workflow task failed, not applied: the hand-over met an event. */
const TASK_FAILED = /update due to unexpected workflow task failure/i;
/** gRPC's status codes. */
const RESOURCE_EXHAUSTED = 8;
const FAILED_PRECONDITION = 9;

/** A command the server did not apply because its run was handing over: the next run takes it. */
export const metHandOver = (status: { code: number; details?: string }) =>
  (status.code === RESOURCE_EXHAUSTED && CLOSING.test(status.details ?? '')) || (status.code === FAILED_PRECONDITION && TASK_FAILED.test(status.details ?? ''));

/**
 * The API's calls to Temporal retry a few times (about three seconds in all) rather than the
 * client's default of ten attempts (half a minute): a person waiting on a page is better served
 * by a prompt 503, and every command is safe to send again with its requestId. A command that
 * meets its partnership's run as it hands over to a fresh one (short runs) is answered
 * RESOURCE_EXHAUSTED "workflow is closing", or, when the workflow task that took it and handed
 * over was failed by the server because an event (a timer, say) came meanwhile, FAILED_PRECONDITION
 * "unexpected workflow task failure": in both cases nothing was applied (a register row written
 * meanwhile is found by its key and not written twice), and the fresh run takes it a few
 * milliseconds later, so it goes again after 20 ms, doubling, not after the second and more the
 * client keeps for a server that is rate limiting.
 */
export function apiGrpcRetryOptions(): GrpcRetryOptions {
  const attempts = 6;
  const defaults = defaultGrpcRetryOptions({ maxAttempts: attempts });
  return {
    retryableDecider: (attempt, status) => defaults.retryableDecider(attempt, status) || (attempt < attempts && metHandOver(status)),
    delayFunction: (attempt, status) => (metHandOver(status) ? 20 * 2 ** (attempt - 1) : defaults.delayFunction(attempt, status)),
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
