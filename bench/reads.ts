/**
 * What a read of a running partnership costs now that the API reads through the read update (an
 * update its validator refuses, the answer in the refusal) instead of the state query, which SDK
 * 1.24 can turn into a stopped partnership on a worker that evicted it (README, "Known issues").
 * One partnership in force, cached; the three reads interleaved, round by round.
 */
import { performance } from 'node:perf_hooks';
import { readThroughUpdate } from '../api/service';
import { stateQuery } from '../workflows/messages';
import { driveToInForce, historyFigures, startPartnership, PARTY_IDS } from './lifecycle';
import { fmt, latencySummary, median, spread, type Row } from './measure';
import { expectStatus, unique, type BenchContext } from './services';
import { sleep } from './stack';
import type { Services } from './temporal';

export async function readRows(ctx: BenchContext, svc: Services, rounds: number, perRound: number): Promise<Row[]> {
  const slug = unique('bench-reads');
  const handle = await startPartnership(ctx.server.client, svc.entente.taskQueue, slug);
  await driveToInForce(handle, PARTY_IDS);
  const cases = {
    query: () => handle.query(stateQuery),
    update: async () => {
      if (!(await readThroughUpdate(handle, { what: 'state' }))) throw new Error('the read update was refused without an answer');
    },
    api: async () => expectStatus(await svc.api.call('GET', `/partnerships/${slug}`), 200, 'GET a partnership'),
  };
  const names = Object.keys(cases) as Array<keyof typeof cases>;
  const latencies = Object.fromEntries(names.map((name) => [name, [] as number[][]])) as Record<(typeof names)[number], number[][]>;
  // Every run's events: counted once the partnership is quiet (its last emails sent, its hand-over
  // to a fresh run made), so that what the reads add is all that changes.
  const events = async () => (await historyFigures(ctx.server.client, handle.workflowId)).events;
  let eventsBefore = await events();
  for (let seen = -1; seen !== eventsBefore;) {
    seen = eventsBefore;
    await sleep(2000);
    eventsBefore = await events();
  }
  for (let r = 0; r <= rounds; r++) {
    const round = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<(typeof names)[number], number[]>;
    const order = names.map((_, k) => names[(k + r) % names.length]!);
    for (let n = 0; n < perRound; n++) {
      for (const name of order) {
        const t0 = performance.now();
        await cases[name]();
        round[name].push(performance.now() - t0);
      }
    }
    if (r > 0) for (const name of names) latencies[name].push(round[name]);
  }
  const eventsAfter = await events();
  const all = (name: keyof typeof latencies) => latencies[name].flat();
  const ratio = (a: keyof typeof latencies, b: keyof typeof latencies) => spread(latencies[a].map((round, k) => median(round) / median(latencies[b][k]!)));
  const reads = (rounds + 1) * perRound * 2;
  return [
    {
      section: 'command',
      what: 'a read of a running partnership: the read update against the state query (raw client, p50)',
      baseline: `state query: ${latencySummary(all('query'))}`,
      candidate: `read update: ${latencySummary(all('update'))}; its history ${eventsAfter === eventsBefore ? 'unchanged' : `${fmt(eventsAfter - eventsBefore)} events longer`} after ${reads.toLocaleString('en')} reads`,
      ratio: ratio('update', 'query'),
    },
    {
      section: 'command',
      what: 'GET a partnership over HTTP against the raw read update (p50)',
      baseline: `read update: ${latencySummary(all('update'))}`,
      candidate: `GET /partnerships/:id: ${latencySummary(all('api'))}`,
      ratio: ratio('api', 'update'),
    },
  ];
}
