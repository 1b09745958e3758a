/**
 * worker/heartbeat.ts's runWithHeartbeat on a real SQLite register file, around a stand-in for
 * the SDK's Worker (its state and run() only; the real worker process is in
 * test/e2e/worker-stops.test.ts).
 *
 * | the worker                               | the register says                                         |
 * |------------------------------------------|-----------------------------------------------------------|
 * | runs for a while                         | its row, the beat counting up about once a 50 ms interval |
 * | begins to shut down (state STOPPING)     | stopped, within a state check, before run() resolves      |
 * | run() resolves                           | runWithHeartbeat resolves once the stop is written        |
 * | the register unreachable                 | nothing; the worker runs and stops as it would; one warning|
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { openRegister, type RegisterDb } from '../../store/database';
import { heartbeatsOf } from '../../store/worker-heartbeats';
import { runWithHeartbeat } from '../../worker/heartbeat';

let dir: string;
let db: RegisterDb;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entente-heartbeat-'));
  db = await openRegister(`sqlite:${join(dir, 'register.db')}`);
});

afterAll(async () => {
  await db?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Worker's state and run(): RUNNING once run, STOPPING on shutdown(), run() resolving `drainMs` later. */
function standIn(identity: string, drainMs = 300) {
  let state: ReturnType<Worker['getState']> = 'INITIALIZED';
  let finish: () => void = () => undefined;
  const worker = {
    options: { identity, namespace: 'default', taskQueue: 'heartbeat-queue' },
    getState: () => state,
    run: () => {
      state = 'RUNNING';
      return new Promise<void>((resolve) => (finish = resolve));
    },
  };
  const shutdown = () => {
    state = 'STOPPING';
    setTimeout(() => {
      state = 'STOPPED';
      finish();
    }, drainMs);
  };
  return { worker: worker as unknown as Worker, shutdown };
}

test('beats while it runs; the stop is written as it begins to shut down, before run() resolves', async () => {
  const { worker, shutdown } = standIn('1@host-a');
  let resolved = false;
  const running = runWithHeartbeat(worker, db, undefined, 50).then(() => (resolved = true));
  await pause(600);
  const [beating] = await heartbeatsOf(db, 'default', 'heartbeat-queue');
  expect(beating).toMatchObject({ identity: '1@host-a', stoppedAt: null });
  expect(beating!.beat).toBeGreaterThanOrEqual(4);

  shutdown();
  await pause(200); // a state check is every 100 ms; run() resolves only after 300 ms
  const [stopped] = await heartbeatsOf(db, 'default', 'heartbeat-queue');
  expect(stopped!.stoppedAt).not.toBeNull();
  expect(resolved).toBe(false);
  await running;
  const [after] = await heartbeatsOf(db, 'default', 'heartbeat-queue');
  expect(after!.stoppedAt).toBe(stopped!.stoppedAt);
  expect(after!.beat).toBe(stopped!.beat);
});

test('a register that cannot be written costs the beats only: the worker runs and stops, and it is said once', async () => {
  const broken = await openRegister(`sqlite:${join(dir, 'broken.db')}`);
  await broken.destroy(); // every write now fails
  const warnings: string[] = [];
  const { worker, shutdown } = standIn('2@host-b', 50);
  const running = runWithHeartbeat(worker, broken, { warn: (_obj, msg) => warnings.push(msg) }, 50);
  await pause(400);
  shutdown();
  await expect(running).resolves.toBeUndefined();
  // Once for the whole outage, not once a beat.
  expect(warnings).toEqual(['worker heartbeat: the beat was not recorded']);
});
