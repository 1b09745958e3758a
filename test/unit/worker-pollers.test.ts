import type { Client } from '@temporalio/client';
import { NO_WORKERS_CACHE_MS, WORKERS_CACHE_MS, workerPollers } from '../../api/workers';

/** A client whose DescribeTaskQueue answers with the pollers given, counting the calls. */
function fakeClient(pollers: () => Array<{ lastAccessTime: { seconds: number; nanos: number } }>) {
  const calls = { count: 0 };
  const client = {
    workflowService: {
      describeTaskQueue: async () => {
        calls.count++;
        return { pollers: pollers() };
      },
    },
  } as unknown as Client;
  return { client, calls };
}

describe('workerPollers', () => {
  test('a worker that has just started is seen within 200 ms, not after the 2 s a seen worker is cached', async () => {
    let clock = 1_000_000;
    let polling = false;
    const { client, calls } = fakeClient(() => (polling ? [{ lastAccessTime: { seconds: clock / 1000, nanos: 0 } }] : []));
    const workers = workerPollers(client, 'default', 'entente', () => clock);

    expect(await workers()).toBe('none');
    polling = true;
    clock += NO_WORKERS_CACHE_MS / 2;
    expect(await workers()).toBe('none'); // the same answer, reused briefly
    clock += NO_WORKERS_CACHE_MS;
    expect(await workers()).toBe('polling');
    expect(calls.count).toBe(2);

    // Seen polling: reused for 2 s, asked again after.
    polling = false;
    clock += WORKERS_CACHE_MS - 1;
    expect(await workers()).toBe('polling');
    expect(calls.count).toBe(2);
    clock += 2;
    expect(await workers()).toBe('none');
    expect(calls.count).toBe(3);
  });

  test('a failure to ask is reused for 200 ms only, and reaches the caller', async () => {
    let clock = 0;
    let fail = true;
    const client = {
      workflowService: {
        describeTaskQueue: async () => {
          if (fail) throw Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
          return { pollers: [{ lastAccessTime: { seconds: clock / 1000, nanos: 0 } }] };
        },
      },
    } as unknown as Client;
    const workers = workerPollers(client, 'default', 'entente', () => clock);
    await expect(workers()).rejects.toThrow('UNAVAILABLE');
    fail = false;
    await expect(workers()).rejects.toThrow('UNAVAILABLE');
    clock += NO_WORKERS_CACHE_MS + 1;
    expect(await workers()).toBe('polling');
  });
});
