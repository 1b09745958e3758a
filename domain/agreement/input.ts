import { z } from 'zod';
import { parseDuration } from '../durations';
import { DurationText, IsoDate, Language, multiLine, PartyId, singleLine } from '../schemas/common';
import { PARTY_KINDS } from '../schemas/partnership';
import { raciIssues, RaciMatrix } from './raci';

/**
 * What `renderAgreement` needs to fill a template, built by the workflow or the API from a
 * partnership's state (parties, durations, approved draft, signatures) and what the parties
 * wrote (purpose, context, responsibilities). Every text is the parties' own words: the document
 * escapes it, never interprets it.
 */
export const AGREEMENT_TEMPLATES = ['mou', 'partnership-agreement', 'shared-services-agreement'] as const;
export type AgreementTemplate = (typeof AGREEMENT_TEMPLATES)[number];

/** Paragraphs or list items: the parties write these, the template only places them. */
const Paragraphs = z.array(multiLine(5000)).max(50);

export const AgreementParty = z.strictObject({
  id: PartyId,
  legalName: singleLine(300),
  kind: z.enum(PARTY_KINDS),
  governingBody: singleLine(200),
  address: singleLine(500).optional(),
  /** A paragraph of the Context section: what the organisation does. */
  mission: multiLine(5000).optional(),
  responsibilities: Paragraphs.default([]),
  /** Points of contact by title (the guide: titles keep the agreement true when people leave). */
  contacts: z.array(singleLine(200)).max(10).default([]),
  signatory: z.strictObject({ name: singleLine(200), title: singleLine(200) }),
  /** Shared-services agreements: whether the party provides the service or receives it. */
  role: z.enum(['provider', 'served']).optional(),
});
export type AgreementParty = z.infer<typeof AgreementParty>;

export const AgreementSignature = z.strictObject({
  partyId: PartyId,
  signatoryName: singleLine(200),
  signatoryTitle: singleLine(200),
  signedOn: IsoDate,
});
export type AgreementSignature = z.infer<typeof AgreementSignature>;

export const AgreementInput = z
  .strictObject({
    template: z.enum(AGREEMENT_TEMPLATES),
    language: Language,
    title: singleLine(300),
    purpose: multiLine(5000),
    /** Why the parties enter into the agreement (the Context section's last paragraph). */
    context: multiLine(10000).optional(),
    parties: z.array(AgreementParty).min(2).max(20),
    /** The term, as a number of months, or in words when it is not a plain number of months. */
    termMonths: z.number().int().min(1).max(1200).optional(),
    termText: singleLine(300).optional(),
    effectiveOn: IsoDate.optional(),
    endsOn: IsoDate.optional(),
    /** How long before the end the parties meet to decide on renewal ("6 months"). */
    renewalMeetingBefore: DurationText.default('6 months'),
    noticeDays: z.number().int().min(1).max(3650),
    /** Partnership agreement: the body that decides and receives notices. */
    steeringCommittee: singleLine(200).optional(),
    outcomes: Paragraphs.optional(),
    values: Paragraphs.optional(),
    resourceCommitments: Paragraphs.optional(),
    financialCommitments: Paragraphs.optional(),
    liability: Paragraphs.optional(),
    evaluation: Paragraphs.optional(),
    /** Shared-services agreement: the services and how they are charged. */
    services: Paragraphs.optional(),
    fees: Paragraphs.optional(),
    draftVersion: z.number().int().min(1).optional(),
    signatures: z.array(AgreementSignature).max(20).optional(),
    raci: RaciMatrix.optional(),
  })
  .superRefine((input, ctx) => {
    const ids = input.parties.map((p) => p.id);
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: ['parties', index, 'id'], message: `party id "${id}" is used twice` });
    });
    if (input.termMonths === undefined && input.termText === undefined) {
      ctx.addIssue({ code: 'custom', path: ['termMonths'], message: 'give the term in months (termMonths) or in words (termText)' });
    }
    if (parseDuration(input.renewalMeetingBefore) === undefined) {
      ctx.addIssue({ code: 'custom', path: ['renewalMeetingBefore'], message: 'must be a duration such as "6 months"' });
    }
    input.signatures?.forEach((signature, index) => {
      if (!ids.includes(signature.partyId)) {
        ctx.addIssue({ code: 'custom', path: ['signatures', index, 'partyId'], message: `"${signature.partyId}" is not a party` });
      }
    });
    if (input.template === 'shared-services-agreement' && !input.parties.some((p) => p.role === 'provider')) {
      ctx.addIssue({ code: 'custom', path: ['parties'], message: 'a shared-services agreement needs a party with role "provider"' });
    }
    if (input.raci) {
      // The matrix's own rules are checked by RaciMatrix; here only what needs the parties.
      for (const issue of raciIssues(input.raci, ids).filter((i) => /not a party/.test(i.message))) {
        ctx.addIssue({ code: 'custom', path: ['raci', ...issue.path], message: issue.message });
      }
    }
  });
/** What a caller writes (defaults may be left out). */
export type AgreementInputData = z.input<typeof AgreementInput>;
/** What the renderer works from, once parsed. */
export type AgreementInput = z.output<typeof AgreementInput>;
