import { z } from 'zod';
import { contentRefField, Sha256 } from './content';
import { MILESTONES } from '../templates';
import { IsoDate, multiLine, PartyId, PastDate, RequestId, singleLine, Url } from './common';
import { MeetingCalendar, MeetingScheduleSchema } from './calendar';
import { Contact, PARTY_ROLES } from './partnership';

/**
 * Each command that carries text a person writes at length is defined once, as a shape over its
 * content fields (see domain/content.ts). With `multiLine`, it is the body a person sends to the
 * API (OpenAPI and the web page show it); with `contentRefField`, it is the command the workflow
 * receives, each such field replaced by the reference to the text the API stored. A refinement,
 * where there is one, is shared by both: zod's `.extend` refuses refined schemas, so both are
 * built from the shape.
 */
/** A refinement shared by the body and the command: the check, and the issue it raises. */
type Rule<T> = [check: (value: T) => boolean, issue: { path?: PropertyKey[]; message: string }];

/** Longest texts, in characters, as the API accepts them. */
export const TEXT_LIMITS = {
  intakeNotes: 5000,
  milestoneNotes: 5000,
  resolutionReason: 5000,
  draftText: 100_000,
  draftSummary: 5000,
  feedbackComments: 20_000,
  reviewFindings: 20_000,
  /**
   * Reasons (a skipped milestone, a notice, a withdrawal, an amended term, an abandoned process)
   * stay inline in the command and the state: each is kept once or in a bounded list, and emails
   * quote them whole.
   */
  reason: 2000,
} as const;

const intakeShape = <T extends z.ZodType>(content: (max: number) => T) => ({
  requestId: RequestId,
  accepted: z.boolean(),
  interviewedOn: PastDate,
  notes: content(TEXT_LIMITS.intakeNotes).optional(),
});
export const RecordIntakeDecision = z.strictObject(intakeShape(multiLine));
export type RecordIntakeDecision = z.infer<typeof RecordIntakeDecision>;

export const RESOLUTION_SUBJECTS = ['participation', 'approval'];
export type ResolutionSubject = (typeof RESOLUTION_SUBJECTS)[number];

const resolutionShape = <T extends z.ZodType>(content: (max: number) => T) => ({
  requestId: RequestId,
  partyId: PartyId,
  subject: z.enum(RESOLUTION_SUBJECTS),
  outcome: z.enum(['adopted', 'rejected']),
  resolutionNumber: singleLine(100),
  adoptedOn: PastDate,
  draftVersion: z.int().min(1).optional(),
  draftHash: Sha256.optional(),
  documentUrl: Url.optional(),
  reason: content(TEXT_LIMITS.resolutionReason).optional(),
});
const resolutionRule: Rule<{ subject: ResolutionSubject; draftVersion?: number }> = [
  (r) => r.subject !== 'approval' || r.draftVersion !== undefined,
  { path: ['draftVersion'], message: 'an approval resolution names the draft version it approves' },
];
export const RecordResolution = z.strictObject(resolutionShape(multiLine)).refine(...resolutionRule);
export type RecordResolution = z.infer<typeof RecordResolution>;

const milestoneShape = <T extends z.ZodType>(content: (max: number) => T) => ({
  requestId: RequestId,
  milestone: z.enum(MILESTONES),
  completedOn: PastDate.optional(),
  notes: content(TEXT_LIMITS.milestoneNotes).optional(),
  skipped: z.literal(true).optional(),
  reason: multiLine(TEXT_LIMITS.reason).optional(),
});
const milestoneRule: Rule<{ skipped?: true; reason?: string; completedOn?: string }> = [
  (m) => (m.skipped ? m.reason !== undefined && m.completedOn === undefined : m.completedOn !== undefined),
  { message: 'give completedOn, or skipped: true with a reason' },
];
export const RecordMilestone = z.strictObject(milestoneShape(multiLine)).refine(...milestoneRule);
export type RecordMilestone = z.infer<typeof RecordMilestone>;

const draftShape = <T extends z.ZodType>(content: (max: number) => T) => ({
  requestId: RequestId,
  version: z.int().min(1).max(1000),
  title: singleLine(300),
  text: content(TEXT_LIMITS.draftText).optional(),
  documentUrl: Url.optional(),
  /** The SHA-256 of the document behind documentUrl; computed by Entente when the text is given. */
  sha256: Sha256.optional(),
  summary: content(TEXT_LIMITS.draftSummary).optional(),
});
const draftRule: Rule<{ text?: unknown; documentUrl?: string; sha256?: string }> = [
  (d) => d.text !== undefined || (d.documentUrl !== undefined && d.sha256 !== undefined),
  { message: 'give the text, or a documentUrl with the sha256 of that document' },
];
export const SubmitDraft = z.strictObject(draftShape(multiLine)).refine(...draftRule);
export type SubmitDraft = z.infer<typeof SubmitDraft>;

const feedbackShape = <T extends z.ZodType>(content: (max: number) => T) => ({
  requestId: RequestId,
  partyId: PartyId.optional(),
  community: singleLine(200).optional(),
  author: singleLine(200),
  comments: content(TEXT_LIMITS.feedbackComments),
});
const feedbackRule: Rule<{ partyId?: string; community?: string }> = [
  (f) => (f.partyId === undefined) !== (f.community === undefined),
  { message: 'feedback comes from a party (partyId) or from the community (community), not both' },
];
export const SubmitFeedback = z.strictObject(feedbackShape(multiLine)).refine(...feedbackRule);
export type SubmitFeedback = z.infer<typeof SubmitFeedback>;

export const Sign = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
  signatoryName: singleLine(200),
  signatoryTitle: singleLine(200),
  signedOn: PastDate,
  draftVersion: z.int().min(1),
  draftHash: Sha256.optional(),
});
export type Sign = z.infer<typeof Sign>;

const reviewShape = <T extends z.ZodType>(content: (max: number) => T) => ({
  requestId: RequestId,
  heldOn: PastDate,
  findings: content(TEXT_LIMITS.reviewFindings),
});
export const RecordReview = z.strictObject(reviewShape(multiLine));
export type RecordReview = z.infer<typeof RecordReview>;

export const AmendTerm = z.strictObject({
  requestId: RequestId,
  newEndsOn: IsoDate,
  reason: multiLine(TEXT_LIMITS.reason),
});
export type AmendTerm = z.infer<typeof AmendTerm>;

export const Renew = z.strictObject({
  requestId: RequestId,
  termMonths: z.int().min(1).max(120),
  decidedOn: PastDate,
});
export type Renew = z.infer<typeof Renew>;

export const GiveNotice = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
  reason: multiLine(TEXT_LIMITS.reason),
  noticeDays: z.int().min(1).max(730).optional(),
});
export type GiveNotice = z.infer<typeof GiveNotice>;

export const WithdrawNotice = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
});
export type WithdrawNotice = z.infer<typeof WithdrawNotice>;

export const WithdrawParty = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
  reason: multiLine(TEXT_LIMITS.reason),
});
export type WithdrawParty = z.infer<typeof WithdrawParty>;

export const Abandon = z.strictObject({
  requestId: RequestId,
  reason: multiLine(TEXT_LIMITS.reason),
});
export type Abandon = z.infer<typeof Abandon>;

/**
 * What the workflow receives for the commands above that carry long text: the same shape, each
 * content field a reference ({ sha256, size, excerpt }). Commands without such fields are received
 * as they are sent.
 */
export const RecordIntakeDecisionCommand = z.strictObject(intakeShape(contentRefField));
export const RecordResolutionCommand = z.strictObject(resolutionShape(contentRefField)).refine(...resolutionRule);
export const RecordMilestoneCommand = z.strictObject(milestoneShape(contentRefField)).refine(...milestoneRule);
export const SubmitDraftCommand = z.strictObject(draftShape(contentRefField)).refine(...draftRule);
export const SubmitFeedbackCommand = z.strictObject(feedbackShape(contentRefField)).refine(...feedbackRule);
export const RecordReviewCommand = z.strictObject(reviewShape(contentRefField));

export const CONTACT_ROLES = ['clerk', 'signatory', 'champion'] as const;

/** People change (elections, staff turnover): a party's clerk, signatory or champion is replaced. */
export const ReplaceContact = z
  .strictObject({
    requestId: RequestId,
    partyId: PartyId,
    role: z.enum(CONTACT_ROLES),
    contact: Contact,
  })
  .refine((c) => c.role !== 'signatory' || c.contact.title !== undefined, {
    path: ['contact', 'title'],
    message: 'a signatory signs with a title',
  });
export type ReplaceContact = z.infer<typeof ReplaceContact>;

/** In a shared-services agreement, who provides the service and who is served (seed 000). */
export const SetPartyRole = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
  role: z.enum(PARTY_ROLES),
});
export type SetPartyRole = z.infer<typeof SetPartyRole>;

/**
 * A party's governing body gives (or changes) its meeting calendar: the body a person sends holds
 * the calendar as given; the API expands it (api/meeting-calendars.ts) and the workflow receives
 * the dates (SetMeetingCalendarCommand).
 */
export const SetMeetingCalendar = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
  calendar: MeetingCalendar,
});
export type SetMeetingCalendar = z.infer<typeof SetMeetingCalendar>;

export const SetMeetingCalendarCommand = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
  schedule: MeetingScheduleSchema,
  /**
   * The SHA-256 of the calendar as given (its canonical JSON): the same request sent again on a
   * later day, when its dates would expand differently, is known for a repeat. Absent on commands
   * sent before it existed.
   */
  calendarSha256: Sha256.optional(),
});
export type SetMeetingCalendarCommand = z.infer<typeof SetMeetingCalendarCommand>;

/**
 * Who sends a command: the API authenticates the credential and passes its role along, with how
 * it was authenticated (`via`) and which credential it was (a key's or a link's id), for the
 * register.
 */
export const Actor = z.strictObject({
  role: z.enum(['coordinator', 'clerk', 'signatory', 'champion']),
  partyId: PartyId.optional(),
  via: z.enum(['coordinator-key', 'access-key', 'action-link']).optional(),
  credentialId: z.string().max(64).optional(),
});
export type Actor = z.infer<typeof Actor>;
