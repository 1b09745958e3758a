/**
 * A council with a monthly calendar, on the time-skipping test server with a real worker, SMTP
 * receiver and register. Maple's band council sits on the second Tuesday of each month at 19:00
 * (America/Toronto, Quebec's holidays, agenda closing 10 days before); Riverside has no calendar
 * and resolves at once.
 *
 * | step                                   | asserts                                                                     |
 * |----------------------------------------|-----------------------------------------------------------------------------|
 * | intake accepted                        | Riverside asked at once; Maple's request waits for the first working morning |
 * | that morning                           | Maple's clerk and champion asked, naming the meeting and its agenda's close, before it closes |
 * | before the agenda closes               | the reminder, naming the same meeting                                       |
 * | the morning after the meeting          | the clerk is asked whether it was adopted, deferred or refused              |
 * | the next two meetings, missed          | a reminder before each agenda closes, a question after each; the coordinator is told after the third, once |
 * | the resolution recorded                | the process moves on; Maple's timers stop; the register holds every step    |
 *
 * With SAVE_HISTORIES=1 the run is saved as the replay fixture `council-calendar`.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { agendaClosesAt, type MeetingSchedule } from '../../domain/meeting-calendar';
import { decisionsOf } from '../../store/decisions';
import { commandUpdate, stateQuery } from '../../workflows/messages';
import { scheduleOf, SECOND_TUESDAY } from '../helpers/calendars';
import { requestId, startRequest } from '../helpers/fixtures';
import { maybeSaveHistory } from '../helpers/histories';
import { startPartnership, useTimeSkippingStack, type Harness } from '../helpers/worker-harness';

const coordinator = { role: 'coordinator' as const };
let env: TestWorkflowEnvironment;
let h: Harness;

useTimeSkippingStack((stack) => ({ env, h } = stack));

const MAPLE = ['greffe@maple.example', 'championne@maple.example'];

test('a monthly council: request and reminder before the agenda closes, the question after each missed meeting, escalation after the third', async () => {
  const id = 'council-calendar';
  const started = await env.currentTimeMs();
  const schedule: MeetingSchedule = scheduleOf(SECOND_TUESDAY, started);
  const handle = await startPartnership({ env, h }, { id, request: startRequest(), schedules: { maple: schedule } });
  const send = (name: Parameters<typeof commandUpdate>[0], actor: object, command: object) =>
    handle.executeUpdate(commandUpdate(name), { args: [{ actor, command: { requestId: requestId(), ...command } } as never] });
  const events = (event: string) => h.smtp.messages.filter((m) => m.event === event);
  const mapleTimer = async (kind: string) => {
    const view = await handle.query(stateQuery);
    return view.nextTimers.find((t) => t.partyId === 'maple' && t.kind === kind);
  };
  /** Skips the server's clock to just past an instant. */
  const skipTo = async (at: string) => {
    const now = await env.currentTimeMs();
    await env.sleep(Math.max(1, Date.parse(at) - now + 60_000));
  };

  await send('recordIntakeDecision', coordinator, { accepted: true, interviewedOn: '2026-01-15' });
  await h.smtp.waitFor(() => events('resolution-requested').length === 2);
  expect(events('resolution-requested').flatMap((m) => m.to)).toEqual(expect.arrayContaining(['clerk@riverside.example', 'champion@riverside.example']));
  await send(
    'recordResolution',
    { role: 'clerk', partyId: 'riverside' },
    {
      partyId: 'riverside',
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: '2026-041',
      adoptedOn: '2026-02-03',
    },
  );

  // Maple's request: on the first working morning, naming the meeting whose agenda is still open.
  const request = (await mapleTimer('resolution-request'))!;
  expect(request.because).toMatchObject({ reason: 'working-morning', timeZone: 'America/Toronto' });
  const firstMeeting = schedule.meetings.find((m) => m.on === request.because!.meetingOn)!;
  expect(Date.parse(request.at)).toBeLessThan(agendaClosesAt(schedule, firstMeeting));
  await skipTo(request.at);
  await h.smtp.waitFor(() => events('resolution-requested').length === 4);
  const asked = events('resolution-requested').filter((m) => MAPLE.includes(m.to[0]!));
  expect(asked.flatMap((m) => m.to).sort()).toEqual([...MAPLE].sort());
  // Maple reads French: the meeting and the day its agenda closes, in words.
  expect(asked[0]!.text).toContain('séance du conseil du');
  expect(asked[0]!.text).toContain('doit parvenir à l’ordre du jour au plus tard le');

  let meeting = firstMeeting;
  let reminders = 0;
  for (let missed = 1; missed <= 3; missed++) {
    const reminder = await mapleTimer('resolution-reminder');
    if (reminder) {
      expect(reminder.because).toMatchObject({ reason: 'agenda-closes', meetingOn: meeting.on, agendaClosesOn: meeting.agendaClosesOn });
      // The reminder reaches the council before the agenda of its meeting closes.
      expect(Date.parse(reminder.at)).toBeLessThan(agendaClosesAt(schedule, meeting));
      await skipTo(reminder.at);
      reminders++;
      await h.smtp.waitFor(() => events('resolution-reminder').length === 2 * reminders);
      expect(events('resolution-reminder').flatMap((m) => m.to)).toEqual(expect.arrayContaining(MAPLE));
      expect(events('resolution-reminder').at(-1)!.text).toContain('au plus tard le');
    } else {
      // Only a request that came within a week of the first agenda's close has no reminder before it: the request is fresh.
      expect(missed).toBe(1);
    }

    const question = (await mapleTimer('meeting-follow-up'))!;
    expect(question.because).toMatchObject({ reason: 'after-meeting', meetingOn: meeting.on });
    expect(Date.parse(question.at)).toBeGreaterThan(meeting.at);
    expect(events('resolution-escalation')).toHaveLength(0);
    await skipTo(question.at);
    await h.smtp.waitFor(() => events('resolution-follow-up').length === missed);
    const followUp = events('resolution-follow-up').at(-1)!;
    expect(followUp.to).toEqual(['greffe@maple.example']);
    expect(followUp.text).toContain('adoptée, reportée ou refusée');
    const next = (await mapleTimer('resolution-reminder')) ?? (await mapleTimer('meeting-follow-up'));
    meeting = schedule.meetings.find((m) => m.on === next!.because!.meetingOn)!;
  }

  // After the third missed meeting, and only then, the coordinator is told, once.
  await h.smtp.waitFor(() => events('resolution-escalation').length === 1);
  expect(events('resolution-escalation')[0]!.to).toEqual(['coordination@example.org']);
  expect(events('resolution-escalation')[0]!.subject).toContain('3 séances du conseil');
  const view = await handle.query(stateQuery);
  expect(reminders).toBeGreaterThanOrEqual(2);
  // The council's next meetings, from the workflow's own now.
  const nextMeetings = view.parties.find((p) => p.id === 'maple')!.meetingCalendar!.nextMeetings;
  expect(Date.parse(nextMeetings[0]!.at)).toBeGreaterThan(await env.currentTimeMs());
  expect(view.pendingActions.find((a) => a.partyId === 'maple')).toMatchObject({ missedMeetings: 3, remindersSent: reminders, escalated: true });

  await send(
    'recordResolution',
    { role: 'clerk', partyId: 'maple' },
    {
      partyId: 'maple',
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: 'BCR-17',
      adoptedOn: meeting.on,
    },
  );
  const after = await handle.query(stateQuery);
  expect(after.stage).toBe('groundwork');
  expect(after.nextTimers.filter((t) => t.partyId === 'maple')).toEqual([]);

  const rows = await decisionsOf(h.db, id);
  const timers = rows.filter((r) => r.partyId === 'maple' && r.actor === 'timer').map((r) => r.kind);
  expect(timers[0]).toBe('resolution-requested');
  expect(timers.filter((k) => k === 'resolution-reminder')).toHaveLength(reminders);
  expect(timers.filter((k) => k === 'meeting-follow-up')).toHaveLength(3);
  expect(timers.at(-1)).toBe('meeting-follow-up');
  expect(rows.filter((r) => r.kind === 'meeting-follow-up').map((r) => (r.payload as { missedMeetings: number }).missedMeetings)).toEqual([1, 2, 3]);

  await maybeSaveHistory('council-calendar', env.client, handle, handle.firstExecutionRunId);
}, 180_000);
