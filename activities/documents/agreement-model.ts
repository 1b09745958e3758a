import { parseDuration } from '../../domain/durations';
import type { AgreementInput, AgreementParty, RaciMatrix } from '../../domain/agreement';
import { formatDate } from '../notifications/format';
import { WORDING, type Wording } from './wording';
import { DAY } from '../../domain/time';

/**
 * An agreement as a list of sections of plain-text blocks. Both the Markdown and the HTML are
 * rendered from this one model, so that they cannot disagree, and every string in it is plain
 * text that each format escapes in its own way.
 */
export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'subheading'; text: string }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'signature'; party: string; fields: Array<[string, string]> };

export interface Section {
  id: string;
  heading: string;
  blocks: Block[];
}

export interface AgreementModel {
  language: AgreementInput['language'];
  /** The document kind ("Memorandum of Understanding"). */
  title: string;
  /** The partnership's own title. */
  name: string;
  subtitle: string;
  draft?: string;
  preamble: Block[];
  sections: Section[];
}

const BLANK = '____________________';

/** Consecutive "- " lines become one list; anything else is a paragraph. */
export function blocksOf(texts: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (const text of texts) {
    const lines = text.split('\n');
    if (lines.every((l) => l.startsWith('- '))) {
      const items = lines.map((l) => l.slice(2));
      const last = blocks[blocks.length - 1];
      if (last?.kind === 'list') last.items.push(...items);
      else blocks.push({ kind: 'list', items });
    } else {
      blocks.push({ kind: 'paragraph', text });
    }
  }
  return blocks;
}

/** The last day on which the renewal meeting can be held: `before` ahead of the end date. */
export function meetingDeadline(endsOn: string, before: string): string | undefined {
  const duration = parseDuration(before);
  if (!duration) return undefined;
  const [y, m, d] = endsOn.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) - duration.months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  // Clamped to the month's length: six months before 31 August is 28 or 29 February.
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const date = new Date(Date.UTC(year, month, Math.min(d, lastDay)) - duration.ms);
  return date.toISOString().slice(0, 10);
}

function durationWords(w: Wording, text: string): string {
  const duration = parseDuration(text);
  if (!duration) return text;
  return w.duration(duration.months, Math.round(duration.ms / DAY)) || text;
}

function partyLine(w: Wording, party: AgreementParty): string {
  return [party.legalName, party.address, w.governedBy(party.governingBody)].filter(Boolean).join(', ');
}

function responsibilitiesAndContacts(w: Wording, parties: AgreementParty[]): Block[] {
  return [
    { kind: 'paragraph', text: w.contactByTitle },
    ...parties.flatMap((party): Block[] => [
      { kind: 'subheading', text: w.headings.partyResponsibilities(party.legalName) },
      party.responsibilities.length ? { kind: 'list', items: party.responsibilities } : { kind: 'paragraph', text: w.noResponsibilities },
      { kind: 'subheading', text: w.headings.partyContacts(party.legalName) },
      party.contacts.length ? { kind: 'list', items: party.contacts } : { kind: 'paragraph', text: w.noContacts },
    ]),
  ];
}

function raciSection(w: Wording, raci: RaciMatrix, parties: AgreementParty[]): Section {
  const legalName = (id: string) => parties.find((p) => p.id === id)?.legalName ?? id;
  return {
    id: 'raci',
    heading: w.headings.raci,
    blocks: [
      {
        kind: 'table',
        head: [w.raciTask, w.raciLead, ...raci.roles.map((r) => `${r.title} (${legalName(r.partyId)})`)],
        rows: raci.tasks.map((t) => [t.task, legalName(t.lead), ...raci.roles.map((r) => t.assignments[r.id] ?? '')]),
      },
      { kind: 'list', items: w.raciLegend },
    ],
  };
}

function termSection(w: Wording, input: AgreementInput, date: (iso: string | undefined) => string | undefined, withNotice: boolean): Section {
  const meetingBy = input.endsOn ? meetingDeadline(input.endsOn, input.renewalMeetingBefore) : undefined;
  const texts = [
    w.termFor(input.template, input.termMonths, input.termText),
    w.termDates(date(input.effectiveOn), date(input.endsOn)),
    w.renewal(durationWords(w, input.renewalMeetingBefore), date(meetingBy)),
    withNotice ? w.noticeAnyTime(input.noticeDays) : undefined,
  ].filter((t): t is string => Boolean(t));
  return { id: 'term', heading: w.headings.term, blocks: blocksOf(texts) };
}

function signatureBlocks(w: Wording, input: AgreementInput, date: (iso: string | undefined) => string | undefined): Block[] {
  return input.parties.map((party): Block => {
    const signed = input.signatures?.find((s) => s.partyId === party.id);
    const who = signed ? `${signed.signatoryName}, ${signed.signatoryTitle}` : `${party.signatory.name}, ${party.signatory.title}`;
    return {
      kind: 'signature',
      party: party.legalName,
      fields: [
        [w.signatureFields.name, who],
        [w.signatureFields.signature, signed ? w.signatureFields.signedOn(date(signed.signedOn)!) : BLANK],
        [w.signatureFields.date, signed ? date(signed.signedOn)! : BLANK],
      ],
    };
  });
}

const given = (w: Wording, texts: string[] | undefined): Block[] => blocksOf(texts?.length ? texts : [w.toBeAgreed]);

/** Fills the template named by `input.template` with the partnership's data. */
export function buildAgreement(input: AgreementInput): AgreementModel {
  const w = WORDING[input.language];
  const date = (iso: string | undefined) => (iso ? formatDate(iso, input.language) : undefined);
  const committee = input.steeringCommittee ?? w.steeringCommittee;
  const names = input.parties.map((p) => p.legalName);
  const subtitle = `${w.between} ${names.slice(0, -1).join(', ')} ${w.and} ${names[names.length - 1]}`;
  const preamble: Block[] = [{ kind: 'list', items: input.parties.map((p) => partyLine(w, p)) }];
  const contextTexts = [...input.parties.flatMap((p) => (p.mission ? [w.labelled(p.legalName, p.mission)] : [])), ...(input.context ? [input.context] : [])];
  const context: Section = { id: 'context', heading: w.headings.context, blocks: blocksOf(contextTexts.length ? contextTexts : [w.toBeAgreed]) };
  const purpose: Section = { id: 'purpose', heading: w.headings.purpose, blocks: blocksOf([input.purpose]) };
  const decision: Section = { id: 'decision-making', heading: w.headings.decisionMaking, blocks: blocksOf(w.decision(committee)) };
  const conflict: Section = { id: 'conflict-resolution', heading: w.headings.conflictResolution, blocks: blocksOf(w.conflict) };
  const raci = input.raci ? [raciSection(w, input.raci, input.parties)] : [];
  const signatures: Section = { id: 'signatories', heading: w.headings.signatories, blocks: signatureBlocks(w, input, date) };

  let sections: Section[];
  if (input.template === 'mou') {
    sections = [
      purpose,
      context,
      { id: 'responsibilities', heading: w.headings.responsibilitiesAndContacts, blocks: responsibilitiesAndContacts(w, input.parties) },
      ...raci,
      decision,
      conflict,
      termSection(w, input, date, true),
      signatures,
    ];
  } else if (input.template === 'partnership-agreement') {
    sections = [
      context,
      { id: 'outcomes', heading: w.headings.outcomes, blocks: blocksOf([input.purpose, ...(input.outcomes ?? [])]) },
      { id: 'values', heading: w.headings.values, blocks: given(w, input.values) },
      { id: 'roles', heading: w.headings.roles, blocks: responsibilitiesAndContacts(w, input.parties) },
      ...raci,
      { id: 'resources', heading: w.headings.resources, blocks: given(w, input.resourceCommitments) },
      { id: 'financial', heading: w.headings.financial, blocks: given(w, input.financialCommitments) },
      { id: 'liability', heading: w.headings.liability, blocks: given(w, input.liability) },
      { id: 'evaluation', heading: w.headings.evaluation, blocks: blocksOf(input.evaluation?.length ? input.evaluation : [w.evaluationDefault]) },
      termSection(w, input, date, false),
      decision,
      conflict,
      { id: 'withdrawal', heading: w.headings.withdrawal, blocks: blocksOf(w.withdrawal(committee, input.noticeDays)) },
      { id: 'witness', heading: w.headings.witness, blocks: [{ kind: 'paragraph', text: w.witness }, ...signatureBlocks(w, input, date)] },
    ];
  } else {
    const providers = input.parties.filter((p) => p.role === 'provider');
    const served = input.parties.filter((p) => p.role !== 'provider').map((p) => p.legalName);
    sections = [
      purpose,
      context,
      {
        id: 'services',
        heading: w.headings.services,
        blocks: providers.flatMap((p): Block[] => [{ kind: 'subheading', text: w.servicesProvidedBy(p.legalName) }, ...given(w, input.services)]),
      },
      { id: 'responsibilities', heading: w.headings.responsibilitiesAndContacts, blocks: responsibilitiesAndContacts(w, input.parties) },
      ...raci,
      { id: 'fees', heading: w.headings.fees, blocks: blocksOf([...(input.fees ?? []), ...w.feesDefault]) },
      { id: 'approval', heading: w.headings.approval, blocks: blocksOf(w.approvalClauses(served)) },
      termSection(w, input, date, false),
      decision,
      conflict,
      { id: 'termination', heading: w.headings.termination, blocks: blocksOf([w.noticeAnyTime(input.noticeDays)]) },
      signatures,
    ];
  }
  return {
    language: input.language,
    title: w.documentTitle[input.template],
    name: input.title,
    subtitle,
    ...(input.draftVersion ? { draft: w.draft(input.draftVersion) } : {}),
    preamble,
    sections,
  };
}
