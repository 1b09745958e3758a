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
    withdrawsAt?: string;
  }>;
  pendingActions: Array<{ what: string; partyId?: string; detail?: string; since: string; nextReminderAt?: string }>;
  nextTimers: Array<{ kind: string; at: string; partyId?: string }>;
  intake?: { accepted: boolean; interviewedOn: string; notes?: string };
  milestones: Array<{ milestone: string; completedOn?: string; skipped?: boolean; reason?: string; notes?: string }>;
  drafts: Array<{ version: number; title: string; sha256: string; documentUrl?: string; summary?: string; submittedAt: string; textLength?: number }>;
  consultations: Array<{ draftVersion: number; opensAt: string; closesAt: string; closedAt?: string; closedEarly?: boolean }>;
  feedback: Array<{ draftVersion: number; partyId?: string; community?: string; author: string; comments: string; receivedAt: string }>;
  signatures: Array<{ partyId: string; signatoryName: string; signatoryTitle: string; signedOn: string; draftVersion: number; draftHash: string }>;
  term?: { number: number; effectiveOn: string; effectiveAt: string; endsOn: string; endsAt: string };
  reviews: Array<{ heldOn: string; findings: string }>;
  notice?: { partyId: string; reason: string; noticeDays: number; givenAt: string; endsOn: string };
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
      ...(p.withdrawsAt !== undefined ? { withdrawsAt: iso(p.withdrawsAt) } : {}),
    })),
    pendingActions: owed.map((o) => {
      const reminder = due.find((d) => d.key === o.key);
      return {
        what: o.kind,
        ...(o.partyId ? { partyId: o.partyId } : {}),
        ...(o.detail ? { detail: o.detail } : {}),
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
    milestones: state.milestones.map(({ recordedAt: _r, ...m }) => m),
    drafts: state.drafts.map(({ text, submittedAt, ...d }) => ({
      ...d,
      submittedAt: iso(submittedAt),
      ...(text !== undefined ? { textLength: text.length } : {}),
    })),
    consultations: state.consultations.map((c) => ({
      draftVersion: c.draftVersion,
      opensAt: iso(c.opensAt),
      closesAt: iso(c.closesAt),
      ...(c.closedAt !== undefined ? { closedAt: iso(c.closedAt), closedEarly: c.closedEarly === true } : {}),
    })),
    feedback: state.feedback.map(({ receivedAt, ...f }) => ({ ...f, receivedAt: iso(receivedAt) })),
    signatures: state.signatures.map(({ recordedAt: _r, ...s }) => s),
    ...(state.term
      ? {
          term: {
            number: state.term.number,
            effectiveOn: state.term.effectiveOn,
            effectiveAt: iso(state.term.effectiveAt),
            endsOn: iso(state.term.endsAt).slice(0, 10),
            endsAt: iso(state.term.endsAt),
          },
        }
      : {}),
    reviews: state.reviews.map(({ heldOn, findings }) => ({ heldOn, findings })),
    ...(state.notice
      ? {
          notice: {
            partyId: state.notice.partyId,
            reason: state.notice.reason,
            noticeDays: state.notice.noticeDays,
            givenAt: iso(state.notice.givenAt),
            endsOn: iso(state.notice.endsAt).slice(0, 10),
          },
        }
      : {}),
    resolutions: state.resolutions.map((r) => ({ ...r, recordedAt: iso(r.recordedAt) })),
    timeline: state.timeline.map((t) => ({ ...t, at: iso(t.at) })),
    ...(state.closedReason ? { closedReason: state.closedReason } : {}),
  };
}
