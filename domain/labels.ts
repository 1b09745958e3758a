/**
 * What people read, in French and in English, from one source: the web page (served as
 * /labels.json), the emails (activities/notifications/format.ts) and the API's documents take
 * their words from here. Keys are namespaced:
 *
 * - `stage.<stage>`, `command.<name>` (the catalogue's titles), `obligation.<kind>`,
 *   `timer.<kind>`, `event.<timeline event>`, `notification.<email event>`: names, capitalised;
 * - `field.<property>`: every property of a command's body, of the start request and of the
 *   view the page shows (form labels and table headings), capitalised;
 * - `value.<field>.<value>`: every enumerated value, and `role.<role>`: who acts; lower case, as
 *   they are also used inside sentences ("the clerk of Riverside", "approbation de l’entente");
 * - `ui.<id>`: the page's sentences, with `{name}` placeholders.
 *
 * Quebec French: "courriel", "personne-ressource", "instance décisionnelle", "rétroaction".
 * No zod here: the workflow's bundle may reach this module through domain/.
 */
import { COMMAND_INFO, COMMAND_NAMES } from './command-catalogue';
import type { DeadlineKind } from './deadlines';
import type { NotificationEvent } from './notifications';
import type { ObligationKind, Owner } from './obligations';
import type { Language } from './schemas/common';
import type { PARTY_KINDS, PARTY_ROLES } from './schemas/partnership';
import type { Province } from './meeting-calendar';
import { STAGES, type Stage } from './stages';
import { TEMPLATES, TEMPLATE_IDS, type DurationKey, type Milestone } from './templates';

export type LabelLanguage = Language;
type Words = { en: string; fr: string };
const w = (en: string, fr: string): Words => ({ en, fr });

const STAGE_WORDS: Record<Stage, Words> = {
  intake: w('Intake', 'Admission'),
  commitment: w('Commitment', 'Engagement'),
  groundwork: w('Groundwork', 'Travaux préparatoires'),
  drafting: w('Drafting', 'Rédaction'),
  consultation: w('Consultation', 'Consultation'),
  revision: w('Revision', 'Révision'),
  approval: w('Approval', 'Approbation'),
  signing: w('Signing', 'Signature'),
  'in-force': w('In force', 'En vigueur'),
  notice: w('Notice period', 'Préavis'),
  declined: w('Declined', 'Non retenu'),
  abandoned: w('Abandoned', 'Abandonné'),
  dissolved: w('Dissolved', 'Dissous'),
  expired: w('Expired', 'Échu'),
};

const ROLE_WORDS: Record<Owner, Words> = {
  coordinator: w('coordinator', 'coordination'),
  clerk: w('clerk', 'greffier ou greffière'),
  signatory: w('signatory', 'signataire'),
  champion: w('champion', 'responsable du partenariat'),
};

type PartyKind = (typeof PARTY_KINDS)[number];
type PartyRole = (typeof PARTY_ROLES)[number];

/** Enumerated values, by the field that holds them. */
const VALUE_WORDS = {
  subject: { participation: w('participation', 'participation'), approval: w('approval of the agreement', 'approbation de l’entente') },
  outcome: { adopted: w('adopted', 'adoptée'), rejected: w('rejected', 'rejetée') },
  milestone: {
    'launch-workshop': w('launch workshop', 'atelier de démarrage'),
    'communication-protocol': w('communication protocol', 'protocole de communication'),
    'feasibility-study': w('feasibility study', 'étude de faisabilité'),
    'funding-proposal': w('funding proposal', 'demande de financement'),
    'public-engagement-strategy': w('public engagement strategy', 'stratégie de participation publique'),
    'review-workshop': w('review workshop', 'atelier de révision'),
  } satisfies Record<Milestone, Words>,
  /** A party's role in a shared-services agreement, and the roles of its contacts. */
  role: {
    provider: w('service provider', 'fournisseur de services'),
    served: w('served party', 'partie desservie'),
    clerk: ROLE_WORDS.clerk,
    signatory: ROLE_WORDS.signatory,
    champion: ROLE_WORDS.champion,
  } satisfies Record<PartyRole | Exclude<Owner, 'coordinator'>, Words>,
  kind: {
    municipality: w('municipality', 'municipalité'),
    'first-nation': w('First Nation', 'Première Nation'),
    'non-profit': w('non-profit organization', 'organisme à but non lucratif'),
    'service-centre': w('service centre', 'centre de services'),
    'public-body': w('public body', 'organisme public'),
    other: w('other', 'autre'),
  } satisfies Record<PartyKind, Words>,
  language: { fr: w('French', 'français'), en: w('English', 'anglais') } satisfies Record<Language, Words>,
  /** A party's status, and how pressing something owed is (the desk). */
  status: {
    active: w('active', 'active'),
    withdrawing: w('withdrawing on notice', 'retrait annoncé'),
    withdrawn: w('withdrawn', 'retirée'),
    overdue: w('overdue', 'en retard'),
    'due-this-week': w('due this week', 'à faire cette semaine'),
    later: w('later', 'plus tard'),
  },
  template: Object.fromEntries(TEMPLATE_IDS.map((id) => [id, w(TEMPLATES[id].label.en, TEMPLATES[id].label.fr)])),
  /** By which means a command was sent (the register). */
  means: {
    'coordinator-key': w('coordinator’s key', 'clé de la coordination'),
    'access-key': w('access key', 'clé d’accès'),
    'action-link': w('personal link from an email', 'lien personnel reçu par courriel'),
  },
  who: ROLE_WORDS,
  /** A council's meeting calendar. */
  holidayRule: {
    'next-working-day': w('held the next working day', 'tenue le jour ouvrable suivant'),
    keep: w('held on the holiday', 'tenue le jour férié'),
  },
  province: {
    QC: w('Quebec', 'Québec'),
    ON: w('Ontario', 'Ontario'),
    NB: w('New Brunswick', 'Nouveau-Brunswick'),
    NS: w('Nova Scotia', 'Nouvelle-Écosse'),
    PE: w('Prince Edward Island', 'Île-du-Prince-Édouard'),
    NL: w('Newfoundland and Labrador', 'Terre-Neuve-et-Labrador'),
    MB: w('Manitoba', 'Manitoba'),
    SK: w('Saskatchewan', 'Saskatchewan'),
    AB: w('Alberta', 'Alberta'),
    BC: w('British Columbia', 'Colombie-Britannique'),
    YT: w('Yukon', 'Yukon'),
    NT: w('Northwest Territories', 'Territoires du Nord-Ouest'),
    NU: w('Nunavut', 'Nunavut'),
  } satisfies Record<Province, Words>,
  kindOfSource: {
    dates: w('explicit dates', 'dates données'),
    rule: w('recurrence rule', 'règle de récurrence'),
    icalendar: w('iCalendar file', 'fichier iCalendar'),
    'working-days': w('working days only, no meeting', 'jours ouvrables seulement, sans séance'),
  },
  /** Why a deadline falls on its date (Deadline.because). */
  why: {
    'agenda-closes': w(
      'before the agenda of the council meeting of {meetingOn} closes ({agendaClosesOn})',
      'avant la fermeture de l’ordre du jour de la séance du conseil du {meetingOn} ({agendaClosesOn})',
    ),
    'after-meeting': w('the morning after the council meeting of {meetingOn}', 'le matin suivant la séance du conseil du {meetingOn}'),
    'next-working-morning': w(
      'the first working morning in the party’s time zone ({timeZone})',
      'le premier matin ouvrable dans le fuseau horaire de la partie ({timeZone})',
    ),
    'working-morning': w(
      'the first working morning, for the council meeting of {meetingOn}',
      'le premier matin ouvrable, pour la séance du conseil du {meetingOn}',
    ),
  },
} satisfies Record<string, Record<string, Words>>;

const DURATION_WORDS: Record<DurationKey, Words> = {
  resolutionReminderEvery: w('Resolution reminder every', 'Rappel de résolution aux'),
  checkInEvery: w('Check-in call every', 'Appel de suivi aux'),
  consultationWindow: w('Consultation window', 'Durée de la consultation'),
  consultationClosingReminderBefore: w('Reminder before the consultation closes', 'Rappel avant la fin de la consultation'),
  signatureReminderEvery: w('Signature reminder every', 'Rappel de signature aux'),
  reviewEvery: w('Performance review every', 'Évaluation du rendement aux'),
  renewalMeetingBefore: w('Renewal meeting before the end of the term', 'Rencontre de renouvellement avant la fin du terme'),
  term: w('Term', 'Durée du terme'),
  noticePeriod: w('Notice period', 'Délai de préavis'),
  noticeEndingReminderBefore: w('Reminder before the notice period ends', 'Rappel avant la fin du préavis'),
};

/** Form labels and table headings: command bodies, the start request, the view, the desk. */
const FIELD_WORDS: Record<string, Words> = {
  // Command bodies
  requestId: w('Request id', 'Identifiant de la requête'),
  accepted: w('Application accepted', 'Demande acceptée'),
  interviewedOn: w('Interview date', 'Date de l’entrevue'),
  notes: w('Notes', 'Notes'),
  partyId: w('Party', 'Partie'),
  subject: w('Subject', 'Objet'),
  outcome: w('Outcome', 'Décision'),
  resolutionNumber: w('Resolution number', 'Numéro de la résolution'),
  adoptedOn: w('Adopted on', 'Date d’adoption'),
  draftVersion: w('Draft version', 'Version de l’ébauche'),
  draftHash: w('SHA-256 of the draft', 'SHA-256 de l’ébauche'),
  documentUrl: w('Address of the document', 'Adresse du document'),
  reason: w('Reason', 'Motif'),
  milestone: w('Milestone', 'Jalon'),
  completedOn: w('Completed on', 'Date de réalisation'),
  skipped: w('Skipped', 'Omis'),
  version: w('Version', 'Version'),
  title: w('Title', 'Titre'),
  text: w('Text', 'Texte'),
  sha256: w('SHA-256', 'SHA-256'),
  summary: w('Summary', 'Résumé'),
  community: w('Community', 'Collectivité'),
  author: w('Author', 'Auteur ou autrice'),
  comments: w('Comments', 'Commentaires'),
  signatoryName: w('Signatory’s name', 'Nom du ou de la signataire'),
  signatoryTitle: w('Signatory’s title', 'Titre du ou de la signataire'),
  signedOn: w('Signed on', 'Date de signature'),
  heldOn: w('Held on', 'Date de la rencontre'),
  findings: w('Findings', 'Constats'),
  newEndsOn: w('New end of the term', 'Nouvelle fin du terme'),
  termMonths: w('Term (months)', 'Durée (mois)'),
  decidedOn: w('Decided on', 'Date de la décision'),
  noticeDays: w('Notice period (days)', 'Délai de préavis (jours)'),
  role: w('Role', 'Rôle'),
  contact: w('Contact', 'Personne-ressource'),
  name: w('Name', 'Nom'),
  email: w('Email', 'Courriel'),
  language: w('Language', 'Langue'),
  label: w('Label', 'Libellé'),
  // A council's meeting calendar (setMeetingCalendar, a party of the start request, the view)
  calendar: w('Meeting calendar', 'Calendrier des séances'),
  meetingCalendar: w('Meeting calendar of the governing body', 'Calendrier des séances de l’instance décisionnelle'),
  meetings: w('Meetings', 'Séances'),
  rrule: w('Recurrence rule (RFC 5545 RRULE)', 'Règle de récurrence (RRULE, RFC 5545)'),
  startsOn: w('First meeting of the rule', 'Première séance de la règle'),
  time: w('Meeting time', 'Heure des séances'),
  exceptions: w('Meetings not held', 'Séances annulées'),
  icalendar: w('iCalendar file (text)', 'Fichier iCalendar (texte)'),
  icalendarUrl: w('Address of the iCalendar file', 'Adresse du fichier iCalendar'),
  holidayRule: w('On a statutory holiday', 'Un jour férié'),
  agendaLeadDays: w('Agenda closes (days before the meeting)', 'Fermeture de l’ordre du jour (jours avant la séance)'),
  timeZone: w('Time zone', 'Fuseau horaire'),
  province: w('Province (statutory holidays)', 'Province (jours fériés)'),
  meetingOn: w('Council meeting', 'Séance du conseil'),
  agendaClosesOn: w('Agenda closes', 'Fermeture de l’ordre du jour'),
  because: w('Why this date', 'Pourquoi cette date'),
  nextMeetings: w('Next council meetings', 'Prochaines séances du conseil'),
  calendarUntil: w('Calendar known until', 'Calendrier connu jusqu’au'),
  shiftedFrom: w('Moved from (holiday)', 'Déplacée du (jour férié)'),
  endsOnHoliday: w('Ends on a statutory holiday', 'Prend fin un jour férié'),
  missedMeetings: w('Council meetings without a decision recorded', 'Séances du conseil sans décision inscrite'),
  source: w('Given as', 'Fourni sous forme de'),
  rule: w('Rule', 'Règle'),
  // The start request
  template: w('Template', 'Modèle'),
  slug: w('Short name', 'Nom court'),
  purpose: w('Purpose', 'Objectif'),
  context: w('Context', 'Contexte'),
  coordinator: w('Coordinator', 'Coordination'),
  parties: w('Parties', 'Parties'),
  durations: w('Durations', 'Durées'),
  id: w('Identifier', 'Identifiant'),
  legalName: w('Legal name', 'Nom officiel'),
  kind: w('Kind', 'Type'),
  governingBody: w('Governing body', 'Instance décisionnelle'),
  contacts: w('Contacts', 'Personnes-ressources'),
  champion: w('Champion', 'Responsable du partenariat'),
  clerk: w('Clerk', 'Greffier ou greffière'),
  signatory: w('Signatory', 'Signataire'),
  ...DURATION_WORDS,
  // The view, the lists, the desk, keys and links, the register
  stage: w('Stage', 'Étape'),
  stageSince: w('At this stage since', 'À cette étape depuis'),
  startedAt: w('Started on', 'Lancé le'),
  status: w('Status', 'Statut'),
  owes: w('Still owes', 'Doit encore'),
  who: w('Who', 'Qui'),
  what: w('What', 'Quoi'),
  since: w('Since', 'Depuis'),
  dueAt: w('Due', 'Échéance'),
  nextReminderAt: w('Next reminder', 'Prochain rappel'),
  remindersSent: w('Reminders sent', 'Rappels envoyés'),
  escalated: w('Escalated', 'Signalé à la coordination'),
  nextDeadline: w('Next deadline', 'Prochaine échéance'),
  at: w('When', 'Quand'),
  event: w('Event', 'Événement'),
  detail: w('Detail', 'Détail'),
  details: w('Details', 'Détails'),
  submittedAt: w('Submitted', 'Déposée le'),
  receivedAt: w('Received', 'Reçue le'),
  recordedAt: w('Recorded', 'Consignée le'),
  opensAt: w('Opens', 'Début'),
  closesAt: w('Closes', 'Fin'),
  effectiveOn: w('In force since', 'En vigueur depuis le'),
  endsOn: w('Ends on', 'Prend fin le'),
  number: w('Number', 'Numéro'),
  withdrawsAt: w('Withdraws on', 'Retrait effectif le'),
  closedReason: w('Why it ended', 'Motif de la fin'),
  createdAt: w('Issued', 'Émise le'),
  expiresAt: w('Expires', 'Expire le'),
  usedAt: w('Last used', 'Dernière utilisation'),
  revokedAt: w('Revoked', 'Révoquée le'),
  revokedReason: w('Why revoked', 'Motif de la révocation'),
  means: w('By means of', 'Au moyen de'),
  occurredAt: w('Occurred', 'Survenu le'),
  actor: w('By', 'Par'),
  seq: w('#', 'No'),
  payload: w('Details', 'Détails'),
  effectiveAt: w('In force since', 'En vigueur depuis le'),
  endsAt: w('Ends on', 'Prend fin le'),
  closedAt: w('Closed on', 'Terminée le'),
  closedEarly: w('Closed early (every party answered)', 'Terminée plus tôt (toutes les parties ont répondu)'),
  // The view's lists, as sections of the page
  intake: w('Intake decision', 'Décision d’admission'),
  milestones: w('Milestones', 'Jalons'),
  drafts: w('Drafts', 'Ébauches'),
  consultations: w('Consultations', 'Consultations'),
  feedback: w('Feedback', 'Rétroaction'),
  resolutions: w('Resolutions', 'Résolutions'),
  signatures: w('Signatures', 'Signatures'),
  reviews: w('Performance reviews', 'Évaluations du rendement'),
  pendingActions: w('Pending actions', 'Actions en attente'),
  nextTimers: w('Upcoming dates', 'Dates à venir'),
  timeline: w('Timeline', 'Historique'),
};

const OBLIGATION_WORDS: Record<ObligationKind, Words> = {
  'intake-decision': w('Intake decision', 'Décision d’admission'),
  'participation-resolution': w('Participation resolution', 'Résolution de participation'),
  'rejected-participation': w(
    'Remove the party that rejected participation, or the process is abandoned',
    'Retirer la partie qui a refusé de participer, sinon la démarche est abandonnée',
  ),
  milestone: w('Milestone', 'Jalon'),
  draft: w('Draft version', 'Version de l’ébauche'),
  feedback: w('Feedback on the draft', 'Rétroaction sur l’ébauche'),
  'approval-resolution': w('Approval resolution', 'Résolution d’approbation'),
  signature: w('Signature', 'Signature'),
  review: w('Performance review', 'Évaluation du rendement'),
};

const TIMER_WORDS: Record<DeadlineKind, Words> = {
  'resolution-request': w('Resolution request', 'Demande de résolution'),
  'resolution-reminder': w('Resolution reminder', 'Rappel de résolution'),
  'meeting-follow-up': w('Question after the council meeting', 'Question après la séance du conseil'),
  'rejection-grace-end': w('End of the grace period after a rejection', 'Fin du délai de grâce après un refus'),
  'check-in': w('Check-in call', 'Appel de suivi'),
  'consultation-closing': w('Reminder: the consultation closes soon', 'Rappel : la consultation se termine bientôt'),
  'consultation-close': w('The consultation closes', 'Fin de la consultation'),
  'signature-reminder': w('Signature reminder', 'Rappel de signature'),
  'review-due': w('Performance review due', 'Évaluation du rendement à faire'),
  'renewal-meeting': w('Reminder: renewal meeting', 'Rappel : rencontre de renouvellement'),
  expiry: w('End of the term', 'Fin du terme'),
  'notice-ending': w('Reminder: the notice period ends soon', 'Rappel : le préavis prend bientôt fin'),
  'notice-end': w('End of the notice period', 'Fin du préavis'),
  'party-withdrawal': w('A party’s withdrawal takes effect', 'Prise d’effet du retrait d’une partie'),
};

/** What the timeline records, besides entering a stage (`stage:<stage>`, from ui.enteredStage). */
const EVENT_WORDS: Record<string, Words> = {
  'application-received': w('Application received', 'Demande reçue'),
  'intake-accepted': w('Application accepted', 'Demande acceptée'),
  'intake-declined': w('Application declined', 'Demande non retenue'),
  'resolution-participation-adopted': w('Participation resolution adopted', 'Résolution de participation adoptée'),
  'resolution-participation-rejected': w('Participation rejected by resolution', 'Participation refusée par résolution'),
  'resolution-approval-adopted': w('Approval resolution adopted', 'Résolution d’approbation adoptée'),
  'resolution-approval-rejected': w('Approval rejected by resolution', 'Approbation refusée par résolution'),
  'milestone-completed': w('Milestone completed', 'Jalon franchi'),
  'milestone-skipped': w('Milestone skipped', 'Jalon omis'),
  'draft-submitted': w('Draft version submitted', 'Version de l’ébauche déposée'),
  'feedback-received': w('Feedback received', 'Rétroaction reçue'),
  signed: w('Signed', 'Signée'),
  'review-recorded': w('Performance review recorded', 'Évaluation du rendement consignée'),
  'term-amended': w('End of the term amended', 'Fin du terme modifiée'),
  renewed: w('Agreement renewed', 'Entente renouvelée'),
  'notice-given': w('Written notice given', 'Avis écrit donné'),
  'notice-withdrawn': w('Notice withdrawn', 'Avis retiré'),
  'party-withdrawn': w('Party withdrawn', 'Partie retirée'),
  'party-withdrawing': w('Party withdrawing on notice', 'Retrait d’une partie annoncé'),
  'contact-replaced': w('Contact replaced', 'Personne-ressource remplacée'),
  'party-role-set': w('Party’s role set', 'Rôle de la partie défini'),
  'meeting-calendar-set': w('Council meeting calendar set', 'Calendrier des séances du conseil établi'),
  'meeting-follow-up': w('Asked what the council decided', 'Question sur la décision du conseil envoyée'),
  'resolution-reminder': w('Resolution reminder sent', 'Rappel de résolution envoyé'),
  'signature-reminder': w('Signature reminder sent', 'Rappel de signature envoyé'),
  'review-due': w('Performance review due', 'Évaluation du rendement à faire'),
  'renewal-meeting-reminder': w('Renewal meeting reminder sent', 'Rappel de la rencontre de renouvellement envoyé'),
  'notification-failed': w('An email could not be sent', 'Un courriel n’a pas pu être envoyé'),
};

const NOTIFICATION_WORDS: Record<NotificationEvent, Words> = {
  'intake-accepted': w('Application accepted', 'Demande acceptée'),
  'intake-declined': w('Application not accepted', 'Demande non retenue'),
  'resolution-requested': w('Resolution requested', 'Résolution demandée'),
  'resolution-reminder': w('Resolution reminder', 'Rappel de résolution'),
  'resolution-follow-up': w('Did the council decide?', 'Le conseil a-t-il décidé ?'),
  'resolution-escalation': w('Resolution still missing after reminders', 'Résolution toujours attendue après des rappels'),
  'resolution-recorded': w('Resolution recorded', 'Résolution consignée'),
  'commitment-complete': w('Every party has committed', 'Toutes les parties se sont engagées'),
  'process-abandoned': w('Process abandoned', 'Démarche abandonnée'),
  'groundwork-complete': w('Groundwork complete', 'Travaux préparatoires terminés'),
  'check-in': w('Check-in call', 'Appel de suivi'),
  'draft-open-for-feedback': w('Draft open for feedback', 'Ébauche soumise à la consultation'),
  'consultation-closing': w('The consultation closes soon', 'La consultation se termine bientôt'),
  'consultation-closed': w('Consultation closed', 'Consultation terminée'),
  'feedback-received': w('Feedback received', 'Rétroaction reçue'),
  'approval-rejected': w('Approval rejected', 'Approbation refusée'),
  'signature-requested': w('Signature requested', 'Signature demandée'),
  'signature-reminder': w('Signature reminder', 'Rappel de signature'),
  signed: w('Agreement signed', 'Entente signée'),
  'review-due': w('Performance review due', 'Évaluation du rendement à faire'),
  'renewal-meeting': w('Renewal meeting', 'Rencontre de renouvellement'),
  renewed: w('Agreement renewed', 'Entente renouvelée'),
  'term-amended': w('End of the term amended', 'Fin du terme modifiée'),
  expired: w('Agreement expired', 'Entente échue'),
  'notice-received': w('Written notice received', 'Avis écrit reçu'),
  'notice-ending': w('The notice period ends soon', 'Le préavis prend bientôt fin'),
  'notice-withdrawn': w('Notice withdrawn', 'Avis retiré'),
  'party-withdrawal': w('A party withdraws', 'Retrait d’une partie'),
  dissolved: w('Partnership dissolved', 'Partenariat dissous'),
  'contact-assigned': w('New contact for a party', 'Nouvelle personne-ressource d’une partie'),
};

/** The page's sentences. `{name}` placeholders are filled by the page. */
const UI_WORDS: Record<string, Words> = {
  // Signing in, sessions and personal links
  signInTitle: w('Sign in with your API key', 'Connectez-vous avec votre clé d’API'),
  signInHelp: w(
    'The coordinator’s key, or the key the coordinator issued to you as a clerk, signatory or champion. It stays in this browser tab.',
    'La clé de la coordination, ou celle que la coordination vous a remise comme greffier ou greffière, signataire ou responsable du partenariat. Elle reste dans cet onglet.',
  ),
  apiKey: w('API key', 'Clé d’API'),
  signIn: w('Sign in', 'Se connecter'),
  signOut: w('Sign out', 'Se déconnecter'),
  whoParty: w('{role} of {party} in {partnership}', '{role} de {party} dans {partnership}'),
  openingLink: w('Opening your link…', 'Ouverture de votre lien…'),
  linkRefusedTitle: w('This link no longer opens the partnership', 'Ce lien n’ouvre plus le partenariat'),
  linkRefusedHelp: w(
    'Use the link in the latest email you received, or ask the coordinator for a new one.',
    'Utilisez le lien du dernier courriel reçu, ou demandez-en un nouveau à la coordination.',
  ),
  linkTooManyAttempts: w(
    'Too many attempts from this network: try again in a few minutes.',
    'Trop de tentatives depuis ce réseau : réessayez dans quelques minutes.',
  ),
  // Why a link was refused, by the reason the API names (POST /sessions' 401)
  linkUnknown: w(
    'This link is not known: it may be incomplete (copy the whole address from the email) or altered.',
    'Ce lien est inconnu : il est peut-être incomplet (copiez toute l’adresse du courriel) ou altéré.',
  ),
  linkExpired: w(
    'This link expired on {when}. Each new email from Entente carries a fresh link.',
    'Ce lien a expiré le {when}. Chaque nouveau courriel d’Entente contient un nouveau lien.',
  ),
  'linkRevoked.contact-replaced': w(
    'This link no longer works: you were replaced as your party’s contact.',
    'Ce lien ne fonctionne plus : une autre personne vous a remplacé comme personne-ressource de votre partie.',
  ),
  'linkRevoked.party-withdrew': w(
    'This link no longer works: your party withdrew from the partnership.',
    'Ce lien ne fonctionne plus : votre partie s’est retirée du partenariat.',
  ),
  'linkRevoked.partnership-ended': w('This link no longer works: the partnership has ended.', 'Ce lien ne fonctionne plus : le partenariat a pris fin.'),
  'linkRevoked.coordinator': w('This link no longer works: the coordinator revoked it.', 'Ce lien ne fonctionne plus : la coordination l’a révoqué.'),
  'linkRevoked.not-sent': w(
    'This link no longer works: the email that carried it was never delivered.',
    'Ce lien ne fonctionne plus : le courriel qui le contenait n’a jamais été livré.',
  ),
  sessionEndedTitle: w('Your session has ended', 'Votre session a pris fin'),
  sessionEndedHelp: w(
    'Open the link in your latest email again, or sign in with your key.',
    'Ouvrez de nouveau le lien de votre dernier courriel, ou connectez-vous avec votre clé.',
  ),
  loading: w('Loading…', 'Chargement…'),
  apiReference: w('API reference', 'Référence de l’API'),
  otherLanguage: w('Français', 'English'),
  // The coordinator's desk and list
  desk: w('Desk', 'Tableau de bord'),
  backToDesk: w('← Back to the desk', '← Retour au tableau de bord'),
  allPartnerships: w('All partnerships', 'Tous les partenariats'),
  partnerships: w('Partnerships', 'Partenariats'),
  partnership: w('Partnership', 'Partenariat'),
  parties: w('Parties', 'Parties'),
  all: w('all', 'toutes'),
  overdue: w('Overdue', 'En retard'),
  dueThisWeek: w('Due this week', 'À faire cette semaine'),
  later: w('Later', 'Plus tard'),
  escalated: w('Escalated', 'Signalé à la coordination'),
  escalations: w('Escalations', 'Signalements à la coordination'),
  nextDeadlines: w('Next deadlines', 'Prochaines échéances'),
  unreadable: w('{count} partnerships could not be read just now.', '{count} partenariats n’ont pas pu être lus pour l’instant.'),
  omitted: w(
    '{count} more live partnerships match but are not on the desk, which reads at most {limit}: narrow it by stage, party or template.',
    '{count} autres partenariats en cours correspondent mais ne figurent pas au tableau de bord, qui en lit au plus {limit} : précisez l’étape, la partie ou le modèle.',
  ),
  generatedAt: w('As of {when}', 'En date du {when}'),
  deskShown: w(
    'Things owed {from} to {to} of {total}, the most pressing first; narrow the desk by stage, party or template.',
    'Éléments {from} à {to} sur {total}, les plus pressants d’abord ; précisez l’étape, la partie ou le modèle.',
  ),
  shownOf: w('{shown} of {count} shown', '{shown} sur {count} affichés'),
  deskNext: w('The next {count}', 'Les {count} suivants'),
  deskFirst: w('The most pressing', 'Les plus pressants'),
  listLag: w(
    'The list comes from Temporal’s visibility store and may lag a change by a second.',
    'La liste vient de l’index de visibilité de Temporal et peut avoir une seconde de retard.',
  ),
  startPartnership: w('Start a partnership', 'Lancer un partenariat'),
  startHelp: w(
    'The start request as JSON (see the API reference, StartPartnership). Durations are optional and default to the template’s.',
    'La demande de lancement en JSON (voir la référence de l’API, StartPartnership). Les durées sont facultatives ; à défaut, celles du modèle.',
  ),
  start: w('Start', 'Lancer'),
  notJson: w('Not JSON: {error}', 'JSON invalide : {error}'),
  // One partnership
  sinceWhen: w('since {when}', 'depuis le {when}'),
  enteredStage: w('Now at stage: {stage}', 'Passage à l’étape : {stage}'),
  inForce: w('In force since {since}; term {number} ends on {ends}.', 'En vigueur depuis le {since} ; le terme {number} prend fin le {ends}.'),
  noticeGiven: w('Notice given by {party} ({days} days): ends on {ends}.', 'Avis donné par {party} ({days} jours) : prend fin le {ends}.'),
  agreementHtml: w('Agreement (HTML)', 'Entente (HTML)'),
  agreementMarkdown: w('Agreement (Markdown)', 'Entente (Markdown)'),
  calendar: w('Calendar (.ics)', 'Calendrier (.ics)'),
  decisionRegister: w('Decision register', 'Registre des décisions'),
  decisionRegisterOf: w('Decision register: {id}', 'Registre des décisions : {id}'),
  partiesAndOwes: w('Parties and what each still owes', 'Les parties et ce que chacune doit encore'),
  people: w('People', 'Personnes-ressources'),
  pendingActions: w('Pending actions', 'Actions en attente'),
  nextTimers: w('Upcoming dates', 'Dates à venir'),
  yourActions: w('What you can do now', 'Ce que vous pouvez faire maintenant'),
  noActions: w('Nothing for you to do at this stage.', 'Rien à faire pour vous à cette étape.'),
  documentToDecide: w('The document to decide on: {title}, version {version}', 'Le document visé : {title}, version {version}'),
  draftDocument: w('Open the document', 'Ouvrir le document'),
  submittedOn: w('Submitted on {when}', 'Déposée le {when}'),
  versionNumber: w('version {version}', 'version {version}'),
  milestones: w('Milestones', 'Jalons'),
  skipped: w('skipped', 'omis'),
  drafts: w('Drafts', 'Ébauches'),
  resolutions: w('Resolutions', 'Résolutions'),
  signatures: w('Signatures', 'Signatures'),
  feedback: w('Feedback', 'Rétroaction'),
  reviews: w('Performance reviews', 'Évaluations du rendement'),
  timeline: w('Timeline', 'Historique'),
  intakeNotes: w('Intake notes', 'Notes d’admission'),
  fullText: w('full text', 'texte intégral'),
  bytes: w('{size} bytes', '{size} octets'),
  none: w('None.', 'Aucun.'),
  pair: w('{label}: {value}', '{label} : {value}'),
  // Forms
  required: w('required', 'obligatoire'),
  onePerLine: w('One per line.', 'Un par ligne.'),
  asJson: w('As JSON.', 'En JSON.'),
  requiredFields: w('Fields marked * are required.', 'Les champs marqués d’un astérisque (*) sont obligatoires.'),
  formUnavailable: w(
    'This form could not be shown; the API reference describes the command.',
    'Ce formulaire ne peut pas être affiché ; la référence de l’API décrit la commande.',
  ),
  send: w('Send', 'Envoyer'),
  sending: w('Sending…', 'Envoi…'),
  applied: w('Applied.', 'Enregistré.'),
  // Keys and links
  accessKeys: w('Keys of party contacts', 'Clés des personnes-ressources des parties'),
  actionLinks: w('Personal links sent by email', 'Liens personnels envoyés par courriel'),
  issueKey: w('Issue a key to a party contact', 'Remettre une clé à une personne-ressource'),
  issue: w('Issue', 'Remettre'),
  keyShownOnce: w('Key (shown once; give it to that person only): ', 'Clé (affichée une seule fois ; ne la remettez qu’à cette personne) : '),
  keyLabelExample: w('e.g. the clerk of Riverside', 'p. ex. le greffier de Riverside'),
  active: w('active', 'active'),
  revokedOn: w('revoked {when}', 'révoquée le {when}'),
  revoke: w('Revoke', 'Révoquer'),
  // The register
  back: w('← Back', '← Retour'),
  chainIntact: w('Hash chain intact over {rows} rows.', 'Chaîne de hachage intacte sur {rows} lignes.'),
  chainBroken: w('Hash chain broken at row {seq} ({key}): {reason}.', 'Chaîne de hachage rompue à la ligne {seq} ({key}) : {reason}.'),
};

function build(): Record<LabelLanguage, Record<string, string>> {
  const labels: Record<LabelLanguage, Record<string, string>> = { en: {}, fr: {} };
  const put = (key: string, words: Words) => {
    labels.en[key] = words.en;
    labels.fr[key] = words.fr;
  };
  for (const stage of STAGES) put(`stage.${stage}`, STAGE_WORDS[stage]);
  for (const name of COMMAND_NAMES) put(`command.${name}`, COMMAND_INFO[name].title);
  for (const [field, words] of Object.entries(FIELD_WORDS)) put(`field.${field}`, words);
  for (const [field, values] of Object.entries(VALUE_WORDS)) for (const [value, words] of Object.entries(values)) put(`value.${field}.${value}`, words);
  for (const [role, words] of Object.entries(ROLE_WORDS)) put(`role.${role}`, words);
  for (const [kind, words] of Object.entries(OBLIGATION_WORDS)) put(`obligation.${kind}`, words);
  for (const [kind, words] of Object.entries(TIMER_WORDS)) put(`timer.${kind}`, words);
  for (const [event, words] of Object.entries(EVENT_WORDS)) put(`event.${event}`, words);
  for (const stage of STAGES) {
    put(`event.stage:${stage}`, {
      en: fill(UI_WORDS.enteredStage!.en, { stage: STAGE_WORDS[stage].en }),
      fr: fill(UI_WORDS.enteredStage!.fr, { stage: STAGE_WORDS[stage].fr }),
    });
  }
  for (const [event, words] of Object.entries(NOTIFICATION_WORDS)) put(`notification.${event}`, words);
  for (const [id, words] of Object.entries(UI_WORDS)) put(`ui.${id}`, words);
  return labels;
}

/** A text's `{name}` placeholders filled from `vars`; one without a value is left as it is. */
export const fill = (text: string, vars: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (vars[name] === undefined ? whole : String(vars[name])));

/** Every label, `{ en, fr }`, with the same keys in both: what GET /labels.json answers. */
export const LABELS: Readonly<Record<LabelLanguage, Readonly<Record<string, string>>>> = build();

/**
 * The label of `key` in `language`, its `{name}` placeholders filled from `vars`; English when
 * the language has none, the key itself when nothing has.
 */
export function label(key: string, language: LabelLanguage, vars: Record<string, string | number> = {}): string {
  const text = LABELS[language][key] ?? LABELS.en[key];
  return text === undefined ? key : fill(text, vars);
}
