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
}
