/**
 * Paging through `GET /partnerships` while partnerships change, against the Temporal CLI dev
 * server (its visibility store) with a real worker: each partnership is listed once, however its
 * runs hand over between two pages.
 *
 * | before the listing                   | between its pages                                   | the listing (2 a page)                                   |
 * |--------------------------------------|-----------------------------------------------------|----------------------------------------------------------|
 * | 6 partnerships started, 1 terminated | the oldest live one decided on, its run handed over | the 5 live ones, newest first, then the ended one; each once; the decided one in commitment |
 * | the same                             | a partnership started                               | not in this listing; first in one begun at once, with its stage, template and parties |
 * | the same, one more started at once   | (none)                                              | that one first, then each of the others once             |
 * | one started with no worker polling   | (none)                                              | listed in `stage=intake` with its template and parties   |
 * | the same, `stage=commitment`         | (none)                                              | the decided one alone                                    |
 */
import { startApi, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { requestId, startRequest } from '../helpers/fixtures';
import { eventually, pause } from '../helpers/polling';
import { LISTING_SETTLE_MS } from '../../api/listing';

let stack: E2eStack;
const SLUGS = ['pages-1', 'pages-2', 'pages-3', 'pages-4', 'pages-5', 'pages-6'];

beforeAll(async () => {
  stack = await startE2eStack();
  for (const slug of SLUGS) expect((await stack.api.call('POST', '/partnerships', startRequest({ slug }))).status).toBe(201);
  await stack.env.client.workflow.getHandle('partnership-pages-6').terminate('ended before the listing');
  // A listing is of the partnerships as they were a few seconds before its first page.
  await pause(LISTING_SETTLE_MS);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

type Item = { id: string; stage: string | null };

/** Every page of a listing in turn; `between` runs after the first. */
async function listAll(query: string, between: () => Promise<void> = async () => undefined): Promise<Item[][]> {
  const pages: Item[][] = [];
  let token: string | null | undefined;
  do {
    const res = await stack.api.call('GET', `/partnerships?pageSize=2${query}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body.items);
    token = res.body.nextPageToken;
    if (pages.length === 1) await between();
  } while (token);
  return pages;
}

const runIdOf = async (slug: string) => (await stack.env.client.workflow.getHandle(`partnership-${slug}`).describe()).runId;

test('a partnership whose run hands over between two pages is listed once, in its place', async () => {
  const pages = await listAll('', async () => {
    // The oldest: on the last page of live ones. Its intake decision takes its run past its
    // history's bound, and it hands over to a fresh one, which Temporal lists first.
    const before = await runIdOf('pages-1');
    const decided = await stack.api.call('POST', '/partnerships/pages-1/intake-decision', {
      requestId: requestId('intake'),
      accepted: true,
      interviewedOn: '2026-01-15',
    });
    expect(decided.status).toBe(200);
    await eventually(async () => ((await runIdOf('pages-1')) !== before ? true : undefined), 'pages-1 to hand over', 15_000);
  });
  const ids = pages.flat().map((item) => item.id);
  expect(ids).toEqual(['pages-5', 'pages-4', 'pages-3', 'pages-2', 'pages-1', 'pages-6']);
  // Full pages (Temporal may end a listing with an empty one, after a full page of ended ones).
  expect(pages.map((page) => page.length).filter((n, i) => n > 0 || i < pages.length - 1)).toEqual([2, 2, 2]);
  expect(pages.flat().find((item) => item.id === 'pages-1')!.stage).toBe('commitment');
});

test('one started during a listing is in the next, at once and first; one started just before a listing is on its first page', async () => {
  const pages = await listAll('', async () => {
    expect((await stack.api.call('POST', '/partnerships', startRequest({ slug: 'pages-7' }))).status).toBe(201);
  });
  expect(pages.flat().map((item) => item.id)).not.toContain('pages-7');
  // The next listing, begun at once (the visibility store may take a moment to know of it).
  const startedAt = Date.now();
  const next = await eventually(async () => {
    const res = await stack.api.call('GET', '/partnerships?pageSize=2');
    return res.body.items.some((item: Item) => item.id === 'pages-7') ? res : undefined;
  }, 'a listing with pages-7');
  expect(Date.now() - startedAt).toBeLessThan(LISTING_SETTLE_MS);
  // With its stage, template and parties from its start, not only once its first workflow task has run.
  const request = startRequest({ slug: 'pages-7' }) as { template: string; parties: Array<{ id: string }> };
  expect(next.body.items[0]).toEqual({
    id: 'pages-7',
    stage: 'intake',
    template: request.template,
    parties: request.parties.map((p) => p.id),
    nextDeadline: null,
  });
  // Started just before its first page: there, first; and each of the others once in the pages after.
  expect((await stack.api.call('POST', '/partnerships', startRequest({ slug: 'pages-8' }))).status).toBe(201);
  const listed = await eventually(async () => {
    const ids = (await listAll('')).flat().map((item) => item.id);
    return ids[0] === 'pages-8' ? ids : undefined;
  }, 'a listing opening with pages-8');
  // pages-1 is where its latest run puts it, which depends on when it handed over.
  expect([...listed].sort()).toEqual(['pages-1', 'pages-2', 'pages-3', 'pages-4', 'pages-5', 'pages-6', 'pages-7', 'pages-8']);
  expect(listed.at(-1)).toBe('pages-6');
});

test('a partnership is listed with its stage, template and parties from its start, before a worker has run it', async () => {
  const idle = await startApi(stack.env.client, stack.h.db, `nobody-polls-${Math.random().toString(36).slice(2)}`);
  try {
    const request = startRequest({ slug: 'pages-unrun' }) as { template: string; parties: Array<{ id: string }> };
    expect((await idle.call('POST', '/partnerships', request)).status).toBe(201);
    const listed = await eventually(async () => {
      const res = await idle.call('GET', '/partnerships?stage=intake&pageSize=100');
      return res.body.items.find((item: Item) => item.id === 'pages-unrun');
    }, 'pages-unrun listed in intake');
    expect(listed).toEqual({ id: 'pages-unrun', stage: 'intake', template: request.template, parties: request.parties.map((p) => p.id), nextDeadline: null });
  } finally {
    await stack.env.client.workflow.getHandle('partnership-pages-unrun').terminate('no worker runs it');
    await idle.stop();
  }
});

test('filters hold across the pages', async () => {
  const ids = await eventually(async () => {
    const listed = (await listAll('&stage=commitment')).flat().map((item) => item.id);
    return listed.length > 0 ? listed : undefined;
  }, 'a listing in commitment');
  expect(ids).toEqual(['pages-1']);
});
