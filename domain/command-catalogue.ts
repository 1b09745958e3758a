import type { Actor, ResolutionSubject } from './schemas/commands';
import { DEVELOPMENT_STAGES, FINAL_STAGES, STAGES, type Stage } from './stages';
import { GROUNDWORK_MILESTONES, type GroundworkMilestone, type Milestone } from './templates';

/** Every stage of a partnership not yet ended: people and roles may change in any of them. */
const LIVE_STAGES: readonly Stage[] = STAGES.filter((stage) => !FINAL_STAGES.includes(stage));
/** A party leaves a process once committed, or a partnership in force on its own notice. */
const WITHDRAWAL_STAGES: readonly Stage[] = [...DEVELOPMENT_STAGES.filter((stage) => stage !== 'intake'), 'in-force'];

/**
 * What Entente knows of each command besides its shape: the fields that carry long texts (the
 * claim check: the workflow receives references, domain/content.ts), the route that carries it,
 * who may send it, the stages in which it may be sent (command-rules.ts refuses it in any other, and
 * the page offers it only there: domain/actions.ts), and what people call it (domain/labels.ts,
 * the web page's labels, OpenAPI). No zod here:
 * the workflow imports this, and its bundle stays small. The shapes are in domain/commands.ts.
 */
export const COMMAND_INFO = {
  recordIntakeDecision: {
    contents: ['notes'],
    stages: ['intake'],
    route: 'intake-decision',
    roles: ['coordinator'],
    title: { en: 'Record the intake decision', fr: 'Consigner la décision d’admission' },
  },
  recordResolution: {
    contents: ['reason'],
    stages: ['commitment', 'approval'],
    route: 'resolutions',
    roles: ['coordinator', 'clerk'],
    title: { en: 'Record a resolution', fr: 'Consigner une résolution' },
  },
  recordMilestone: {
    contents: ['notes'],
    stages: ['groundwork', 'consultation', 'revision'],
    route: 'milestones',
    roles: ['coordinator'],
    title: { en: 'Record a milestone', fr: 'Consigner un jalon' },
  },
  submitDraft: {
    contents: ['text', 'summary'],
    stages: ['drafting', 'revision', 'approval', 'signing'],
    route: 'drafts',
    roles: ['coordinator'],
    title: { en: 'Submit a draft version', fr: 'Déposer une version de l’ébauche' },
  },
  submitFeedback: {
    contents: ['comments'],
    stages: ['consultation'],
    route: 'feedback',
    roles: ['coordinator', 'champion'],
    title: { en: 'Submit feedback', fr: 'Soumettre une rétroaction' },
  },
  sign: {
    contents: [],
    stages: ['signing'],
    route: 'signatures',
    roles: ['signatory'],
    title: { en: 'Sign the agreement', fr: 'Signer l’entente' },
  },
  recordReview: {
    contents: ['findings'],
    stages: ['in-force', 'notice'],
    route: 'reviews',
    roles: ['coordinator'],
    title: { en: 'Record a performance review', fr: 'Consigner une évaluation du rendement' },
  },
  amendTerm: {
    contents: [],
    stages: ['in-force', 'notice'],
    route: 'term',
    roles: ['coordinator'],
    title: { en: 'Amend the end of the term', fr: 'Modifier la fin du terme' },
  },
  renew: {
    contents: [],
    stages: ['in-force'],
    route: 'renewals',
    roles: ['coordinator'],
    title: { en: 'Renew the agreement', fr: 'Renouveler l’entente' },
  },
  giveNotice: {
    contents: [],
    stages: ['in-force'],
    route: 'notices',
    roles: ['coordinator', 'champion'],
    title: { en: 'Give written notice', fr: 'Donner un avis écrit' },
  },
  withdrawNotice: {
    contents: [],
    stages: ['notice'],
    route: 'notices/withdraw',
    roles: ['coordinator', 'champion'],
    title: { en: 'Withdraw a notice', fr: 'Retirer un avis' },
  },
  withdrawParty: {
    contents: [],
    stages: WITHDRAWAL_STAGES,
    route: 'withdrawals',
    roles: ['coordinator', 'champion'],
    title: { en: 'Withdraw a party', fr: 'Retirer une partie' },
  },
  abandon: {
    contents: [],
    stages: DEVELOPMENT_STAGES,
    route: 'abandon',
    roles: ['coordinator'],
    title: { en: 'Abandon the process', fr: 'Abandonner la démarche' },
  },
  replaceContact: {
    contents: [],
    stages: LIVE_STAGES,
    route: 'contacts',
    roles: ['coordinator', 'champion'],
    title: { en: 'Replace a contact', fr: 'Remplacer une personne-ressource' },
  },
  setPartyRole: {
    contents: [],
    stages: LIVE_STAGES,
    route: 'party-roles',
    roles: ['coordinator'],
    title: { en: 'Set a party’s role', fr: 'Définir le rôle d’une partie' },
  },
  setMeetingCalendar: {
    contents: [],
    stages: LIVE_STAGES,
    route: 'meeting-calendars',
    roles: ['coordinator', 'clerk'],
    title: { en: 'Set the council’s meeting calendar', fr: 'Établir le calendrier des séances du conseil' },
  },
} as const satisfies Record<
  string,
  { contents: readonly string[]; route: string; roles: readonly Actor['role'][]; stages: readonly Stage[]; title: { en: string; fr: string } }
>;

export type CommandName = keyof typeof COMMAND_INFO;
export const COMMAND_NAMES = Object.keys(COMMAND_INFO) as CommandName[];

const GROUNDWORK_STAGES = Object.fromEntries(GROUNDWORK_MILESTONES.map((milestone) => [milestone, ['groundwork']])) as unknown as Record<
  GroundworkMilestone,
  readonly Stage[]
>;

/**
 * Where a command's stage depends on a value of its body, the stages each value fits: the union is
 * the command's `stages`. A participation resolution is recorded in commitment, an approval
 * resolution in approval; groundwork milestones in groundwork, the review workshop in consultation
 * or revision.
 */
export const STAGES_BY_VALUE = {
  recordResolution: {
    field: 'subject',
    stages: { participation: ['commitment'], approval: ['approval'] } satisfies Record<ResolutionSubject, readonly Stage[]>,
  },
  recordMilestone: {
    field: 'milestone',
    stages: {
      ...GROUNDWORK_STAGES,
      'review-workshop': ['consultation', 'revision'],
    } satisfies Record<Milestone, readonly Stage[]>,
  },
} as const satisfies Partial<Record<CommandName, { field: string; stages: Record<string, readonly Stage[]> }>>;

/** The stages in which this command, with this body, may be sent. */
export function commandStages(name: CommandName, body?: Record<string, unknown>): readonly Stage[] {
  const byValue = (STAGES_BY_VALUE as Partial<Record<CommandName, { field: string; stages: Record<string, readonly Stage[]> }>>)[name];
  const value = body?.[byValue?.field ?? ''];
  if (byValue && typeof value === 'string' && byValue.stages[value]) return byValue.stages[value]!;
  return COMMAND_INFO[name].stages;
}
