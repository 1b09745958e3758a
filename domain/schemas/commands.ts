import { z } from 'zod';
import { MILESTONES } from '../templates';
import { IsoDate, multiLine, PartyId, RequestId, singleLine, Url } from './common';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');

export const RecordIntakeDecision = z.strictObject({
  requestId: RequestId,
  accepted: z.boolean(),
  interviewedOn: IsoDate,
  notes: multiLine(5000).optional(),
});
export type RecordIntakeDecision = z.infer<typeof RecordIntakeDecision>;

export const RESOLUTION_SUBJECTS = ['participation', 'approval'] as const;
export type ResolutionSubject = (typeof RESOLUTION_SUBJECTS)[number];

export const RecordResolution = z
  .strictObject({
    requestId: RequestId,
    partyId: PartyId,
    subject: z.enum(RESOLUTION_SUBJECTS),
    outcome: z.enum(['adopted', 'rejected']),
    resolutionNumber: singleLine(100),
    adoptedOn: IsoDate,
    draftVersion: z.int().min(1).optional(),
    draftHash: Sha256.optional(),
    documentUrl: Url.optional(),
    reason: multiLine(5000).optional(),
  })
  .refine((r) => r.subject !== 'approval' || r.draftVersion !== undefined, {
    path: ['draftVersion'],
    message: 'an approval resolution names the draft version it approves',
  });
export type RecordResolution = z.infer<typeof RecordResolution>;

export const RecordMilestone = z
  .strictObject({
    requestId: RequestId,
    milestone: z.enum(MILESTONES),
    completedOn: IsoDate.optional(),
    notes: multiLine(5000).optional(),
    skipped: z.literal(true).optional(),
    reason: multiLine(2000).optional(),
  })
  .refine((m) => (m.skipped ? m.reason !== undefined && m.completedOn === undefined : m.completedOn !== undefined), {
    message: 'give completedOn, or skipped: true with a reason',
  });
export type RecordMilestone = z.infer<typeof RecordMilestone>;

export const SubmitDraft = z
  .strictObject({
    requestId: RequestId,
    version: z.int().min(1).max(1000),
    title: singleLine(300),
    text: multiLine(100_000).optional(),
    documentUrl: Url.optional(),
    /** The SHA-256 of the document behind documentUrl; computed by Entente when the text is given. */
    sha256: Sha256.optional(),
    summary: multiLine(5000).optional(),
  })
  .refine((d) => d.text !== undefined || (d.documentUrl !== undefined && d.sha256 !== undefined), {
    message: 'give the text, or a documentUrl with the sha256 of that document',
  });
export type SubmitDraft = z.infer<typeof SubmitDraft>;

export const SubmitFeedback = z
  .strictObject({
    requestId: RequestId,
    partyId: PartyId.optional(),
    community: singleLine(200).optional(),
    author: singleLine(200),
    comments: multiLine(20_000),
  })
  .refine((f) => (f.partyId === undefined) !== (f.community === undefined), {
    message: 'feedback comes from a party (partyId) or from the community (community), not both',
  });
export type SubmitFeedback = z.infer<typeof SubmitFeedback>;

export const Sign = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
  signatoryName: singleLine(200),
  signatoryTitle: singleLine(200),
  signedOn: IsoDate,
  draftVersion: z.int().min(1),
  draftHash: Sha256.optional(),
});
export type Sign = z.infer<typeof Sign>;

export const RecordReview = z.strictObject({
  requestId: RequestId,
  heldOn: IsoDate,
  findings: multiLine(20_000),
});
export type RecordReview = z.infer<typeof RecordReview>;

export const AmendTerm = z.strictObject({
  requestId: RequestId,
  newEndsOn: IsoDate,
  reason: multiLine(2000),
});
export type AmendTerm = z.infer<typeof AmendTerm>;

export const Renew = z.strictObject({
  requestId: RequestId,
  termMonths: z.int().min(1).max(120),
  decidedOn: IsoDate,
});
export type Renew = z.infer<typeof Renew>;

export const GiveNotice = z.strictObject({
  requestId: RequestId,
  partyId: PartyId,
  reason: multiLine(2000),
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
  reason: multiLine(2000),
});
export type WithdrawParty = z.infer<typeof WithdrawParty>;

export const Abandon = z.strictObject({
  requestId: RequestId,
  reason: multiLine(2000),
});
export type Abandon = z.infer<typeof Abandon>;

/** Who sends a command: the API authenticates the key and passes its role along. */
export const Actor = z.strictObject({
  role: z.enum(['coordinator', 'clerk', 'signatory', 'champion']),
  partyId: PartyId.optional(),
});
export type Actor = z.infer<typeof Actor>;
