import { createHash } from 'node:crypto';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { RegisterDb } from '../store/database';
import { contentOf, storeContents } from '../store/contents';
import { decisionByKey, decisionsOf, verifyChain } from '../store/decisions';
import { AgreementInputError, renderAgreement } from '../activities/documents/render-agreement';
import {
  COMMANDS,
  COMMAND_NAMES,
  IssueAccessKey,
  KeyId,
  RequestId,
  StartPartnership,
  Slug,
  authorisationRefusal,
  claimCheck,
  normaliseCommand,
  type CommandBody,
  type CommandName,
  type ReceivedCommand,
} from '../domain';
import { Sha256 } from '../domain/schemas/content';
import { durationFloorIssues } from '../domain/duration-floors';
import { fingerprint } from '../domain/fingerprint';
import { agreementQuery, commandUpdate, stateQuery } from '../workflows/messages';
import type { Logger } from '../config/logger';
import { accessKeysOf, issueAccessKey, revokeAccessKey } from '../store/access-keys';
import { bearerAuth, principalOf, requirePartnershipAccess } from './auth';
import { partnershipCalendar } from './calendar';
import { ListQuery, PageTokens, listPartnerships } from './listing';
import { openApiDocument } from './openapi';
import { Problem, fromIssues, fromZod, problemHandler } from './problem';
import { slugify } from './slug';
import { temporalUnavailable, toProblem } from './temporal-errors';
import { workerPollers, type Workers } from './workers';

export interface AppDeps {
  client: Client;
  db: RegisterDb;
  namespace?: string;
  taskQueue: string;
  coordinatorApiKey: string;
  log: Logger;
  /** Base of links (emails, calendar); defaults to the request's own origin. */
  publicUrl?: string;
  /** Writes (POST) per API key and minute (`WRITES_PER_MINUTE`); 120 when unset. */
  writesPerMinute?: number;
  metrics?: { middleware: express.RequestHandler; handler: express.RequestHandler };
  /**
   * Accept start-request durations below their floors (domain/duration-floors.ts), such as
   * "30 seconds": for demos and end-to-end tests only (`ALLOW_SHORT_DURATIONS=true`). Off by default.
   */
  allowShortDurations?: boolean;
}

export const workflowIdOf = (slug: string): string => `partnership-${slug}`;

const SWAGGER_UI = join(require.resolve('swagger-ui-dist/package.json'), '..');
/** The web page: static files beside this module (copied next to the compiled one by `npm run build`). */
const PUBLIC = join(__dirname, 'public');

export function createApp(deps: AppDeps): express.Express {
  const namespace = deps.namespace ?? 'default';
  const pageTokens = new PageTokens(deps.coordinatorApiKey);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  if (deps.metrics) app.use(deps.metrics.middleware);
  app.use(express.json({ limit: '256kb' }));

  const workers = workerPollers(deps.client, namespace, deps.taskQueue);

  app.get('/healthz', async (_req, res) => {
    const [temporal, database, polling] = await Promise.all([
      deps.client.workflowService
        .getSystemInfo({})
        .then(() => 'ok')
        .catch(() => 'unreachable'),
      sql`select 1`
        .execute(deps.db)
        .then(() => 'ok')
        .catch(() => 'unreachable'),
      // 'unknown' when Temporal cannot say (unreachable, or a server without DescribeTaskQueue).
      workers().catch((): Workers | 'unknown' => 'unknown'),
    ]);
    const ok = temporal === 'ok' && database === 'ok' && polling !== 'none';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', temporal, database, workers: polling });
  });
  if (deps.metrics) app.get('/metrics', deps.metrics.handler);
  app.get('/openapi.json', (req, res) => {
    res.json(openApiDocument(deps.publicUrl ?? `${req.protocol}://${req.get('host')}`));
  });
  // The API's reference, served from the swagger-ui-dist package (no CDN, no inline script).
  app.use('/docs/assets', express.static(SWAGGER_UI, { index: false }));
  app.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });\n");
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  app.use(express.static(PUBLIC, { index: 'index.html', redirect: false }));
  // Browsers ask for it on every page; without this it would reach the API and answer 401.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  const api: Router = express.Router();
  api.use(bearerAuth(deps.coordinatorApiKey, deps.db));
  const writesPerMinute = deps.writesPerMinute ?? 120;
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: writesPerMinute,
      skip: (req) => req.method === 'GET',
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: 'writes',
      keyGenerator: writeLimitKey,
      handler: (req, _res, next) => {
        const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const wait = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 60;
        next(new Problem(429, 'Too many writes', `This API key may send ${writesPerMinute} writes (POST) a minute; wait ${wait} s before sending more.`));
      },
    }),
  );

  /** Who this key is: the web page shows the coordinator the list, and a party contact its partnership. */
  api.get('/me', (req, res) => {
    const { role, partyId, partnershipId } = principalOf(req);
    res.json({ role, ...(partyId ? { partyId } : {}), ...(partnershipId ? { partnershipId } : {}) });
  });

  api.post('/partnerships', async (req, res) => {
    requireCoordinator(req);
    const parsed = StartPartnership.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    // Reminders every millisecond, a notice of 0 days: refused before the workflow starts.
    const tooShort = durationFloorIssues(parsed.data.durations, { allowShortDurations: deps.allowShortDurations === true });
    if (tooShort.length > 0) throw fromIssues(tooShort, 'A duration is below its floor');
    const slug = parsed.data.slug ?? slugify(parsed.data.title);
    // With an Idempotency-Key, a repeated start (a retry after a lost response) gets the same 201;
    // the key and the body's hash travel in the workflow's memo, so a reused key with another body
    // is refused. Without one, the slug alone says the partnership exists (409).
    const key = startIdempotencyKey(req);
    const idempotency = key ? `${key}:${fingerprint(parsed.data)}` : undefined;
    try {
      await deps.client.workflow.start('partnershipWorkflow', {
        workflowId: workflowIdOf(slug),
        taskQueue: deps.taskQueue,
        args: [{ start: { id: slug, request: { ...parsed.data, slug } } }],
        // A slug names one partnership for good: one that ended keeps its id and its record.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...(idempotency ? { memo: { idempotency } } : {}),
      });
      deps.log.info({ partnership: slug, template: parsed.data.template }, 'partnership started');
    } catch (err) {
      if (!(idempotency && err instanceof WorkflowExecutionAlreadyStartedError)) throw toProblem(err);
      const earlier = await deps.client.workflow
        .getHandle(workflowIdOf(slug))
        .describe()
        .then((d) => d.memo?.idempotency)
        .catch((e: unknown) => {
          throw toProblem(e);
        });
      if (earlier !== idempotency) {
        throw typeof earlier === 'string' && earlier.startsWith(`${key}:`)
          ? new Problem(409, 'Idempotency-Key reused', 'This Idempotency-Key was already used to start this partnership with a different body.')
          : toProblem(err);
      }
    }
    res
      .status(201)
      .location(`/partnerships/${slug}`)
      .json({ id: slug, workflowId: workflowIdOf(slug) });
  });

  api.get('/partnerships', async (req, res) => {
    requireCoordinator(req);
    const parsed = ListQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod(parsed.error, 'The query is not valid');
    try {
      res.json(await listPartnerships(deps.client, namespace, parsed.data, pageTokens));
    } catch (err) {
      throw toProblem(err);
    }
  });

  api.get('/partnerships/:id', async (req, res) => {
    res.json(await queryState(visiblePartnership(req)));
  });

  api.post('/partnerships/:id/access-keys', async (req, res) => {
    requireCoordinator(req);
    const id = visiblePartnership(req);
    const parsed = IssueAccessKey.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const state = await queryState(id);
    if (!state.parties.some((p) => p.id === parsed.data.partyId && p.status !== 'withdrawn')) {
      throw new Problem(422, 'Unknown party', `No party "${parsed.data.partyId}" in this partnership.`, [
        { pointer: '/partyId', detail: 'not a party of this partnership' },
      ]);
    }
    const { key, id: keyId } = await issueAccessKey(deps.db, id, parsed.data);
    deps.log.info({ partnership: id, key: keyId, role: parsed.data.role, party: parsed.data.partyId }, 'access key issued');
    res
      .status(201)
      .json({ key, id: keyId, role: parsed.data.role, partyId: parsed.data.partyId, partnershipId: id, note: 'Shown once; only its hash is kept.' });
  });

  api.get('/partnerships/:id/access-keys', async (req, res) => {
    requireCoordinator(req);
    const id = visiblePartnership(req);
    await queryState(id); // 404 for a partnership that does not exist
    res.json({ partnershipId: id, keys: await accessKeysOf(deps.db, id) });
  });

  api.post('/partnerships/:id/access-keys/:keyId/revoke', async (req, res) => {
    requireCoordinator(req);
    const id = visiblePartnership(req);
    const keyId = KeyId.safeParse(req.params.keyId);
    const revoked = keyId.success ? await revokeAccessKey(deps.db, id, keyId.data) : undefined;
    if (!revoked) throw new Problem(404, 'No such key', `This partnership has no key "${String(req.params.keyId).slice(0, 40)}".`);
    deps.log.info({ partnership: id, key: revoked.id }, 'access key revoked');
    res.json(revoked);
  });

  api.get('/partnerships/:id/decisions', async (req, res) => {
    const id = visiblePartnership(req);
    await queryState(id); // 404 for a partnership that does not exist
    const [rows, chain] = await Promise.all([decisionsOf(deps.db, id), verifyChain(deps.db, id)]);
    res.json({ partnershipId: id, chain, decisions: rows });
  });

  api.get('/partnerships/:id/agreement', async (req, res) => {
    const id = visiblePartnership(req);
    const language = req.query.lang === 'fr' || req.query.lang === 'en' ? req.query.lang : req.acceptsLanguages('en', 'fr') || 'en';
    await requireWorker(false);
    let data;
    try {
      data = await deps.client.workflow.getHandle(workflowIdOf(id)).query(agreementQuery, language);
    } catch (err) {
      throw toProblem(err, id);
    }
    let rendered;
    try {
      rendered = renderAgreement(data);
    } catch (err) {
      // What the partnership knows does not make a valid agreement yet (a shared-services agreement
      // without a provider, say): a fact about the partnership, not a fault of the server.
      if (err instanceof AgreementInputError) {
        throw new Problem(409, 'The agreement cannot be rendered', err.issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; '));
      }
      throw err;
    }
    if (req.accepts(['text/html', 'text/markdown']) === 'text/markdown') {
      res.type('text/markdown; charset=utf-8').send(rendered.markdown);
    } else {
      res.type('html').send(rendered.html);
    }
  });

  api.get('/partnerships/:id/calendar.ics', async (req, res) => {
    const id = visiblePartnership(req);
    const view = await queryState(id);
    const base = deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    res
      .type('text/calendar; charset=utf-8')
      .set('content-disposition', `attachment; filename="${id}.ics"`)
      .send(partnershipCalendar(view, `${base}/partnerships/${id}`, new URL(base).hostname));
  });

  /**
   * A text a command carried (the claim check): stored once in the register, served whole with
   * the key that may read the partnership.
   */
  api.get('/partnerships/:id/contents/:sha256', async (req, res) => {
    const id = visiblePartnership(req);
    const hash = Sha256.safeParse(req.params.sha256);
    const text = hash.success ? await contentOf(deps.db, id, hash.data) : undefined;
    if (text === undefined) throw new Problem(404, 'No such content', 'This partnership holds no text with this SHA-256.');
    res
      .type('text/plain; charset=utf-8')
      .set('cache-control', 'private, max-age=31536000, immutable')
      .set('etag', `"${hash.data}"`)
      .send(Buffer.from(text, 'utf8'));
  });

  for (const name of COMMAND_NAMES) {
    api.post(`/partnerships/:id/${COMMANDS[name].route}`, (req, res) => runCommand(name, req, res));
  }

  app.use(api);
  app.use((req: Request, _res: Response, next: NextFunction) => next(new Problem(404, 'Not found', `No route ${req.method} ${req.path}.`)));
  app.use(problemHandler(deps.log));
  return app;

  async function runCommand(name: CommandName, req: Request, res: Response): Promise<void> {
    const id = visiblePartnership(req);
    const actor = principalOf(req);
    const body = withIdempotencyKey(req);
    const parsed = COMMANDS[name].schema.safeParse(body);
    if (!parsed.success) throw fromZod(parsed.error);
    // Checked here, before the workflow is touched, and again by the workflow's validator.
    const refusal = authorisationRefusal(name, parsed.data as { partyId?: string }, actor);
    if (refusal) throw new Problem(403, 'Not allowed', refusal.message);
    // The claim check: long texts go to the register, the workflow receives their references.
    const { command, contents } = claimCheck(name, parsed.data as CommandBody<typeof name>);
    const requestId = command.requestId;
    // The workflow state remembers only its latest request ids; the register has every command
    // ever applied. A request id found there is a repeat (or a reuse with another body).
    const earlier = await decisionByKey(deps.db, `${id}:command:${requestId}`);
    if (earlier) {
      const same = earlier.kind === name && fingerprint(normaliseCommand(name, earlier.payload as ReceivedCommand<typeof name>)) === fingerprint(command);
      if (!same) throw new Problem(409, 'The command was refused', `request id ${requestId} was already used for a different command`);
      const state = await queryState(id);
      res.json({ result: { requestId, command: name }, state });
      return;
    }
    await requireWorker(true);
    await storeContents(deps.db, id, contents);
    const handle = deps.client.workflow.getHandle(workflowIdOf(id));
    try {
      // The update answers with the state after the command: no second round trip, and a command
      // that was applied never answers an error because a read after it failed.
      const { state, ...result } = await handle.executeUpdate(commandUpdate(name), {
        args: [{ actor: { role: actor.role, ...(actor.partyId ? { partyId: actor.partyId } : {}) }, command: command as never }],
        // The command's hash is part of the id: Temporal answers a repeated update id with the first
        // outcome whatever the arguments, and a reused request id with another body must be refused.
        updateId: `${name}:${requestId}:${fingerprint(command).slice(0, 16)}`,
      });
      res.json({ result, state });
    } catch (err) {
      throw toProblem(err, id);
    }
  }

  /**
   * Before a query or a command: with no worker polling the task queue, the server would hold the
   * call until its deadline. Answered at once instead; a command has not been sent at that point.
   * When Temporal cannot say (a server without DescribeTaskQueue), the call goes ahead.
   */
  async function requireWorker(command: boolean): Promise<void> {
    let answer: Workers;
    try {
      answer = await workers();
    } catch (err) {
      if (temporalUnavailable(err)) throw toProblem(err);
      return;
    }
    if (answer === 'none') {
      throw new Problem(
        503,
        'No worker is running',
        command
          ? 'No worker polls the task queue: the command was not sent to the partnership. Send it again (same requestId) once a worker runs.'
          : 'No worker polls the task queue to answer for the partnership. Try again once a worker runs.',
      );
    }
  }

  async function queryState(id: string) {
    await requireWorker(false);
    try {
      return await deps.client.workflow.getHandle(workflowIdOf(id)).query(stateQuery);
    } catch (err) {
      throw toProblem(err, id);
    }
  }
}

/**
 * The write limit's bucket: an authenticated key by a digest of it (the coordinator's key and
 * each party key apart; the key itself is never kept), anything else by its address.
 */
function writeLimitKey(req: Request): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (bearer && (req as Request & { principal?: unknown }).principal) {
    return `key:${createHash('sha256').update(bearer).digest('hex').slice(0, 32)}`;
  }
  return `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

/** The partnership in the path, if this key may see it; otherwise, as for an unknown one, 404. */
function visiblePartnership(req: Request): string {
  const parsed = Slug.safeParse(req.params.id);
  if (!parsed.success) throw new Problem(404, 'No such partnership', 'A partnership id is a slug.');
  requirePartnershipAccess(principalOf(req), parsed.data);
  return parsed.data;
}

function requireCoordinator(req: Request): void {
  if (principalOf(req).role !== 'coordinator') throw new Problem(403, 'Not allowed', 'Only the coordinator may do this.');
}

/** The optional Idempotency-Key of a start request, with the syntax of a request id. */
function startIdempotencyKey(req: Request): string | undefined {
  const header = req.get('idempotency-key');
  if (header === undefined) return undefined;
  const parsed = RequestId.safeParse(header);
  if (!parsed.success) {
    throw new Problem(422, 'The Idempotency-Key header is not valid', undefined, [
      { pointer: '/', detail: `Idempotency-Key: ${parsed.error.issues[0]!.message}` },
    ]);
  }
  return parsed.data;
}

/** `requestId` may come in the body or as an Idempotency-Key header; both must agree. */
function withIdempotencyKey(req: Request): unknown {
  const header = req.get('idempotency-key');
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? { ...req.body } : req.body;
  if (header && body && typeof body === 'object') {
    if (body.requestId !== undefined && body.requestId !== header) {
      throw new Problem(422, 'Conflicting request ids', "The Idempotency-Key header and the body's requestId differ.");
    }
    body.requestId = header;
  }
  return body;
}

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Entente API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;
