/**
 * activities/notifications/catalogue.ts: the facts each email states, per event and language.
 * render.test.ts checks what every template shares (layout, escaping); this file checks that each
 * one says what its recipient needs: who, what, by when (dates written for people), and the link
 * to act.
 *
 * | case                        | expects                                                         |
 * |-----------------------------|-----------------------------------------------------------------|
 * | each event x fr/en          | the listed facts in the text part and in the html part; the     |
 * |                             | title in the subject; the link in the body                      |
 * | the table                   | covers every event of NOTIFICATION_EVENTS                       |
 */
import { renderNotification } from '../../activities/notifications/render';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../../domain/notifications';

const TITLE = 'Riverside–Maple water services';
const LINK = 'https://entente.example/partnerships/water';
const base = { title: TITLE, link: LINK, partyName: 'Maple First Nation' };

type Facts = { data: Record<string, unknown>; en: string[]; fr: string[] };

const FACTS: Record<NotificationEvent, Facts> = {
  'intake-accepted': { data: {}, en: ['has been accepted after the interview'], fr: ['a été acceptée après l’entrevue'] },
  'intake-declined': { data: {}, en: ['was not accepted'], fr: ['n’a pas été retenue'] },
  'resolution-requested': {
    data: { subject: 'approval', draftVersion: 3 },
    en: ['Maple First Nation', 'approval of the agreement of draft version 3'],
    fr: ['Maple First Nation', 'approbation de l’entente de la version 3 de l’ébauche'],
  },
  'resolution-reminder': {
    data: { subject: 'participation', count: 2, dueSince: '2025-01-15' },
    en: ['reminder 2', 'awaited since January 15, 2025'],
    fr: ['rappel 2', 'attendue depuis le 15 janvier 2025'],
  },
  'resolution-follow-up': {
    data: { subject: 'participation', heldOn: '2026-12-08', missedMeetings: 1, meetingOn: '2027-01-12', agendaClosesOn: '2027-01-01' },
    en: ['council meeting of December 8, 2026', 'adopted, deferred or refused', 'next council meeting is on January 12, 2027', 'by January 1, 2027'],
    fr: [
      'séance du conseil du 8 décembre 2026',
      'adoptée, reportée ou refusée',
      'prochaine séance du conseil a lieu le 12 janvier 2027',
      'au plus tard le 1er janvier 2027',
    ],
  },
  'resolution-escalation': { data: { subject: 'participation', count: 3 }, en: ['after 3 reminders', 'Maple First Nation'], fr: ['après 3 rappels'] },
  'resolution-recorded': {
    data: { subject: 'participation', outcome: 'rejected', resolutionNumber: 'R-2025-07', adoptedOn: '2025-02-10', reason: 'No budget this year' },
    en: ['Resolution R-2025-07', 'rejected', 'February 10, 2025', 'Reason given: No budget this year'],
    fr: ['résolution R-2025-07', 'rejetée', '10 février 2025', 'Motif invoqué : No budget this year'],
  },
  'commitment-complete': { data: {}, en: ['launch workshop'], fr: ['atelier de lancement'] },
  'process-abandoned': { data: { reason: 'funding refused' }, en: ['has ended: funding refused'], fr: ['a pris fin : funding refused'] },
  'groundwork-complete': { data: {}, en: ['first draft'], fr: ['première ébauche'] },
  'check-in': {
    data: { count: 4, nextCheckInAt: '2025-06-01T14:00:00.000Z' },
    en: ['number 4', 'next check-in is due on June 1, 2025', 'vision statement'],
    fr: ['numéro 4', 'prévu le 1er juin 2025', 'énoncé de vision'],
  },
  'draft-open-for-feedback': {
    data: { draftVersion: 2, draftTitle: 'Second draft', closesAt: '2025-04-30T23:00:00.000Z' },
    en: ['Version 2', '"Second draft"', 'closes on April 30, 2025', 'calendar file'],
    fr: ['version 2', '« Second draft »', 'prend fin le 30 avril 2025', 'calendrier'],
  },
  'consultation-closing': {
    data: { draftVersion: 2, closesAt: '2025-04-30' },
    en: ['Maple First Nation has not yet responded', 'version 2', 'April 30, 2025'],
    fr: ['Maple First Nation n’a pas encore répondu', 'version 2', '30 avril 2025'],
  },
  'consultation-closed': {
    data: { draftVersion: 2, responses: 5, closedEarly: true },
    en: ['version 2', 'early, every party having responded', '5 response(s)'],
    fr: ['version 2', 'plus tôt que prévu', 'Réponses reçues : 5'],
  },
  'feedback-received': {
    data: { draftVersion: 2, author: 'Elder Council' },
    en: ['Elder Council (Maple First Nation)', 'version 2'],
    fr: ['Elder Council (Maple First Nation)', 'version 2'],
  },
  'approval-rejected': {
    data: { draftVersion: 3, reason: 'the fee schedule is unclear' },
    en: ['did not approve version 3', 'the fee schedule is unclear', 'back to revision'],
    fr: ['n’a pas approuvé la version 3', 'the fee schedule is unclear', 'retourne en révision'],
  },
  'signature-requested': {
    data: { draftVersion: 4, draftHash: 'ab12cd34' },
    en: ['version 4', 'ab12cd34', 'on behalf of Maple First Nation'],
    fr: ['version 4', 'ab12cd34', 'au nom de Maple First Nation'],
  },
  'signature-reminder': { data: { draftVersion: 4, count: 2 }, en: ['(reminder 2)', 'Version 4'], fr: ['(rappel 2)', 'version 4'] },
  signed: {
    data: { effectiveOn: '2025-05-02', endsOn: '2027-05-01' },
    en: ['Congratulations', 'from May 2, 2025 until May 1, 2027'],
    fr: ['Félicitations', 'du 2 mai 2025 jusqu’au 1er mai 2027'],
  },
  'review-due': {
    data: { dueAt: '2025-11-02', reviewNumber: 1 },
    en: ['Performance review 1', 'November 2, 2025'],
    fr: ['L’examen du rendement 1', '2 novembre 2025'],
  },
  'renewal-meeting': {
    data: { endsOn: '2027-05-01', meetingBy: '2026-11-01' },
    en: ['ends on May 1, 2027', 'by November 1, 2026', 'renewal'],
    fr: ['prend fin le 1er mai 2027', 'd’ici le 1er novembre 2026', 'renouvellement'],
  },
  renewed: { data: { endsOn: '2029-05-01', termMonths: 24 }, en: ['24 months, until May 1, 2029'], fr: ['24 mois, jusqu’au 1er mai 2029'] },
  'term-amended': {
    data: { endsOn: '2027-12-31', reason: 'aligned with the fiscal year' },
    en: ['now ends on December 31, 2027: aligned with the fiscal year'],
    fr: ['prend maintenant fin le 31 décembre 2027 : aligned with the fiscal year'],
  },
  expired: { data: { endedOn: '2027-05-01' }, en: ['expired on May 1, 2027'], fr: ['échéance le 1er mai 2027'] },
  'notice-received': {
    data: { reason: 'a regional service replaces it', endsOn: '2026-01-31', noticeDays: 90 },
    en: ['Maple First Nation has given written notice', 'a regional service replaces it', '90 days and ends on January 31, 2026'],
    fr: ['Maple First Nation a donné un avis écrit', '90 jours et prend fin le 31 janvier 2026'],
  },
  'notice-ending': {
    data: { endsOn: '2026-01-31' },
    en: ['ends on January 31, 2026', "acknowledge the partnership's achievements", 'celebrate'],
    fr: ['prend fin le 31 janvier 2026', 'reconnaître les réalisations', 'célébrer'],
  },
  'notice-withdrawn': {
    data: {},
    en: ['Maple First Nation has withdrawn its notice', 'remains in force'],
    fr: ['Maple First Nation a retiré son avis', 'demeure en vigueur'],
  },
  'party-withdrawal': {
    data: { reason: 'merged with another band', effectiveOn: '2026-03-01' },
    en: ['Maple First Nation withdraws', 'as of March 1, 2026: merged with another band', 'other parties continue'],
    fr: ['Maple First Nation se retire', 'à compter du 1er mars 2026 : merged with another band', 'autres parties poursuivent'],
  },
  'contact-assigned': {
    data: { role: 'clerk' },
    en: ['You are now the clerk of Maple First Nation', 'What Maple First Nation still owes'],
    fr: ['Vous êtes maintenant greffier ou greffière pour Maple First Nation', 'Ce que Maple First Nation doit encore'],
  },
  dissolved: {
    data: { endedOn: '2026-01-31' },
    en: [
      'dissolved on January 31, 2026',
      "identify the partnership's main achievements and acknowledge everyone involved",
      'inform the people both inside and outside the partnership',
      'document the history of the partnership',
      'celebrate what was accomplished',
    ],
    fr: [
      'dissous le 31 janvier 2026',
      'reconnaissent l’implication de tout le personnel',
      'informent les gens à l’intérieur et à l’extérieur du partenariat',
      'documentent l’historique du partenariat',
      'célébrer les accomplissements',
    ],
  },
};

const decodeHtml = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

test('the table covers every event', () => {
  expect(Object.keys(FACTS).sort()).toEqual([...NOTIFICATION_EVENTS].sort());
});

describe.each(NOTIFICATION_EVENTS.map((e) => [e]))('%s', (event) => {
  test.each(['en', 'fr'] as const)('(%s) states its facts', (language) => {
    const { data, [language]: facts } = FACTS[event];
    const message = renderNotification(event, language, { ...base, ...data });
    expect(message.subject).toContain(TITLE);
    expect(message.text).toContain(LINK);
    for (const fact of facts) {
      expect(message.text).toContain(fact);
      expect(decodeHtml(message.html)).toContain(fact);
    }
    // No variable of the documented data was left empty in the sentence that uses it.
    expect(message.text).not.toMatch(/ ,| \.|\(\)|« »|""/);
  });
});
