/**
 * Every calendar the lifecycle produces is valid RFC 5545, read back with ical.js (a parser
 * calendar clients use) and held to the grammar it forgives (test/helpers/icalendar.ts).
 *
 * | calendar                                                      | asserts                                                        |
 * |---------------------------------------------------------------|----------------------------------------------------------------|
 * | GET /calendar.ics at every stage, intake to dissolution        | parses; X-WR-CALNAME and SUMMARY escaped and read back as the title `a ; , \ b` holds; all-day events end the next day (DTEND, no `DURATION:P1DT`) |
 * | every email's attachment, in English and French                | parses; its SUMMARY reads back with the title                  |
 * | the reminders before the consultation closes and the notice ends | labelled with the partnership's own lead times (3 days, 10 days), not a fixed "7" or "14 days" |
 * | a title stored before format characters were refused          | no U+202E, U+2028 or control character reaches a calendar      |
 * | the API's calendar in French                                  | every event named in French (none as in English), lead times in |
 * |                                                               | jours                                                           |
 */
import { partnershipCalendar, leadTime } from '../../api/calendar';
import { calendarFor } from '../../activities/notifications/calendar';
import { notificationRequest } from '../../domain/lifecycle';
import { partnershipView } from '../../domain/view';
import { DAY } from '../../domain/time';
import { DomainDriver } from '../helpers/domain-driver';
import { startRequest } from '../helpers/fixtures';
import { parseStrictCalendar } from '../helpers/icalendar';

const TITLE = 'Water; roads, and \\ the rest: Riverside & Maple';
const LINK = 'https://entente.example/partnerships/water';

/** The whole lifecycle with every party agreeing, then notice; the API's calendar at each step. */
function lifecycle(request = startRequest({ title: TITLE }), language: 'en' | 'fr' = 'en') {
  const driver = new DomainDriver(request);
  const calendars: string[] = [];
  const snapshot = () => calendars.push(partnershipCalendar(partnershipView(driver.state), LINK, 'entente.example', language));
  snapshot();
  driver.toCommitment();
  snapshot();
  driver.fire(driver.deadline('resolution-reminder', 'riverside'));
  for (const partyId of driver.partyIds) driver.participation(partyId, 'adopted');
  driver.expectStage('groundwork');
  snapshot();
  driver.completeGroundwork();
  snapshot();
  driver.submitDraft(1);
  driver.expectStage('consultation');
  snapshot();
  const consultationCalendar = calendars.at(-1)!;
  driver.fire(driver.deadline('consultation-closing'));
  snapshot();
  for (const partyId of driver.partyIds) driver.feedback(partyId);
  driver.expectStage('revision');
  driver.send('recordMilestone', { milestone: 'review-workshop', completedOn: '2025-04-10' });
  driver.submitDraft(2);
  driver.expectStage('approval');
  snapshot();
  for (const partyId of driver.partyIds) driver.approval(partyId);
  driver.expectStage('signing');
  snapshot();
  for (const partyId of driver.partyIds) driver.sign(partyId);
  driver.expectStage('in-force');
  snapshot();
  driver.fire(driver.deadline('review-due'));
  snapshot();
  driver.send('giveNotice', { partyId: 'riverside', reason: 'Budget cuts' }, { role: 'champion', partyId: 'riverside' });
  driver.expectStage('notice');
  snapshot();
  const noticeCalendar = calendars.at(-1)!;
  driver.fire(driver.deadline('notice-ending'));
  snapshot();
  driver.fire(driver.deadline('notice-end'));
  driver.settle();
  snapshot();
  const emails = driver.effects.flatMap((e) => e.emails).map((planned) => notificationRequest(driver.state, planned));
  const attachments = emails.flatMap((request) =>
    (['en', 'fr'] as const).flatMap((language) => {
      const file = calendarFor(request, language, { uidDomain: 'entente.example', link: LINK, stampedAt: new Date(driver.now), timeZone: 'America/Toronto' });
      return file ? [{ event: request.event, language, content: file.content }] : [];
    }),
  );
  return { driver, calendars, attachments, consultationCalendar, noticeCalendar };
}

test('the API’s calendar at every stage parses, its name and summaries escaped and read back whole', () => {
  const { calendars } = lifecycle();
  expect(calendars.length).toBeGreaterThan(10);
  let events = 0;
  for (const text of calendars) {
    const parsed = parseStrictCalendar(text);
    events += parsed.events.length;
    if (parsed.events.length > 0) expect(parsed.name).toBe(TITLE);
    for (const summary of parsed.summaries) expect(summary.endsWith(`: ${TITLE}`)).toBe(true);
    // All-day events: a DATE start and the next day as end, as RFC 5545 3.6.1 reads them.
    for (const event of parsed.events) {
      expect(event.hasProperty('duration')).toBe(false);
      const start = event.getFirstPropertyValue('dtstart') as unknown as { isDate: boolean; toJSDate(): Date };
      const end = event.getFirstPropertyValue('dtend') as unknown as { isDate: boolean; toJSDate(): Date };
      expect([start.isDate, end.isDate]).toEqual([true, true]);
      expect(end.toJSDate().getTime() - start.toJSDate().getTime()).toBe(DAY);
    }
  }
  expect(events).toBeGreaterThan(10);
});

test('every calendar an email carries parses, in English and in French', () => {
  const { attachments } = lifecycle();
  const events = new Set(attachments.map((a) => a.event));
  expect([...events].sort()).toEqual(
    expect.arrayContaining(['consultation-closing', 'draft-open-for-feedback', 'notice-ending', 'notice-received', 'review-due']),
  );
  for (const { content } of attachments) {
    const parsed = parseStrictCalendar(content);
    expect(parsed.events).toHaveLength(1);
    expect(parsed.summaries[0]!.endsWith(`: ${TITLE}`)).toBe(true);
    expect(parsed.calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
  }
});

test('reminders before an ending are labelled with the partnership’s own lead time', () => {
  const defaults = lifecycle();
  const summariesOf = (text: string) => parseStrictCalendar(text).summaries;
  expect(summariesOf(defaults.consultationCalendar)).toContain(`Consultation closes in 7 days: ${TITLE}`);
  expect(summariesOf(defaults.noticeCalendar)).toContain(`Notice period ends in 14 days: ${TITLE}`);

  const own = lifecycle(startRequest({ title: TITLE, durations: { consultationClosingReminderBefore: '3 days', noticeEndingReminderBefore: '10 days' } }));
  expect(summariesOf(own.consultationCalendar)).toContain(`Consultation closes in 3 days: ${TITLE}`);
  expect(summariesOf(own.noticeCalendar)).toContain(`Notice period ends in 10 days: ${TITLE}`);
  expect(summariesOf(own.consultationCalendar).join('\n')).not.toMatch(/in 7 days/);
  expect(summariesOf(own.noticeCalendar).join('\n')).not.toMatch(/in 14 days/);
});

test('the API’s calendar in French (?lang=fr, or the browser’s language): every event named in French, lead times too', () => {
  const request = startRequest({ title: TITLE, durations: { consultationClosingReminderBefore: '3 days', noticeEndingReminderBefore: '10 days' } });
  const french = lifecycle(request, 'fr');
  const summaries = french.calendars.flatMap((text) => parseStrictCalendar(text).summaries);
  expect(summaries.length).toBeGreaterThan(10);
  expect(parseStrictCalendar(french.consultationCalendar).summaries).toContain(`La consultation se termine dans 3 jours: ${TITLE}`);
  expect(parseStrictCalendar(french.noticeCalendar).summaries).toContain(`Le préavis prend fin dans 10 jours: ${TITLE}`);
  // No English name left: each summary's name is one of the French ones.
  const english = lifecycle(request, 'en').calendars.flatMap((text) => parseStrictCalendar(text).summaries);
  const names = (all: string[]) => new Set(all.map((summary) => summary.slice(0, -`: ${TITLE}`.length).replace(/ \(.*\)$/, '')));
  for (const name of names(summaries)) expect(names(english).has(name)).toBe(false);
  expect(names(summaries)).toContain('Rappel de résolution');
});

test('lead times read as people say them', () => {
  expect(leadTime(7 * DAY, 'fr')).toBe('7 jours');
  expect(leadTime(3_600_000, 'fr')).toBe('1 heure');
  expect(leadTime(DAY)).toBe('1 day');
  expect(leadTime(14 * DAY)).toBe('14 days');
  expect(leadTime(36 * 3_600_000)).toBe('36 hours');
  expect(leadTime(90 * 60_000)).toBe('90 minutes');
  expect(leadTime(30_000)).toBe('30 seconds');
});

test('a title stored before format characters were refused reaches no calendar with them', () => {
  const spoofed = 'Water \u202Egnp.exe\u202C services\u2028second line\u0085 and a tab\there';
  const { calendars, attachments } = lifecycle(startRequest({ title: spoofed }));
  for (const text of [...calendars, ...attachments.map((a) => a.content)]) {
    expect(text).not.toMatch(/[\u202E\u202C\u2028\u0085]/);
    parseStrictCalendar(text);
  }
  expect(parseStrictCalendar(calendars[1]!).name).toBe('Water gnp.exe services second line  and a tab here');
});
