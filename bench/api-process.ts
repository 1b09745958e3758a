/**
 * `node dist/bench/api-process.js`: the API as api/main.ts runs it (same environment, same app,
 * metrics and gRPC interceptors), except for the write limit. api/main.ts keeps the app's default
 * of 120 POSTs a minute per client, and every request of the benchmark comes from 127.0.0.1: the
 * limiter still runs here, with a limit the benchmark cannot reach. Cold start runs
 * dist/api/main.js itself.
 */
import { Client, Connection } from '@temporalio/client';
import { openRegister } from '../activities/register/database';
import { createApp } from '../api/app';
import { createMetrics } from '../api/metrics';
import { apiGrpcInterceptors } from '../api/outages';
import { loadEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { connectionOptions } from '../config/temporal';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL, 'api');
  if (!env.COORDINATOR_API_KEY) throw new Error('COORDINATOR_API_KEY must be set');
  const db = await openRegister(env.DATABASE_URL);
  const connection = Connection.lazy({ ...connectionOptions(env), interceptors: apiGrpcInterceptors() });
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const app = createApp({
    client,
    db,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TASK_QUEUE,
    coordinatorApiKey: env.COORDINATOR_API_KEY,
    log,
    metrics: createMetrics(),
    allowShortDurations: env.ALLOW_SHORT_DURATIONS === 'true',
    writesPerMinute: 1_000_000_000,
  });
  app.listen(env.PORT, '127.0.0.1', () => log.info({ port: env.PORT }, 'api listening'));
  process.once('SIGTERM', () => process.exit(0));
}

main().catch((err) => {
  console.error('api failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
