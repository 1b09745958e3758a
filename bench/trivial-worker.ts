/**
 * `node dist/bench/trivial-worker.js`: a worker of the trivial workflow (bench/workflows/trivial.ts)
 * in a process of its own, configured as the Entente worker is where it matters (prebuilt bundle,
 * sticky queue timeout, the SDK's default cache), so that its memory and timers are the baseline
 * of the Entente worker's, its payloads encrypted with the same codec when the benchmark runs with
 * one. Environment: TEMPORAL_ADDRESS, TASK_QUEUE, BENCH_BUNDLE (the bundle's path),
 * WORKER_METRICS_ADDRESS (optional), ENTENTE_CODEC_KEYS (optional, as the Entente worker's).
 */
import { Context } from '@temporalio/activity';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { codecFromEnv, dataConverterFor } from '../config/codec';
import type { TrivialActivities } from './workflows/trivial';

async function main(): Promise<void> {
  const { TEMPORAL_ADDRESS, TASK_QUEUE, BENCH_BUNDLE, WORKER_METRICS_ADDRESS } = process.env;
  if (!TEMPORAL_ADDRESS || !TASK_QUEUE || !BENCH_BUNDLE) throw new Error('TEMPORAL_ADDRESS, TASK_QUEUE and BENCH_BUNDLE must be set');
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: WORKER_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: WORKER_METRICS_ADDRESS } } } : {},
  });
  const codec = codecFromEnv({ warn() {} });
  const connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
  const activities: TrivialActivities = {
    async stamp(dueAt, firedAt) {
      const activityAt = Date.now();
      // One line per timer: the benchmark reads them from this worker's log.
      console.log(JSON.stringify({ msg: 'stamp', workflowId: Context.current().info.workflowExecution?.workflowId, dueAt, firedAt, activityAt }));
      return activityAt;
    },
  };
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: BENCH_BUNDLE },
    activities,
    stickyQueueScheduleToStartTimeout: '3 seconds',
    dataConverter: dataConverterFor(codec),
  });
  console.log(JSON.stringify({ msg: 'worker started', taskQueue: TASK_QUEUE, codec: codec !== undefined }));
  // As dist/worker/main.js: "worker polling" once run() has set the worker running and its pollers out.
  setImmediate(() => {
    if (worker.getState() === 'RUNNING') console.log(JSON.stringify({ msg: 'worker polling', taskQueue: TASK_QUEUE }));
  });
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error('trivial worker failed:', err);
  process.exit(1);
});
