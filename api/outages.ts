import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/**
 * The API's calls to Temporal retry a few times (about three seconds in all) rather than the
 * client's default of ten attempts (half a minute): a person waiting on a page is better served
 * by a prompt 503, and every command is safe to send again with its requestId.
 */
export const apiGrpcInterceptors = () => [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 6 }))];

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
