/**
 * The coordinator's desk over HTTP, with real parts (dev server, worker, SMTP, SQLite).
 *
 * | step                                                   | asserts                                                                  |
 * |--------------------------------------------------------|--------------------------------------------------------------------------|
 * | a partnership in commitment whose clerks were reminded | GET /desk lists Riverside's participation resolution as overdue          |
 * | the desk filtered by party                             | `?party=maple` leaves Riverside's entries out                            |
 * | Riverside's resolution recorded                        | the desk drops it; Maple's stays                                         |
 * | a party key                                            | 403: the desk is the coordinator's                                       |
 * | every step above                                       | the summary kept in the register is the state query's own fields         |
 * | an API whose task queue no worker polls                | the same desk, from the summaries alone (a partnership with no reminder  |
 * |                                                        | due, whose summary nothing rewrites meanwhile)                           |
 * | a summary deleted (a partnership from before them)     | with no worker: 503; with one, the desk queries it (same entries) and    |
 * |                                                        | keeps what it read (version 0): the next desk needs no worker            |
 * | a command to it                                        | the workflow's summary replaces it                                       |
 * | a council rejects participation                        | the coordinator's decision is on the desk at once, though the grace      |
 * |                                                        | period that asks for it begins with no register row of its own           |
 * | more live partnerships than the desk reads (3 here)    | it reads 3 and says one was `omitted`; `?stage=` brings it to 3 and 0    |
 * | pages of one entry (`?limit=1&offset=…`)               | in turn, the whole desk in its order; every page has the counts of all;  |
 * |                                                        | a limit or offset out of bounds: 422                                     |
 * | a partnership begun after a first page was listed      | not on that desk's next page (its listing is reused), on the next first  |
 * |                                                        | page; one ended since: on no page (what is owed is read afresh)          |
 */
import { isDeepStrictEqual } from 'node:util';
import { summaryOfView, type PartnershipView } from '../../domain';
import { deskSummariesOf } from '../../store';
import { eventually, issueKey, startApi, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { requestId, startRequest } from '../helpers/fixtures';

let stack: E2eStack;
const ID = 'desk-overdue';
// A desk that reads at most three partnerships, so that a test can go past it.
const DESK_LIMIT = 3;

beforeAll(async () => {
  stack = await startE2eStack({ allowShortDurations: true, deskLimit: DESK_LIMIT });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

type Entry = { partnershipId: string; partyId?: string; what: string; status: string; who: string; remindersSent?: number };
const ofThis = (entries: Entry[]) => entries.filter((e) => e.partnershipId === ID);

/**
 * The summary the workflow kept is the state query's view of the same fields. Waited for: a
 * start answers before its workflow's first task has written the first row.
 */
async function expectSummaryOfState(id: string): Promise<void> {
  const pair = async () => {
    const viewed = summaryOfView((await stack.api.call('GET', `/partnerships/${id}`)).body as PartnershipView);
    return { kept: (await deskSummariesOf(stack.h.db, [id])).get(id), viewed };
  };
  const last = await eventually(
    async () => {
      const both = await pair();
      return isDeepStrictEqual(both.kept, both.viewed) ? both : undefined;
    },
    `the summary of ${id} to be its state's`,
    5_000,
  ).catch(pair);
  expect(last.kept).toEqual(last.viewed);
}

/** Equal, but for ISO 8601 times, which may differ by up to two seconds. */
function expectSameButMoments(actual: unknown, expected: unknown, path = ''): void {
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
  if (typeof actual === 'string' && typeof expected === 'string' && iso.test(actual) && iso.test(expected)) {
    expect({ path, apart: Math.abs(Date.parse(actual) - Date.parse(expected)) < 2_000 }).toEqual({ path, apart: true });
  } else if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    expect({ path, keys: Object.keys(actual).sort() }).toEqual({ path, keys: Object.keys(expected).sort() });
    for (const key of Object.keys(expected))
      expectSameButMoments((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}/${key}`);
  } else {
    expect({ path, value: actual }).toEqual({ path, value: expected });
  }
}

test('a resolution overdue after its first reminder is on the desk until it is recorded', async () => {
  const { api, h } = stack;
  expect((await api.call('POST', '/partnerships', startRequest({ slug: ID, durations: { resolutionReminderEvery: '3 seconds' } }))).status).toBe(201);
  await expectSummaryOfState(ID);
  const intake = await api.call('POST', `/partnerships/${ID}/intake-decision`, { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' });
  expect(intake.status).toBe(200);
  await expectSummaryOfState(ID);

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
  await expectSummaryOfState(ID);
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
  await expectSummaryOfState(ID);
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

test('the desk needs no worker for partnerships with a summary; one without is queried, and its next command keeps one again', async () => {
  const { api, env, h } = stack;
  // A partnership of its own, with no reminder due for days: the first test's, reminded every 3 s,
  // writes a new row and summary at any moment, and the desks compared here would differ by one.
  const slug = 'desk-no-worker';
  const ofQuiet = (entries: Entry[]) => entries.filter((e) => e.partnershipId === slug);
  expect((await api.call('POST', '/partnerships', startRequest({ slug }))).status).toBe(201);
  const idle = await startApi(env.client, h.db, `nobody-polls-${Math.random().toString(36).slice(2)}`, { deskLimit: DESK_LIMIT });
  try {
    expect(
      (await api.call('POST', `/partnerships/${slug}/intake-decision`, { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' })).status,
    ).toBe(200);
    await expectSummaryOfState(slug);
    // The visibility store lists a new partnership a moment after it starts.
    const withWorker = await eventually(async () => {
      const desk = await api.call('GET', '/desk');
      return ofQuiet(desk.body.entries ?? []).length > 0 ? desk : undefined;
    }, 'the desk to list the new partnership');
    const withoutWorker = await idle.call('GET', '/desk');
    expect(withoutWorker.status).toBe(200);
    expect(withoutWorker.body).toMatchObject({ partnerships: withWorker.body.partnerships, unreadable: 0, omitted: 0 });
    expect(ofQuiet(withoutWorker.body.entries)).toEqual(ofQuiet(withWorker.body.entries));

    // A partnership begun before summaries were kept has none until its next row.
    const versionOf = async () => (await h.db.selectFrom('desk_summaries').select('version').where('partnership_id', '=', slug).executeTakeFirst())?.version;
    await h.db.deleteFrom('desk_summaries').where('partnership_id', '=', slug).execute();
    const refused = await idle.call('GET', '/desk', undefined, {}, { timeoutMs: 10_000 });
    expect(refused.status).toBe(503);
    expect(refused.body.title).toBe('No worker is running');
    // With a worker, the desk queries it, and keeps what it read for the next desk (version 0).
    const queried = await api.call('GET', '/desk');
    expect(queried.body).toMatchObject({ partnerships: withWorker.body.partnerships, unreadable: 0, omitted: 0 });
    expect(ofQuiet(queried.body.entries)).toEqual(ofQuiet(withWorker.body.entries));
    expect(Number(await versionOf())).toBe(0);
    await expectSummaryOfState(slug);
    expect(ofQuiet((await idle.call('GET', '/desk')).body.entries)).toEqual(ofQuiet(withWorker.body.entries));

    // Its next row brings the workflow's own summary, which replaces it.
    const maple = await api.call('POST', `/partnerships/${slug}/resolutions`, {
      requestId: requestId('res-maple'),
      partyId: 'maple',
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: 'MAP-2026-007',
      adoptedOn: '2026-02-10',
    });
    expect(maple.status).toBe(200);
    expect(Number(await versionOf())).toBeGreaterThan(0);
    await expectSummaryOfState(slug);
    expect(ofQuiet((await idle.call('GET', '/desk')).body.entries).map((e) => e.partyId)).not.toContain('maple');
  } finally {
    await idle.stop();
    // Ended, so that the later tests count the live partnerships they expect.
    expect((await api.call('POST', `/partnerships/${slug}/abandon`, { requestId: requestId('abandon'), reason: 'Only the desk was tried.' })).status).toBe(200);
  }
});

test('a rejection puts the coordinator’s decision on the desk at once: the grace period begins with no row of its own', async () => {
  const { api } = stack;
  const slug = 'desk-rejection';
  expect((await api.call('POST', '/partnerships', startRequest({ slug }))).status).toBe(201);
  try {
    expect(
      (await api.call('POST', `/partnerships/${slug}/intake-decision`, { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' })).status,
    ).toBe(200);
    const rejected = await api.call('POST', `/partnerships/${slug}/resolutions`, {
      requestId: requestId('res-maple'),
      partyId: 'maple',
      subject: 'participation',
      outcome: 'rejected',
      resolutionNumber: 'MAP-2026-011',
      adoptedOn: '2026-02-10',
    });
    expect(rejected.status).toBe(200);
    // The grace period's step comes a moment after the command's row, which saw its end from the
    // row's own time: the same summary, its dates at most that moment earlier.
    const viewed = summaryOfView((await api.call('GET', `/partnerships/${slug}`)).body as PartnershipView);
    const kept = (await deskSummariesOf(stack.h.db, [slug])).get(slug)!;
    expectSameButMoments(kept, viewed);
    expect(kept.pendingActions).toContainEqual(expect.objectContaining({ who: 'coordinator', what: 'rejected-participation', partyId: 'maple' }));
    const desk = await api.call('GET', '/desk');
    expect(desk.body.entries).toContainEqual(expect.objectContaining({ partnershipId: slug, who: 'coordinator', what: 'rejected-participation' }));
  } finally {
    // Ended, so that the next test counts the live partnerships it expects.
    expect((await api.call('POST', `/partnerships/${slug}/abandon`, { requestId: requestId('abandon'), reason: 'Maple said no.' })).status).toBe(200);
  }
});

test('past its limit the desk reads no more partnerships and says how many it left out; a filter narrows it', async () => {
  const { api } = stack;
  // The stack's desk reads at most DESK_LIMIT partnerships; with the first test's, one more are live.
  const slugs = Array.from({ length: DESK_LIMIT }, (_, i) => `desk-many-${i}`);
  for (const slug of slugs) expect((await api.call('POST', '/partnerships', startRequest({ slug }))).status).toBe(201);
  const stage = (await api.call('GET', `/partnerships/${slugs[0]}`)).body.stage as string;
  // The visibility store lists a new partnership a moment after it starts.
  const full = await eventually(async () => {
    const desk = await api.call('GET', '/desk');
    return desk.status === 200 && desk.body.omitted === 1 ? desk : undefined;
  }, 'the desk to leave one partnership out');
  expect(full.body).toMatchObject({ partnerships: DESK_LIMIT, unreadable: 0, omitted: 1 });
  // The first test's partnership is further on: a filter on the new ones' stage leaves it out.
  const narrowed = await eventually(async () => {
    const desk = await api.call('GET', `/desk?stage=${stage}`);
    return desk.status === 200 && desk.body.partnerships === DESK_LIMIT ? desk : undefined;
  }, 'the desk filtered by stage');
  expect(narrowed.body.omitted).toBe(0);
  expect(new Set(narrowed.body.entries.map((e: Entry) => e.partnershipId))).toEqual(new Set(slugs));
});

test('the desk comes a page at a time, in its order, with the counts of all of it; bounds are validated', async () => {
  const { api } = stack;
  // The last test's three partnerships, alone in their stage: the first test's, reminded every 3 s, would change meanwhile.
  const stage = (await api.call('GET', '/partnerships/desk-many-0')).body.stage as string;
  const whole = await api.call('GET', `/desk?stage=${stage}`);
  expect(whole.status).toBe(200);
  const { entries, entriesTotal, counts } = whole.body as { entries: Entry[]; entriesTotal: number; counts: Record<string, number> };
  // Each of them owes at least one thing: more than a page of one.
  expect(entries.length).toBe(entriesTotal);
  expect(entriesTotal).toBeGreaterThanOrEqual(3);
  expect(counts.overdue! + counts['due-this-week']! + counts.later!).toBe(entriesTotal);
  expect(counts.escalated).toBe(entries.filter((e) => (e as { escalated?: boolean }).escalated).length);

  // Pages of one, in turn, are the whole desk in the same order: none repeated, none left out.
  const paged: Entry[] = [];
  for (let offset = 0; offset < entriesTotal; offset++) {
    const page = await api.call('GET', `/desk?stage=${stage}&limit=1&offset=${offset}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ entriesTotal, counts, offset });
    expect(page.body.entries.length).toBe(1);
    paged.push(...page.body.entries);
  }
  expect(paged).toEqual(entries);
  expect((await api.call('GET', `/desk?stage=${stage}&offset=${entriesTotal}`)).body).toMatchObject({ entries: [], entriesTotal, counts });

  for (const bad of ['limit=0', 'limit=2001', 'offset=-1', 'limit=two']) {
    const refused = await api.call('GET', `/desk?${bad}`);
    expect({ bad, status: refused.status }).toEqual({ bad, status: 422 });
  }
});

test('the pages after the first reuse its listing: one begun since waits for the next first page, one ended since is on none', async () => {
  const { api } = stack;
  // A template no other partnership here has: this test's desk is its one partnership, or none.
  const desk = (page: string) => api.call('GET', `/desk?template=oden-mou&limit=1${page}`);
  expect((await desk('')).body).toMatchObject({ partnerships: 0, entriesTotal: 0, omitted: 0 });

  const later = 'desk-later';
  expect((await api.call('POST', '/partnerships', startRequest({ slug: later, template: 'oden-mou' }))).status).toBe(201);
  await eventually(async () => {
    const listed = await api.call('GET', '/partnerships?template=oden-mou');
    return listed.body.items.some((p: { id: string }) => p.id === later) ? listed : undefined;
  }, 'the visibility store to list the new partnership');
  // Listed by Temporal, but not in the listing the first page made: the next page is that desk's.
  expect((await desk('&offset=1')).body).toMatchObject({ partnerships: 0, entriesTotal: 0, offset: 1 });
  // A first page lists afresh, and the next pages reuse that listing.
  const fresh = await desk('');
  expect(fresh.body.partnerships).toBe(1);
  expect(fresh.body.entriesTotal).toBeGreaterThan(0);
  expect((await desk('&offset=1')).body).toMatchObject({ partnerships: 1, entriesTotal: fresh.body.entriesTotal });

  // What each owes is read afresh on every page: one ended since the listing is on no page.
  expect((await api.call('POST', `/partnerships/${later}/abandon`, { requestId: requestId('abandon-later'), reason: 'A test.' })).status).toBe(200);
  expect((await desk('&offset=1')).body).toMatchObject({ partnerships: 0, entriesTotal: 0 });
  expect((await desk('')).body).toMatchObject({ partnerships: 0, entriesTotal: 0 });
});
