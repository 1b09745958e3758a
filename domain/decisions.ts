import type { StoredContent } from './content';
import type { DeskSummary } from './view';

/**
 * One row of the decision register as the workflow asks for it. `key` is unique: derived from the
 * partnership and the business event (a command's request id, a timer's obligation and sequence),
 * so that a retried activity or a replayed workflow records it once.
 */
export interface DecisionRequest {
  key: string;
  partnershipId: string;
  kind: string;
  actor: string;
  partyId?: string;
  payload: Record<string, unknown>;
  occurredAt: string;
  /** How a command's sender was authenticated: `action-link:<id>`, `access-key:<id>`, `coordinator-key`. */
  means?: string;
  /** Access the row takes away, in the same transaction as the row itself. */
  revokeAccess?: AccessRevocation;
  /** Texts the row's command names, stored in the same transaction (the short ones it carried along). */
  contents?: StoredContent[];
  /**
   * The partnership's desk summary once the row's cause is applied, kept in the same transaction;
   * a summary older than the one kept (`version`: the workflow's time and order of writing) is
   * left out, so that a write retried late never puts back what a later one replaced.
   */
  desk?: { version: number; summary: DeskSummary };
}

/** Why links, sessions and keys stop working; the API says it in words to whoever tries one. */
export const REVOCATION_REASONS = ['contact-replaced', 'party-withdrew', 'partnership-ended', 'coordinator', 'not-sent'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/**
 * Whose access ends, within the row's partnership: every field given narrows it (no party: the
 * whole partnership). A contact is named by the SHA-256 of their lower-cased address.
 */
export interface AccessRevocation {
  reason: RevocationReason;
  partyId?: string;
  role?: 'clerk' | 'signatory' | 'champion';
  contactHash?: string;
  /** The contact now holding the party-role, if they were revoked there before: their access comes back. */
  reinstatedContactHash?: string;
}
