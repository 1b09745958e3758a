import { z } from 'zod';
import { PartyId, singleLine } from './common';

/** The roles a party contact acts in; each holds its own keys and action links. */
export const ContactRoleName = z.enum(['clerk', 'signatory', 'champion']);
export type ContactRoleName = z.infer<typeof ContactRoleName>;

export const IssueAccessKey = z.strictObject({
  role: ContactRoleName,
  partyId: PartyId,
  /** Whose key it is, as the coordinator wants to recognise it later; no address needed. */
  label: singleLine(200).optional(),
});
export type IssueAccessKey = z.infer<typeof IssueAccessKey>;

/** How a key is named once issued: a prefix of its hash, from which the key cannot be recovered. */
export const KeyId = z.string().regex(/^[0-9a-f]{16}$/, 'the id of a key, as listed');
