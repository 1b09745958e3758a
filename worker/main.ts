import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { openRegister } from '../store/database';
import { codecFromEnv, dataConverterFor } from '../config/codec';
import { loadEnv, publicUrl } from '../config/env';
import { createLogger } from '../config/logger';
import { connectionOptions } from '../config/temporal';
import { createEntenteWorker, createMailTransport } from './create-worker';
import { runWithHeartbeat } from './heartbeat';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL, 'worker');
  Runtime.install({
    logger: {
      log: (level, message, meta) => log[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'info')]({ ...meta }, message),
      trace: (m, meta) => log.trace(meta ?? {}, m),
      debug: (m, meta) => log.debug(meta ?? {}, m),
      info: (m, meta) => log.info(meta ?? {}, m),
      warn: (m, meta) => log.warn(meta ?? {}, m),
      error: (m, meta) => log.error(meta ?? {}, m),
    },
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(env.WORKER_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: env.WORKER_METRICS_ADDRESS } } } : {}),
    },
  });
  // Before any connection: a malformed key list stops the worker at once.
  const codec = codecFromEnv(log);
  const db = await openRegister(env.DATABASE_URL);
  const connection = await NativeConnection.connect(connectionOptions(env));
  const transport = createMailTransport(env.SMTP_URL, { maxConnections: env.SMTP_MAX_CONNECTIONS });
  const worker = await createEntenteWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TASK_QUEUE,
    db,
    transport,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    dataConverter: dataConverterFor(codec),
    mail: {
      from: env.MAIL_FROM,
      publicUrl: publicUrl(env),
      messageIdDomain: new URL(publicUrl(env)).hostname,
      timeZone: env.MAIL_TIME_ZONE,
      linkLifetimeDays: env.LINK_LIFETIME_DAYS,
    },
  });
  log.info(
    { taskQueue: env.TASK_QUEUE, namespace: env.TEMPORAL_NAMESPACE, address: env.TEMPORAL_ADDRESS, encryptionKeyId: codec?.currentKeyId ?? null },
    'worker started',
  );
  // Readiness: run() sets the worker RUNNING and sends its first polls before it yields.
  setImmediate(() => {
    if (worker.getState() === 'RUNNING') log.info({ taskQueue: env.TASK_QUEUE }, 'worker polling');
  });
  // The SDK stops polling on SIGINT/SIGTERM and waits up to shutdownGraceTime for running activities;
  // the register says meanwhile that this worker runs, then that it stopped (worker/heartbeat.ts).
  await runWithHeartbeat(worker, db, log);
  transport.close();
  await connection.close();
  await db.destroy();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error('worker failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
