import express, { type Request, type Response, type Router } from 'express';
import {
  COMMANDS,
  COMMAND_NAMES,
  authorisationRefusal,
  claimCheck,
  commandAnswerView,
  futureEventDates,
  normaliseCommand,
  type CommandBody,
  type CommandName,
  type ReceivedCommand,
} from '../../domain';
import { fingerprint } from '../../domain/fingerprint';
import { committedBeforeDurable, decisionByKey, storeContents, type RegisterDb } from '../../store';
import { actorOf, principalOf } from '../auth';
import { nodeContentRef } from '../fingerprint';
import { CommandRefused } from '../errors';
import { Problem, fromIssues } from '../problem';
import { setCommandTiming } from '../server-timing';
import { parse, visiblePartnership, withIdempotencyKey } from '../requests';
import { meetingCalendarCommand } from '../meeting-calendars';
import type { CommandOutcome, PartnershipService } from '../service';

interface CommandDeps {
  service: PartnershipService;
  db: RegisterDb;
  /** How a council's iCalendar URL is fetched: public addresses only unless set. */
  calendarFetch?: typeof fetch;
}

/** One route per command of the catalogue: parsed, checked, its texts stored, sent to the workflow. */
export function commandRoutes(deps: CommandDeps): Router {
  const router = express.Router();
  for (const name of COMMAND_NAMES) {
    router.post(`/partnerships/:id/${COMMANDS[name].route}`, async (req, res) => {
      sendJson(res, await runCommand(deps, name, req, res));
    });
  }
  return router;
}

/**
 * res.json without its ETag: a command's answer is never cached or asked for again with
 * If-None-Match, and hashing the state it carries costs each command more than writing it.
 */
function sendJson(res: Response, json: Buffer): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', json.length);
  res.end(json);
}

const END = Buffer.from('}');

/** The answer, `{"result":…,"state":…}`, with the state's JSON as the workflow wrote it. */
const answerOf = ({ result, stateJson }: CommandOutcome): Buffer =>
  Buffer.concat([Buffer.from(`{"result":${JSON.stringify(result)},"state":`), stateJson, END]);

async function runCommand(deps: CommandDeps, name: CommandName, req: Request, res: Response): Promise<Buffer> {
  const id = visiblePartnership(req);
  const actor = principalOf(req);
  const body = parse(COMMANDS[name].schema, withIdempotencyKey(req)) as CommandBody<typeof name>;
  const future = futureEventDates(name, body as Record<string, unknown>, Date.now());
  if (future.length > 0) throw fromIssues(future);
  // Checked here, before the workflow is touched, and again by the workflow's validator.
  const refusal = authorisationRefusal(name, body as { partyId?: string }, actor);
  if (refusal) throw new Problem(403, 'Not allowed', refusal.message);
  // The claim check: the workflow receives references to the texts, the short ones along with them.
  // A council's calendar is expanded here into its dates: the workflow never parses a rule.
  const requestId = body.requestId;
  // The workflow state remembers only its latest request ids; the register has every command
  // ever applied. A request id found there is a repeat (or a reuse with another body).
  const earlier = await decisionByKey(deps.db, `${id}:command:${requestId}`);
  const { command, texts, contents } =
    name === 'setMeetingCalendar'
      ? { command: await meetingCalendarCommand(body as CommandBody<'setMeetingCalendar'>, Date.now(), deps.calendarFetch, earlier), texts: [], contents: [] }
      : claimCheck(name, body, nodeContentRef);
  if (earlier) {
    const same = earlier.kind === name && fingerprint(normaliseCommand(name, earlier.payload as ReceivedCommand<typeof name>)) === fingerprint(command);
    if (!same) throw new CommandRefused('conflict', `request id ${requestId} was already used for a different command`);
    // A row older than what the workflow remembers is a repeat the workflow could not tell: answered
    // here. A newer one goes to the workflow, which answers a repeat it remembers; and a command
    // whose row was written but whose workflow task was lost (the Temporal server died before
    // saving it) is applied now, its rows already taken under their keys.
    const state = await deps.service.state(id);
    if (state.requestsRememberedSince !== undefined && Date.parse(earlier.occurredAt) < Date.parse(state.requestsRememberedSince)) {
      return Buffer.from(JSON.stringify({ result: { requestId, command: name }, state: commandAnswerView(state) }));
    }
  }
  await deps.service.requireWorker(true);
  // Short texts go with the command, and the worker stores them with its row; while a worker from
  // before that polls (it would not), they are stored first too. The texts stored first are
  // committed before the workflow is sent their references, and synced to disk while it applies
  // the command: the answer waits for both, not one after the other. (On SQLite the worker's own
  // sync of the command's row, which comes before the command is in the history, covers the same
  // WAL: the history never names a text that is not on disk.)
  const carry = deps.service.workers.supports('texts');
  const first = carry ? contents : [...texts, ...contents];
  const stored = first.length > 0 ? await committedBeforeDurable(() => storeContents(deps.db, id, first)) : undefined;
  const sentAt = performance.now();
  const outcome = await deps.service.command(id, name, actorOf(actor), command, carry ? texts : []);
  setCommandTiming(res, sentAt, performance.now());
  await stored?.durable;
  return answerOf(outcome);
}
