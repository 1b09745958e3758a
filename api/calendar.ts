import { createEvents, type EventAttributes } from 'ics';
import type { PartnershipView } from '../domain';
import { sha256Hex } from '../domain/fingerprint';

const LABELS: Record<string, string> = {
  'resolution-reminder': 'Resolution reminder',
  'rejection-grace-end': 'Last day to remove the party that rejected participation',
  'check-in': 'Monthly check-in with the program team',
  'consultation-closing': 'Consultation closes in 7 days',
  'consultation-close': 'Consultation closes',
  'signature-reminder': 'Signature reminder',
  'review-due': 'Semi-annual performance review',
  'renewal-meeting': 'Renewal meeting',
  expiry: 'The agreement expires',
  'notice-ending': 'Notice period ends in 14 days',
  'notice-end': 'Notice period ends: dissolution',
  'party-withdrawal': 'A party’s withdrawal takes effect',
};

/** Upcoming deadlines and meetings as all-day events, with UIDs stable across downloads. */
export function partnershipCalendar(view: PartnershipView, link: string, domain: string): string {
  const events: EventAttributes[] = view.nextTimers.map((t) => {
    const at = new Date(t.at);
    const party = t.partyId ? view.parties.find((p) => p.id === t.partyId)?.legalName : undefined;
    return {
      uid: `${sha256Hex(`${view.id}:${t.kind}:${t.partyId ?? ''}:${t.at}`).slice(0, 32)}@${domain}`,
      title: `${LABELS[t.kind] ?? t.kind}${party ? ` (${party})` : ''}: ${view.title}`,
      start: [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()],
      duration: { days: 1 },
      description: link,
      url: link,
      productId: 'entente/calendar',
      calName: view.title,
    };
  });
  if (events.length === 0) {
    return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:entente/calendar', 'CALSCALE:GREGORIAN', 'END:VCALENDAR', ''].join('\r\n');
  }
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error('calendar could not be built');
  return value;
}
