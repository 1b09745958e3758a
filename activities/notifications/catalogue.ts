import type { Language, NotificationEvent } from '../../domain';

/**
 * Subject and body of every event in each language, as Nunjucks templates. The body is plain
 * paragraphs separated by blank lines; the layout turns them into the text and HTML parts.
 * Variables: title, partyName, subject, outcome, resolutionNumber, adoptedOn, count, reason, link.
 */
export const CATALOGUE: Record<NotificationEvent, Record<Language, { subject: string; body: string }>> = {
  'intake-accepted': {
    en: {
      subject: 'Application accepted: {{ title }}',
      body: 'The application for "{{ title }}" has been accepted after the interview.\n\nEach governing body will now be asked to adopt a resolution to participate.',
    },
    fr: {
      subject: 'Demande acceptée : {{ title }}',
      body: 'La demande pour « {{ title }} » a été acceptée après l’entrevue.\n\nChaque instance décisionnelle sera invitée à adopter une résolution de participation.',
    },
  },
  'intake-declined': {
    en: { subject: 'Application not accepted: {{ title }}', body: 'The application for "{{ title }}" was not accepted after the interview.' },
    fr: { subject: 'Demande non retenue : {{ title }}', body: 'La demande pour « {{ title }} » n’a pas été retenue après l’entrevue.' },
  },
  'resolution-requested': {
    en: {
      subject: 'Resolution requested from {{ partyName }}: {{ title }}',
      body: 'The partnership "{{ title }}" needs a resolution of {{ partyName }}\'s governing body on its {{ subject }}.\n\nOnce adopted, the clerk records its number and date here: {{ link }}',
    },
    fr: {
      subject: 'Résolution demandée à {{ partyName }} : {{ title }}',
      body: 'Le partenariat « {{ title }} » attend une résolution de l’instance décisionnelle de {{ partyName }} ({{ subject }}).\n\nUne fois adoptée, le greffier en inscrit le numéro et la date ici : {{ link }}',
    },
  },
  'resolution-reminder': {
    en: {
      subject: 'Reminder {{ count }}: resolution still missing from {{ partyName }}',
      body: 'The resolution of {{ partyName }}\'s governing body for "{{ title }}" has not been recorded yet (reminder {{ count }}).\n\nRecord it here: {{ link }}',
    },
    fr: {
      subject: 'Rappel {{ count }} : résolution de {{ partyName }} toujours attendue',
      body: 'La résolution de l’instance décisionnelle de {{ partyName }} pour « {{ title }} » n’a pas encore été inscrite (rappel {{ count }}).\n\nInscrivez-la ici : {{ link }}',
    },
  },
  'resolution-escalation': {
    en: {
      subject: 'Stalled: {{ partyName }} has not resolved after {{ count }} reminders',
      body: '{{ partyName }} has not recorded its resolution for "{{ title }}" after {{ count }} reminders. A call from the program team may help.\n\n{{ link }}',
    },
    fr: {
      subject: 'En attente : {{ partyName }} sans résolution après {{ count }} rappels',
      body: '{{ partyName }} n’a pas inscrit sa résolution pour « {{ title }} » après {{ count }} rappels. Un appel de l’équipe du programme pourrait aider.\n\n{{ link }}',
    },
  },
  'resolution-recorded': {
    en: {
      subject: 'Resolution {{ resolutionNumber }} of {{ partyName }} recorded',
      body: 'Resolution {{ resolutionNumber }} of {{ partyName }} ({{ subject }}, {{ outcome }}) adopted on {{ adoptedOn }} is recorded for "{{ title }}".\n\n{{ link }}',
    },
    fr: {
      subject: 'Résolution {{ resolutionNumber }} de {{ partyName }} inscrite',
      body: 'La résolution {{ resolutionNumber }} de {{ partyName }} ({{ subject }}, {{ outcome }}) adoptée le {{ adoptedOn }} est inscrite pour « {{ title }} ».\n\n{{ link }}',
    },
  },
  'commitment-complete': {
    en: {
      subject: 'Every party has committed: {{ title }}',
      body: 'Every governing body has adopted its resolution to participate in "{{ title }}". The groundwork begins with the launch workshop.\n\n{{ link }}',
    },
    fr: {
      subject: 'Toutes les parties se sont engagées : {{ title }}',
      body: 'Chaque instance décisionnelle a adopté sa résolution de participation à « {{ title }} ». Les travaux commencent par l’atelier de lancement.\n\n{{ link }}',
    },
  },
  'process-abandoned': {
    en: { subject: 'Process ended: {{ title }}', body: 'The process for "{{ title }}" has ended: {{ reason }}.' },
    fr: { subject: 'Démarche terminée : {{ title }}', body: 'La démarche pour « {{ title }} » a pris fin : {{ reason }}.' },
  },
};
