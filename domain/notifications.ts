import type { Language } from './schemas/common';
import { activeParties, findParty, type PartnershipState } from './state';

export const NOTIFICATION_EVENTS = [
  'intake-accepted',
  'intake-declined',
  'resolution-requested',
  'resolution-reminder',
  'resolution-escalation',
  'resolution-recorded',
  'commitment-complete',
  'process-abandoned',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export type ContactRole = 'coordinator' | 'champion' | 'clerk' | 'signatory';

export interface Recipient {
  name: string;
  email: string;
  language: Language;
  role: ContactRole;
  partyId?: string;
}

/**
 * One email event; the activity sends one message per recipient. `key` is derived from the
 * partnership, the event and its sequence, never the run id, so retries and continue-as-new
 * cannot turn it into a second email.
 */
export interface NotificationRequest {
  key: string;
  partnershipId: string;
  event: NotificationEvent;
  recipients: Recipient[];
  data: Record<string, string | number | boolean | undefined>;
}

export function coordinatorRecipient(state: PartnershipState): Recipient {
  const c = state.coordinator;
  return { name: c.name, email: c.email, language: c.language, role: 'coordinator' };
}

export function partyRecipients(
  state: PartnershipState,
  partyId: string,
  roles: Array<Exclude<ContactRole, 'coordinator'>>,
): Recipient[] {
  const party = findParty(state, partyId);
  if (!party) return [];
  return roles.map((role) => {
    const contact = party.contacts[role];
    return {
      name: contact.name,
      email: contact.email,
      language: contact.language ?? party.language,
      role,
      partyId: party.id,
    };
  });
}

/** The coordinator and every active party's champion. */
export function championsAndCoordinator(state: PartnershipState): Recipient[] {
  return [coordinatorRecipient(state), ...activeParties(state).flatMap((p) => partyRecipients(state, p.id, ['champion']))];
}
