import { z } from 'zod';
import { DURATION_KEYS, TEMPLATE_IDS } from '../templates';
import { MeetingCalendar } from './calendar';
import { DurationText, Email, Language, multiLine, PartyId, singleLine, Slug } from './common';

export const Contact = z.strictObject({
  name: singleLine(200),
  email: Email,
  title: singleLine(200).optional(),
  language: Language.optional(),
});
export type Contact = z.infer<typeof Contact>;

export const PARTY_ROLES = ['provider', 'served'] as const;

export const PARTY_KINDS = ['municipality', 'first-nation', 'non-profit', 'service-centre', 'public-body', 'other'] as const;

export const Party = z.strictObject({
  id: PartyId,
  legalName: singleLine(300),
  kind: z.enum(PARTY_KINDS),
  governingBody: singleLine(200),
  language: Language,
  /** In a shared-services agreement, who provides the service and who is served (seed 000). */
  role: z.enum(PARTY_ROLES).optional(),
  contacts: z.strictObject({
    champion: Contact,
    clerk: Contact,
    signatory: Contact.extend({ title: singleLine(200) }),
  }),
  /** The governing body's meetings: resolutions are asked for and reminded by its agenda (domain/meeting-calendar.ts). */
  meetingCalendar: MeetingCalendar.optional(),
});
export type Party = z.infer<typeof Party>;

export const DurationOverrides = z.strictObject(
  Object.fromEntries(DURATION_KEYS.map((key) => [key, DurationText.optional()])) as Record<(typeof DURATION_KEYS)[number], z.ZodOptional<typeof DurationText>>,
);
export type DurationOverrides = z.infer<typeof DurationOverrides>;

export const StartPartnership = z
  .strictObject({
    template: z.enum(TEMPLATE_IDS),
    slug: Slug.optional(),
    title: singleLine(300),
    purpose: multiLine(5000),
    context: multiLine(10000).optional(),
    coordinator: Contact.extend({ language: Language }),
    parties: z.array(Party).min(2).max(20),
    durations: DurationOverrides.optional(),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.parties.forEach((party, index) => {
      if (seen.has(party.id)) {
        ctx.addIssue({ code: 'custom', path: ['parties', index, 'id'], message: `party id "${party.id}" is used twice` });
      }
      seen.add(party.id);
    });
  });
export type StartPartnership = z.infer<typeof StartPartnership>;
