/**
 * A council's meeting calendar, as a party gives it, expanded into the dates the workflow keeps
 * (domain/meeting-calendar.ts). Here, at the edge, and not in the workflow: `rrule`, `date-holidays`
 * (with its data for every country) and `ical.js` weigh megabytes that every cached partnership
 * would carry, and the time-zone database of the machine that runs a replay may differ from the
 * one that recorded it. The workflow receives facts: meetings, holidays, UTC offsets.
 */
import Holidays from 'date-holidays';
import { RRule } from 'rrule';
import {
  DEFAULT_AGENDA_LEAD_DAYS,
  DEFAULT_MEETING_TIME,
  DEFAULT_PROVINCE,
  DEFAULT_TIME_ZONE,
  MAX_SCHEDULED_MEETINGS,
  addDays,
  agendaDayOf,
  holidayOn,
  localInstant,
  workingDayOnOrAfter,
  type Holiday,
  type MeetingCalendar,
  type MeetingSchedule,
  type ScheduledMeeting,
  type SetMeetingCalendar,
  type StartPartnership,
  type WorkflowCommand,
} from '../domain';
import { nodeFingerprint } from './fingerprint';
import { Problem } from './problem';
import { publicOnlyFetch } from './public-fetch';

type Ical = typeof import('ical.js', { with: { 'resolution-mode': 'import' } }).default;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- ical.js is an ES module whose CommonJS build is what `require` resolves
const ICAL = require('ical.js') as Ical;

/** How far ahead a calendar is expanded: two years of meetings (a council fixes its calendar a year ahead). */
export const HORIZON_MONTHS = 24;
/** An iCalendar file fetched from a URL: at most this large, within this time. */
export const FETCH_LIMITS = { bytes: 1024 * 1024, timeoutMs: 10_000 };

/** What a party gave cannot be read as a calendar (an RRULE, an iCalendar file, a URL that answered no file). */
export class MeetingCalendarInvalid extends Error {
  override readonly name = 'MeetingCalendarInvalid';
}

/** A meeting as the rule or the file gives it: a local day and hour. */
interface GivenMeeting {
  on: string;
  time: string;
}

/**
 * One formatter per time zone, kept: making one costs some 75 µs, and a calendar's expansion asks
 * for an offset hundreds of times (every day of its horizon, then the bisections), which held the
 * API's event loop for about 100 ms a calendar. Bounded: emptied when full.
 */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    if (offsetFormats.size >= 64) offsetFormats.clear();
    offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  }
  return format;
}

/** The UTC offset of a time zone at an instant, in minutes (`GMT-04:00` → -240). */
export function utcOffsetMinutes(timeZone: string, instant: number): number {
  const name = offsetFormat(timeZone)
    .formatToParts(new Date(instant))
    .find((p) => p.type === 'timeZoneName')!.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * The offsets of a time zone from `from` to `to`: the first, then each change, found to the
 * minute (the first whole minute with the new offset; time zones change on whole minutes).
 */
export function offsetTransitions(timeZone: string, from: number, to: number): MeetingSchedule['offsets'] {
  const DAY = 86_400_000;
  const MINUTE = 60_000;
  const offsets = [{ from, minutes: utcOffsetMinutes(timeZone, from) }];
  for (let t = from + DAY; t <= to + DAY; t += DAY) {
    const minutes = utcOffsetMinutes(timeZone, t);
    if (minutes === offsets.at(-1)!.minutes) continue;
    // Bisected over whole minutes, so that each step narrows the range: with instants that are
    // not whole minutes (now, say), a midpoint rounded down to the minute could be the low end
    // again, and the search never ended when a change came less than two minutes before `t`.
    let low = Math.floor((t - DAY) / MINUTE);
    let high = Math.floor(t / MINUTE);
    if (utcOffsetMinutes(timeZone, high * MINUTE) !== minutes) {
      offsets.push({ from: t, minutes });
      continue;
    }
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (utcOffsetMinutes(timeZone, mid * MINUTE) === minutes) high = mid;
      else low = mid;
    }
    offsets.push({ from: high * MINUTE, minutes });
  }
  return offsets;
}

/** The statutory (public) holidays of a Canadian province over some years, in French and English. */
export function statutoryHolidays(province: string, fromDay: string, untilDay: string): Holiday[] {
  const firstYear = Number(fromDay.slice(0, 4));
  const lastYear = Number(untilDay.slice(0, 4));
  const named = (language: 'fr' | 'en') => new Holidays('CA', province, { languages: [language], types: ['public'] });
  const [fr, en] = [named('fr'), named('en')];
  const result: Holiday[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const english = en.getHolidays(year, 'en');
    for (const h of fr.getHolidays(year, 'fr')) {
      const on = h.date.slice(0, 10);
      if (h.type !== 'public' || on < fromDay || on > untilDay || result.some((r) => r.on === on)) continue;
      result.push({ on, name: { fr: h.name, en: english.find((e) => e.date === h.date)?.name ?? h.name } });
    }
  }
  return result.sort((a, b) => a.on.localeCompare(b.on));
}

const pad = (n: number) => String(n).padStart(2, '0');
const utcDay = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utcTime = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

/** The local day and hour of an instant in a time zone. */
function localWall(timeZone: string, instant: number): GivenMeeting {
  const wall = new Date(instant + utcOffsetMinutes(timeZone, instant) * 60_000);
  return { on: utcDay(wall), time: utcTime(wall) };
}

/**
 * The occurrences of an RRULE between two local days. Local wall times are computed as if they
 * were UTC ("floating" times, as rrule's documentation advises), so that "the second Monday at
 * 19:00" stays 19:00 across a change to daylight saving time.
 */
function ruleMeetings(rule: string, startsOn: string, time: string, untilDay: string): GivenMeeting[] {
  let options: Partial<ConstructorParameters<typeof RRule>[0]>;
  try {
    options = RRule.parseString(rule.replace(/^RRULE:/i, ''));
  } catch (err) {
    throw new MeetingCalendarInvalid(`the RRULE cannot be read: ${(err as Error).message}`);
  }
  if (options.freq === undefined) throw new MeetingCalendarInvalid('the RRULE has no FREQ');
  if (options.freq > RRule.WEEKLY) throw new MeetingCalendarInvalid('a council meets at most daily: FREQ must be YEARLY, MONTHLY, WEEKLY or DAILY');
  const dtstart = new Date(`${startsOn}T${time}:00Z`);
  const until = new Date(`${untilDay}T23:59:59Z`);
  const dates = new RRule({ ...options, dtstart }).between(dtstart, until, true, (_d, i) => i < MAX_SCHEDULED_MEETINGS * 4);
  return dates.map((d) => ({ on: utcDay(d), time: utcTime(d) }));
}

/** Every meeting an iCalendar file holds between two instants (recurring events expanded, EXDATEs and cancelled ones left out). */
export function icalendarMeetings(text: string, timeZone: string, from: number, to: number, defaultTime: string): GivenMeeting[] {
  let root: InstanceType<Ical['Component']>;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (err) {
    throw new MeetingCalendarInvalid(`the iCalendar file cannot be read: ${(err as Error).message}`);
  }
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  const result: GivenMeeting[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    if (String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
    const event = new ICAL.Event(component);
    const iterator = event.iterator();
    for (let next = iterator.next(), i = 0; next && i < 1000; next = iterator.next(), i++) {
      if (next.isDate || next.zone?.tzid === 'floating') {
        // A day, or a time without a zone (or with one the file does not define): the council's own wall clock.
        const on = `${next.year}-${pad(next.month)}-${pad(next.day)}`;
        if (on > localWall(timeZone, to).on) break;
        if (on >= localWall(timeZone, from).on) result.push({ on, time: next.isDate ? defaultTime : `${pad(next.hour)}:${pad(next.minute)}` });
        continue;
      }
      const instant = next.toJSDate().getTime();
      if (instant > to) break;
      if (instant >= from) result.push(localWall(timeZone, instant));
    }
  }
  if (result.length === 0 && root.getAllSubcomponents('vevent').length === 0) throw new MeetingCalendarInvalid('the iCalendar file holds no event');
  return result;
}

/**
 * Expands a calendar into the schedule the workflow keeps: the meetings from today on for
 * HORIZON_MONTHS (at most MAX_SCHEDULED_MEETINGS), each moved to the next working day where the
 * holiday rule says so, with the day its agenda closes; the province's statutory holidays; the
 * time zone's offsets. `icalendar` is the file's text when the calendar names a URL.
 */
export function expandMeetingCalendar(calendar: MeetingCalendar, now: number, icalendar?: string): MeetingSchedule {
  const timeZone = calendar.timeZone ?? DEFAULT_TIME_ZONE;
  const province = calendar.province ?? DEFAULT_PROVINCE;
  const agendaLeadDays = calendar.agendaLeadDays ?? DEFAULT_AGENDA_LEAD_DAYS;
  const time = calendar.time ?? DEFAULT_MEETING_TIME;
  const today = localWall(timeZone, now).on;
  const until = addDays(today, Math.round(HORIZON_MONTHS * 30.44));
  const offsets = offsetTransitions(timeZone, now - 2 * 86_400_000, Date.parse(`${until}T12:00:00Z`) + 2 * 86_400_000);
  // Holidays from a little before today: an agenda closes on the working day before a holiday.
  const holidays = statutoryHolidays(province, addDays(today, -60), addDays(until, 14));

  let given: GivenMeeting[];
  let source: MeetingSchedule['source'];
  if (calendar.meetings) {
    given = calendar.meetings.map((m) => ({ on: m.slice(0, 10), time: m.length > 10 ? m.slice(11, 16) : time }));
    source = { kind: 'dates' };
  } else if (calendar.rrule) {
    given = ruleMeetings(calendar.rrule, calendar.startsOn ?? today, time, until);
    source = { kind: 'rule', rule: calendar.rrule };
  } else if (calendar.icalendar === undefined && calendar.icalendarUrl === undefined) {
    // Only a time zone and a province: no meeting, reminders on working mornings.
    given = [];
    source = { kind: 'working-days' };
  } else {
    const text = calendar.icalendar ?? icalendar;
    if (text === undefined) throw new MeetingCalendarInvalid('no iCalendar file was given');
    given = icalendarMeetings(text, timeZone, now, Date.parse(`${until}T23:59:59Z`), time);
    source = calendar.icalendarUrl ? { kind: 'icalendar', url: calendar.icalendarUrl } : { kind: 'icalendar' };
  }
  const exceptions = new Set(calendar.exceptions ?? []);
  const facts = { holidays };

  const meetings: ScheduledMeeting[] = [];
  for (const m of given.sort((a, b) => `${a.on}T${a.time}`.localeCompare(`${b.on}T${b.time}`))) {
    if (exceptions.has(m.on)) continue;
    const holiday = (calendar.holidayRule ?? 'next-working-day') === 'next-working-day' && holidayOn(facts, m.on);
    const on = holiday ? workingDayOnOrAfter(facts, addDays(m.on, 1)) : m.on;
    const schedule = { offsets, holidays } as MeetingSchedule;
    const at = localInstant(schedule, on, m.time);
    if (at <= now || on > until || meetings.some((x) => x.on === on)) continue;
    meetings.push({ on, at, agendaClosesOn: agendaDayOf(facts, on, agendaLeadDays), ...(holiday ? { shiftedFrom: m.on } : {}) });
    if (meetings.length === MAX_SCHEDULED_MEETINGS) break;
  }
  if (meetings.length === 0 && source.kind !== 'working-days') throw new MeetingCalendarInvalid(`the calendar has no meeting between ${today} and ${until}`);
  return {
    timeZone,
    province,
    agendaLeadDays,
    source,
    until: meetings.length === MAX_SCHEDULED_MEETINGS ? meetings.at(-1)!.on : until,
    meetings,
    holidays,
    offsets,
  };
}

/**
 * Fetches a council's published iCalendar file: http or https only (the schema checks), within
 * FETCH_LIMITS of size and time, from public addresses only unless the caller passes another
 * fetcher. Only the coordinator or the party's clerk may give the address.
 */
export async function fetchIcalendar(url: string, fetcher: typeof fetch = publicOnlyFetch, limits = FETCH_LIMITS): Promise<string> {
  let response: Response;
  try {
    response = await fetcher(url, { signal: AbortSignal.timeout(limits.timeoutMs), redirect: 'follow', headers: { accept: 'text/calendar' } });
  } catch (err) {
    throw new MeetingCalendarInvalid(`the iCalendar file could not be fetched from ${url}: ${(err as Error).message}`);
  }
  if (!response.ok || !response.body) throw new MeetingCalendarInvalid(`the iCalendar file could not be fetched from ${url}: HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limits.bytes) throw new MeetingCalendarInvalid(`the iCalendar file at ${url} is larger than ${limits.bytes} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (err) {
      // The time limit covers the body too: a server that trickles it is cut off.
      throw new MeetingCalendarInvalid(`the iCalendar file could not be read from ${url}: ${(err as Error).message}`);
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > limits.bytes) {
      await reader.cancel().catch(() => undefined);
      throw new MeetingCalendarInvalid(`the iCalendar file at ${url} is larger than ${limits.bytes} bytes`);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A calendar as given, expanded, fetching its file first where it names a URL. */
export async function resolveMeetingCalendar(calendar: MeetingCalendar, now: number, fetcher?: typeof fetch): Promise<MeetingSchedule> {
  const text = calendar.icalendarUrl ? await fetchIcalendar(calendar.icalendarUrl, fetcher) : undefined;
  return expandMeetingCalendar(calendar, now, text);
}

/** A calendar that cannot be read, as a 422 naming the field. */
async function resolvedAt(calendar: MeetingCalendar, now: number, pointer: string, fetcher?: typeof fetch): Promise<MeetingSchedule> {
  try {
    return await resolveMeetingCalendar(calendar, now, fetcher);
  } catch (err) {
    if (!(err instanceof MeetingCalendarInvalid)) throw err;
    throw new Problem(422, 'The meeting calendar cannot be used', err.message, [{ pointer, detail: err.message }]);
  }
}

/**
 * A start request's calendars, expanded: the schedules the workflow starts with, and the request
 * it is given, without any iCalendar file's text (the schedules hold its dates).
 */
export async function startSchedules(
  request: StartPartnership,
  now: number,
  fetcher?: typeof fetch,
): Promise<{ request: StartPartnership; schedules: Record<string, MeetingSchedule> }> {
  const schedules: Record<string, MeetingSchedule> = {};
  for (const [index, party] of request.parties.entries()) {
    if (party.meetingCalendar) schedules[party.id] = await resolvedAt(party.meetingCalendar, now, `/parties/${index}/meetingCalendar`, fetcher);
  }
  const parties = request.parties.map(({ meetingCalendar, ...party }) => {
    if (!meetingCalendar) return party;
    const { icalendar: _text, ...given } = meetingCalendar as MeetingCalendar & { icalendar?: string };
    return { ...party, meetingCalendar: given as MeetingCalendar };
  });
  return { request: { ...request, parties }, schedules };
}

/**
 * The setMeetingCalendar the workflow receives: the calendar given, expanded into its dates. The
 * same body sent again under the same request id (a retry after a lost answer, maybe on a later
 * day, or once the published file has changed) is the command it was the first time, as the
 * register holds it: expanded again it would differ, and be refused as a reuse of the request id.
 */
export async function meetingCalendarCommand(
  body: SetMeetingCalendar,
  now: number,
  fetcher?: typeof fetch,
  earlier?: { kind: string; payload: Record<string, unknown> },
): Promise<WorkflowCommand<'setMeetingCalendar'>> {
  // Names the calendar as given, whatever day it is expanded on.
  const given = nodeFingerprint(body.calendar);
  const before = earlier?.kind === 'setMeetingCalendar' ? earlier.payload : undefined;
  if (before && before.calendarSha256 === given && before.partyId === body.partyId) {
    return before as WorkflowCommand<'setMeetingCalendar'>;
  }
  return { requestId: body.requestId, partyId: body.partyId, schedule: await resolvedAt(body.calendar, now, '/calendar', fetcher), calendarSha256: given };
}
