import { asContentRef, contentRef, contentView, type ContentRef, type ContentView } from './content';
import { CURRENT_RULES, deadlines, missedTrackKey, type DeadlineReason, type TimerRules } from './deadlines';
import { LIMITS } from './limits';
import { holidayOn, localDay, type Holiday } from './meeting-calendar';
import { obligations, pendingObligations, type ObligationKind, type Owner } from './obligations';
import type { PartnershipState, ResolutionRecord, TimelineEntry } from './state';
import type { MeetingSchedule } from './meeting-calendar';
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
    /** In a shared-services agreement: provider or served. */
    role?: string;
    /** Who acts for the party, by name and title; addresses stay out of the view. */
    contacts: Record<'clerk' | 'signatory' | 'champion', { name: string; title?: string }>;
    owes: string[];
    withdrawsAt?: string;
    /** The governing body's calendar: its next meetings and when each agenda closes, in its time zone. */
    meetingCalendar?: {
      timeZone: string;
      province: string;
      agendaLeadDays: number;
      source: { kind: string; rule?: string; url?: string };
      calendarUntil: string;
      nextMeetings: Array<{ meetingOn: string; at: string; agendaClosesOn: string; shiftedFrom?: string }>;
    };
  }>;
  /**
   * Everything owed now: `what` (an obligation kind), `who` owes it (the coordinator, or the
   * contact of `partyId` who acts on it), since when, when it is due where a date says so, the next
   * reminder where one runs, the reminders already sent and whether the coordinator was told.
   */
  pendingActions: Array<{
    what: ObligationKind;
    who: Owner;
    partyId?: string;
    detail?: string;
    since: string;
    dueAt?: string;
    nextReminderAt?: string;
    /** Why the next reminder (or request, or question after a meeting) is at that date. */
    because?: DeadlineReason;
    remindersSent?: number;
    /** Council meetings since the request at which nothing was recorded. */
    missedMeetings?: number;
    escalated?: boolean;
  }>;
  nextTimers: Array<{ kind: string; at: string; partyId?: string; because?: DeadlineReason }>;
  /**
   * Every text a person wrote at length is shown as a ContentView: its SHA-256, size in bytes, an
   * excerpt, and the `url` of the whole text (GET, with the same key as this state).
   */
  intake?: { accepted: boolean; interviewedOn: string; notes?: ContentView };
  milestones: Array<{ milestone: string; completedOn?: string; skipped?: boolean; reason?: string; notes?: ContentView }>;
  drafts: Array<{ version: number; title: string; sha256: string; documentUrl?: string; text?: ContentView; summary?: ContentView; submittedAt: string }>;
  consultations: Array<{ draftVersion: number; opensAt: string; closesAt: string; closedAt?: string; closedEarly?: boolean }>;
  feedback: Array<{ draftVersion: number; partyId?: string; community?: string; author: string; comments: ContentView; receivedAt: string }>;
  signatures: Array<{ partyId: string; signatoryName: string; signatoryTitle: string; signedOn: string; draftVersion: number; draftHash: string }>;
  term?: { number: number; effectiveOn: string; effectiveAt: string; endsOn: string; endsAt: string };
  reviews: Array<{ heldOn: string; findings: ContentView }>;
  /**
   * `endsOnHoliday`: the notice ends on a statutory holiday of a party's province. Notice periods
   * are legal periods in calendar days: it still ends that day.
   */
  notice?: { partyId: string; reason: string; noticeDays: number; givenAt: string; endsOn: string; endsOnHoliday?: Holiday & { province: string } };
  resolutions: Array<Omit<ResolutionRecord, 'recordedAt' | 'reason' | 'reasonRef'> & { reason?: ContentView; recordedAt: string }>;
  timeline: Array<Omit<TimelineEntry, 'at'> & { at: string }>;
  /** In a command's answer only: the earlier timeline entries left out (see commandAnswerView). */
  timelineOmitted?: number;
  closedReason?: string;
  /**
   * Since when the partnership remembers every request id it applied: set once it keeps only its
   * latest (LIMITS.appliedKept). A command recorded in the register before this instant may have
   * been forgotten; one recorded since then and not remembered was never applied.
   */
  requestsRememberedSince?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * `rules`: the timer rules the workflow runs with (a run from before council calendars shows the
 * periodic reminders it keeps). `now`: from when a council's next meetings are listed; the latest
 * event when not given.
 */
export function partnershipView(state: PartnershipState, rules: TimerRules = CURRENT_RULES, now?: number): PartnershipView {
  const listedFrom = now ?? state.timeline.at(-1)?.at ?? state.stageSince;
  // A state carried from a run before the claim check may still hold texts: shown the same way.
  const content = (value: ContentRef | string): ContentView => contentView(state.id, asContentRef(value));
  const owed = obligations(state);
  const due = deadlines(state, rules);
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
      ...(p.role ? { role: p.role } : {}),
      contacts: {
        clerk: nameAndTitle(p.contacts.clerk),
        signatory: nameAndTitle(p.contacts.signatory),
        champion: nameAndTitle(p.contacts.champion),
      },
      owes: owed.filter((o) => o.partyId === p.id).map((o) => o.kind),
      ...(p.withdrawsAt !== undefined ? { withdrawsAt: iso(p.withdrawsAt) } : {}),
      ...(p.meetingSchedule ? { meetingCalendar: calendarView(p.meetingSchedule, listedFrom) } : {}),
    })),
    pendingActions: pendingActionsOf(state, due),
    nextTimers: nextTimersOf(due),
    ...(state.intake
      ? {
          intake: {
            accepted: state.intake.accepted,
            interviewedOn: state.intake.interviewedOn,
            ...(state.intake.notes ? { notes: content(state.intake.notes) } : {}),
          },
        }
      : {}),
    milestones: state.milestones.map(({ recordedAt: _r, notes, ...m }) => ({ ...m, ...(notes ? { notes: content(notes) } : {}) })),
    drafts: state.drafts.map(({ text, summary, submittedAt, ...d }) => ({
      ...d,
      ...(text !== undefined ? { text: content(text) } : {}),
      ...(summary !== undefined ? { summary: content(summary) } : {}),
      submittedAt: iso(submittedAt),
    })),
    consultations: state.consultations.map((c) => ({
      draftVersion: c.draftVersion,
      opensAt: iso(c.opensAt),
      closesAt: iso(c.closesAt),
      ...(c.closedAt !== undefined ? { closedAt: iso(c.closedAt), closedEarly: c.closedEarly === true } : {}),
    })),
    feedback: state.feedback.map(({ receivedAt, comments, ...f }) => ({ ...f, comments: content(comments), receivedAt: iso(receivedAt) })),
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
    reviews: state.reviews.map(({ heldOn, findings }) => ({ heldOn, findings: content(findings) })),
    ...(state.notice
      ? {
          notice: {
            partyId: state.notice.partyId,
            reason: state.notice.reason,
            noticeDays: state.notice.noticeDays,
            givenAt: iso(state.notice.givenAt),
            endsOn: iso(state.notice.endsAt).slice(0, 10),
            ...noticeHoliday(state, state.notice.endsAt),
          },
        }
      : {}),
    resolutions: state.resolutions.map(({ reason, reasonRef, recordedAt, ...r }) => ({
      ...r,
      ...(reasonRef ? { reason: content(reasonRef) } : reason !== undefined ? { reason: content(contentRef(reason)) } : {}),
      recordedAt: iso(recordedAt),
    })),
    timeline: state.timeline.map((t) => ({ ...t, at: iso(t.at) })),
    ...(state.closedReason ? { closedReason: state.closedReason } : {}),
    ...rememberedSince(state),
  };
}

/**
 * What the coordinator's desk needs of one partnership: the same fields as the state query's view,
 * without the rest. The workflow writes it to the register with its rows, so that the desk reads
 * thousands of partnerships from one table rather than querying (and replaying) each of them.
 */
export type DeskSummary = Pick<PartnershipView, 'id' | 'title' | 'stage' | 'template' | 'pendingActions' | 'nextTimers'>;

export function deskSummary(state: PartnershipState, rules: TimerRules = CURRENT_RULES): DeskSummary {
  const due = deadlines(state, rules);
  return {
    id: state.id,
    title: state.title,
    stage: state.stage,
    template: state.template,
    pendingActions: pendingActionsOf(state, due),
    nextTimers: nextTimersOf(due),
  };
}

/** The summary's fields of a whole view (a state query's answer). */
export const summaryOfView = ({ id, title, stage, template, pendingActions, nextTimers }: PartnershipView): DeskSummary => ({
  id,
  title,
  stage,
  template,
  pendingActions,
  nextTimers,
});

function pendingActionsOf(state: PartnershipState, due: ReturnType<typeof deadlines>): PartnershipView['pendingActions'] {
  return pendingObligations(state).map((o) => {
    const reminder = due.find((d) => d.key === o.key);
    const track = state.reminders[o.key];
    const missed = state.reminders[missedTrackKey(o.key)]?.count ?? 0;
    return {
      what: o.kind,
      who: o.who,
      ...(o.partyId ? { partyId: o.partyId } : {}),
      ...(o.detail ? { detail: o.detail } : {}),
      since: iso(o.since),
      ...(o.dueAt !== undefined ? { dueAt: iso(o.dueAt) } : {}),
      ...(reminder ? { nextReminderAt: iso(reminder.at) } : {}),
      ...(reminder?.because ? { because: reminder.because } : {}),
      ...(track && track.count > 0 ? { remindersSent: track.count } : {}),
      ...(missed > 0 ? { missedMeetings: missed } : {}),
      ...(track?.escalated ? { escalated: true } : {}),
    };
  });
}

const nextTimersOf = (due: ReturnType<typeof deadlines>): PartnershipView['nextTimers'] =>
  due.map((d) => ({ kind: d.kind, at: iso(d.at), ...(d.partyId ? { partyId: d.partyId } : {}), ...(d.because ? { because: d.because } : {}) }));

/**
 * The state a command answers with: the whole view but for its timeline, of which it carries the
 * latest entries (what the command did is at the end). The workflow's answer to every command is
 * kept in its history and read back by the API, so this is each command's cost there: a
 * partnership's timeline of up to 200 entries made most of it.
 */
export function commandAnswerView(view: PartnershipView, kept: number = LIMITS.answerTimelineKept): PartnershipView {
  const omitted = view.timeline.length - kept;
  return omitted > 0 ? { ...view, timeline: view.timeline.slice(omitted), timelineOmitted: omitted } : view;
}

function rememberedSince(state: PartnershipState): { requestsRememberedSince?: string } {
  const times = Object.values(state.applied).map((a) => a.at);
  return times.length >= LIMITS.appliedKept ? { requestsRememberedSince: iso(Math.min(...times)) } : {};
}

/** The next meetings (a handful: the page lists them), from about now on. */
function calendarView(schedule: MeetingSchedule, now: number) {
  return {
    timeZone: schedule.timeZone,
    province: schedule.province,
    agendaLeadDays: schedule.agendaLeadDays,
    source: schedule.source,
    calendarUntil: schedule.until,
    nextMeetings: schedule.meetings
      .filter((m) => m.at >= now)
      .slice(0, 6)
      .map((m) => ({ meetingOn: m.on, at: iso(m.at), agendaClosesOn: m.agendaClosesOn, ...(m.shiftedFrom ? { shiftedFrom: m.shiftedFrom } : {}) })),
  };
}

/** A notice ending on a statutory holiday of a party's province: the page says it still ends that day. */
function noticeHoliday(state: PartnershipState, endsAt: number): { endsOnHoliday?: Holiday & { province: string } } {
  for (const party of state.parties) {
    const schedule = party.meetingSchedule;
    const holiday = schedule && holidayOn(schedule, localDay(schedule, endsAt));
    if (holiday) return { endsOnHoliday: { ...holiday, province: schedule.province } };
  }
  return {};
}

const nameAndTitle = (contact: { name: string; title?: string }): { name: string; title?: string } => ({
  name: contact.name,
  ...(contact.title ? { title: contact.title } : {}),
});
