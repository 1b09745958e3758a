import type { z } from 'zod';
import { commitmentOutcome, latestResolution } from './obligations';
import { Actor, RecordIntakeDecision, RecordResolution } from './schemas/commands';
import { findParty, type PartnershipState } from './state';
import { isFinal } from './stages';

/**
 * The catalogue of commands: one zod schema each (the API validates bodies with it, the workflow's
 * update validator parses it again, OpenAPI is generated from it), the route that carries it,
 * and who may send it.
 */
export const COMMANDS = {
  recordIntakeDecision: { schema: RecordIntakeDecision, route: 'intake-decision', roles: ['coordinator'] },
  recordResolution: { schema: RecordResolution, route: 'resolutions', roles: ['coordinator', 'clerk'] },
} as const satisfies Record<string, { schema: z.ZodType; route: string; roles: readonly Actor['role'][] }>;

export type CommandName = keyof typeof COMMANDS;
export type CommandBody<N extends CommandName> = z.infer<(typeof COMMANDS)[N]['schema']>;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/**
 * Why a command is refused. `stage` and `conflict` mean it does not fit the partnership as it is
 * now (HTTP 409); `invalid` and `unknown-party` mean its content is wrong (422); `forbidden`
 * means the sender may not send it (403).
 */
export interface Refusal {
  code: 'stage' | 'conflict' | 'invalid' | 'unknown-party' | 'forbidden';
  message: string;
}

const refuse = (code: Refusal['code'], message: string): Refusal => ({ code, message });

/** Role and party checks: the API applies them before touching the workflow, the workflow again. */
export function authorisationRefusal(name: CommandName, body: { partyId?: string }, actor: Actor): Refusal | undefined {
  const roles: readonly string[] = COMMANDS[name].roles;
  if (!roles.includes(actor.role)) {
    return refuse('forbidden', `a ${actor.role} may not send ${name}`);
  }
  if (actor.role !== 'coordinator' && body.partyId !== undefined && body.partyId !== actor.partyId) {
    return refuse('forbidden', `a ${actor.role} of another party may not act for party "${body.partyId}"`);
  }
  return undefined;
}

export function commandRefusal<N extends CommandName>(
  state: PartnershipState,
  name: N,
  body: CommandBody<N>,
  actor: Actor,
): Refusal | undefined {
  const forbidden = authorisationRefusal(name, body as { partyId?: string }, actor);
  if (forbidden) return forbidden;
  if (isFinal(state.stage)) return refuse('stage', `the partnership is ${state.stage}; it takes no more commands`);
  switch (name) {
    case 'recordIntakeDecision':
      return state.stage === 'intake'
        ? undefined
        : refuse('stage', `the intake decision was already recorded; the partnership is in ${state.stage}`);
    case 'recordResolution':
      return resolutionRefusal(state, body as CommandBody<'recordResolution'>);
    default:
      return refuse('invalid', `unknown command ${String(name)}`);
  }
}

function resolutionRefusal(state: PartnershipState, r: CommandBody<'recordResolution'>): Refusal | undefined {
  const party = findParty(state, r.partyId);
  if (!party) return refuse('unknown-party', `no party "${r.partyId}" in this partnership`);
  if (party.status !== 'active') return refuse('conflict', `party "${r.partyId}" has withdrawn`);
  if (r.subject === 'participation') {
    if (state.stage !== 'commitment') {
      return refuse('stage', `participation resolutions are recorded during commitment; the partnership is in ${state.stage}`);
    }
    const previous = latestResolution(state, r.partyId, 'participation');
    if (previous) {
      return refuse(
        'conflict',
        `party "${r.partyId}" already has participation resolution ${previous.resolutionNumber} (${previous.outcome})`,
      );
    }
    return undefined;
  }
  return refuse('stage', `approval resolutions are recorded during approval; the partnership is in ${state.stage}`);
}

export { commitmentOutcome };
