/** The listings a desk's first page makes, kept for its next pages (api/desk-listings.ts). */
import { DeskListings } from '../../api/desk-listings';

type LiveIds = { ids: string[]; total: number };

function setup(maxAgeMs = 1000, maxKept = 2) {
  let now = 0;
  let made = 0;
  const listings = new DeskListings<LiveIds>({ maxAgeMs, maxKept, now: () => now });
  const list = (): Promise<LiveIds> => Promise.resolve({ ids: [`listing-${++made}`], total: made });
  return { listings, list, tick: (ms: number) => (now += ms), made: () => made };
}

test('a next page reuses the listing of the same filters; a first page lists afresh', async () => {
  const { listings, list, made } = setup();
  expect(await listings.listing('{}', false, list)).toEqual({ ids: ['listing-1'], total: 1 });
  expect(await listings.listing('{}', true, list)).toEqual({ ids: ['listing-1'], total: 1 });
  expect(await listings.listing('{"stage":"intake"}', true, list)).toEqual({ ids: ['listing-2'], total: 2 });
  expect(await listings.listing('{}', false, list)).toEqual({ ids: ['listing-3'], total: 3 });
  expect(await listings.listing('{}', true, list)).toEqual({ ids: ['listing-3'], total: 3 });
  expect(made()).toBe(3);
});

test('a listing older than maxAgeMs is made again', async () => {
  const { listings, list, tick } = setup(1000);
  await listings.listing('{}', false, list);
  tick(999);
  expect((await listings.listing('{}', true, list)).ids).toEqual(['listing-1']);
  tick(1);
  expect((await listings.listing('{}', true, list)).ids).toEqual(['listing-2']);
});

test('a failed listing is not kept: the next page lists again', async () => {
  const { listings, list } = setup();
  await expect(listings.listing('{}', false, () => Promise.reject(new Error('visibility unreachable')))).rejects.toThrow('visibility unreachable');
  await new Promise((resolve) => setImmediate(resolve));
  expect((await listings.listing('{}', true, list)).ids).toEqual(['listing-1']);
});

test('at most maxKept listings are kept, the oldest dropped first', async () => {
  const { listings, list } = setup(60_000, 2);
  await listings.listing('a', false, list);
  await listings.listing('b', false, list);
  await listings.listing('a', false, list); // a again: now the newest
  await listings.listing('c', false, list); // b, the oldest, goes
  expect((await listings.listing('a', true, list)).ids).toEqual(['listing-3']);
  expect((await listings.listing('c', true, list)).ids).toEqual(['listing-4']);
  expect((await listings.listing('b', true, list)).ids).toEqual(['listing-5']);
});
