/**
 * Council calendars without Temporal: the expansion at the edge (api/meeting-calendars.ts, with
 * rrule, date-holidays and the time-zone database) and the domain's timing of requests, reminders
 * and questions after meetings (domain/deadlines.ts, domain/lifecycle/timers.ts).
 *
 * | case                                              | expects                                                        |
 * |---------------------------------------------------|----------------------------------------------------------------|
 * | first Monday monthly, Labour Day                  | 7 September 2026 held on Tuesday 8; Easter Monday (not statutory in Quebec) kept |
 * | a December calendar                               | Christmas moved to the 28th; an agenda closing on Christmas closes on the 24th |
 * | the 24th of each month                            | Fête nationale moves the June meeting in Quebec, not in Ontario; no request that morning |
 * | second Monday at 19:00 across daylight saving     | 19:00 local before and after: 00:00Z in February, 23:00Z in March; mornings at 9:00 local |
 * | explicit dates, exceptions, holiday rule `keep`   | as given                                                       |
 * | a bad RRULE, no meeting ahead                     | refused with the reason                                        |
 * | a weekly council (60 meetings, Ontario)           | fits in a command; a malformed schedule is refused by the workflow's own check |
 * | a monthly band council owes a resolution          | request on the first working morning naming the meeting whose agenda is open; reminder 5 working days before the agenda closes; question the morning after; escalation after the 3rd missed meeting |
 * | a party without a calendar                        | today's periodic reminders                                     |
 * | a calendar without meetings, or one that ran out  | periodic reminders moved to working mornings (Good Friday skipped); escalation after the third reminder |
 * | a signatory of a party with a calendar            | reminded on a working morning                                   |
 * | a run from before council calendars               | periodic reminders; setMeetingCalendar refused                 |
 * | a calendar set while a request is pending         | not asked again; the next meeting's reminder                   |
 * | a notice ending on a holiday                      | ends that day; the view says so                                |
 * | emails                                            | name the meeting and the day its agenda closes, in the reader's language |
 * | the calendar file                                 | the day each awaited agenda closes; each reminder says why it is on its date; valid RFC 5545 |
 */
import { partnershipCalendar } from '../../api/calendar';
import { expandMeetingCalendar, offsetTransitions, statutoryHolidays } from '../../api/meeting-calendars';
import { parseStrictCalendar } from '../helpers/icalendar';
import { renderNotification } from '../../activities/notifications/render';
import { linkActionOf } from '../../domain/action-links';
import { commandShapeIssue } from '../../domain/command-shape';
import { deadlines } from '../../domain/deadlines';
import { localDay, morningOf, nextWorkingMorning, type MeetingSchedule } from '../../domain/meeting-calendar';
import { partnershipView } from '../../domain/view';
import { DAY } from '../../domain/time';
import { mapleMonthly, scheduleOf, SECOND_TUESDAY } from '../helpers/calendars';
import { clerkOf, DomainDriver, T0 } from '../helpers/domain-driver';
import { startRequest } from '../helpers/fixtures';

const utc = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();
const days = (schedule: MeetingSchedule) => schedule.meetings.map((m) => m.on);
const NEW_YEAR_2026 = utc('2026-01-01T12:00:00Z');

describe('expansion at the edge', () => {
  test('a monthly rule (first Monday): Labour Day moves the September meeting to the next working day', () => {
    const schedule = expandMeetingCalendar({ rrule: 'FREQ=MONTHLY;BYDAY=1MO' }, NEW_YEAR_2026);
    expect(days(schedule).slice(0, 12)).toEqual([
      '2026-01-05',
      '2026-02-02',
      '2026-03-02',
      // Easter Monday is not a statutory holiday in Quebec (Good Friday is).
      '2026-04-06',
      '2026-05-04',
      '2026-06-01',
      '2026-07-06',
      '2026-08-03',
      '2026-09-08',
      '2026-10-05',
      '2026-11-02',
      '2026-12-07',
    ]);
    expect(schedule.meetings[8]).toMatchObject({ on: '2026-09-08', shiftedFrom: '2026-09-07', agendaClosesOn: '2026-08-28' });
    expect(schedule.source).toEqual({ kind: 'rule', rule: 'FREQ=MONTHLY;BYDAY=1MO' });
    expect(schedule).toMatchObject({ timeZone: 'America/Toronto', province: 'QC', agendaLeadDays: 10 });
    // Two years of a monthly council, well within what a command carries.
    expect(schedule.meetings).toHaveLength(24);
    expect(JSON.stringify(schedule).length).toBeLessThan(8000);
  });

  test('a December calendar: a meeting on Christmas moves to the next working day; an agenda closing on a holiday closes the working day before', () => {
    const schedule = expandMeetingCalendar({ meetings: ['2026-12-07', '2026-12-21', '2026-12-25', '2027-01-04T18:30'] }, utc('2026-11-20T12:00:00Z'));
    expect(schedule.meetings.map((m) => [m.on, m.agendaClosesOn, m.shiftedFrom])).toEqual([
      ['2026-12-07', '2026-11-27', undefined],
      ['2026-12-21', '2026-12-11', undefined],
      ['2026-12-28', '2026-12-18', '2026-12-25'],
      // 4 January less 10 days is Christmas Day: the agenda closes on the 24th.
      ['2027-01-04', '2026-12-24', undefined],
    ]);
    expect(iso(schedule.meetings[3]!.at)).toBe('2027-01-04T23:30:00.000Z');
    expect(schedule.holidays.filter((h) => h.on >= '2026-12-01' && h.on <= '2027-01-31')).toEqual([
      { on: '2026-12-25', name: { fr: 'Noël', en: 'Christmas Day' } },
      { on: '2027-01-01', name: { fr: 'Nouvel An', en: "New Year's Day" } },
    ]);
  });

  test('the Fête nationale (24 June) is a holiday in Quebec, not in Ontario', () => {
    const quebec = expandMeetingCalendar({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=24', startsOn: '2027-01-24' }, NEW_YEAR_2026);
    const june = quebec.meetings.find((m) => m.on.startsWith('2027-06'))!;
    expect(june).toMatchObject({ on: '2027-06-25', shiftedFrom: '2027-06-24' });
    expect(quebec.holidays).toContainEqual({ on: '2027-06-24', name: { fr: 'Fête nationale du Québec', en: 'National Holiday' } });
    const ontario = expandMeetingCalendar({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=24', startsOn: '2027-01-24', province: 'ON' }, NEW_YEAR_2026);
    expect(ontario.meetings.find((m) => m.on.startsWith('2027-06'))).toMatchObject({ on: '2027-06-24' });
    expect(ontario.meetings.find((m) => m.on.startsWith('2027-06'))!.shiftedFrom).toBeUndefined();
    // Nobody is asked on the Fête nationale: the request of the evening before waits for the 25th, 9:00 in Quebec.
    expect(iso(nextWorkingMorning(quebec, utc('2027-06-23T22:00:00Z')))).toBe('2027-06-25T13:00:00.000Z');
    expect(iso(nextWorkingMorning(ontario, utc('2027-06-23T22:00:00Z')))).toBe('2027-06-24T13:00:00.000Z');
  });

  test('across daylight saving time a meeting stays at 19:00 and a morning at 9:00, local', () => {
    const schedule = expandMeetingCalendar({ rrule: 'FREQ=MONTHLY;BYDAY=2MO', time: '19:00' }, NEW_YEAR_2026);
    const at = (on: string) => iso(schedule.meetings.find((m) => m.on === on)!.at);
    expect(at('2026-02-09')).toBe('2026-02-10T00:00:00.000Z'); // EST, UTC-5
    expect(at('2026-03-09')).toBe('2026-03-09T23:00:00.000Z'); // EDT from 8 March, UTC-4
    expect(at('2026-11-09')).toBe('2026-11-10T00:00:00.000Z'); // EST again from 1 November
    expect(schedule.offsets.map((o) => [iso(o.from), o.minutes])).toEqual([
      [expect.any(String), -300],
      ['2026-03-08T07:00:00.000Z', -240],
      ['2026-11-01T06:00:00.000Z', -300],
      ['2027-03-14T07:00:00.000Z', -240],
      ['2027-11-07T06:00:00.000Z', -300],
    ]);
    // Friday before the change and Monday after: 9:00 local both days.
    expect(iso(morningOf(schedule, '2026-03-06'))).toBe('2026-03-06T14:00:00.000Z');
    expect(iso(nextWorkingMorning(schedule, utc('2026-03-06T15:00:00Z')))).toBe('2026-03-09T13:00:00.000Z');
    expect(localDay(schedule, utc('2026-03-10T03:30:00Z'))).toBe('2026-03-09');
    // Another province, another zone: Halifax is an hour ahead of Toronto.
    expect(offsetTransitions('America/Halifax', NEW_YEAR_2026, utc('2026-04-01T00:00:00Z')).map((o) => o.minutes)).toEqual([-240, -180]);
  });

  test('a change found from any instant, even one within two minutes after the time of day the clocks change (the search once never ended there)', () => {
    // Toronto springs forward at 07:00 UTC, Halifax at 06:00; `from` is the API's now, to the millisecond.
    for (const [zone, change] of [
      ['America/Toronto', '2027-03-14T07:00:00.000Z'],
      ['America/Halifax', '2027-03-14T06:00:00.000Z'],
    ] as const) {
      for (const after of [0, 1, 30_123, 59_999, 60_000, 61_500, 119_999, 120_000, 150_000]) {
        const from = utc(change) - 86_400_000 + after;
        const offsets = offsetTransitions(zone, from, from + 3 * 86_400_000);
        expect({ zone, after, changes: offsets.slice(1).map((o) => iso(o.from)) }).toEqual({ zone, after, changes: [change] });
      }
    }
  });

  test('exceptions are left out, `keep` keeps a meeting on a holiday, a lead time of its own', () => {
    const schedule = expandMeetingCalendar(
      { rrule: 'FREQ=MONTHLY;BYDAY=1MO', exceptions: ['2026-02-02'], holidayRule: 'keep', agendaLeadDays: 3 },
      NEW_YEAR_2026,
    );
    expect(days(schedule).slice(0, 3)).toEqual(['2026-01-05', '2026-03-02', '2026-04-06']);
    expect(schedule.meetings.find((m) => m.on === '2026-09-07')).toMatchObject({ agendaClosesOn: '2026-09-04' });
  });

  test('the largest schedule (a weekly council, Ontario’s holidays) fits in a command the workflow takes; a malformed one does not', () => {
    const schedule = expandMeetingCalendar({ rrule: 'FREQ=WEEKLY;BYDAY=MO', province: 'ON' }, NEW_YEAR_2026);
    expect(schedule.meetings).toHaveLength(60);
    expect(schedule.until).toBe(schedule.meetings.at(-1)!.on);
    expect(commandShapeIssue('setMeetingCalendar', { requestId: 'calendar-01', partyId: 'oak', schedule })).toBeUndefined();
    expect(
      commandShapeIssue('setMeetingCalendar', { requestId: 'calendar-01', partyId: 'oak', schedule: { ...schedule, meetings: [{ on: 'soon' }] } }),
    ).toMatch(/^schedule: meetings/);
    expect(commandShapeIssue('setMeetingCalendar', { requestId: 'calendar-01', partyId: 'oak', calendar: { rrule: 'FREQ=WEEKLY' } })).toMatch(/^schedule: /);
  });

  test('statutory holidays of a province come from date-holidays, in both languages', () => {
    expect(statutoryHolidays('QC', '2026-01-01', '2026-12-31').map((h) => h.on)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-05-18',
      '2026-06-24',
      '2026-07-01',
      '2026-09-07',
      '2026-10-12',
      '2026-12-25',
    ]);
  });

  test('a rule that cannot be read, or a calendar with nothing ahead, is refused with the reason', () => {
    expect(() => expandMeetingCalendar({ rrule: 'FREQ=SOMETIMES' }, NEW_YEAR_2026)).toThrow(/RRULE/);
    expect(() => expandMeetingCalendar({ rrule: 'FREQ=HOURLY' }, NEW_YEAR_2026)).toThrow(/at most daily/);
    expect(() => expandMeetingCalendar({ meetings: ['2025-12-01'] }, NEW_YEAR_2026)).toThrow(/no meeting between 2026-01-01/);
  });
});

describe('a resolution owed by a council with a calendar', () => {
  /** Maple's band council sits on the second Tuesday at 19:00; Riverside has no calendar. */
  const committed = () => new DomainDriver(startRequest(), { schedules: mapleMonthly(T0) }).toCommitment();

  test('request on the first working morning for the meeting whose agenda is open; reminder before the agenda closes; question the morning after; escalation after the third missed meeting', () => {
    const driver = committed();
    // Intake accepted Tuesday 7 January 2025 at 4:00 in Toronto: Riverside is asked at once, Maple at 9:00.
    const atOnce = driver.effects.at(-1)!.emails.filter((e) => e.event === 'resolution-requested');
    expect(atOnce.map((e) => e.data.partyId)).toEqual(['riverside']);
    const request = driver.deadline('resolution-request', 'maple');
    expect(iso(request.at)).toBe('2025-01-07T14:00:00.000Z');
    // The 14 January meeting's agenda closed on the 3rd: the request names 11 February, agenda closing 31 January.
    expect(request.because).toEqual({ reason: 'working-morning', meetingOn: '2025-02-11', agendaClosesOn: '2025-01-31', timeZone: 'America/Toronto' });
    const asked = driver.fire(request);
    expect(asked.emails).toEqual([
      expect.objectContaining({
        event: 'resolution-requested',
        key: 'resolution-requested:participation:maple',
        data: { partyId: 'maple', subject: 'participation', meetingOn: '2025-02-11', agendaClosesOn: '2025-01-31', timeZone: 'America/Toronto' },
      }),
    ]);
    expect(asked.emails[0]!.recipients.map((r) => r.role)).toEqual(['clerk', 'champion']);

    // Riverside keeps its periodic reminder, 14 days after the stage began.
    expect(driver.deadline('resolution-reminder', 'riverside').at).toBe(driver.state.stageSince + 14 * DAY);
    expect(driver.deadline('resolution-reminder', 'riverside').because).toBeUndefined();

    const expected: Array<[string, string, string, string]> = [
      // reminder (5 working days before the agenda closes), question (the morning after), the meeting, its agenda
      ['2025-01-24T14:00:00.000Z', '2025-02-12T14:00:00.000Z', '2025-02-11', '2025-01-31'],
      ['2025-02-21T14:00:00.000Z', '2025-03-12T13:00:00.000Z', '2025-03-11', '2025-02-28'],
      ['2025-03-21T13:00:00.000Z', '2025-04-09T13:00:00.000Z', '2025-04-08', '2025-03-28'],
    ];
    expected.forEach(([reminderAt, questionAt, meetingOn, agendaClosesOn], index) => {
      const missed = index + 1;
      const reminder = driver.deadline('resolution-reminder', 'maple');
      expect([iso(reminder.at), reminder.because]).toEqual([reminderAt, { reason: 'agenda-closes', meetingOn, agendaClosesOn, timeZone: 'America/Toronto' }]);
      const reminded = driver.fire(reminder);
      expect(reminded.emails.map((e) => [e.event, e.data.meetingOn, e.data.agendaClosesOn, e.data.count])).toEqual([
        ['resolution-reminder', meetingOn, agendaClosesOn, missed],
      ]);
      const question = driver.deadline('meeting-follow-up', 'maple');
      expect([iso(question.at), question.because?.reason]).toEqual([questionAt, 'after-meeting']);
      const asked = driver.fire(question);
      expect(asked.emails.map((e) => [e.event, e.recipients.map((r) => r.role).join()])).toEqual([
        ['resolution-follow-up', 'clerk'],
        ...(missed === 3 ? [['resolution-escalation', 'coordinator']] : []),
      ]);
      expect(asked.emails[0]!.data).toMatchObject({ heldOn: meetingOn, missedMeetings: missed });
      // Its personal link opens the form to record the resolution.
      expect(linkActionOf('resolution-follow-up', asked.emails[0]!.data, 'maple', 'clerk')).toEqual({
        command: 'recordResolution',
        prefill: { partyId: 'maple', subject: 'participation' },
      });
      expect(asked.records[0]).toMatchObject({ kind: 'meeting-follow-up', payload: { meetingOn, missedMeetings: missed } });
    });
    const escalation = driver.effects.at(-1)!.emails[1]!;
    expect(escalation.data).toMatchObject({ partyId: 'maple', count: 3, missedMeetings: 3 });

    // The page's view: what is owed, the next reminder and why, the meetings missed, escalated.
    const view = partnershipView(driver.state);
    expect(view.pendingActions.find((a) => a.partyId === 'maple')).toMatchObject({
      what: 'participation-resolution',
      nextReminderAt: '2025-04-25T13:00:00.000Z',
      because: { reason: 'agenda-closes', meetingOn: '2025-05-13', agendaClosesOn: '2025-05-02' },
      remindersSent: 3,
      missedMeetings: 3,
      escalated: true,
    });
    expect(view.parties.find((p) => p.id === 'maple')!.meetingCalendar).toMatchObject({ timeZone: 'America/Toronto', province: 'QC', agendaLeadDays: 10 });
    // The fourth missed meeting asks again, and does not escalate twice.
    driver.fire(driver.deadline('resolution-reminder', 'maple'));
    expect(driver.fire(driver.deadline('meeting-follow-up', 'maple')).emails.map((e) => e.event)).toEqual(['resolution-follow-up']);

    // Recorded: every timer of Maple stops.
    driver.participation('riverside', 'adopted');
    driver.participation('maple', 'adopted');
    expect(driver.state.stage).toBe('groundwork');
    expect(deadlines(driver.state).filter((d) => d.partyId === 'maple')).toEqual([]);
  });

  test('once the calendar runs out, the periodic reminders take over', () => {
    const schedules = { maple: scheduleOf({ meetings: ['2025-02-11'] }, T0) };
    const driver = new DomainDriver(startRequest(), { schedules }).toCommitment();
    driver.fire(driver.deadline('resolution-request', 'maple'));
    driver.fire(driver.deadline('resolution-reminder', 'maple'));
    const question = driver.fire(driver.deadline('meeting-follow-up', 'maple'));
    expect(question.emails[0]!.data.meetingOn).toBeUndefined();
    const periodic = driver.deadline('resolution-reminder', 'maple');
    expect(periodic.because).toEqual({ reason: 'next-working-morning', timeZone: 'America/Toronto' });
  });

  test('a calendar without meetings (a time zone and a province): the request and the periodic reminders on working mornings, escalated after the third', () => {
    // Friday 4 April 2025: 14 days later is Good Friday, a statutory holiday in Quebec (Easter Monday is not).
    const at = Date.parse('2025-04-03T13:00:00Z');
    const schedule = scheduleOf({ province: 'QC' }, at);
    expect(schedule).toMatchObject({ source: { kind: 'working-days' }, meetings: [] });
    const driver = new DomainDriver(startRequest(), { at, schedules: { maple: schedule } }).toCommitment();
    const request = driver.deadline('resolution-request', 'maple');
    expect([iso(request.at), request.because]).toEqual(['2025-04-04T13:00:00.000Z', { reason: 'next-working-morning', timeZone: 'America/Toronto' }]);
    expect(driver.fire(request).emails.map((e) => [e.event, e.data.meetingOn])).toEqual([['resolution-requested', undefined]]);
    const fired = [1, 2, 3].map(() => {
      const reminder = driver.deadline('resolution-reminder', 'maple');
      return [iso(reminder.at), driver.fire(reminder).emails.map((e) => e.event)];
    });
    expect(fired).toEqual([
      ['2025-04-21T13:00:00.000Z', ['resolution-reminder']],
      ['2025-05-05T13:00:00.000Z', ['resolution-reminder']],
      // 19 May 2025 is the Journée nationale des patriotes: Tuesday.
      ['2025-05-20T13:00:00.000Z', ['resolution-reminder', 'resolution-escalation']],
    ]);
  });

  test('a signatory whose party has a calendar is reminded on a working morning; the other as before', () => {
    const driver = new DomainDriver(startRequest(), { schedules: mapleMonthly(T0) }).toSigning();
    const maple = driver.deadline('signature-reminder', 'maple');
    const riverside = driver.deadline('signature-reminder', 'riverside');
    expect(riverside.at).toBe(driver.state.signingRound!.since + 7 * DAY);
    expect(maple.at).toBe(nextWorkingMorning(mapleMonthly(T0).maple!, riverside.at));
    expect(maple.because).toEqual({ reason: 'next-working-morning', timeZone: 'America/Toronto' });
    // 9:00 in Toronto: 14:00 UTC in winter, 13:00 in summer.
    expect(iso(maple.at)).toMatch(/T1[34]:00:00\.000Z$/);
  });

  test('a run from before council calendars keeps the periodic reminders and refuses a calendar', () => {
    const driver = new DomainDriver(startRequest(), { schedules: mapleMonthly(T0), councilCalendars: false }).toCommitment();
    expect(
      driver.effects
        .at(-1)!
        .emails.filter((e) => e.event === 'resolution-requested')
        .map((e) => e.data.partyId),
    ).toEqual(['riverside', 'maple']);
    expect(driver.deadline('resolution-reminder', 'maple').at).toBe(driver.state.stageSince + 14 * DAY);
    expect(() => driver.send('setMeetingCalendar', { partyId: 'maple', calendar: SECOND_TUESDAY } as never)).toThrow(
      /conflict: this partnership began before council calendars/,
    );
  });

  test('a calendar given while a resolution is awaited: not asked again; the next meeting decides the reminder; recorded in the register', () => {
    const driver = new DomainDriver().toCommitment();
    driver.advance(2 * DAY);
    const schedule = scheduleOf(SECOND_TUESDAY, driver.now);
    const { command } = driver.send('setMeetingCalendar', { partyId: 'riverside', schedule } as never, clerkOf('riverside'));
    expect(command.records[0]).toMatchObject({ kind: 'setMeetingCalendar', actor: 'clerk:riverside', partyId: 'riverside', payload: { schedule } });
    expect(driver.state.timeline.at(-1)).toMatchObject({ event: 'meeting-calendar-set', partyId: 'riverside', detail: 'next meeting 2025-01-14' });
    const mine = deadlines(driver.state).filter((d) => d.partyId === 'riverside');
    expect(mine.map((d) => [d.kind, iso(d.at), d.because?.meetingOn])).toEqual([
      ['resolution-reminder', '2025-01-24T14:00:00.000Z', '2025-02-11'],
      ['meeting-follow-up', '2025-02-12T14:00:00.000Z', '2025-02-11'],
    ]);
  });

  test('a notice period ending on a statutory holiday ends that day, and the view says so', () => {
    const driver = new DomainDriver(startRequest(), { schedules: mapleMonthly(T0) }).toNotice('riverside');
    driver.state.notice!.endsAt = utc('2026-06-24T04:00:00Z');
    expect(driver.deadline('notice-end').at).toBe(utc('2026-06-24T04:00:00Z'));
    expect(partnershipView(driver.state).notice).toMatchObject({
      endsOn: '2026-06-24',
      endsOnHoliday: { on: '2026-06-24', name: { fr: 'Fête nationale du Québec', en: 'National Holiday' }, province: 'QC' },
    });
  });
});

describe('emails say which meeting and by when', () => {
  const data = {
    title: 'Water',
    link: 'https://entente.example/x',
    partyName: 'Maple First Nation',
    subject: 'participation',
    meetingOn: '2026-12-08',
    agendaClosesOn: '2026-11-27',
  };

  test.each([
    ['resolution-requested', 'en', 'council meeting of December 8, 2026: the file must reach the agenda by November 27, 2026'],
    ['resolution-requested', 'fr', 'séance du conseil du 8 décembre 2026 : le dossier doit parvenir à l’ordre du jour au plus tard le 27 novembre 2026'],
    ['resolution-reminder', 'en', 'by November 27, 2026, when the agenda of that meeting closes'],
    ['resolution-reminder', 'fr', 'au plus tard le 27 novembre 2026'],
  ] as const)('%s (%s)', (event, language, sentence) => {
    expect(renderNotification(event, language, { ...data, count: 1 }).text).toContain(sentence);
  });

  test('escalation counts missed meetings', () => {
    expect(renderNotification('resolution-escalation', 'en', { ...data, count: 3, missedMeetings: 3 }).subject).toContain('after 3 council meetings');
    expect(renderNotification('resolution-escalation', 'fr', { ...data, count: 3, missedMeetings: 3 }).subject).toContain('après 3 séances du conseil');
  });
});

describe('the calendar file says which meeting and why', () => {
  test('the agenda deadline as an event, and the reminder’s reason in its description', () => {
    const driver = new DomainDriver(startRequest(), { schedules: mapleMonthly(T0) }).toCommitment();
    driver.fire(driver.deadline('resolution-request', 'maple'));
    const text = partnershipCalendar(partnershipView(driver.state), 'https://entente.example/#/p/water', 'entente.example');
    const { events, summaries } = parseStrictCalendar(text);
    expect(summaries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Agenda closes for the council meeting of February 11, 2025 \(Maple First Nation\): /),
        expect.stringMatching(/^Resolution reminder \(Maple First Nation\): /),
        expect.stringMatching(/^Question after the council meeting \(Maple First Nation\): /),
      ]),
    );
    const reminder = events.find((e) => String(e.getFirstPropertyValue('summary')).startsWith('Resolution reminder (Maple'))!;
    expect(String(reminder.getFirstPropertyValue('description'))).toContain(
      'Before the agenda of the council meeting of February 11, 2025 closes (January 31, 2025).',
    );
    const agenda = events.find((e) => String(e.getFirstPropertyValue('summary')).startsWith('Agenda closes'))!;
    expect(String(agenda.getFirstPropertyValue('dtstart'))).toBe('2025-01-31');
  });
});
