import { createEvents, type EventAttributes } from 'ics';
import { calendarText, escapeCalendarText } from '../activities/notifications/calendar';
import { formatDate } from '../activities/notifications/format';
import type { Language, PartnershipView } from '../domain';
import { sha256Hex } from '../domain/fingerprint';
import { fill, label } from '../domain/labels';
import { DAY } from '../domain/time';

type Words = Record<Language, string>;

/** Each event's name, in the reader's language: the council's clerk reads French as often as English. */
const LABELS: Record<string, Words> = {
  'resolution-reminder': { en: 'Resolution reminder', fr: 'Rappel de résolution' },
  'rejection-grace-end': {
    en: 'Last day to remove the party that rejected participation',
    fr: 'Dernier jour pour retirer la partie qui a refusé de participer',
  },
  'check-in': { en: 'Monthly check-in with the program team', fr: 'Appel de suivi mensuel avec l’équipe du programme' },
  'consultation-close': { en: 'Consultation closes', fr: 'Fin de la consultation' },
  'signature-reminder': { en: 'Signature reminder', fr: 'Rappel de signature' },
  'review-due': { en: 'Semi-annual performance review', fr: 'Évaluation semestrielle du rendement' },
  'renewal-meeting': { en: 'Renewal meeting', fr: 'Rencontre de renouvellement' },
  expiry: { en: 'The agreement expires', fr: 'L’entente prend fin' },
  'notice-end': { en: 'Notice period ends: dissolution', fr: 'Fin du préavis : dissolution' },
  'party-withdrawal': { en: 'A party’s withdrawal takes effect', fr: 'Prise d’effet du retrait d’une partie' },
};

/**
 * Reminders that announce another timer: their label gives the lead time the partnership really
 * has (its template's, or the one its start request set), measured to that timer (`{lead}`).
 */
const LEAD_LABELS: Record<string, { until: string; label: Words; otherwise: Words }> = {
  'consultation-closing': {
    until: 'consultation-close',
    label: { en: 'Consultation closes in {lead}', fr: 'La consultation se termine dans {lead}' },
    otherwise: { en: 'Consultation closes soon', fr: 'La consultation se termine bientôt' },
  },
  'notice-ending': {
    until: 'notice-end',
    label: { en: 'Notice period ends in {lead}', fr: 'Le préavis prend fin dans {lead}' },
    otherwise: { en: 'Notice period ends soon', fr: 'Le préavis prend bientôt fin' },
  },
};

const AGENDA_CLOSES: Words = {
  en: 'Agenda closes for the council meeting of {meeting}',
  fr: 'Fermeture de l’ordre du jour de la séance du conseil du {meeting}',
};

const HOUR = 3_600_000;
const MINUTE = 60_000;
const UNITS: Record<Language, Record<'day' | 'hour' | 'minute' | 'second', string>> = {
  en: { day: 'day', hour: 'hour', minute: 'minute', second: 'second' },
  fr: { day: 'jour', hour: 'heure', minute: 'minute', second: 'seconde' },
};
const plural = (n: number, unit: keyof (typeof UNITS)['en'], language: Language) => `${n} ${UNITS[language][unit]}${n === 1 ? '' : 's'}`;

/** "7 days", "36 hours", "90 minutes": the largest unit that divides the lead exactly, else minutes. */
export function leadTime(ms: number, language: Language = 'en'): string {
  if (ms >= DAY && ms % DAY === 0) return plural(ms / DAY, 'day', language);
  if (ms >= HOUR && ms % HOUR === 0) return plural(ms / HOUR, 'hour', language);
  if (ms >= MINUTE) return plural(Math.round(ms / MINUTE), 'minute', language);
  return plural(Math.max(0, Math.round(ms / 1000)), 'second', language);
}

function labelOf(view: PartnershipView, timer: PartnershipView['nextTimers'][number], language: Language): string {
  const lead = LEAD_LABELS[timer.kind];
  // A kind added later reads as the page names it (domain/labels.ts holds every kind, by type).
  if (!lead) return LABELS[timer.kind]?.[language] ?? label(`timer.${timer.kind}`, language);
  const until = view.nextTimers.find((t) => t.kind === lead.until);
  return until ? fill(lead.label[language], { lead: leadTime(Date.parse(until.at) - Date.parse(timer.at), language) }) : lead.otherwise[language];
}

const dateOf = (d: Date): [number, number, number] => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];

type Timer = PartnershipView['nextTimers'][number];

/** Why a timer falls on its date, where a council's calendar decided it ("before the agenda of the council meeting of December 8, 2026 closes"). */
const whyOf = (t: Timer, language: Language): string | undefined =>
  t.because &&
  label(`value.why.${t.because.reason}`, language, {
    meetingOn: formatDate(t.because.meetingOn, language),
    agendaClosesOn: formatDate(t.because.agendaClosesOn, language),
  });

/** The day each awaited council's agenda closes, once per party and meeting: the date that matters most to its clerk. */
function agendaDeadlines(view: PartnershipView): Timer[] {
  const seen = new Set<string>();
  return view.nextTimers.flatMap((t) => {
    const b = t.because;
    if (!b?.agendaClosesOn || !b.meetingOn || !t.partyId || seen.has(`${t.partyId}:${b.meetingOn}`)) return [];
    seen.add(`${t.partyId}:${b.meetingOn}`);
    return [{ kind: 'agenda-closes', at: `${b.agendaClosesOn}T12:00:00.000Z`, partyId: t.partyId, because: b }];
  });
}

/**
 * Upcoming deadlines and meetings as all-day events (DTSTART and DTEND dates), with UIDs stable
 * across downloads, named in the language asked. Text from people goes through calendarText, so that no control or format
 * character reaches a calendar.
 */
export function partnershipCalendar(view: PartnershipView, link: string, domain: string, language: Language = 'en'): string {
  const title = calendarText(view.title);
  const events: EventAttributes[] = [...view.nextTimers, ...agendaDeadlines(view)].map((t) => {
    const at = new Date(t.at);
    const party = t.partyId ? view.parties.find((p) => p.id === t.partyId)?.legalName : undefined;
    const why = whyOf(t, language);
    const name =
      t.kind === 'agenda-closes' ? fill(AGENDA_CLOSES[language], { meeting: formatDate(t.because!.meetingOn, language) }) : labelOf(view, t, language);
    return {
      uid: `${sha256Hex(`${view.id}:${t.kind}:${t.partyId ?? ''}:${t.at}`).slice(0, 32)}@${domain}`,
      title: `${name}${party ? ` (${calendarText(party)})` : ''}: ${title}`,
      start: dateOf(at),
      end: dateOf(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1))),
      description: why && t.kind !== 'agenda-closes' ? `${why[0]!.toUpperCase()}${why.slice(1)}.\n${link}` : link,
      url: link,
      productId: 'entente/calendar',
      // ics writes X-WR-CALNAME as given, unlike SUMMARY and DESCRIPTION, which it escapes.
      calName: escapeCalendarText(title),
    };
  });
  if (events.length === 0) {
    return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:entente/calendar', 'CALSCALE:GREGORIAN', 'END:VCALENDAR', ''].join('\r\n');
  }
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error('calendar could not be built');
  return value;
}
