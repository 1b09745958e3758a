/**
 * The coordinator's desk over HTTP, with real parts (dev server, worker, SMTP, SQLite).
 *
 * | step                                                   | asserts                                                                  |
 * |--------------------------------------------------------|--------------------------------------------------------------------------|
 * | a partnership in commitment whose clerks were reminded | GET /desk lists Riverside's participation resolution as overdue          |
 * | the desk filtered by party                             | `?party=maple` leaves Riverside's entries out                            |
 * | Riverside's resolution recorded                        | the desk drops it; Maple's stays                                         |
 * | a party key                                            | 403: the desk is the coordinator's                                       |
 */
import { issueKey, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { requestId, startRequest } from '../helpers/fixtures';

let stack: E2eStack;
const ID = 'desk-overdue';

beforeAll(async () => {
  stack = await startE2eStack({ allowShortDurations: true });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

type Entry = { partnershipId: string; partyId?: string; what: string; status: string; who: string; remindersSent?: number };
const ofThis = (entries: Entry[]) => entries.filter((e) => e.partnershipId === ID);

test('a resolution overdue after its first reminder is on the desk until it is recorded', async () => {
  const { api, h } = stack;
  expect((await api.call('POST', '/partnerships', startRequest({ slug: ID, durations: { resolutionReminderEvery: '3 seconds' } }))).status).toBe(201);
  const intake = await api.call('POST', `/partnerships/${ID}/intake-decision`, { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' });
  expect(intake.status).toBe(200);

  // Before any reminder: owed, but not yet overdue.
  const fresh = await api.call('GET', '/desk');
  expect(fresh.status).toBe(200);
  expect(ofThis(fresh.body.entries).find((e) => e.partyId === 'riverside' && e.what === 'participation-resolution')).toMatchObject({
    who: 'clerk',
    status: 'due-this-week',
  });

  await h.smtp.waitFor((m) => m.some((x) => x.partnership === ID && x.event === 'resolution-reminder'));
  const desk = await api.call('GET', '/desk');
  expect(desk.status).toBe(200);
  const riverside = ofThis(desk.body.entries).find((e) => e.partyId === 'riverside' && e.what === 'participation-resolution');
  expect(riverside).toMatchObject({ who: 'clerk', status: 'overdue' });
  expect(riverside!.remindersSent).toBeGreaterThanOrEqual(1);
  expect(desk.body.nextDeadlines.some((d: { partnershipId: string }) => d.partnershipId === ID)).toBe(true);

  const maple = await api.call('GET', '/desk?party=maple');
  expect(ofThis(maple.body.entries).map((e) => e.partyId)).toEqual(['maple']);

  const recorded = await api.call('POST', `/partnerships/${ID}/resolutions`, {
    requestId: requestId('res-riverside'),
    partyId: 'riverside',
    subject: 'participation',
    outcome: 'adopted',
    resolutionNumber: 'RIV-2026-041',
    adoptedOn: '2026-02-03',
  });
  expect(recorded.status).toBe(200);
  const after = await api.call('GET', '/desk');
  expect(
    ofThis(after.body.entries)
      .filter((e) => e.what === 'participation-resolution')
      .map((e) => e.partyId),
  ).toEqual(['maple']);
});

test('the desk is the coordinator’s alone; its filters are validated', async () => {
  const { api } = stack;
  const clerk = api.as(await issueKey(api, ID, 'clerk', 'maple'));
  expect((await clerk('GET', '/desk')).status).toBe(403);
  const bad = await api.call('GET', '/desk?stage=nowhere');
  expect(bad.status).toBe(422);
  expect(bad.body.errors[0].pointer).toBe('/stage');
});
