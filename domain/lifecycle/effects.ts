import type { StoredContent } from '../content';
import type { AccessRevocation, DecisionRequest } from '../decisions';
import { findParty, type PartnershipState } from '../state';
import type { NotificationEvent, NotificationRequest, Recipient } from '../notifications';

/** A register row the domain asks for; the workflow adds the partnership and the time. */
export interface PlannedRecord {
  kind: string;
  actor: string;
  payload: Record<string, unknown>;
  partyId?: string;
  /** The business key after the partnership id: unique per event, so a retry records it once. */
  key: string;
  /** A command's: how its sender was authenticated (`action-link:<id>`). */
  means?: string;
  /** Access that ends with this row (a replaced contact, a withdrawn party, the end of the partnership). */
  revokeAccess?: AccessRevocation;
  /** The short texts a command carried along, stored with its row. */
  contents?: StoredContent[];
}

export type EmailData = Record<string, string | number | boolean | undefined>;

/** An email event the domain asks for; `key` is unique per event, never derived from a run. */
export interface PlannedEmail {
  event: NotificationEvent;
  key: string;
  recipients: Recipient[];
  data: EmailData;
}

/**
 * Everything one step of the lifecycle causes, in order: the state has already changed, the
 * register rows come first (the minute book lists the cause before its emails), then the emails.
 */
export interface Effects {
  records: PlannedRecord[];
  emails: PlannedEmail[];
  /** The step moved the partnership to another stage (or entered the same one anew). */
  stageChanged: boolean;
}

export const noEffects = (): Effects => ({ records: [], emails: [], stageChanged: false });

export function email(event: NotificationEvent, key: string, recipients: Recipient[], data: EmailData = {}): PlannedEmail[] {
  // Nobody to tell (a consultation where every party answered): no email, no activity.
  return recipients.length === 0 ? [] : [{ event, key, recipients, data }];
}

/** The register row of a planned record, as the `recordDecision` activity takes it. */
export function decisionRequest(state: PartnershipState, record: PlannedRecord, now: number): DecisionRequest {
  return {
    key: `${state.id}:${record.key}`,
    partnershipId: state.id,
    kind: record.kind,
    actor: record.actor,
    ...(record.partyId ? { partyId: record.partyId } : {}),
    payload: record.payload,
    occurredAt: new Date(now).toISOString(),
    ...(record.means ? { means: record.means } : {}),
    ...(record.revokeAccess ? { revokeAccess: record.revokeAccess } : {}),
    ...(record.contents ? { contents: record.contents } : {}),
  };
}

/** The `sendNotification` request of a planned email, with what every template shows. */
export function notificationRequest(state: PartnershipState, planned: PlannedEmail): NotificationRequest {
  const { data } = planned;
  return {
    key: `${state.id}:${planned.key}`,
    partnershipId: state.id,
    event: planned.event,
    recipients: planned.recipients,
    data: {
      title: state.title,
      stage: state.stage,
      ...(typeof data.partyId === 'string' ? { partyName: findParty(state, data.partyId)?.legalName } : {}),
      ...data,
    },
  };
}
