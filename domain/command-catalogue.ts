import type { Actor } from './schemas/commands';

/**
 * What Entente knows of each command besides its shape: the fields that carry long texts (the
 * claim check: the workflow receives references, domain/content.ts), the route that carries it,
 * who may send it, and what people call it (the web page's labels, through OpenAPI). No zod here:
 * the workflow imports this, and its bundle stays small. The shapes are in domain/commands.ts.
 */
export const COMMAND_INFO = {
  recordIntakeDecision: {
    contents: ['notes'],
    route: 'intake-decision',
    roles: ['coordinator'],
    title: { en: 'Record the intake decision', fr: 'Consigner la décision d’admission' },
  },
  recordResolution: {
    contents: ['reason'],
    route: 'resolutions',
    roles: ['coordinator', 'clerk'],
    title: { en: 'Record a resolution', fr: 'Consigner une résolution' },
  },
  recordMilestone: {
    contents: ['notes'],
    route: 'milestones',
    roles: ['coordinator'],
    title: { en: 'Record a milestone', fr: 'Consigner une étape' },
  },
  submitDraft: {
    contents: ['text', 'summary'],
    route: 'drafts',
    roles: ['coordinator'],
    title: { en: 'Submit a draft version', fr: 'Déposer une version de l’ébauche' },
  },
  submitFeedback: {
    contents: ['comments'],
    route: 'feedback',
    roles: ['coordinator', 'champion'],
    title: { en: 'Submit feedback', fr: 'Soumettre une rétroaction' },
  },
  sign: {
    contents: [],
    route: 'signatures',
    roles: ['signatory'],
    title: { en: 'Sign the agreement', fr: 'Signer l’entente' },
  },
  recordReview: {
    contents: ['findings'],
    route: 'reviews',
    roles: ['coordinator'],
    title: { en: 'Record a performance review', fr: 'Consigner une évaluation du rendement' },
  },
  amendTerm: {
    contents: [],
    route: 'term',
    roles: ['coordinator'],
    title: { en: 'Amend the end of the term', fr: 'Modifier la fin du terme' },
  },
  renew: {
    contents: [],
    route: 'renewals',
    roles: ['coordinator'],
    title: { en: 'Renew the agreement', fr: 'Renouveler l’entente' },
  },
  giveNotice: {
    contents: [],
    route: 'notices',
    roles: ['coordinator', 'champion'],
    title: { en: 'Give written notice', fr: 'Donner un avis écrit' },
  },
  withdrawNotice: {
    contents: [],
    route: 'notices/withdraw',
    roles: ['coordinator', 'champion'],
    title: { en: 'Withdraw a notice', fr: 'Retirer un avis' },
  },
  withdrawParty: {
    contents: [],
    route: 'withdrawals',
    roles: ['coordinator', 'champion'],
    title: { en: 'Withdraw a party', fr: 'Retirer une partie' },
  },
  abandon: {
    contents: [],
    route: 'abandon',
    roles: ['coordinator'],
    title: { en: 'Abandon the process', fr: 'Abandonner la démarche' },
  },
  replaceContact: {
    contents: [],
    route: 'contacts',
    roles: ['coordinator', 'champion'],
    title: { en: 'Replace a contact', fr: 'Remplacer une personne-ressource' },
  },
  setPartyRole: {
    contents: [],
    route: 'party-roles',
    roles: ['coordinator'],
    title: { en: 'Set a party’s role', fr: 'Définir le rôle d’une partie' },
  },
} as const satisfies Record<string, { contents: readonly string[]; route: string; roles: readonly Actor['role'][]; title: { en: string; fr: string } }>;

export type CommandName = keyof typeof COMMAND_INFO;
export const COMMAND_NAMES = Object.keys(COMMAND_INFO) as CommandName[];
