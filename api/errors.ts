import type { Refusal } from '../domain';

/**
 * What the partnership service can answer besides a result. Each is a class, matched by type in
 * the API's one error handler (api/problem.ts), never by the text of a message.
 */
export class PartnershipError extends Error {
  override readonly name: string = 'PartnershipError';
}

export class PartnershipNotFound extends PartnershipError {
  override readonly name = 'PartnershipNotFound';
  constructor(readonly partnershipId: string) {
    super(`There is no partnership "${partnershipId}".`);
  }
}

export class PartnershipExists extends PartnershipError {
  override readonly name = 'PartnershipExists';
  constructor(readonly partnershipId: string) {
    super(`The partnership "${partnershipId}" already exists; choose another slug.`);
  }
}

export class PartnershipEnded extends PartnershipError {
  override readonly name = 'PartnershipEnded';
  constructor(readonly partnershipId: string) {
    super('The partnership has ended; it takes no more commands.');
  }
}

export class IdempotencyKeyReused extends PartnershipError {
  override readonly name = 'IdempotencyKeyReused';
  constructor(what: string) {
    super(`This Idempotency-Key was already used to ${what} with a different body.`);
  }
}

/** The workflow's validator (or the API's own check before it) refused a command. */
export class CommandRefused extends PartnershipError {
  override readonly name = 'CommandRefused';
  constructor(
    readonly code: Refusal['code'],
    message: string,
  ) {
    super(message);
  }
}

/** No worker polls the task queue: a query or an update would wait until its deadline. */
export class NoWorker extends PartnershipError {
  override readonly name = 'NoWorker';
  constructor(readonly commandNotSent: boolean) {
    super(
      commandNotSent
        ? 'No worker polls the task queue: the command was not sent to the partnership. Send it again (same requestId) once a worker runs.'
        : 'No worker polls the task queue to answer for the partnership. Try again once a worker runs.',
    );
  }
}

/**
 * A read or a command reached Temporal, and no answer came: the worker stopped meanwhile (its
 * heartbeat or its pollers say so), or none came within the API's wait. A command may still be
 * applied once a worker takes it; sent again with its requestId, it answers its outcome.
 */
export class NotAnswered extends PartnershipError {
  override readonly name = 'NotAnswered';
  constructor(
    readonly why: 'worker-stopped' | 'timeout',
    readonly command: boolean,
    waitedMs: number,
  ) {
    const cause =
      why === 'worker-stopped'
        ? 'The worker stopped before the partnership answered.'
        : `The partnership did not answer within ${+(waitedMs / 1000).toFixed(1)} s (its worker may be overloaded, or stopping).`;
    super(
      command
        ? `${cause} The command reached Temporal and may still be applied once a worker takes it: send it again with the same requestId to learn its outcome (it is never applied twice).`
        : `${cause} Try again ${why === 'worker-stopped' ? 'once a worker runs' : 'shortly'}.`,
    );
  }
}

/**
 * Temporal refuses updates while the partnership's workflow task fails (a fault in the workflow
 * code or its replay): nothing sent now is applied, and only an operator can mend it.
 */
export class PartnershipFailing extends PartnershipError {
  override readonly name = 'PartnershipFailing';
  constructor(readonly partnershipId: string) {
    super(
      'Its workflow task is failing on the worker, so it cannot take or answer anything now; nothing sent was applied. An operator must mend it (the Temporal UI shows the failure; README, "Known issues").',
    );
  }
}

/**
 * Temporal did not take the request because the partnership's run was handing over to a fresh one,
 * or its workflow task failed meanwhile, every time the API sent it again (api/outages.ts): nothing
 * was applied, and the same request a moment later is taken.
 */
export class PartnershipBusy extends PartnershipError {
  override readonly name = 'PartnershipBusy';
  constructor(readonly partnershipId: string) {
    super(
      'It was handing over to a fresh run, or its workflow task failed a moment ago, each time this was sent; nothing sent was applied. Send the same request again in a moment.',
    );
  }
}

export class TemporalUnavailable extends PartnershipError {
  override readonly name = 'TemporalUnavailable';
  constructor() {
    super('Temporal is unreachable; try again shortly.');
  }
}
