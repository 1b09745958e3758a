import { expandMeetingCalendar, HORIZON_MONTHS } from '../api/meeting-calendars';
import { StartPartnership, type MeetingCalendar } from '../domain';
import { interleaved, type Comparison } from './measure';
import { startRequest } from './services';

/**
 * What the API does before it starts a partnership whose council gave its meeting calendar (or
 * before it sends a `setMeetingCalendar`): the calendar expanded into its meetings, holidays and
 * the time zone's offsets over the horizon, synchronously, on the API's event loop. Against the
 * validation of the README's example start request, which every start pays.
 */
export async function calendarComparisons(perRound: number): Promise<Comparison[]> {
  const request = startRequest('bench-calendar');
  const calendar: MeetingCalendar = { rrule: 'FREQ=MONTHLY;BYDAY=2TU', timeZone: 'America/Toronto', province: 'ON' };
  const now = Date.now();
  const [baseline, candidate] = await interleaved(
    [
      { name: 'the example start request validated', op: () => StartPartnership.parse(request) },
      { name: `a monthly rule expanded (America/Toronto, ${HORIZON_MONTHS} months)`, op: (i) => expandMeetingCalendar(calendar, now + i * 60_000) },
    ],
    { perRound },
  );
  return [{ what: "a council's calendar expanded", baseline: baseline!, candidate: candidate! }];
}
