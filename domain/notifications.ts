import type { Language } from './schemas/common';
import { activeParties, findParty, type PartnershipState } from './state';

/**
 * Every email Entente sends. The data each carries besides `title`, `stage`, `link` (and
 * `partyId`/`partyName` where a party is concerned) is listed beside it.
 */
export const NOTIFICATION_EVENTS = [
  'intake-accepted', //
  'intake-declined', //
  'resolution-requested', // subject (participation | approval), draftVersion?, meetingOn?, agendaClosesOn?, timeZone? (a council with a calendar)
  'resolution-reminder', // subject, count, dueSince, meetingOn?, agendaClosesOn?, timeZone?
  'resolution-follow-up', // subject, heldOn, missedMeetings, meetingOn?, agendaClosesOn? (the morning after a meeting, to the clerk)
  'resolution-escalation', // subject, count, missedMeetings? (to the coordinator)
  'resolution-recorded', // subject, outcome, resolutionNumber, adoptedOn
  'commitment-complete', //
  'process-abandoned', // reason
  'groundwork-complete', //
  'check-in', // count, nextCheckInAt (monthly call with the program team)
  'draft-open-for-feedback', // draftVersion, draftTitle, closesAt (meeting-like deadline: iCalendar)
  'consultation-closing', // draftVersion, closesAt (to parties that have not responded)
  'consultation-closed', // draftVersion, responses, closedEarly
  'feedback-received', // draftVersion, author (to the coordinator)
  'approval-rejected', // draftVersion, reason (back to revision)
  'signature-requested', // draftVersion, draftHash
  'signature-reminder', // draftVersion, count
  'signed', // effectiveOn, endsOn (congratulations to everyone)
  'review-due', // dueAt, reviewNumber (semi-annual performance review)
  'renewal-meeting', // endsOn, meetingBy (six months before expiry: iCalendar)
  'renewed', // endsOn, termMonths
  'term-amended', // endsOn, reason
  'expired', // endedOn
  'notice-received', // reason, endsOn, noticeDays (formal: both languages)
  'notice-ending', // endsOn (14 days before)
  'notice-withdrawn', //
  'party-withdrawal', // reason, effectiveOn (formal: both languages)
  'dissolved', // endedOn, with the dissolution checklist (formal: both languages)
  'contact-assigned', // role (to the new contact and the coordinator)
] as const;
/** Formal notices carry both languages whatever the recipient's. */
export const FORMAL_EVENTS: readonly NotificationEvent[] = ['notice-received', 'party-withdrawal', 'dissolved'];
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

export function partyRecipients(state: PartnershipState, partyId: string, roles: Array<Exclude<ContactRole, 'coordinator'>>): Recipient[] {
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

/** The coordinator and every contact of every party still bound, each address once. */
export function everyone(state: PartnershipState): Recipient[] {
  const all = [coordinatorRecipient(state), ...activeParties(state).flatMap((p) => partyRecipients(state, p.id, ['champion', 'clerk', 'signatory']))];
  const seen = new Set<string>();
  return all.filter((r) => {
    const key = r.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
