import { COMMAND_INFO } from './command-catalogue';
import type { CommandName } from './commands';
import type { Actor } from './schemas/commands';
import type { NotificationEvent } from './notifications';
import { sha256Hex } from './fingerprint';

/**
 * What a personal link opens: the command its email asks for, with what the email already knows
 * filled in (the page shows the form with these values).
 */
export interface LinkAction {
  command: CommandName;
  prefill: Record<string, string | number | boolean>;
}

type EmailData = Record<string, string | number | boolean | undefined>;

const COMMAND_OF: Partial<Record<NotificationEvent, { command: CommandName; fields: readonly string[] }>> = {
  'resolution-requested': { command: 'recordResolution', fields: ['subject', 'draftVersion', 'draftHash'] },
  'resolution-reminder': { command: 'recordResolution', fields: ['subject', 'draftVersion', 'draftHash'] },
  // After a council meeting: the clerk records what it decided.
  'resolution-follow-up': { command: 'recordResolution', fields: ['subject', 'draftVersion', 'draftHash'] },
  'signature-requested': { command: 'sign', fields: ['draftVersion', 'draftHash'] },
  'signature-reminder': { command: 'sign', fields: ['draftVersion', 'draftHash'] },
  'draft-open-for-feedback': { command: 'submitFeedback', fields: ['draftVersion'] },
  'consultation-closing': { command: 'submitFeedback', fields: ['draftVersion'] },
};

/**
 * The action a link in this email opens, for a contact of `partyId` in `role`; undefined when the
 * email asks nothing of that person (a champion told of a resolution request the clerk records):
 * the link then just opens the partnership.
 */
export function linkActionOf(event: NotificationEvent, data: EmailData, partyId?: string, role?: Actor['role']): LinkAction | undefined {
  const known = COMMAND_OF[event];
  if (!known) return undefined;
  if (role !== undefined && !(COMMAND_INFO[known.command].roles as readonly string[]).includes(role)) return undefined;
  const prefill: LinkAction['prefill'] = {};
  const party = partyId ?? data.partyId;
  if (party !== undefined) prefill.partyId = party;
  for (const field of known.fields) {
    const value = data[field];
    if (value !== undefined) prefill[field] = value;
  }
  return { command: known.command, prefill };
}

/** How links, sessions and revocations name a contact: the SHA-256 of the lower-cased address. */
export const contactHashOf = (email: string): string => sha256Hex(email.trim().toLowerCase());

/** The web page of a partnership, which its emails and calendar events link to (the API's own paths answer JSON). */
export const partnershipPageUrl = (publicUrl: string, partnershipId: string): string => `${publicUrl}/#/p/${encodeURIComponent(partnershipId)}`;
