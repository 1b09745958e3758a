import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { REFUSAL_TYPE_PREFIX } from '../workflows/messages';
import { Problem } from './problem';

const REFUSAL_STATUS: Record<string, number> = { stage: 409, conflict: 409, invalid: 422, 'unknown-party': 422, forbidden: 403 };

/** Turns what Temporal says about a workflow into the problem a client can act on. */
export function toProblem(err: unknown, partnershipId?: string): Problem {
  if (err instanceof Problem) return err;
  const message = (err as Error)?.message ?? '';
  // The server answers an update to a closed workflow with NOT_FOUND, which the client turns into
  // WorkflowNotFoundError; the partnership exists (its state is still readable), it has ended.
  if (/workflow execution already completed/i.test(message)) {
    return new Problem(409, 'The command was refused', 'The partnership has ended; it takes no more commands.');
  }
  if (err instanceof WorkflowNotFoundError) {
    return new Problem(404, 'No such partnership', partnershipId ? `There is no partnership "${partnershipId}".` : undefined);
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new Problem(409, 'The partnership already exists', 'Choose another slug.');
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type ?? '';
    if (type.startsWith(REFUSAL_TYPE_PREFIX)) {
      const code = type.slice(REFUSAL_TYPE_PREFIX.length);
      return new Problem(REFUSAL_STATUS[code] ?? 409, 'The command was refused', err.cause.message);
    }
  }
  if (temporalUnavailable(err)) return new Problem(503, 'Temporal is unreachable', 'Try again shortly.');
  throw err;
}

/** gRPC's UNAVAILABLE (14), also where the client wraps it (a ServiceError whose cause it is). */
export function temporalUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: number }).code === 14 || /UNAVAILABLE|ECONNREFUSED|Connection refused/i.test((e as Error).message ?? '')) return true;
  }
  return false;
}
