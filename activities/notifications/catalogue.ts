import type { Language, NotificationEvent } from '../../domain';

export interface MessageTemplate {
  subject: string;
  body: string;
}

/**
 * Subject and body of every event in each language, as Nunjucks templates. The body is plain
 * paragraphs separated by blank lines; a paragraph whose every line starts with "- " is a list.
 * The variables are those listed beside each event in domain/notifications.ts, plus `title` and
 * `link`. Filters (render.ts): `date` formats an ISO date for the language; `label` translates
 * the enumerated values (participation, approval, adopted, rejected).
 *
 * Every subject names the partnership: a recipient may follow several at once.
 */
export const CATALOGUE: Record<NotificationEvent, Record<Language, MessageTemplate>> = {
  'intake-accepted': {
    en: {
      subject: 'Application accepted: {{ title }}',
      body: 'The application for "{{ title }}" has been accepted after the interview.\n\nEach governing body will now be asked to adopt a resolution to participate.\n\nFollow the process here: {{ link }}',
    },
    fr: {
      subject: 'Demande acceptée : {{ title }}',
      body: 'La demande pour « {{ title }} » a été acceptée après l’entrevue.\n\nChaque instance décisionnelle sera invitée à adopter une résolution de participation.\n\nSuivez la démarche ici : {{ link }}',
    },
  },
  'intake-declined': {
    en: {
      subject: 'Application not accepted: {{ title }}',
      body: 'The application for "{{ title }}" was not accepted after the interview.\n\nThe record of the process stays available here: {{ link }}',
    },
    fr: {
      subject: 'Demande non retenue : {{ title }}',
      body: 'La demande pour « {{ title }} » n’a pas été retenue après l’entrevue.\n\nLe dossier de la démarche reste consultable ici : {{ link }}',
    },
  },
  'resolution-requested': {
    en: {
      subject: 'Resolution requested from {{ partyName }}: {{ title }}',
      body: 'The partnership "{{ title }}" needs a resolution of {{ partyName }}\'s governing body on its {{ subject | label }}{% if draftVersion %} of draft version {{ draftVersion }}{% endif %}.{% if meetingOn %}\n\nIt should go to the council meeting of {{ meetingOn | date }}: the file must reach the agenda by {{ agendaClosesOn | date }}, when the agenda of that meeting closes.{% endif %}\n\nOnce adopted, the clerk records its number and date here: {{ link }}',
    },
    fr: {
      subject: 'Résolution demandée à {{ partyName }} : {{ title }}',
      body: 'Le partenariat « {{ title }} » attend une résolution de l’instance décisionnelle de {{ partyName }} ({{ subject | label }}{% if draftVersion %} de la version {{ draftVersion }} de l’ébauche{% endif %}).{% if meetingOn %}\n\nElle devrait être inscrite à la séance du conseil du {{ meetingOn | date }} : le dossier doit parvenir à l’ordre du jour au plus tard le {{ agendaClosesOn | date }}, date de fermeture de l’ordre du jour de cette séance.{% endif %}\n\nUne fois adoptée, le greffier en inscrit le numéro et la date ici : {{ link }}',
    },
  },
  'resolution-reminder': {
    en: {
      subject: 'Reminder {{ count }}: resolution still missing from {{ partyName }} ({{ title }})',
      body: 'The resolution of {{ partyName }}\'s governing body on its {{ subject | label }} in "{{ title }}" has not been recorded yet{% if dueSince %}; it has been awaited since {{ dueSince | date }}{% endif %} (reminder {{ count }}).{% if meetingOn %}\n\nIt should go to the council meeting of {{ meetingOn | date }}: the file must reach the agenda by {{ agendaClosesOn | date }}, when the agenda of that meeting closes.{% endif %}\n\nRecord it here: {{ link }}',
    },
    fr: {
      subject: 'Rappel {{ count }} : résolution de {{ partyName }} toujours attendue ({{ title }})',
      body: 'La résolution de l’instance décisionnelle de {{ partyName }} ({{ subject | label }}) pour « {{ title }} » n’a pas encore été inscrite{% if dueSince %} ; elle est attendue depuis le {{ dueSince | date }}{% endif %} (rappel {{ count }}).{% if meetingOn %}\n\nElle devrait être inscrite à la séance du conseil du {{ meetingOn | date }} : le dossier doit parvenir à l’ordre du jour au plus tard le {{ agendaClosesOn | date }}, date de fermeture de l’ordre du jour de cette séance.{% endif %}\n\nInscrivez-la ici : {{ link }}',
    },
  },
  'resolution-follow-up': {
    en: {
      subject: 'Did the council of {{ partyName }} decide? ({{ title }})',
      body: 'The resolution of {{ partyName }}\'s governing body on its {{ subject | label }} in "{{ title }}" was expected at the council meeting of {{ heldOn | date }}, and nothing has been recorded yet.\n\nWas it adopted, deferred or refused? If it was adopted or refused, record its number and date here: {{ link }}{% if meetingOn %}\n\nIf it was deferred, the next council meeting is on {{ meetingOn | date }}; the file must reach its agenda by {{ agendaClosesOn | date }}.{% endif %}',
    },
    fr: {
      subject: 'Le conseil de {{ partyName }} a-t-il décidé ? ({{ title }})',
      body: 'La résolution de l’instance décisionnelle de {{ partyName }} ({{ subject | label }}) pour « {{ title }} » était attendue à la séance du conseil du {{ heldOn | date }}, et rien n’a encore été inscrit.\n\nA-t-elle été adoptée, reportée ou refusée ? Si elle a été adoptée ou refusée, inscrivez-en le numéro et la date ici : {{ link }}{% if meetingOn %}\n\nSi elle a été reportée, la prochaine séance du conseil a lieu le {{ meetingOn | date }} ; le dossier doit parvenir à son ordre du jour au plus tard le {{ agendaClosesOn | date }}.{% endif %}',
    },
  },
  'resolution-escalation': {
    en: {
      subject:
        'Stalled: {{ partyName }} has not resolved after {% if missedMeetings %}{{ missedMeetings }} council meetings{% else %}{{ count }} reminders{% endif %} ({{ title }})',
      body: '{{ partyName }} has not recorded its resolution on its {{ subject | label }} in "{{ title }}" after {% if missedMeetings %}{{ missedMeetings }} meetings of its council{% else %}{{ count }} reminders{% endif %}. A call from the program team may help.\n\n{{ link }}',
    },
    fr: {
      subject:
        'En attente : {{ partyName }} sans résolution après {% if missedMeetings %}{{ missedMeetings }} séances du conseil{% else %}{{ count }} rappels{% endif %} ({{ title }})',
      body: '{{ partyName }} n’a pas inscrit sa résolution ({{ subject | label }}) pour « {{ title }} » après {% if missedMeetings %}{{ missedMeetings }} séances de son conseil{% else %}{{ count }} rappels{% endif %}. Un appel de l’équipe du programme pourrait aider.\n\n{{ link }}',
    },
  },
  'resolution-recorded': {
    en: {
      subject: 'Resolution {{ resolutionNumber }} of {{ partyName }} recorded ({{ title }})',
      body: 'Resolution {{ resolutionNumber }} of {{ partyName }} ({{ subject | label }}, {{ outcome | label }}) adopted on {{ adoptedOn | date }} is recorded for "{{ title }}".{% if reason %}\n\nReason given: {{ reason }}{% endif %}\n\n{{ link }}',
    },
    fr: {
      subject: 'Résolution {{ resolutionNumber }} de {{ partyName }} inscrite ({{ title }})',
      body: 'La résolution {{ resolutionNumber }} de {{ partyName }} ({{ subject | label }}, {{ outcome | label }}) du {{ adoptedOn | date }} est inscrite pour « {{ title }} ».{% if reason %}\n\nMotif invoqué : {{ reason }}{% endif %}\n\n{{ link }}',
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
    en: {
      subject: 'Process ended: {{ title }}',
      body: 'The process for "{{ title }}" has ended: {{ reason }}.\n\nIts record stays available here: {{ link }}',
    },
    fr: {
      subject: 'Démarche terminée : {{ title }}',
      body: 'La démarche pour « {{ title }} » a pris fin : {{ reason }}.\n\nSon dossier reste consultable ici : {{ link }}',
    },
  },
  'groundwork-complete': {
    en: {
      subject: 'Groundwork complete, drafting begins: {{ title }}',
      body: 'The required milestones of "{{ title }}" are complete. The first draft of the agreement can now be prepared.\n\n{{ link }}',
    },
    fr: {
      subject: 'Travaux préparatoires terminés, rédaction de l’ébauche : {{ title }}',
      body: 'Les étapes requises pour « {{ title }} » sont franchies. La première ébauche de l’entente peut maintenant être préparée.\n\n{{ link }}',
    },
  },
  'check-in': {
    en: {
      subject: 'Monthly check-in {{ count }}: {{ title }}',
      body: 'Time for the monthly check-in call with the program team about "{{ title }}" (number {{ count }}).\n\nAt each meeting: review the principles of effective dialogue, the vision statement, the agenda and the work plan; set the date and time of the next meeting and its objectives.{% if nextCheckInAt %}\n\nThe next check-in is due on {{ nextCheckInAt | date }}.{% endif %}\n\n{{ link }}',
    },
    fr: {
      subject: 'Appel de suivi mensuel {{ count }} : {{ title }}',
      body: 'C’est le moment de l’appel de suivi mensuel avec l’équipe du programme pour « {{ title }} » (numéro {{ count }}).\n\nÀ chaque réunion : revoir les principes d’un dialogue efficace, l’énoncé de vision, l’ordre du jour et le plan de travail ; fixer la date, l’heure et les objectifs de la prochaine réunion.{% if nextCheckInAt %}\n\nLe prochain suivi est prévu le {{ nextCheckInAt | date }}.{% endif %}\n\n{{ link }}',
    },
  },
  'draft-open-for-feedback': {
    en: {
      subject: 'Draft {{ draftVersion }} open for feedback until {{ closesAt | date }}: {{ title }}',
      body: 'Version {{ draftVersion }} of the agreement{% if draftTitle %}, "{{ draftTitle }}",{% endif %} for "{{ title }}" is open for feedback from councils and the community.\n\nThe consultation closes on {{ closesAt | date }}; the date is in the attached calendar file.\n\nRead the draft and send your comments here: {{ link }}',
    },
    fr: {
      subject: 'Ébauche {{ draftVersion }} ouverte aux commentaires jusqu’au {{ closesAt | date }} : {{ title }}',
      body: 'La version {{ draftVersion }} de l’entente{% if draftTitle %}, « {{ draftTitle }} »,{% endif %} pour « {{ title }} » est soumise à la rétroaction des conseils et de la collectivité.\n\nLa consultation prend fin le {{ closesAt | date }} ; la date figure dans le fichier de calendrier joint.\n\nLisez l’ébauche et transmettez vos commentaires ici : {{ link }}',
    },
  },
  'consultation-closing': {
    en: {
      subject: 'Feedback on draft {{ draftVersion }} closes on {{ closesAt | date }}: {{ title }}',
      body: '{% if partyName %}{{ partyName }} has{% else %}You have{% endif %} not yet responded on version {{ draftVersion }} of the agreement for "{{ title }}". The consultation closes on {{ closesAt | date }}.\n\nSend your feedback here: {{ link }}',
    },
    fr: {
      subject: 'La rétroaction sur l’ébauche {{ draftVersion }} se termine le {{ closesAt | date }} : {{ title }}',
      body: '{% if partyName %}{{ partyName }} n’a{% else %}Vous n’avez{% endif %} pas encore répondu au sujet de la version {{ draftVersion }} de l’entente pour « {{ title }} ». La consultation prend fin le {{ closesAt | date }}.\n\nTransmettez votre rétroaction ici : {{ link }}',
    },
  },
  'consultation-closed': {
    en: {
      subject: 'Consultation on draft {{ draftVersion }} closed: {{ title }}',
      body: 'The consultation on version {{ draftVersion }} of the agreement for "{{ title }}" is closed{% if closedEarly %} early, every party having responded{% endif %}. {{ responses }} response(s) were received.\n\nThe revision of the draft, with its review workshop, comes next.\n\n{{ link }}',
    },
    fr: {
      subject: 'Consultation sur l’ébauche {{ draftVersion }} terminée : {{ title }}',
      body: 'La consultation sur la version {{ draftVersion }} de l’entente pour « {{ title }} » est terminée{% if closedEarly %} plus tôt que prévu, toutes les parties ayant répondu{% endif %}. Réponses reçues : {{ responses }}.\n\nLa révision de l’ébauche, avec son atelier d’examen, vient ensuite.\n\n{{ link }}',
    },
  },
  'feedback-received': {
    en: {
      subject: 'Feedback on draft {{ draftVersion }} from {{ author }}: {{ title }}',
      body: '{{ author }}{% if partyName %} ({{ partyName }}){% endif %} has sent feedback on version {{ draftVersion }} of the agreement for "{{ title }}".\n\nRead it here: {{ link }}',
    },
    fr: {
      subject: 'Rétroaction sur l’ébauche {{ draftVersion }} de {{ author }} : {{ title }}',
      body: '{{ author }}{% if partyName %} ({{ partyName }}){% endif %} a transmis sa rétroaction sur la version {{ draftVersion }} de l’entente pour « {{ title }} ».\n\nConsultez-la ici : {{ link }}',
    },
  },
  'approval-rejected': {
    en: {
      subject: 'Draft {{ draftVersion }} not approved{% if partyName %} by {{ partyName }}{% endif %}: {{ title }}',
      body: '{% if partyName %}The governing body of {{ partyName }}{% else %}A governing body{% endif %} did not approve version {{ draftVersion }} of the agreement for "{{ title }}": {{ reason }}.\n\nThe draft goes back to revision; a new version will need new approvals.\n\n{{ link }}',
    },
    fr: {
      subject: 'Ébauche {{ draftVersion }} non approuvée{% if partyName %} par {{ partyName }}{% endif %} : {{ title }}',
      body: '{% if partyName %}L’instance décisionnelle de {{ partyName }}{% else %}Une instance décisionnelle{% endif %} n’a pas approuvé la version {{ draftVersion }} de l’entente pour « {{ title }} » : {{ reason }}.\n\nL’ébauche retourne en révision ; une nouvelle version devra être approuvée de nouveau.\n\n{{ link }}',
    },
  },
  'signature-requested': {
    en: {
      subject: 'Signature requested{% if partyName %} for {{ partyName }}{% endif %}: {{ title }}',
      body: 'Every governing body has approved version {{ draftVersion }} of the agreement for "{{ title }}". It is ready for your signature{% if partyName %} on behalf of {{ partyName }}{% endif %}.\n\nThe approved text has the fingerprint (SHA-256) {{ draftHash }}: make sure the copy you sign is that one.\n\nSign here: {{ link }}',
    },
    fr: {
      subject: 'Signature demandée{% if partyName %} pour {{ partyName }}{% endif %} : {{ title }}',
      body: 'Toutes les instances décisionnelles ont approuvé la version {{ draftVersion }} de l’entente pour « {{ title }} ». Elle attend votre signature{% if partyName %} au nom de {{ partyName }}{% endif %}.\n\nLe texte approuvé a l’empreinte (SHA-256) {{ draftHash }} : assurez-vous que l’exemplaire que vous signez est bien celui-là.\n\nSignez ici : {{ link }}',
    },
  },
  'signature-reminder': {
    en: {
      subject: 'Reminder {{ count }}: signature still missing{% if partyName %} for {{ partyName }}{% endif %} ({{ title }})',
      body: 'Version {{ draftVersion }} of the agreement for "{{ title }}" still awaits your signature{% if partyName %} on behalf of {{ partyName }}{% endif %} (reminder {{ count }}).\n\nSign here: {{ link }}',
    },
    fr: {
      subject: 'Rappel {{ count }} : signature toujours attendue{% if partyName %} pour {{ partyName }}{% endif %} ({{ title }})',
      body: 'La version {{ draftVersion }} de l’entente pour « {{ title }} » attend toujours votre signature{% if partyName %} au nom de {{ partyName }}{% endif %} (rappel {{ count }}).\n\nSignez ici : {{ link }}',
    },
  },
  signed: {
    en: {
      subject: 'Congratulations, the agreement is signed: {{ title }}',
      body: 'Every party has signed the agreement for "{{ title }}". Congratulations!\n\nIt is in force from {{ effectiveOn | date }}{% if endsOn %} until {{ endsOn | date }}{% endif %}. Performance reviews follow at least twice a year, and a renewal meeting about six months before it ends.\n\n{{ link }}',
    },
    fr: {
      subject: 'Félicitations, l’entente est signée : {{ title }}',
      body: 'Toutes les parties ont signé l’entente pour « {{ title }} ». Félicitations !\n\nElle est en vigueur à compter du {{ effectiveOn | date }}{% if endsOn %} jusqu’au {{ endsOn | date }}{% endif %}. Des examens du rendement suivront au moins deux fois par année, et une rencontre sur le renouvellement environ six mois avant son échéance.\n\n{{ link }}',
    },
  },
  'review-due': {
    en: {
      subject: 'Performance review {{ reviewNumber }} due by {{ dueAt | date }}: {{ title }}',
      body: 'Performance review {{ reviewNumber }} of "{{ title }}" is due by {{ dueAt | date }}; the date is in the attached calendar file.\n\nReview the results against the partnership\'s goals: are the people served and the organisations satisfied, are the commitments kept?\n\nRecord the review here: {{ link }}',
    },
    fr: {
      subject: 'Examen du rendement {{ reviewNumber }} à tenir d’ici le {{ dueAt | date }} : {{ title }}',
      body: 'L’examen du rendement {{ reviewNumber }} de « {{ title }} » doit avoir lieu d’ici le {{ dueAt | date }} ; la date figure dans le fichier de calendrier joint.\n\nComparez les résultats aux objectifs du partenariat : les personnes servies et les organisations sont-elles satisfaites, les engagements sont-ils tenus ?\n\nInscrivez l’examen ici : {{ link }}',
    },
  },
  'renewal-meeting': {
    en: {
      subject: 'Renewal meeting to hold by {{ meetingBy | date }}: {{ title }}',
      body: 'The agreement for "{{ title }}" ends on {{ endsOn | date }}. The parties meet by {{ meetingBy | date }} to decide on its renewal, based on an evaluation of the partnership\'s results and achievements; the date is in the attached calendar file.\n\n{{ link }}',
    },
    fr: {
      subject: 'Rencontre sur le renouvellement à tenir d’ici le {{ meetingBy | date }} : {{ title }}',
      body: 'L’entente pour « {{ title }} » prend fin le {{ endsOn | date }}. Les parties se rencontrent d’ici le {{ meetingBy | date }} pour décider de son renouvellement, selon une évaluation des résultats et des réalisations du partenariat ; la date figure dans le fichier de calendrier joint.\n\n{{ link }}',
    },
  },
  renewed: {
    en: {
      subject: 'Agreement renewed until {{ endsOn | date }}: {{ title }}',
      body: 'The parties have renewed the agreement for "{{ title }}" for {{ termMonths }} months, until {{ endsOn | date }}.\n\n{{ link }}',
    },
    fr: {
      subject: 'Entente renouvelée jusqu’au {{ endsOn | date }} : {{ title }}',
      body: 'Les parties ont renouvelé l’entente pour « {{ title }} » pour {{ termMonths }} mois, jusqu’au {{ endsOn | date }}.\n\n{{ link }}',
    },
  },
  'term-amended': {
    en: {
      subject: 'End of the agreement moved to {{ endsOn | date }}: {{ title }}',
      body: 'The agreement for "{{ title }}" now ends on {{ endsOn | date }}: {{ reason }}. Every pending reminder follows the new date.\n\n{{ link }}',
    },
    fr: {
      subject: 'Échéance de l’entente reportée au {{ endsOn | date }} : {{ title }}',
      body: 'L’entente pour « {{ title }} » prend maintenant fin le {{ endsOn | date }} : {{ reason }}. Les rappels à venir suivent la nouvelle date.\n\n{{ link }}',
    },
  },
  expired: {
    en: {
      subject: 'Agreement expired: {{ title }}',
      body: 'The agreement for "{{ title }}" expired on {{ endedOn | date }} without renewal.\n\nIts record stays available here: {{ link }}',
    },
    fr: {
      subject: 'Entente échue : {{ title }}',
      body: 'L’entente pour « {{ title }} » est arrivée à échéance le {{ endedOn | date }} sans être renouvelée.\n\nSon dossier reste consultable ici : {{ link }}',
    },
  },
  'notice-received': {
    en: {
      subject: 'Written notice of termination from {{ partyName }}: {{ title }}',
      body: '{{ partyName }} has given written notice of termination of the agreement for "{{ title }}": {{ reason }}.\n\nThe notice period is {{ noticeDays }} days and ends on {{ endsOn | date }}, unless the notice is withdrawn before then; the date is in the attached calendar file. Use this time so that everyone served is informed and other support is in place for them.\n\n{{ link }}',
    },
    fr: {
      subject: 'Avis écrit de résiliation de {{ partyName }} : {{ title }}',
      body: '{{ partyName }} a donné un avis écrit de résiliation de l’entente pour « {{ title }} » : {{ reason }}.\n\nLe préavis est de {{ noticeDays }} jours et prend fin le {{ endsOn | date }}, à moins que l’avis ne soit retiré d’ici là ; la date figure dans le fichier de calendrier joint. Profitez de ce délai pour que toutes les personnes servies soient informées et que d’autres mesures de soutien soient mises en place pour elles.\n\n{{ link }}',
    },
  },
  'notice-ending': {
    en: {
      subject: 'Notice period ends on {{ endsOn | date }}: {{ title }}',
      body: 'The notice period of the agreement for "{{ title }}" ends on {{ endsOn | date }}; the partnership is then dissolved.\n\nBefore then: acknowledge the partnership\'s achievements, inform the people inside and outside it, document its history, and plan a moment to celebrate what was accomplished.\n\n{{ link }}',
    },
    fr: {
      subject: 'Le préavis prend fin le {{ endsOn | date }} : {{ title }}',
      body: 'Le préavis de l’entente pour « {{ title }} » prend fin le {{ endsOn | date }} ; le partenariat sera alors dissous.\n\nD’ici là : reconnaître les réalisations du partenariat, informer les gens à l’intérieur et à l’extérieur du partenariat, documenter son historique et prévoir un moment pour célébrer les accomplissements.\n\n{{ link }}',
    },
  },
  'notice-withdrawn': {
    en: {
      subject: 'Notice withdrawn{% if partyName %} by {{ partyName }}{% endif %}, the agreement continues: {{ title }}',
      body: '{% if partyName %}{{ partyName }} has{% else %}The party has{% endif %} withdrawn its notice of termination. The agreement for "{{ title }}" remains in force.\n\n{{ link }}',
    },
    fr: {
      subject: 'Avis retiré{% if partyName %} par {{ partyName }}{% endif %}, l’entente se poursuit : {{ title }}',
      body: '{% if partyName %}{{ partyName }} a{% else %}La partie a{% endif %} retiré son avis de résiliation. L’entente pour « {{ title }} » demeure en vigueur.\n\n{{ link }}',
    },
  },
  'party-withdrawal': {
    en: {
      subject: '{{ partyName }} withdraws from the partnership: {{ title }}',
      body: '{{ partyName }} withdraws from the partnership "{{ title }}" as of {{ effectiveOn | date }}: {{ reason }}.\n\nThe other parties continue under the agreement. {{ partyName }} completes its service and reporting commitments before leaving.\n\n{{ link }}',
    },
    fr: {
      subject: '{{ partyName }} se retire du partenariat : {{ title }}',
      body: '{{ partyName }} se retire du partenariat « {{ title }} » à compter du {{ effectiveOn | date }} : {{ reason }}.\n\nLes autres parties poursuivent l’entente. {{ partyName }} complète ses engagements de prestation de service et de compte rendu avant son départ.\n\n{{ link }}',
    },
  },
  'contact-assigned': {
    en: {
      subject: 'You are now the {{ role | label }} of {{ partyName }}: {{ title }}',
      body: 'You are now the {{ role | label }} of {{ partyName }} in the partnership "{{ title }}", in place of the person named before you.\n\nWhat {{ partyName }} still owes, and the partnership\'s record: {{ link }}',
    },
    fr: {
      subject: 'Vous êtes maintenant {{ role | label }} pour {{ partyName }} : {{ title }}',
      body: 'Vous êtes maintenant {{ role | label }} pour {{ partyName }} dans le partenariat « {{ title }} », à la place de la personne désignée avant vous.\n\nCe que {{ partyName }} doit encore, et le dossier du partenariat : {{ link }}',
    },
  },
  dissolved: {
    en: {
      subject: 'Partnership dissolved: {{ title }}',
      body: 'The partnership "{{ title }}" was dissolved on {{ endedOn | date }}, at the end of the notice period.\n\nTo close it well, the leaders of the organisations:\n\n- identify the partnership\'s main achievements and acknowledge everyone involved;\n- inform the people both inside and outside the partnership of the dissolution;\n- document the history of the partnership and what was learned from it;\n- choose a time, a place and an event to celebrate what was accomplished.\n\nThe record of the partnership stays available here: {{ link }}',
    },
    fr: {
      subject: 'Partenariat dissous : {{ title }}',
      body: 'Le partenariat « {{ title }} » a été dissous le {{ endedOn | date }}, à la fin du préavis.\n\nPour bien le clore, les dirigeants des organisations :\n\n- identifient les principales réalisations du partenariat et reconnaissent l’implication de tout le personnel ;\n- informent les gens à l’intérieur et à l’extérieur du partenariat de la dissolution ;\n- documentent l’historique du partenariat et les expériences tirées de ses activités ;\n- choisissent une heure, un lieu et un événement pour célébrer les accomplissements.\n\nLe dossier du partenariat reste consultable ici : {{ link }}',
    },
  },
};
