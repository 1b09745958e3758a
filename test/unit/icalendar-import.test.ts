/**
 * A council's published iCalendar file, imported (api/meeting-calendars.ts with ical.js): inline
 * and from a URL served by a real HTTP server on this machine.
 *
 * | case                                                   | expects                                                      |
 * |--------------------------------------------------------|--------------------------------------------------------------|
 * | VTIMEZONE, a monthly RRULE with COUNT and an EXDATE, an all-day meeting on the Fête nationale, a cancelled one | the meetings at their local hour across daylight saving; the exception and the cancelled one left out; the holiday moved |
 * | times without a zone                                   | read on the council's own clock                              |
 * | a file that is not iCalendar, one with no event        | refused with the reason                                      |
 * | from a URL                                             | fetched and expanded, the URL kept as the source, not the text |
 * | a URL answering 404, a file over the size limit, a server that never answers | refused within the limits, with the reason |
 * | a name resolving to loopback (`localhost`)             | refused by the connection's own lookup; the server never asked |
 * | a name answering a public address, then loopback (rebinding) | looked up once, by the connection; the server never asked |
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expandMeetingCalendar, fetchIcalendar, MeetingCalendarInvalid, resolveMeetingCalendar } from '../../api/meeting-calendars';
import { isPublicAddress, publicOnlyFetchWith } from '../../api/public-fetch';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** RFC 5545 with CRLF line ends, as councils' calendar software publishes it. */
const ics = (...lines: string[]) => [...lines].join('\r\n') + '\r\n';

const TORONTO = [
  'BEGIN:VTIMEZONE',
  'TZID:America/Toronto',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'TZNAME:EDT',
  'DTSTART:19700308T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'TZNAME:EST',
  'DTSTART:19701101T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const COUNCIL = ics(
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Ville de Riverside//Séances du conseil//FR',
  ...TORONTO,
  'BEGIN:VEVENT',
  'UID:ordinaire@riverside.example',
  'DTSTAMP:20251201T000000Z',
  'DTSTART;TZID=America/Toronto:20260112T193000',
  'DURATION:PT3H',
  'RRULE:FREQ=MONTHLY;BYDAY=2MO;COUNT=6',
  'EXDATE;TZID=America/Toronto:20260413T193000',
  'SUMMARY:Séance ordinaire du conseil',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:extraordinaire@riverside.example',
  'DTSTAMP:20251201T000000Z',
  'DTSTART;VALUE=DATE:20260624',
  'SUMMARY:Séance extraordinaire',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:annulee@riverside.example',
  'DTSTAMP:20251201T000000Z',
  'DTSTART;TZID=America/Toronto:20260302T190000',
  'STATUS:CANCELLED',
  'SUMMARY:Séance annulée',
  'END:VEVENT',
  'END:VCALENDAR',
);

describe('an iCalendar file given inline', () => {
  test('recurring meetings at their local hour, exceptions and cancelled meetings left out, a holiday moved', () => {
    const schedule = expandMeetingCalendar({ icalendar: COUNCIL }, NOW);
    expect(schedule.meetings.map((m) => [m.on, iso(m.at), m.shiftedFrom])).toEqual([
      ['2026-01-12', '2026-01-13T00:30:00.000Z', undefined],
      ['2026-02-09', '2026-02-10T00:30:00.000Z', undefined],
      // Daylight saving time from 8 March: 19:30 is 23:30 UTC.
      ['2026-03-09', '2026-03-09T23:30:00.000Z', undefined],
      ['2026-05-11', '2026-05-11T23:30:00.000Z', undefined],
      ['2026-06-08', '2026-06-08T23:30:00.000Z', undefined],
      // All day on the Fête nationale: the next working day, at the default hour.
      ['2026-06-25', '2026-06-25T23:00:00.000Z', '2026-06-24'],
    ]);
    expect(schedule.source).toEqual({ kind: 'icalendar' });
    expect(JSON.stringify(schedule)).not.toContain('Séance');
  });

  test('times without a zone are read on the council’s own clock', () => {
    const floating = ics(
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//x//y//EN',
      'BEGIN:VEVENT',
      'UID:a@x',
      'DTSTAMP:20251201T000000Z',
      'DTSTART:20260203T190000',
      'SUMMARY:Council',
      'END:VEVENT',
      'END:VCALENDAR',
    );
    const schedule = expandMeetingCalendar({ icalendar: floating, timeZone: 'America/Halifax', province: 'NS' }, NOW);
    expect(schedule.meetings.map((m) => [m.on, iso(m.at)])).toEqual([['2026-02-03', '2026-02-03T23:00:00.000Z']]);
  });

  test('a file that is not iCalendar, or holds no event, is refused with the reason', () => {
    expect(() => expandMeetingCalendar({ icalendar: 'not a calendar' }, NOW)).toThrow(MeetingCalendarInvalid);
    expect(() => expandMeetingCalendar({ icalendar: ics('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//x//y//EN', 'END:VCALENDAR') }, NOW)).toThrow(
      /holds no event/,
    );
  });
});

describe('an iCalendar file from a URL', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/conseil.ics') {
        res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
        res.end(COUNCIL);
      } else if (req.url === '/huge.ics') {
        // No Content-Length: the limit is enforced while reading.
        res.writeHead(200, { 'content-type': 'text/calendar' });
        res.write(COUNCIL);
        res.end('X'.repeat(4096));
      } else if (req.url === '/silent.ics') {
        // Never answers: the time limit does.
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('fetched, expanded, and the URL kept as the source', async () => {
    const url = `${base}/conseil.ics`;
    const schedule = await resolveMeetingCalendar({ icalendarUrl: url }, NOW, fetch);
    expect(schedule.meetings).toHaveLength(6);
    expect(schedule.source).toEqual({ kind: 'icalendar', url });
    expect(hits).toContain('/conseil.ics');
  });

  test('a name resolving to this machine: refused by the lookup of the connection itself, the server never asked', async () => {
    // No check before the request for a name: the address refused is the one the connection
    // would have used, so a DNS answer that changes after a check (rebinding) cannot get through.
    const before = hits.length;
    const port = (server.address() as AddressInfo).port;
    await expect(fetchIcalendar(`http://localhost:${port}/conseil.ics`)).rejects.toThrow(/localhost is not a public address/);
    expect(hits.length).toBe(before);
  });

  test('DNS rebinding: a name answering a public address, then this machine, never reaches this machine', async () => {
    // A check before the request would see the first answer and the connection the second. Here the
    // connection's own lookup is the check: it gets the public (unroutable, TEST-NET-1) address and
    // fails there; the loopback server is never asked.
    const before = hits.length;
    const port = (server.address() as AddressInfo).port;
    const answers: Array<{ address: string; family: number }> = [{ address: '192.0.2.1', family: 4 }];
    let lookups = 0;
    const rebinding = publicOnlyFetchWith(async () => [answers[lookups++] ?? { address: '127.0.0.1', family: 4 }]);
    await expect(fetchIcalendar(`http://council.example:${port}/conseil.ics`, rebinding, { bytes: 1024, timeoutMs: 500 })).rejects.toThrow(
      MeetingCalendarInvalid,
    );
    expect(hits.length).toBe(before);
    expect(lookups).toBe(1);
    // And a name that resolves to this machine at once is refused by that same lookup.
    const direct = publicOnlyFetchWith(async () => [{ address: '127.0.0.1', family: 4 }]);
    await expect(fetchIcalendar(`http://council.example:${port}/conseil.ics`, direct)).rejects.toThrow(/council.example is not a public address/);
    expect(hits.length).toBe(before);
  });

  test('a 404, a file over the limit, a server that never answers: refused within the limits', async () => {
    await expect(fetchIcalendar(`${base}/missing.ics`, fetch)).rejects.toThrow(/HTTP 404/);
    // The default fetcher reads public addresses only: this loopback server is refused before it is asked.
    await expect(fetchIcalendar(`${base}/council.ics`)).rejects.toThrow(/not a public address/);
    await expect(fetchIcalendar(`${base}/huge.ics`, fetch, { bytes: COUNCIL.length + 100, timeoutMs: 5000 })).rejects.toThrow(/larger than/);
    const started = Date.now();
    await expect(fetchIcalendar(`${base}/silent.ics`, fetch, { bytes: 1024, timeoutMs: 300 })).rejects.toThrow(MeetingCalendarInvalid);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('the addresses a calendar URL may reach by default', () => {
  test('public ones only: loopback, private, link-local, CGNAT, multicast and IPv4-mapped forms are refused', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.5',
      '172.20.1.1',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ]) {
      expect({ address, public: isPublicAddress(address) }).toEqual({ address, public: false });
    }
    for (const address of ['8.8.8.8', '142.250.72.14', '2606:4700:4700::1111', '::ffff:8.8.4.4']) {
      expect({ address, public: isPublicAddress(address) }).toEqual({ address, public: true });
    }
  });
});
