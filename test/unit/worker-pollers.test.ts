import type { Client } from '@temporalio/client';
import {
  HEARTBEAT_READ_MS,
  HEARTBEAT_STALE_MS,
  NO_WORKERS_CACHE_MS,
  RECENT_POLL_MS,
  REFRESH_AHEAD_MS,
  WORKERS_CACHE_MS,
  noteBeats,
  workerPollers,
  type BeatsSeen,
} from '../../api/workers';
import type { WorkerHeartbeat } from '../../store/worker-heartbeats';
import { featuresOf, workerIdentity } from '../../workflows/messages';

/** A client whose DescribeTaskQueue answers with the pollers given, counting the calls. */
function fakeClient(pollers: () => Array<{ lastAccessTime: { seconds: number; nanos: number }; identity?: string }>) {
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

    // Seen polling: reused, and not asked again before it is 1 s old.
    polling = false;
    clock += REFRESH_AHEAD_MS - 1;
    expect(await workers()).toBe('polling');
    expect(calls.count).toBe(2);
    // Past 2 s with nobody asking meanwhile: asked again, and the caller waits for the answer.
    clock += WORKERS_CACHE_MS;
    expect(await workers()).toBe('none');
    expect(calls.count).toBe(3);
  });

  test('a worker seen a second ago is asked about in the background: a steady caller never waits, and a worker gone is seen within 1 s or so', async () => {
    let clock = 1_000_000;
    let polling = true;
    let failing = false;
    // Each DescribeTaskQueue waits until the test answers it.
    const pending: Array<() => void> = [];
    const client = {
      workflowService: {
        describeTaskQueue: () =>
          new Promise((resolve, reject) =>
            pending.push(() =>
              failing
                ? reject(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }))
                : resolve({ pollers: polling ? [{ lastAccessTime: { seconds: clock / 1000, nanos: 0 } }] : [] }),
            ),
          ),
      },
    } as unknown as Client;
    const answer = async () => {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    };
    const workers = workerPollers(client, 'default', 'entente', () => clock);
    const first = workers();
    await answer();
    expect(await first).toBe('polling');

    // Every 100 ms for 10 s: the cached answer at once, each time, with one question in flight at most.
    let asked = 1;
    for (let t = 0; t < 100; t++) {
      clock += 100;
      expect(workers.known()).toBe('polling');
      expect(pending.length).toBeLessThanOrEqual(1);
      if (pending.length === 1) {
        asked++;
        await answer();
      }
    }
    // About one question a second, never the 2 s cache left to expire.
    expect(asked).toBeGreaterThanOrEqual(9);
    expect(asked).toBeLessThanOrEqual(12);

    // A background question that fails leaves the cached answer as it was, and the next one asks again.
    clock += REFRESH_AHEAD_MS;
    expect(workers.known()).toBe('polling');
    failing = true;
    await answer();
    failing = false;
    expect(workers.known()).toBe('polling');
    clock += 100;
    expect(workers.known()).toBe('polling');
    expect(pending.length).toBe(1); // asked again, the failed question no longer in flight
    await answer();

    // The worker stops: the next background answer says so, and the caller no longer hears "polling".
    polling = false;
    clock += REFRESH_AHEAD_MS;
    expect(workers.known()).toBe('polling');
    await answer();
    expect(workers.known()).toBe('none');

    // A background question that hangs leaves the cached answer to expire as before.
    polling = true;
    clock += NO_WORKERS_CACHE_MS + 1;
    const again = workers();
    await answer();
    expect(await again).toBe('polling');
    clock += REFRESH_AHEAD_MS;
    expect(workers.known()).toBe('polling');
    pending.shift(); // never answered: as a call that hangs until its deadline
    clock += WORKERS_CACHE_MS - REFRESH_AHEAD_MS;
    expect(workers.known()).toBe('polling'); // still within its 2 s, one question in flight
    expect(pending.length).toBe(0);
    clock += 1;
    expect(workers.known()).toBeUndefined();
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

  test('a feature is used once every worker polling says it understands it, and not while one does not (or before anyone asked)', async () => {
    let clock = 1_000_000;
    const seen = (identity: string, ago = 0) => ({ lastAccessTime: { seconds: (clock - ago) / 1000, nanos: 0 }, identity });
    let pollers = [seen(workerIdentity('1@a')), seen('2@older')];
    const workers = workerPollers(fakeClient(() => pollers).client, 'default', 'entente', () => clock);
    expect(workers.supports('texts')).toBe(false); // nothing known yet
    expect(await workers()).toBe('polling');
    expect(workers.supports('texts')).toBe(false); // 2@older says nothing

    // The older worker stopped: its poller is listed until its last poll is 70 s old.
    clock += WORKERS_CACHE_MS + 1;
    pollers = [seen(workerIdentity('1@a')), seen('2@older', RECENT_POLL_MS - 1_000)];
    await workers();
    expect(workers.supports('texts')).toBe(false);
    clock += WORKERS_CACHE_MS + 1;
    pollers = [seen(workerIdentity('1@a')), seen('2@older', RECENT_POLL_MS + 1_000)];
    await workers();
    expect(workers.supports('texts')).toBe(true);

    // Past the cache, unknown again until asked.
    clock += WORKERS_CACHE_MS + 1;
    expect(workers.supports('texts')).toBe(false);
    pollers = [];
    expect(await workers()).toBe('none');
    expect(workers.supports('texts')).toBe(false);
  });

  test('a worker identity names its features after the SDK default; other identities name none', () => {
    expect(workerIdentity('4242@host')).toBe('4242@host entente-features:texts,reads');
    expect(featuresOf(workerIdentity('4242@host'))).toEqual(['texts', 'reads']);
    expect(featuresOf('entente-features:texts,later')).toEqual(['texts', 'later']);
    expect(featuresOf('4242@host')).toEqual([]);
    expect(featuresOf('4242@host-entente-features:texts')).toEqual([]);
    expect(featuresOf(undefined)).toEqual([]);
  });
});

describe('worker heartbeats', () => {
  const row = (identity: string, beat: number, stoppedAt: string | null = null): WorkerHeartbeat => ({ identity, beat, stoppedAt });

  test('noteBeats: no row, taken at the poller’s word; a stop, gone at once; a beat still for over 4 s by the API’s clock, gone', () => {
    const seen: BeatsSeen = new Map();
    let runs = noteBeats([row('a', 7), row('b', 3, '2026-11-29T10:00:00.000Z')], seen, 1_000);
    expect([runs('a'), runs('b'), runs('old-worker'), runs(undefined)]).toEqual([true, false, true, true]);

    // Beat of a unchanged, 4 s later: still within; a moment past: gone. c, first read now, runs.
    runs = noteBeats([row('a', 7), row('c', 1)], seen, 1_000 + HEARTBEAT_STALE_MS);
    expect([runs('a'), runs('c')]).toEqual([true, true]);
    runs = noteBeats([row('a', 7), row('c', 2)], seen, 1_001 + HEARTBEAT_STALE_MS);
    expect([runs('a'), runs('c')]).toEqual([false, true]);
    // b's row gone: forgotten, and its poller, if listed, taken at its word again.
    expect([...seen.keys()].sort()).toEqual(['a', 'c']);
    // a beats again (restarted under the same identity): runs.
    runs = noteBeats([row('a', 1), row('c', 2)], seen, 2_000 + HEARTBEAT_STALE_MS);
    expect([runs('a'), runs('c')]).toEqual([true, true]);
  });

  test('a poller whose worker recorded its stop is not counted, though Temporal still lists it; one without a heartbeat is', async () => {
    let clock = 1_000_000;
    let rows: WorkerHeartbeat[] = [row('1@a', 5)];
    let pollers = [{ identity: '1@a', lastAccessTime: { seconds: clock / 1000, nanos: 0 } }];
    const { client } = fakeClient(() => pollers);
    const workers = workerPollers(
      client,
      'default',
      'entente',
      () => clock,
      async () => rows,
    );
    expect(await workers()).toBe('polling');

    rows = [row('1@a', 5, new Date(clock).toISOString())];
    clock += WORKERS_CACHE_MS + 1;
    expect(await workers()).toBe('none');

    // Killed: the beat stops moving; Temporal still lists the poller for a minute.
    rows = [row('2@b', 1)];
    pollers = [{ identity: '2@b', lastAccessTime: { seconds: clock / 1000, nanos: 0 } }];
    clock += NO_WORKERS_CACHE_MS + 1;
    expect(await workers()).toBe('polling');
    clock += HEARTBEAT_STALE_MS + 1;
    expect(await workers()).toBe('none');

    // A worker from before heartbeats (no row) beside it: counted.
    pollers.push({ identity: '3@c', lastAccessTime: { seconds: clock / 1000, nanos: 0 } });
    clock += NO_WORKERS_CACHE_MS + 1;
    expect(await workers()).toBe('polling');
  });

  test('a register that fails or does not answer within 1 s leaves the pollers alone to say', async () => {
    const clock = 1_000_000;
    const { client } = fakeClient(() => [{ identity: '1@a', lastAccessTime: { seconds: clock / 1000, nanos: 0 } }]);
    const failing = workerPollers(
      client,
      'default',
      'entente',
      () => clock,
      () => Promise.reject(new Error('SQLITE_CANTOPEN')),
    );
    expect(await failing()).toBe('polling');

    jest.useFakeTimers();
    try {
      const hanging = workerPollers(
        client,
        'default',
        'entente',
        () => clock,
        () => new Promise<WorkerHeartbeat[]>(() => undefined),
      );
      const answer = hanging();
      await jest.advanceTimersByTimeAsync(HEARTBEAT_READ_MS);
      expect(await answer).toBe('polling');
    } finally {
      jest.useRealTimers();
    }
  });
});
