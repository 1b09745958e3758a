import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { heartbeatsOf, type RegisterDb } from '../store';
import type { Logger } from '../config/logger';
import { bearerAuth, failedSignInLimit, type FailedSignInLimit } from './auth';
import { Problem, problemHandler } from './problem';
import { receivedAt } from './server-timing';
import { writeLimit } from './rate-limits';
import { jsonBodiesOnly, writeLimitKey } from './requests';
import { accessKeyRoutes } from './routes/access-keys';
import { actionLinkRoutes } from './routes/action-links';
import { codecRoutes } from './routes/codec';
import { commandRoutes } from './routes/commands';
import { deskRoutes } from './routes/desk';
import { partnershipRoutes } from './routes/partnerships';
import { publicRoutes } from './routes/public';
import { sessionRoutes } from './routes/sessions';
import { PartnershipService } from './service';

export { workflowIdOf } from './service';

export interface AppDeps {
  client: Client;
  db: RegisterDb;
  namespace?: string;
  taskQueue: string;
  coordinatorApiKey: string;
  log: Logger;
  /** Base of links (calendar, OpenAPI): PUBLIC_URL; its default (http://localhost:3000) when unset, never the request's Host. */
  publicUrl?: string;
  /** Writes (POST) per API key and minute (`WRITES_PER_MINUTE`); 120 when unset. */
  writesPerMinute?: number;
  metrics?: { middleware: express.RequestHandler; handler: express.RequestHandler };
  /**
   * Accept start-request durations below their floors (domain/duration-floors.ts), such as
   * "30 seconds": for demos and end-to-end tests only (`ALLOW_SHORT_DURATIONS=true`). Off by default.
   */
  allowShortDurations?: boolean;
  /** Failed sign-ins (401) a source address may have before it is answered 429; 20 in 10 minutes when unset. */
  failedSignIns?: FailedSignInLimit;
  /** The payload codec served at /codec/* to the coordinator, and the Temporal UI origin allowed to call it. */
  codecEndpoint?: { codec: PayloadCodec; uiOrigin?: string };
  /**
   * How a council's iCalendar URL is fetched; public addresses only when unset. `fetch` itself
   * (CALENDAR_URLS_MAY_BE_PRIVATE=true) where councils publish on an internal network, and in tests.
   */
  calendarFetch?: typeof fetch;
  /** Express's `trust proxy` (`TRUST_PROXY`): behind a reverse proxy, limits per address need the client's. */
  trustProxy?: string;
  /** The most partnerships the desk reads (api/routes/desk.ts's DESK_LIMIT when unset): tests set a few. */
  deskLimit?: number;
  /** The most partnerships without a summary the desk queries (DESK_QUERY_LIMIT when unset). */
  deskQueryLimit?: number;
  /** How long a read or a command waits for the partnership's answer (api/service.ts's ANSWER_TIMEOUT_MS when unset). */
  answerTimeoutMs?: number;
}

/**
 * The API in three tiers: routers (api/routes/) parse, call and answer; the partnership service
 * (api/service.ts) is the only caller of Temporal; the store (store/) holds the register, keys,
 * links and sessions. Every error reaches one handler, which maps it by type.
 */
export function createApp(deps: AppDeps): express.Express {
  const service = new PartnershipService({
    client: deps.client,
    namespace: deps.namespace ?? 'default',
    taskQueue: deps.taskQueue,
    pageTokenSecret: deps.coordinatorApiKey,
    heartbeats: () => heartbeatsOf(deps.db, deps.namespace ?? 'default', deps.taskQueue),
    ...(deps.answerTimeoutMs ? { answerTimeoutMs: deps.answerTimeoutMs } : {}),
  });
  const app = express();
  app.use(receivedAt);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.trustProxy) app.set('trust proxy', /^\d+$/.test(deps.trustProxy) ? Number(deps.trustProxy) : deps.trustProxy);
  // no-referrer: a page opened from a personal link never sends its address on.
  app.use(helmet({ referrerPolicy: { policy: 'no-referrer' } }));
  if (deps.metrics) app.use(deps.metrics.middleware);
  // One count of failed sign-ins for every route that takes a credential, the codec's included.
  const signInLimit = failedSignInLimit(deps.failedSignIns);
  if (deps.codecEndpoint) app.use(codecRoutes({ ...deps.codecEndpoint, coordinatorApiKey: deps.coordinatorApiKey, db: deps.db, signInLimit }));
  app.use(express.json({ limit: '256kb' }));
  app.use(jsonBodiesOnly);

  app.use(publicRoutes({ service, db: deps.db, ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}) }));
  if (deps.metrics) app.get('/metrics', deps.metrics.handler);

  // Everything past this point takes a credential: guessing one is limited per source.
  app.use(signInLimit);
  app.use(sessionRoutes({ db: deps.db, log: deps.log }));

  const api = express.Router();
  api.use(bearerAuth(deps.coordinatorApiKey, deps.db));
  api.use(writeLimit(deps.writesPerMinute ?? 120, writeLimitKey));
  // First, being the most sent: no other router answers a path of theirs, so the order only spares
  // a command the other routers' patterns.
  api.use(commandRoutes({ service, db: deps.db, ...(deps.calendarFetch ? { calendarFetch: deps.calendarFetch } : {}) }));
  api.use(
    partnershipRoutes({
      service,
      db: deps.db,
      log: deps.log,
      ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
      allowShortDurations: deps.allowShortDurations === true,
      ...(deps.calendarFetch ? { calendarFetch: deps.calendarFetch } : {}),
    }),
  );
  api.use(
    deskRoutes({
      service,
      db: deps.db,
      ...(deps.deskLimit ? { limit: deps.deskLimit } : {}),
      ...(deps.deskQueryLimit ? { queryLimit: deps.deskQueryLimit } : {}),
    }),
  );
  api.use(accessKeyRoutes({ service, db: deps.db, log: deps.log }));
  api.use(actionLinkRoutes({ service, db: deps.db, log: deps.log }));
  app.use(api);

  app.use((req: Request, _res: Response, next: NextFunction) => next(new Problem(404, 'Not found', `No route ${req.method} ${req.path}.`)));
  app.use(problemHandler(deps.log));
  return app;
}
