import { asContentRef, excerptOf, type ContentRef } from './content';
import type { Actor } from './schemas/commands';
import type { Contact, Party, StartPartnership } from './schemas/partnership';
import type { ResolutionSubject } from './schemas/commands';
import type { Stage } from './stages';
import type { NotificationRequest } from './notifications';
import type { MeetingSchedule } from './meeting-calendar';
import { TEMPLATES, type DurationSettings, type Milestone, type TemplateId } from './templates';

export interface PartyState extends Omit<Party, 'meetingCalendar'> {
  /** The governing body's meetings, expanded by the API from the calendar the party gave. */
  meetingSchedule?: MeetingSchedule;
  /** `withdrawing`: gave its own notice of withdrawal, still a party until `withdrawsAt`. */
  status: 'active' | 'withdrawing' | 'withdrawn';
  withdrawsAt?: number;
  withdrawalReason?: string;
}

export interface MilestoneRecord {
  milestone: Milestone;
  completedOn?: string;
  skipped?: boolean;
  reason?: string;
  notes?: ContentRef;
  recordedAt: number;
}

export interface DraftRecord {
  version: number;
  title: string;
  /** The hash of the text (that of `text.sha256`) or of the document behind documentUrl. */
  sha256: string;
  documentUrl?: string;
  text?: ContentRef;
  summary?: ContentRef;
  submittedAt: number;
}

export interface ConsultationRecord {
  draftVersion: number;
  opensAt: number;
  closesAt: number;
  closedAt?: number;
  closedEarly?: boolean;
}

export interface FeedbackRecord {
  draftVersion: number;
  partyId?: string;
  community?: string;
  author: string;
  comments: ContentRef;
  receivedAt: number;
}

export interface SignatureRecord {
  partyId: string;
  signatoryName: string;
  signatoryTitle: string;
  signedOn: string;
  draftVersion: number;
  draftHash: string;
  recordedAt: number;
}

export interface TermRecord {
  effectiveAt: number;
  effectiveOn: string;
  endsAt: number;
  /** 1 for the first term, +1 at each renewal. */
  number: number;
}

export interface ReviewRecord {
  heldOn: string;
  findings: ContentRef;
  recordedAt: number;
}

export interface NoticeRecord {
  partyId: string;
  reason: string;
  noticeDays: number;
  givenAt: number;
  endsAt: number;
  withdrawnAt?: number;
}

export interface ResolutionRecord {
  partyId: string;
  subject: ResolutionSubject;
  outcome: 'adopted' | 'rejected';
  resolutionNumber: string;
  adoptedOn: string;
  draftVersion?: number;
  draftHash?: string;
  documentUrl?: string;
  /** The reason's excerpt (emails quote it); the whole text is behind `reasonRef`. */
  reason?: string;
  reasonRef?: ContentRef;
  recordedAt: number;
  requestId: string;
}

export interface ReminderTrack {
  /** Reminders sent so far for this obligation. */
  count: number;
  lastAt: number;
  escalated: boolean;
}

export interface TimelineEntry {
  at: number;
  event: string;
  partyId?: string;
  detail?: string;
}

export interface AppliedCommand {
  command: string;
  /** SHA-256 of the command's canonical JSON: the same request id with another body is refused. */
  fingerprint: string;
  at: number;
}

/** Everything the workflow knows; carried whole through continue-as-new. */
export interface PartnershipState {
  id: string;
  template: TemplateId;
  title: string;
  purpose: string;
  context?: string;
  coordinator: Contact & { language: 'fr' | 'en' };
  parties: PartyState[];
  durations: DurationSettings;
  stage: Stage;
  stageSince: number;
  startedAt: number;
  intake?: { accepted: boolean; interviewedOn: string; notes?: ContentRef; decidedAt: number };
  /** Participation resolutions, and approval resolutions of the last LIMITS.roundsKept versions. */
  resolutions: ResolutionRecord[];
  milestones: MilestoneRecord[];
  /** The last LIMITS.draftsKept versions; the register has every one. */
  drafts: DraftRecord[];
  consultations: ConsultationRecord[];
  /** Feedback of the last LIMITS.feedbackRoundsKept rounds, at most LIMITS.feedbackPerPartyPerRound per party per round. */
  feedback: FeedbackRecord[];
  /** The draft version the current approval round is about, and since when. */
  approvalRound?: { draftVersion: number; since: number };
  signingRound?: { draftVersion: number; since: number };
  /** Signatures of the last LIMITS.roundsKept versions. */
  signatures: SignatureRecord[];
  term?: TermRecord;
  /** The last LIMITS.reviewsKept reviews. */
  reviews: ReviewRecord[];
  notice?: NoticeRecord;
  /** The last LIMITS.pastNoticesKept notices (trimmed when the next one is given). */
  pastNotices: NoticeRecord[];
  /** The version a revision improves on: revision ends with a later one. */
  revisionOf?: number;
  /** Set at each review cycle: the workflow continues as new to keep each run's history small. */
  continueAsNewRequested?: boolean;
  /** When a rejected participation resolution ends the process unless the party is removed. */
  rejectionGraceEndsAt?: number;
  reminders: Record<string, ReminderTrack>;
  /** The latest entries (STATE_LIMITS in lifecycle/bounds.ts); the register keeps them all. */
  timeline: TimelineEntry[];
  /** Timeline entries no longer kept in the state. */
  timelineDropped?: number;
  /**
   * Emails decided but not yet handed to the mail server, oldest first: a command or a stage
   * change never waits for them, and an SMTP outage only delays them.
   */
  outbox?: NotificationRequest[];
  /** The last LIMITS.appliedKept request ids; older ones are found in the register. */
  applied: Record<string, AppliedCommand>;
  closedReason?: string;
}

/**
 * The state of a new partnership. `schedules`: each party's meeting calendar as the API expanded
 * it (the request's `meetingCalendar` is what people gave; the workflow keeps only dates).
 */
export function initialState(id: string, request: StartPartnership, now: number, schedules: Record<string, MeetingSchedule> = {}): PartnershipState {
  const template = TEMPLATES[request.template];
  return {
    id,
    template: request.template,
    title: request.title,
    purpose: request.purpose,
    ...(request.context !== undefined ? { context: request.context } : {}),
    coordinator: request.coordinator,
    parties: request.parties.map(({ meetingCalendar: _given, ...party }) => ({
      ...party,
      ...(schedules[party.id] ? { meetingSchedule: schedules[party.id] } : {}),
      status: 'active' as const,
    })),
    durations: { ...template.durations, ...definedOnly(request.durations ?? {}) },
    stage: 'intake',
    stageSince: now,
    startedAt: now,
    resolutions: [],
    milestones: [],
    drafts: [],
    consultations: [],
    feedback: [],
    signatures: [],
    reviews: [],
    pastNotices: [],
    reminders: {},
    timeline: [{ at: now, event: 'application-received' }],
    applied: {},
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Parties still bound: a withdrawing party owes and receives until its withdrawal takes effect. */
export const activeParties = (state: PartnershipState): PartyState[] => state.parties.filter((party) => party.status !== 'withdrawn');

export const currentDraft = (state: PartnershipState): DraftRecord | undefined => state.drafts[state.drafts.length - 1];

export const currentConsultation = (state: PartnershipState): ConsultationRecord | undefined => state.consultations[state.consultations.length - 1];

export const milestoneRecord = (state: PartnershipState, milestone: Milestone): MilestoneRecord | undefined =>
  state.milestones.find((m) => m.milestone === milestone);

export const findParty = (state: PartnershipState, partyId: string): PartyState | undefined => state.parties.find((party) => party.id === partyId);

export function enterStage(state: PartnershipState, stage: Stage, now: number, detail?: string): void {
  state.stage = stage;
  state.stageSince = now;
  state.timeline.push({ at: now, event: `stage:${stage}`, ...(detail ? { detail } : {}) });
}

export type { Actor };

/**
 * A state carried through continue-as-new by a run from before the claim check holds texts where
 * references are kept today: this turns them into references, in place (the workflow may call it
 * on the state it starts from; the view copes with either).
 */
export function normaliseState(state: PartnershipState): PartnershipState {
  const ref = (value: ContentRef | string) => asContentRef(value);
  if (state.intake?.notes !== undefined) state.intake.notes = ref(state.intake.notes);
  for (const m of state.milestones) if (m.notes !== undefined) m.notes = ref(m.notes);
  for (const d of state.drafts) {
    if (d.text !== undefined) d.text = ref(d.text);
    if (d.summary !== undefined) d.summary = ref(d.summary);
  }
  for (const f of state.feedback) f.comments = ref(f.comments);
  for (const r of state.reviews) r.findings = ref(r.findings);
  for (const r of state.resolutions) {
    if (r.reason !== undefined && r.reasonRef === undefined) {
      r.reasonRef = ref(r.reason);
      r.reason = excerptOf(r.reason);
    }
  }
  return state;
}
