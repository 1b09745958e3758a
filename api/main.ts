import { Client, Connection } from '@temporalio/client';
import { openRegister } from '../store/database';
import { codecFromEnv, dataConverterFor, temporalUiOrigin } from '../config/codec';
import { loadEnv, publicUrl } from '../config/env';
import { createLogger } from '../config/logger';
import { connectionOptions } from '../config/temporal';
import { createApp } from './app';
import { createMetrics } from './metrics';
import { openApiDocument } from './openapi';
import { apiGrpcInterceptors } from './outages';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL, 'api');
  if (!env.COORDINATOR_API_KEY) throw new Error('COORDINATOR_API_KEY must be set (npm start generates one)');
  // The worker's codec: the API reads and writes the same encrypted payloads.
  const codec = codecFromEnv(log);
  const uiOrigin = temporalUiOrigin();
  const db = await openRegister(env.DATABASE_URL);
  // Lazy: the API starts, and /healthz says so, while Temporal is still coming up or down.
  const connection = Connection.lazy({ ...connectionOptions(env), interceptors: apiGrpcInterceptors() });
  const client = new Client({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    dataConverter: { ...dataConverterFor(codec), payloadConverterPath: require.resolve('./payload-converter') },
  });
  const app = createApp({
    client,
    db,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TASK_QUEUE,
    coordinatorApiKey: env.COORDINATOR_API_KEY,
    log,
    // Links are built from PUBLIC_URL (by default http://localhost:PORT), never from a request's Host.
    publicUrl: publicUrl(env),
    writesPerMinute: env.WRITES_PER_MINUTE,
    // Requests refused before their route (a bad key) are counted under the route they were for.
    metrics: createMetrics(openApiDocument().paths),
    allowShortDurations: env.ALLOW_SHORT_DURATIONS === 'true',
    ...(env.TRUST_PROXY ? { trustProxy: env.TRUST_PROXY } : {}),
    ...(env.CALENDAR_URLS_MAY_BE_PRIVATE === 'true' ? { calendarFetch: fetch } : {}),
    ...(codec ? { codecEndpoint: { codec, ...(uiOrigin ? { uiOrigin } : {}) } } : {}),
  });
  if (env.ALLOW_SHORT_DURATIONS === 'true') log.warn('ALLOW_SHORT_DURATIONS=true: start requests may set durations below their floors (demos and tests only)');
  const server = app.listen(env.PORT, () => log.info({ port: env.PORT }, 'api listening'));
  // Ctrl-C under `npm start` reaches the API twice: SIGINT from the terminal, then SIGTERM from the
  // supervisor. One stop.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log.info('api stopping');
    server.close(async () => {
      await connection.close();
      await db.destroy();
      process.exit(0);
    });
    // Idle keep-alive connections close at once; a request still open after the grace is cut.
    setTimeout(() => {
      log.warn({ graceSeconds: env.API_STOP_GRACE_SECONDS }, 'api stopping: closing the connections of requests still open');
      server.closeAllConnections();
    }, env.API_STOP_GRACE_SECONDS * 1000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error('api failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
