import { deadlines } from './deadlines';
import { obligations } from './obligations';
import type { PartnershipState, ResolutionRecord, TimelineEntry } from './state';
import type { Stage } from './stages';
import type { TemplateId } from './templates';

/** What the `state` query returns: the whole picture, with contacts' addresses left out. */
export interface PartnershipView {
  id: string;
  template: TemplateId;
  title: string;
  purpose: string;
  stage: Stage;
  stageSince: string;
  startedAt: string;
  parties: Array<{
    id: string;
    legalName: string;
    kind: string;
    governingBody: string;
    language: string;
    status: string;
    owes: string[];
  }>;
  pendingActions: Array<{ what: string; partyId?: string; since: string; nextReminderAt?: string }>;
  nextTimers: Array<{ kind: string; at: string; partyId?: string }>;
  intake?: { accepted: boolean; interviewedOn: string; notes?: string };
  resolutions: Array<Omit<ResolutionRecord, 'recordedAt'> & { recordedAt: string }>;
  timeline: Array<Omit<TimelineEntry, 'at'> & { at: string }>;
  closedReason?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function partnershipView(state: PartnershipState): PartnershipView {
  const owed = obligations(state);
  const due = deadlines(state);
  return {
    id: state.id,
    template: state.template,
    title: state.title,
    purpose: state.purpose,
    stage: state.stage,
    stageSince: iso(state.stageSince),
    startedAt: iso(state.startedAt),
    parties: state.parties.map((p) => ({
      id: p.id,
      legalName: p.legalName,
      kind: p.kind,
      governingBody: p.governingBody,
      language: p.language,
      status: p.status,
      owes: owed.filter((o) => o.partyId === p.id).map((o) => o.kind),
    })),
    pendingActions: owed.map((o) => {
      const reminder = due.find((d) => d.key === o.key);
      return {
        what: o.kind,
        partyId: o.partyId,
        since: iso(o.since),
        ...(reminder ? { nextReminderAt: iso(reminder.at) } : {}),
      };
    }),
    nextTimers: due.map((d) => ({ kind: d.kind, at: iso(d.at), ...(d.partyId ? { partyId: d.partyId } : {}) })),
    ...(state.intake
      ? {
          intake: {
            accepted: state.intake.accepted,
            interviewedOn: state.intake.interviewedOn,
            ...(state.intake.notes ? { notes: state.intake.notes } : {}),
          },
        }
      : {}),
    resolutions: state.resolutions.map((r) => ({ ...r, recordedAt: iso(r.recordedAt) })),
    timeline: state.timeline.map((t) => ({ ...t, at: iso(t.at) })),
    ...(state.closedReason ? { closedReason: state.closedReason } : {}),
  };
}
