import { contactHashOf } from '../action-links';
import { applyCommand } from '../apply';
import type { CommandName, ReceivedCommand } from '../commands';
import type { StoredContent } from '../content';
import type { AccessRevocation } from '../decisions';
import { fingerprint } from '../fingerprint';
import type { Actor } from '../schemas/commands';
import { isFinal } from '../stages';
import { findParty, type PartnershipState } from '../state';
import { email, type Effects } from './effects';

/** How the register names who sent a command: `coordinator`, `clerk:riverside`. */
export const actorLabel = (actor: Actor): string => (actor.partyId ? `${actor.role}:${actor.partyId}` : actor.role);

/** How the register names the credential a command came with: `action-link:<id>`, `access-key:<id>`, `coordinator-key`. */
export const meansOf = (actor: Actor): string | undefined => {
  if (!actor.via) return undefined;
  return actor.credentialId ? `${actor.via}:${actor.credentialId}` : actor.via;
};

/**
 * A command the validator accepted is applied: the state remembers its request id (a repeat,
 * even after continue-as-new, changes nothing), records its facts, and plans its register row
 * and emails. Stage moves that follow from those facts are the stage's own step. The short texts
 * it carried along (`texts`, checked by inlineTextsIssue) are stored with its row.
 */
export function commandEffects<N extends CommandName>(
  state: PartnershipState,
  name: N,
  body: ReceivedCommand<N>,
  actor: Actor,
  now: number,
  texts: StoredContent[] = [],
): Effects {
  state.applied[body.requestId] = { command: name, fingerprint: fingerprint(body), at: now };
  const before = accessBefore(state, name, body);
  const applied = applyCommand(state, name, body, actor, now);
  const means = meansOf(actor);
  const revokeAccess = accessEndedBy(state, name, body, before);
  return {
    records: [
      {
        kind: name,
        actor: actorLabel(actor),
        payload: { ...body },
        key: `command:${body.requestId}`,
        ...(applied.partyId ? { partyId: applied.partyId } : {}),
        ...(means ? { means } : {}),
        ...(revokeAccess ? { revokeAccess } : {}),
        ...(texts.length > 0 ? { contents: texts } : {}),
      },
    ],
    emails: applied.notifications.flatMap((n, i) => email(n.event, `${n.event}:${body.requestId}:${i}`, n.recipients, n.data)),
    stageChanged: false,
  };
}

interface AccessBefore {
  final: boolean;
  /** The address of the contact a replaceContact replaces. */
  replacedEmail?: string;
}

function accessBefore(state: PartnershipState, name: CommandName, body: unknown): AccessBefore {
  const final = isFinal(state.stage);
  if (name !== 'replaceContact') return { final };
  const { partyId, role } = body as ReceivedCommand<'replaceContact'>;
  const replacedEmail = findParty(state, partyId)?.contacts[role]?.email;
  return replacedEmail ? { final, replacedEmail } : { final };
}

/**
 * The access a command ends, decided with the state before and after it: the replaced contact's
 * (unless the same person stays, under another name), a party's that withdrew at once (one
 * withdrawing under notice keeps it until the timer), everyone's when the command ends the
 * partnership.
 */
function accessEndedBy(state: PartnershipState, name: CommandName, body: unknown, before: AccessBefore): AccessRevocation | undefined {
  if (!before.final && isFinal(state.stage)) return { reason: 'partnership-ended' };
  if (name === 'withdrawParty') {
    const { partyId } = body as ReceivedCommand<'withdrawParty'>;
    return findParty(state, partyId)?.status === 'withdrawn' ? { reason: 'party-withdrew', partyId } : undefined;
  }
  if (name === 'replaceContact' && before.replacedEmail) {
    const { partyId, role, contact } = body as ReceivedCommand<'replaceContact'>;
    const replaced = contactHashOf(before.replacedEmail);
    const assigned = contactHashOf(contact.email);
    if (replaced === assigned) return undefined;
    return { reason: 'contact-replaced', partyId, role, contactHash: replaced, reinstatedContactHash: assigned };
  }
  return undefined;
}
