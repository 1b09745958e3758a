import express, { type Request, type Response, type Router } from 'express';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { RegisterDb } from '../activities/register/database';
import { decisionsOf, verifyChain } from '../activities/register/register';
import { COMMANDS, COMMAND_NAMES, StartPartnership, Slug, authorisationRefusal, type CommandName } from '../domain';
import { fingerprint } from '../domain/fingerprint';
import { commandUpdate, stateQuery } from '../workflows/messages';
import type { Logger } from '../config/logger';
import { bearerAuth, principalOf } from './auth';
import { Problem, fromZod, problemHandler } from './problem';
import { slugify } from './slug';
import { toProblem } from './temporal-errors';

export interface AppDeps {
  client: Client;
  db: RegisterDb;
  taskQueue: string;
  coordinatorApiKey: string;
  log: Logger;
}

export const workflowIdOf = (slug: string): string => `partnership-${slug}`;

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  app.get('/healthz', async (_req, res) => {
    const [temporal, database] = await Promise.all([
      deps.client.workflowService
        .getSystemInfo({})
        .then(() => 'ok')
        .catch(() => 'unreachable'),
      sql`select 1`.execute(deps.db).then(() => 'ok').catch(() => 'unreachable'),
    ]);
    const ok = temporal === 'ok' && database === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', temporal, database });
  });

  const api: Router = express.Router();
  api.use(bearerAuth(deps.coordinatorApiKey));

  api.post('/partnerships', async (req, res) => {
    requireCoordinator(req);
    const parsed = StartPartnership.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const slug = parsed.data.slug ?? slugify(parsed.data.title);
    try {
      await deps.client.workflow.start('partnershipWorkflow', {
        workflowId: workflowIdOf(slug),
        taskQueue: deps.taskQueue,
        args: [{ start: { id: slug, request: { ...parsed.data, slug } } }],
      });
    } catch (err) {
      throw toProblem(err);
    }
    deps.log.info({ partnership: slug, template: parsed.data.template }, 'partnership started');
    res.status(201).location(`/partnerships/${slug}`).json({ id: slug, workflowId: workflowIdOf(slug) });
  });

  api.get('/partnerships/:id', async (req, res) => {
    const id = partnershipId(req);
    res.json(await queryState(id));
  });

  api.get('/partnerships/:id/decisions', async (req, res) => {
    requireCoordinator(req);
    const id = partnershipId(req);
    const [rows, chain] = await Promise.all([decisionsOf(deps.db, id), verifyChain(deps.db, id)]);
    res.json({ partnershipId: id, chain, decisions: rows });
  });

  for (const name of COMMAND_NAMES) {
    api.post(`/partnerships/:id/${COMMANDS[name].route}`, (req, res) => runCommand(name, req, res));
  }

  app.use(api);
  app.use((req, _res, next) => next(new Problem(404, 'Not found', `No route ${req.method} ${req.path}.`)));
  app.use(problemHandler(deps.log));
  return app;

  async function runCommand(name: CommandName, req: Request, res: Response): Promise<void> {
    const id = partnershipId(req);
    const actor = principalOf(req);
    const body = withIdempotencyKey(req);
    const parsed = COMMANDS[name].schema.safeParse(body);
    if (!parsed.success) throw fromZod(parsed.error);
    const refusal = authorisationRefusal(name, parsed.data as { partyId?: string }, actor);
    if (refusal) throw new Problem(403, 'Not allowed', refusal.message);
    const handle = deps.client.workflow.getHandle(workflowIdOf(id));
    try {
      const result = await handle.executeUpdate(commandUpdate(name), {
        args: [{ actor: { role: actor.role, ...(actor.partyId ? { partyId: actor.partyId } : {}) }, command: parsed.data as never }],
        // The body's hash is part of the id: Temporal answers a repeated update id with the first
        // outcome whatever the arguments, and a reused request id with another body must be refused.
        updateId: `${name}:${parsed.data.requestId}:${fingerprint(parsed.data).slice(0, 16)}`,
      });
      res.json({ result, state: await handle.query(stateQuery) });
    } catch (err) {
      throw toProblem(err, id);
    }
  }

  async function queryState(id: string) {
    try {
      return await deps.client.workflow.getHandle(workflowIdOf(id)).query(stateQuery);
    } catch (err) {
      throw toProblem(err, id);
    }
  }
}

function partnershipId(req: Request): string {
  const parsed = Slug.safeParse(req.params.id);
  if (!parsed.success) throw new Problem(404, 'No such partnership', 'A partnership id is a slug.');
  return parsed.data;
}

function requireCoordinator(req: Request): void {
  if (principalOf(req).role !== 'coordinator') throw new Problem(403, 'Not allowed', 'Only the coordinator may do this.');
}

/** `requestId` may come in the body or as an Idempotency-Key header; both must agree. */
function withIdempotencyKey(req: Request): unknown {
  const header = req.get('idempotency-key');
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? { ...req.body } : req.body;
  if (header && body && typeof body === 'object') {
    if (body.requestId !== undefined && body.requestId !== header) {
      throw new Problem(422, 'Conflicting request ids', 'The Idempotency-Key header and the body\'s requestId differ.');
    }
    body.requestId = header;
  }
  return body;
}
