/**
 * Council calendars over HTTP with real parts (dev server, worker, SMTP, SQLite, an HTTP server
 * publishing a council's iCalendar file).
 *
 * | step                                                                 | asserts                                                          |
 * |----------------------------------------------------------------------|------------------------------------------------------------------|
 * | start with Maple's calendar as an RRULE                              | 201; the state lists Maple's next meetings, each with the day its agenda closes |
 * | an RRULE that cannot be read at the start                            | 422 naming /parties/1/meetingCalendar; nothing started          |
 * | Riverside's clerk imports the council's iCalendar URL (POST /meeting-calendars) | 200; the meetings of the file; the register row by clerk:riverside holds the dates, not the file |
 * | Maple's clerk setting Riverside's calendar; a URL answering 404      | 403; 422 naming /calendar                                        |
 * | the same body again under calendar-0001 after the file changed         | 200 with the first dates, the file not fetched again, one row; another calendar under it 409; a new request id fetches the new file |
 * | an API with the default fetcher, given loopback, private and metadata addresses | 422 "not a public address"; the council's server never asked |
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { issueKey, startApi, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { startRequest } from '../helpers/fixtures';

let stack: E2eStack;
let ics: Server;
let icsBase: string;
let requestsSeen = 0;
const ID = 'council-calendars';

/** Riverside's council publishes its ordinary meetings: the first Monday of each month at 19:30, for two years. */
const RIVERSIDE_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Town of Riverside//Council//EN',
  'BEGIN:VEVENT',
  'UID:council@riverside.example',
  'DTSTAMP:20251201T000000Z',
  'DTSTART;TZID=America/Toronto:20260105T193000',
  'RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=36',
  'SUMMARY:Regular council meeting',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** What the council's server publishes now. */
let published = RIVERSIDE_ICS;

beforeAll(async () => {
  ics = createServer((req, res) => {
    requestsSeen++;
    if (req.url === '/council.ics') res.writeHead(200, { 'content-type': 'text/calendar' }).end(published);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => ics.listen(0, '127.0.0.1', resolve));
  icsBase = `http://127.0.0.1:${(ics.address() as AddressInfo).port}`;
  // The council's file is served on loopback here: this API may fetch it (CALENDAR_URLS_MAY_BE_PRIVATE).
  stack = await startE2eStack({ calendarFetch: fetch });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => ics?.close(resolve));
});

test('a start request carries a council’s calendar as an RRULE; one that cannot be read starts nothing', async () => {
  const { api } = stack;
  const bad = startRequest({ slug: 'bad-calendar' });
  bad.parties[1]!.meetingCalendar = { rrule: 'FREQ=SOMETIMES' };
  const refused = await api.call('POST', '/partnerships', bad);
  expect(refused.status).toBe(422);
  expect(refused.body.errors).toEqual([{ pointer: '/parties/1/meetingCalendar', detail: expect.stringMatching(/RRULE/) }]);
  expect((await api.call('GET', '/partnerships/bad-calendar')).status).toBe(404);

  const request = startRequest({ slug: ID });
  request.parties[1]!.meetingCalendar = { rrule: 'FREQ=MONTHLY;BYDAY=2TU', time: '19:00', agendaLeadDays: 10 };
  expect((await api.call('POST', '/partnerships', request)).status).toBe(201);
  const state = await api.call('GET', `/partnerships/${ID}`);
  const maple = state.body.parties.find((p: { id: string }) => p.id === 'maple');
  expect(maple.meetingCalendar).toMatchObject({
    timeZone: 'America/Toronto',
    province: 'QC',
    agendaLeadDays: 10,
    source: { kind: 'rule', rule: 'FREQ=MONTHLY;BYDAY=2TU' },
  });
  expect(maple.meetingCalendar.nextMeetings.length).toBeGreaterThan(0);
  for (const m of maple.meetingCalendar.nextMeetings) {
    expect(new Date(`${m.meetingOn}T12:00:00Z`).getUTCDay()).toBe(2);
    expect(m.agendaClosesOn < m.meetingOn).toBe(true);
  }
  expect(state.body.parties.find((p: { id: string }) => p.id === 'riverside').meetingCalendar).toBeUndefined();
});

test('Riverside’s clerk imports the council’s published iCalendar file by its URL', async () => {
  const { api } = stack;
  const clerk = api.as(await issueKey(api, ID, 'clerk', 'riverside'));
  const url = `${icsBase}/council.ics`;
  const res = await clerk('POST', `/partnerships/${ID}/meeting-calendars`, {
    requestId: 'calendar-0001',
    partyId: 'riverside',
    calendar: { icalendarUrl: url },
  });
  expect(res.status).toBe(200);
  const riverside = res.body.state.parties.find((p: { id: string }) => p.id === 'riverside');
  expect(riverside.meetingCalendar.source).toEqual({ kind: 'icalendar', url });
  for (const m of riverside.meetingCalendar.nextMeetings) expect(m.at).toMatch(/T(23|00):30:00.000Z$/);

  const register = await api.call('GET', `/partnerships/${ID}/decisions`);
  const row = register.body.decisions.find((d: { kind: string }) => d.kind === 'setMeetingCalendar');
  expect(row).toMatchObject({ actor: 'clerk:riverside', partyId: 'riverside' });
  expect(row.payload.schedule.meetings.length).toBeGreaterThan(0);
  expect(JSON.stringify(row.payload)).not.toContain('Regular council meeting');

  const maple = api.as(await issueKey(api, ID, 'clerk', 'maple'));
  expect(
    (await maple('POST', `/partnerships/${ID}/meeting-calendars`, { requestId: 'calendar-0002', partyId: 'riverside', calendar: { icalendarUrl: url } }))
      .status,
  ).toBe(403);
  const missing = await clerk('POST', `/partnerships/${ID}/meeting-calendars`, {
    requestId: 'calendar-0003',
    partyId: 'riverside',
    calendar: { icalendarUrl: `${icsBase}/nowhere.ics` },
  });
  expect(missing.status).toBe(422);
  expect(missing.body.errors).toEqual([{ pointer: '/calendar', detail: expect.stringMatching(/HTTP 404/) }]);
});

test('the same calendar sent again under its request id once the published file has changed: a repeat, answered as the first time', async () => {
  const { api } = stack;
  const clerk = api.as(await issueKey(api, ID, 'clerk', 'riverside'));
  const body = { requestId: 'calendar-0001', partyId: 'riverside', calendar: { icalendarUrl: `${icsBase}/council.ics` } };
  const before = await api.call('GET', `/partnerships/${ID}`);
  const meetingsBefore = before.body.parties.find((p: { id: string }) => p.id === 'riverside').meetingCalendar.nextMeetings;
  // The council moves its meetings to Tuesdays: expanded again, the same request would now differ.
  published = RIVERSIDE_ICS.replace('BYDAY=1MO', 'BYDAY=1TU').replace('20260105T193000', '20260106T193000');
  const seen = requestsSeen;
  const again = await clerk('POST', `/partnerships/${ID}/meeting-calendars`, body);
  expect(again.status).toBe(200);
  expect(again.body.state.parties.find((p: { id: string }) => p.id === 'riverside').meetingCalendar.nextMeetings).toEqual(meetingsBefore);
  expect(requestsSeen).toBe(seen);
  const rows = (await api.call('GET', `/partnerships/${ID}/decisions`)).body.decisions.filter((d: { kind: string }) => d.kind === 'setMeetingCalendar');
  expect(rows).toHaveLength(1);
  // Another calendar under the same request id is still a reuse; a new request id fetches the new file.
  const reused = await clerk('POST', `/partnerships/${ID}/meeting-calendars`, { ...body, calendar: { rrule: 'FREQ=MONTHLY;BYDAY=1WE' } });
  expect(reused.status).toBe(409);
  const fresh = await clerk('POST', `/partnerships/${ID}/meeting-calendars`, { ...body, requestId: 'calendar-0004' });
  expect(fresh.status).toBe(200);
  expect(requestsSeen).toBe(seen + 1);
  for (const m of fresh.body.state.parties.find((p: { id: string }) => p.id === 'riverside').meetingCalendar.nextMeetings) {
    expect(new Date(`${m.meetingOn}T12:00:00Z`).getUTCDay()).toBe(2);
  }
  published = RIVERSIDE_ICS;
});

test('by default the API fetches calendars from public addresses only: loopback, private networks and metadata services are refused', async () => {
  const { env, h } = stack;
  const guarded = await startApi(env.client, h.db, h.taskQueue);
  try {
    const clerk = guarded.as(await issueKey(stack.api, ID, 'clerk', 'riverside'));
    const asked = requestsSeen;
    let n = 0;
    for (const url of [
      `${icsBase}/council.ics`,
      'http://localhost:7233/',
      'http://10.1.2.3/council.ics',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:80/',
    ]) {
      const res = await clerk('POST', `/partnerships/${ID}/meeting-calendars`, {
        requestId: `calendar-guard-${n++}`,
        partyId: 'riverside',
        calendar: { icalendarUrl: url },
      });
      expect({ url, status: res.status }).toEqual({ url, status: 422 });
      expect(res.body.errors[0].detail).toMatch(/not a public address/);
    }
    expect(requestsSeen).toBe(asked);
  } finally {
    await guarded.stop();
  }
});
