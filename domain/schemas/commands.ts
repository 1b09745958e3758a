import { z } from 'zod';
import { IsoDate, multiLine, PartyId, RequestId, singleLine, Url } from './common';

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
    draftHash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex').optional(),
    documentUrl: Url.optional(),
    reason: multiLine(5000).optional(),
  })
  .refine((r) => r.subject !== 'approval' || r.draftVersion !== undefined, {
    path: ['draftVersion'],
    message: 'an approval resolution names the draft version it approves',
  });
export type RecordResolution = z.infer<typeof RecordResolution>;

/** Who sends a command: the API authenticates the key and passes its role along. */
export const Actor = z.strictObject({
  role: z.enum(['coordinator', 'clerk', 'signatory', 'champion']),
  partyId: PartyId.optional(),
});
export type Actor = z.infer<typeof Actor>;
