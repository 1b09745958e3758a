import type { RegisterDb } from './database';

/** A worker's heartbeat as the API reads it. */
export interface WorkerHeartbeat {
  identity: string;
  beat: number;
  stoppedAt: string | null;
}

/** The worker a beat is of: its identity, and the task queue it polls. */
export interface BeatingWorker {
  identity: string;
  namespace: string;
  taskQueue: string;
}

/**
 * One beat of a running worker: its row counted up (and any earlier stop of the same identity, a
 * process restarted under the same pid and host, forgotten).
 */
export async function recordBeat(db: RegisterDb, worker: BeatingWorker, now: Date = new Date()): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('worker_heartbeats')
    .values({ identity: worker.identity, namespace: worker.namespace, task_queue: worker.taskQueue, beat: 1, started_at: at, seen_at: at, stopped_at: null })
    .onConflict((oc) =>
      oc.column('identity').doUpdateSet((eb) => ({
        namespace: eb.ref('excluded.namespace'),
        task_queue: eb.ref('excluded.task_queue'),
        // A row stopped before is a new start: its beat starts again from the one written now.
        beat: eb
          .case()
          .when('worker_heartbeats.stopped_at', 'is', null)
          .then(eb('worker_heartbeats.beat', '+', 1))
          .else(eb.ref('excluded.beat'))
          .end(),
        started_at: eb
          .case()
          .when('worker_heartbeats.stopped_at', 'is', null)
          .then(eb.ref('worker_heartbeats.started_at'))
          .else(eb.ref('excluded.started_at'))
          .end(),
        seen_at: eb.ref('excluded.seen_at'),
        stopped_at: null,
      })),
    )
    .execute();
}

/** The worker has begun to shut down: it takes no more tasks. */
export async function recordStop(db: RegisterDb, identity: string, now: Date = new Date()): Promise<void> {
  await db.updateTable('worker_heartbeats').set({ stopped_at: now.toISOString() }).where('identity', '=', identity).execute();
}

/** The heartbeats of the workers of one task queue. */
export async function heartbeatsOf(db: RegisterDb, namespace: string, taskQueue: string): Promise<WorkerHeartbeat[]> {
  const rows = await db
    .selectFrom('worker_heartbeats')
    .select(['identity', 'beat', 'stopped_at'])
    .where('namespace', '=', namespace)
    .where('task_queue', '=', taskQueue)
    .execute();
  return rows.map((row) => ({ identity: row.identity, beat: Number(row.beat), stoppedAt: row.stopped_at }));
}

/** Forgets workers not seen since `before`: Temporal forgot their pollers long ago. */
export async function forgetHeartbeats(db: RegisterDb, before: Date): Promise<number> {
  const result = await db.deleteFrom('worker_heartbeats').where('seen_at', '<', before.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
