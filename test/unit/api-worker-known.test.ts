/**
 * workerPollers().known() (api/workers.ts): what the cache of "does a worker poll" holds now,
 * which a command reads instead of awaiting the cached answer.
 *
 * | case                                  | expects                                               |
 * |---------------------------------------|-------------------------------------------------------|
 * | before, while and after the answer    | nothing until answered; the answer while fresh (2 s); |
 * |                                       | nothing once stale                                     |
 */
import type { Client } from '@temporalio/client';
import { WORKERS_CACHE_MS, workerPollers } from '../../api/workers';

describe('workerPollers().known()', () => {
  test('nothing before the first answer, the answer while it is fresh, nothing once it is stale', async () => {
    let clock = 1_000_000;
    const client = {
      workflowService: { describeTaskQueue: async () => ({ pollers: [{ lastAccessTime: { seconds: clock / 1000, nanos: 0 } }] }) },
    } as unknown as Client;
    const workers = workerPollers(client, 'default', 'entente', () => clock);
    expect(workers.known()).toBeUndefined();
    const asked = workers();
    expect(workers.known()).toBeUndefined();
    expect(await asked).toBe('polling');
    expect(workers.known()).toBe('polling');
    clock += WORKERS_CACHE_MS;
    expect(workers.known()).toBe('polling');
    clock += 1;
    expect(workers.known()).toBeUndefined();
  });
});
