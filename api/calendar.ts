import { createEvents, type EventAttributes } from 'ics';
import { calendarText, escapeCalendarText } from '../activities/notifications/calendar';
import { formatDate } from '../activities/notifications/format';
import type { PartnershipView } from '../domain';
import { sha256Hex } from '../domain/fingerprint';
import { label } from '../domain/labels';
import { DAY } from '../domain/time';

const LABELS: Record<string, string> = {
  'resolution-reminder': 'Resolution reminder',
  'rejection-grace-end': 'Last day to remove the party that rejected participation',
  'check-in': 'Monthly check-in with the program team',
  'consultation-close': 'Consultation closes',
  'signature-reminder': 'Signature reminder',
  'review-due': 'Semi-annual performance review',
  'renewal-meeting': 'Renewal meeting',
  expiry: 'The agreement expires',
  'notice-end': 'Notice period ends: dissolution',
  'party-withdrawal': 'A party’s withdrawal takes effect',
};

/**
 * Reminders that announce another timer: their label gives the lead time the partnership really
 * has (its template's, or the one its start request set), measured to that timer.
 */
const LEAD_LABELS: Record<string, { until: string; label: (lead: string) => string; otherwise: string }> = {
  'consultation-closing': { until: 'consultation-close', label: (lead) => `Consultation closes in ${lead}`, otherwise: 'Consultation closes soon' },
  'notice-ending': { until: 'notice-end', label: (lead) => `Notice period ends in ${lead}`, otherwise: 'Notice period ends soon' },
};

const HOUR = 3_600_000;
const MINUTE = 60_000;
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "7 days", "36 hours", "90 minutes": the largest unit that divides the lead exactly, else minutes. */
export function leadTime(ms: number): string {
  if (ms >= DAY && ms % DAY === 0) return plural(ms / DAY, 'day');
  if (ms >= HOUR && ms % HOUR === 0) return plural(ms / HOUR, 'hour');
  if (ms >= MINUTE) return plural(Math.round(ms / MINUTE), 'minute');
  return plural(Math.max(0, Math.round(ms / 1000)), 'second');
}

function labelOf(view: PartnershipView, timer: PartnershipView['nextTimers'][number]): string {
  const lead = LEAD_LABELS[timer.kind];
  // A kind added later reads as the page names it (domain/labels.ts holds every kind, by type).
  if (!lead) return LABELS[timer.kind] ?? label(`timer.${timer.kind}`, 'en');
  const until = view.nextTimers.find((t) => t.kind === lead.until);
  return until ? lead.label(leadTime(Date.parse(until.at) - Date.parse(timer.at))) : lead.otherwise;
}

const dateOf = (d: Date): [number, number, number] => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];

type Timer = PartnershipView['nextTimers'][number];

/** Why a timer falls on its date, where a council's calendar decided it ("before the agenda of the council meeting of December 8, 2026 closes"). */
const whyOf = (t: Timer): string | undefined =>
  t.because &&
  label(`value.why.${t.because.reason}`, 'en', {
    meetingOn: formatDate(t.because.meetingOn, 'en'),
    agendaClosesOn: formatDate(t.because.agendaClosesOn, 'en'),
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
 * across downloads. Text from people goes through calendarText, so that no control or format
 * character reaches a calendar.
 */
export function partnershipCalendar(view: PartnershipView, link: string, domain: string): string {
  const title = calendarText(view.title);
  const events: EventAttributes[] = [...view.nextTimers, ...agendaDeadlines(view)].map((t) => {
    const at = new Date(t.at);
    const party = t.partyId ? view.parties.find((p) => p.id === t.partyId)?.legalName : undefined;
    const why = whyOf(t);
    const name = t.kind === 'agenda-closes' ? `Agenda closes for the council meeting of ${formatDate(t.because!.meetingOn, 'en')}` : labelOf(view, t);
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
