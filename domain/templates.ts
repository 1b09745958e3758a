/**
 * Process templates are data: which groundwork milestones apply, which may be skipped, and every
 * default duration. A start request may override any duration.
 */
export const TEMPLATE_IDS = ['cipp-shared-services', 'oden-mou', 'oden-partnership-agreement'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export const GROUNDWORK_MILESTONES = [
  'launch-workshop',
  'communication-protocol',
  'feasibility-study',
  'funding-proposal',
  'public-engagement-strategy',
] as const;
export type GroundworkMilestone = (typeof GROUNDWORK_MILESTONES)[number];
export const MILESTONES = [...GROUNDWORK_MILESTONES, 'review-workshop'] as const;
export type Milestone = (typeof MILESTONES)[number];

export type AgreementKind = 'shared-services-agreement' | 'mou' | 'partnership-agreement';

export const DURATION_KEYS = [
  'resolutionReminderEvery',
  'checkInEvery',
  'consultationWindow',
  'consultationClosingReminderBefore',
  'signatureReminderEvery',
  'reviewEvery',
  'renewalMeetingBefore',
  'term',
  'noticePeriod',
  'noticeEndingReminderBefore',
] as const;
export type DurationKey = (typeof DURATION_KEYS)[number];
export type DurationSettings = Record<DurationKey, string>;

export interface MilestoneRule {
  id: GroundworkMilestone;
  required: boolean;
  /** A milestone that is not required may be skipped with a reason. */
  skippable: boolean;
}

export interface ProcessTemplate {
  id: TemplateId;
  agreementKind: AgreementKind;
  label: { fr: string; en: string };
  minParties: number;
  maxParties: number;
  groundwork: MilestoneRule[];
  /** Seed 000 holds a project review workshop on the second version before approval. */
  reviewWorkshopRequired: boolean;
  /** How many pending-resolution reminders a party gets before the coordinator is told. */
  escalateAfterReminders: number;
  durations: DurationSettings;
}

const COMMON_DURATIONS: DurationSettings = {
  resolutionReminderEvery: '14 days',
  checkInEvery: '1 month',
  consultationWindow: '30 days',
  consultationClosingReminderBefore: '7 days',
  signatureReminderEvery: '7 days',
  reviewEvery: '6 months',
  renewalMeetingBefore: '6 months',
  term: '24 months',
  noticePeriod: '60 days',
  noticeEndingReminderBefore: '14 days',
};

export const TEMPLATES: Record<TemplateId, ProcessTemplate> = {
  // Seed 000: the 14 CIPP milestones; the funding proposal is only "if needed".
  'cipp-shared-services': {
    id: 'cipp-shared-services',
    agreementKind: 'shared-services-agreement',
    label: { fr: 'Entente conjointe de services partagés (PPIC)', en: 'Joint shared-services agreement (CIPP)' },
    minParties: 2,
    maxParties: 10,
    groundwork: [
      { id: 'launch-workshop', required: true, skippable: false },
      { id: 'communication-protocol', required: true, skippable: false },
      { id: 'feasibility-study', required: true, skippable: false },
      { id: 'funding-proposal', required: false, skippable: true },
      { id: 'public-engagement-strategy', required: true, skippable: false },
    ],
    reviewWorkshopRequired: true,
    escalateAfterReminders: 3,
    durations: { ...COMMON_DURATIONS },
  },
  // Seed 003: an MOU suits two or three parties without shared funding, for one or two years,
  // with a renewal meeting about six months before expiry and termination on N days' notice.
  'oden-mou': {
    id: 'oden-mou',
    agreementKind: 'mou',
    label: { fr: "Protocole d'entente (ODEN)", en: 'Memorandum of understanding (ODEN)' },
    minParties: 2,
    maxParties: 3,
    groundwork: [
      { id: 'launch-workshop', required: true, skippable: false },
      { id: 'communication-protocol', required: false, skippable: true },
      { id: 'feasibility-study', required: false, skippable: true },
      { id: 'funding-proposal', required: false, skippable: true },
      { id: 'public-engagement-strategy', required: false, skippable: true },
    ],
    reviewWorkshopRequired: false,
    escalateAfterReminders: 3,
    durations: { ...COMMON_DURATIONS, term: '12 months', noticePeriod: '30 days' },
  },
  // Seed 003: a partnership agreement shares funding; partner withdrawal needs at least three
  // months' written notice to the steering committee.
  'oden-partnership-agreement': {
    id: 'oden-partnership-agreement',
    agreementKind: 'partnership-agreement',
    label: { fr: 'Accord de partenariat (ODEN)', en: 'Partnership agreement (ODEN)' },
    minParties: 2,
    maxParties: 20,
    groundwork: [
      { id: 'launch-workshop', required: true, skippable: false },
      { id: 'communication-protocol', required: true, skippable: false },
      { id: 'feasibility-study', required: false, skippable: true },
      { id: 'funding-proposal', required: true, skippable: false },
      { id: 'public-engagement-strategy', required: false, skippable: true },
    ],
    reviewWorkshopRequired: false,
    escalateAfterReminders: 3,
    durations: { ...COMMON_DURATIONS, term: '36 months', noticePeriod: '3 months' },
  },
};
