import type { CommandBody, CommandName } from './commands';
import { partyRecipients, coordinatorRecipient, type NotificationEvent, type Recipient } from './notifications';
import type { Actor } from './schemas/commands';
import type { PartnershipState } from './state';

/** An email a command causes, before the workflow gives it its idempotency key. */
export interface PlannedNotification {
  event: NotificationEvent;
  /** Distinguishes several notifications of one command (one per party, say). */
  suffix?: string;
  recipients: Recipient[];
  data: Record<string, string | number | boolean | undefined>;
}

export interface Applied {
  partyId?: string;
  notifications: PlannedNotification[];
}

/** Records the facts a command carries; stage transitions that follow from them are the workflow's. */
export function applyCommand<N extends CommandName>(
  state: PartnershipState,
  name: N,
  body: CommandBody<N>,
  _actor: Actor,
  now: number,
): Applied {
  switch (name) {
    case 'recordIntakeDecision': {
      const b = body as CommandBody<'recordIntakeDecision'>;
      state.intake = { accepted: b.accepted, interviewedOn: b.interviewedOn, ...(b.notes ? { notes: b.notes } : {}), decidedAt: now };
      state.timeline.push({ at: now, event: b.accepted ? 'intake-accepted' : 'intake-declined' });
      return { notifications: [] };
    }
    case 'recordResolution': {
      const b = body as CommandBody<'recordResolution'>;
      state.resolutions.push({
        partyId: b.partyId,
        subject: b.subject,
        outcome: b.outcome,
        resolutionNumber: b.resolutionNumber,
        adoptedOn: b.adoptedOn,
        ...(b.draftVersion !== undefined ? { draftVersion: b.draftVersion } : {}),
        ...(b.draftHash ? { draftHash: b.draftHash } : {}),
        ...(b.documentUrl ? { documentUrl: b.documentUrl } : {}),
        ...(b.reason ? { reason: b.reason } : {}),
        recordedAt: now,
        requestId: b.requestId,
      });
      state.timeline.push({
        at: now,
        event: `resolution-${b.subject}-${b.outcome}`,
        partyId: b.partyId,
        detail: b.resolutionNumber,
      });
      return {
        partyId: b.partyId,
        notifications: [
          {
            event: 'resolution-recorded',
            recipients: [coordinatorRecipient(state), ...partyRecipients(state, b.partyId, ['champion'])],
            data: {
              partyId: b.partyId,
              subject: b.subject,
              outcome: b.outcome,
              resolutionNumber: b.resolutionNumber,
              adoptedOn: b.adoptedOn,
            },
          },
        ],
      };
    }
    default:
      throw new Error(`no rule applies ${String(name)}`);
  }
}
