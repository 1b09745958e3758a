import { applyCommand } from '../apply';
import type { CommandName, ReceivedCommand } from '../commands';
import { fingerprint } from '../fingerprint';
import type { Actor } from '../schemas/commands';
import type { PartnershipState } from '../state';
import { email, type Effects } from './effects';

/** How the register names who sent a command: `coordinator`, `clerk:riverside`. */
export const actorLabel = (actor: Actor): string => (actor.partyId ? `${actor.role}:${actor.partyId}` : actor.role);

/**
 * A command the validator accepted is applied: the state remembers its request id (a repeat,
 * even after continue-as-new, changes nothing), records its facts, and plans its register row
 * and emails. Stage moves that follow from those facts are the stage's own step.
 */
export function commandEffects<N extends CommandName>(state: PartnershipState, name: N, body: ReceivedCommand<N>, actor: Actor, now: number): Effects {
  state.applied[body.requestId] = { command: name, fingerprint: fingerprint(body), at: now };
  const applied = applyCommand(state, name, body, actor, now);
  return {
    records: [
      {
        kind: name,
        actor: actorLabel(actor),
        payload: { ...body },
        key: `command:${body.requestId}`,
        ...(applied.partyId ? { partyId: applied.partyId } : {}),
      },
    ],
    emails: applied.notifications.flatMap((n, i) => email(n.event, `${n.event}:${body.requestId}:${i}`, n.recipients, n.data)),
    stageChanged: false,
  };
}
