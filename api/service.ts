import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import {
  ApplicationFailure,
  METADATA_ENCODING_KEY,
  encodingKeys,
  rawValueTypeInfo,
  type Payload,
  type RawValue,
  type SearchAttributePair,
} from '@temporalio/common';
import type {
  Actor,
  AgreementInputData,
  CommandName,
  Language,
  MeetingSchedule,
  PartnershipView,
  Refusal,
  StartPartnership,
  StoredContent,
  WorkflowCommand,
} from '../domain';
import { activeParties, initialState } from '../domain';
import { fingerprint } from '../domain/fingerprint';
import { PARTIES, STAGE, TEMPLATE } from '../workflows/search-attributes';
import { nodeFingerprint } from './fingerprint';
import { partnershipWorkflow } from '../workflows';
import {
  READ_ANSWER_TYPE,
  REFUSAL_TYPE_PREFIX,
  agreementQuery,
  commandInput,
  rawCommandUpdate,
  readUpdate,
  stateQuery,
  type CommandResult,
  type ReadRequest,
} from '../workflows/messages';
import {
  CommandRefused,
  IdempotencyKeyReused,
  NoWorker,
  NotAnswered,
  PartnershipBusy,
  PartnershipEnded,
  PartnershipExists,
  PartnershipFailing,
  PartnershipNotFound,
  TemporalUnavailable,
} from './errors';
import { ListQuery, PageTokens, liveWorkflowIds } from './listing';
import { metHandOver } from './outages';
import { listPartnerships } from './partnership-list';
import { workerPollers, type HeartbeatSource, type WorkerPollers, type Workers } from './workers';

/**
 * How long the API waits for a partnership to answer a read or a command before it answers 503
 * itself: Temporal would hold an update for as long as no worker takes it.
 */
export const ANSWER_TIMEOUT_MS = 30_000;
/** How often, while it waits for an answer, the API looks whether a worker still runs. */
export const WORKER_WATCH_MS = 500;
/** How long, having given up, the API asks whether the command was applied meanwhile. */
export const OUTCOME_CHECK_MS = 500;

export const workflowIdOf = (slug: string): string => `partnership-${slug}`;

/** The search attributes of a partnership as it starts (domain/state.ts's `initialState`). */
function startingSearchAttributes(slug: string, request: StartPartnership): SearchAttributePair[] {
  const state = initialState(slug, request, Date.now());
  return [
    { key: STAGE, value: state.stage },
    { key: TEMPLATE, value: state.template },
    { key: PARTIES, value: activeParties(state).map((party) => party.id) },
  ];
}

/**
 * What a command's update answered: its result, and the partnership's state after it (a
 * PartnershipView) as the UTF-8 JSON the workflow wrote, to be passed on as it is.
 */
export interface CommandOutcome {
  result: Omit<CommandResult, 'state'>;
  stateJson: Uint8Array;
}

const utf8 = new TextEncoder();
const JSON_PLAIN = Buffer.from(encodingKeys.METADATA_ENCODING_JSON);

/**
 * A command's result payload as its result and the JSON of its state. The workflow answers
 * `{ requestId, command, state }`, which JSON writes as `{"requestId":…,"command":…,"state":…}`:
 * when the payload is exactly that, the state is the text between the prefix and the last brace.
 * Any other payload is converted as the client converts any other (and the state written again).
 */
export function commandOutcome(payload: Payload, requestId: string, name: CommandName, convert: (payload: Payload) => unknown): CommandOutcome {
  const data = payload.data;
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  if (data && encoding && JSON_PLAIN.equals(encoding)) {
    const prefix = utf8.encode(`{"requestId":${JSON.stringify(requestId)},"command":${JSON.stringify(name)},"state":`);
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.length > prefix.length + 1 && bytes[bytes.length - 1] === 0x7d && bytes.subarray(0, prefix.length).equals(prefix)) {
      return { result: { requestId, command: name }, stateJson: bytes.subarray(prefix.length, bytes.length - 1) };
    }
  }
  // Every key of CommandResult is named here (`others` fails to compile once there is another),
  // since the cut above would put another key after the state outside the result.
  const { requestId: answeredId, command, state, ...others } = convert(payload) as CommandResult;
  const none: Record<string, never> = others;
  return { result: { requestId: answeredId, command, ...none }, stateJson: utf8.encode(JSON.stringify(state)) };
}

export interface PartnershipServiceDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** Seals the listing's page tokens; any secret every API instance shares. */
  pageTokenSecret: string;
  /** The workers' heartbeats (the register's): a worker that stopped is known at once, not a minute later. */
  heartbeats?: HeartbeatSource;
  /** ANSWER_TIMEOUT_MS unless set (tests). */
  answerTimeoutMs?: number;
}

/**
 * The one place the API talks to Temporal: partnerships are started, read, listed and sent
 * commands here, and what Temporal answers becomes a result or one of the typed errors of
 * api/errors.ts. Routes never see a Temporal error.
 */
export class PartnershipService {
  private readonly client: Client;
  private readonly taskQueue: string;
  private readonly namespace: string;
  private readonly pageTokens: PageTokens;
  /** Whether a worker polls the task queue, cached for 2 s. */
  readonly workers: WorkerPollers;
  /** Reads under way, by what they ask: see `read`. */
  private readonly reads = new Map<string, Promise<unknown>>();
  private readonly answerTimeoutMs: number;

  constructor(deps: PartnershipServiceDeps) {
    this.client = deps.client;
    this.taskQueue = deps.taskQueue;
    this.namespace = deps.namespace;
    this.pageTokens = new PageTokens(deps.pageTokenSecret);
    this.workers = workerPollers(deps.client, deps.namespace, deps.taskQueue, Date.now, deps.heartbeats);
    this.answerTimeoutMs = deps.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
  }

  /**
   * Starts a partnership under its slug. With an idempotency key (the Idempotency-Key header and
   * the body's hash, kept in the workflow's memo), a repeated start answers as the first did; a
   * reused key with another body is refused. Without one, an existing slug is refused.
   */
  async start(
    slug: string,
    request: StartPartnership,
    idempotencyKey?: string,
    schedules: Record<string, MeetingSchedule> = {},
  ): Promise<{ id: string; workflowId: string }> {
    const workflowId = workflowIdOf(slug);
    const idempotency = idempotencyKey ? `${idempotencyKey}:${fingerprint(request)}` : undefined;
    try {
      await this.client.workflow.start(partnershipWorkflow, {
        workflowId,
        taskQueue: this.taskQueue,
        // The schedules follow from the request and the day it came: a repeat is recognised by the request alone.
        args: [{ start: { id: slug, request, ...(Object.keys(schedules).length > 0 ? { schedules } : {}) } }],
        // A slug names one partnership for good: one that ended keeps its id and its record.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // Listed at once with the values its first workflow task publishes (it still does): a
        // listing or a filter finds a partnership just started with its stage, template and parties.
        typedSearchAttributes: startingSearchAttributes(slug, request),
        ...(idempotency ? { memo: { idempotency } } : {}),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw translate(err, slug);
      if (!idempotency) throw new PartnershipExists(slug);
      const earlier = (await this.describe(slug)).memo?.idempotency;
      if (earlier !== idempotency) {
        throw typeof earlier === 'string' && earlier.startsWith(`${idempotencyKey}:`)
          ? new IdempotencyKeyReused('start this partnership')
          : new PartnershipExists(slug);
      }
    }
    return { id: slug, workflowId };
  }

  async temporalStatus(): Promise<'ok' | 'unreachable'> {
    return this.client.workflowService
      .getSystemInfo({})
      .then(() => 'ok' as const)
      .catch(() => 'unreachable' as const);
  }

  /** Throws PartnershipNotFound unless the partnership exists; asks the server only, no worker needed. */
  async requireExists(slug: string): Promise<void> {
    await this.describe(slug);
  }

  /** The whole picture of one partnership, as its workflow answers it. */
  async state(slug: string): Promise<PartnershipView> {
    return this.readKnown(slug, { what: 'state' }) as Promise<PartnershipView>;
  }

  async agreement(slug: string, language: Language): Promise<AgreementInputData> {
    return this.readKnown(slug, { what: 'agreement', language }) as Promise<AgreementInputData>;
  }

  /** A read of a partnership not just listed: whether it exists and still runs is asked first. */
  private async readKnown(slug: string, request: ReadRequest): Promise<unknown> {
    const running = (await this.describe(slug)).status.name === 'RUNNING';
    await this.requireWorker(false);
    return this.read(slug, request, running);
  }

  /**
   * Sends one validated command. The update answers with the state after it: no second round
   * trip, and a command that was applied never answers an error because a later read failed.
   */
  async command<N extends CommandName>(slug: string, name: N, actor: Actor, command: WorkflowCommand<N>, texts: StoredContent[] = []): Promise<CommandOutcome> {
    await this.requireWorker(true);
    const handle = this.client.workflow.getHandle(workflowIdOf(slug));
    let answer: RawValue;
    // The command's hash is part of the id: Temporal answers a repeated update id with the first
    // outcome whatever the arguments, and a reused request id with another body must be refused.
    const updateId = `${name}:${command.requestId}:${nodeFingerprint(command).slice(0, 16)}`;
    try {
      answer = await this.answered(
        true,
        () => handle.executeUpdate(rawCommandUpdate(name), { args: [commandInput(actor, command as never, texts)], updateId }),
        () => this.outcomeIfDone(handle, updateId),
      );
    } catch (err) {
      if (err instanceof NotAnswered) throw err;
      // An update to a closed workflow is answered NOT_FOUND: tell an ended partnership from none.
      if (err instanceof WorkflowNotFoundError) {
        const status = await this.describe(slug).then((d) => d.status.name);
        throw status === 'RUNNING' ? translate(err, slug) : new PartnershipEnded(slug);
      }
      throw translate(err, slug);
    }
    const { payloadConverter } = this.client.options.loadedDataConverter;
    return commandOutcome(answer.payload, command.requestId, name, (payload) => payloadConverter.fromPayload(payload));
  }

  async list(query: ListQuery) {
    try {
      return await listPartnerships(this.client, this.namespace, query, this.pageTokens);
    } catch (err) {
      throw translate(err);
    }
  }

  /**
   * The ids of the partnerships still running that match the filters, from the visibility store:
   * at most `cap` (the desk reads each one's state), and how many match in all.
   */
  async liveIds(filters: Pick<ListQuery, 'stage' | 'template' | 'party'>, cap: number): Promise<{ ids: string[]; total: number }> {
    try {
      const { workflowIds, total } = await liveWorkflowIds(this.client, this.namespace, filters, cap);
      return { ids: workflowIds.map((id) => id.replace(/^partnership-/, '')), total };
    } catch (err) {
      throw translate(err);
    }
  }

  /**
   * The state alone: for a partnership just listed by `liveIds` as running (its existence is not
   * asked again), once the caller has made sure that a worker polls (`requireWorker`).
   */
  async listedState(slug: string): Promise<PartnershipView> {
    return this.read(slug, { what: 'state' }, true) as Promise<PartnershipView>;
  }

  /**
   * One read, shared by the callers that ask the same of the same partnership meanwhile: each read
   * of a running partnership is an update while it lasts, and Temporal admits only a few of those
   * at once to one workflow (commands included).
   */
  private read(slug: string, request: ReadRequest, running: boolean): Promise<unknown> {
    const key = `${slug}\u0000${JSON.stringify(request)}\u0000${running}`;
    const pending = this.reads.get(key);
    if (pending) return pending;
    const read = this.answered(false, () => this.readOnce(slug, request, running)).finally(() => this.reads.delete(key));
    this.reads.set(key, read);
    return read;
  }

  /**
   * A running partnership is read through the read update (see `readUpdate`), never queried,
   * while every polling worker knows it; a closed one (nothing waits in it), or one that closed
   * meanwhile, is queried.
   */
  private async readOnce(slug: string, request: ReadRequest, running: boolean): Promise<unknown> {
    const handle = this.client.workflow.getHandle(workflowIdOf(slug));
    if (running && this.workers.supports('reads')) {
      try {
        const read = await readThroughUpdate(handle, request);
        if (read) return read.answer;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw translate(err, slug);
      }
    }
    try {
      return await (request.what === 'agreement' ? handle.query(agreementQuery, request.language) : handle.query(stateQuery));
    } catch (err) {
      throw translate(err, slug);
    }
  }

  /**
   * A call that needs a worker's answer, given up (503) when the worker stops before it answers
   * (looked at every 500 ms) or after the API's wait: Temporal itself would hold it until a worker
   * took it, a minute or forever. Giving up cancels the API's call, not the update: a command may
   * still be applied, which the answer says.
   */
  private async answered<T>(command: boolean, call: () => Promise<T>, doneMeanwhile?: () => Promise<{ value: T } | undefined>): Promise<T> {
    const controller = new AbortController();
    let why: NotAnswered['why'] | undefined;
    const giveUp = (reason: NotAnswered['why']) => {
      if (why) return;
      why = reason;
      controller.abort();
    };
    const deadline = setTimeout(() => giveUp('timeout'), this.answerTimeoutMs);
    const watch = setInterval(() => {
      this.workers().then(
        (workers) => workers === 'none' && giveUp('worker-stopped'),
        () => undefined, // Temporal unreachable: the call itself fails on that
      );
    }, WORKER_WATCH_MS);
    try {
      return await this.client.withAbortSignal(controller.signal, call);
    } catch (err) {
      if (!why) throw err;
      // Given up just as the answer came, or the worker stopped right after applying it: a command
      // that was applied answers as applied, never an error.
      const done = await doneMeanwhile?.();
      if (done) return done.value;
      throw new NotAnswered(why, command, this.answerTimeoutMs);
    } finally {
      clearTimeout(deadline);
      clearInterval(watch);
    }
  }

  /**
   * The outcome of an update already completed, asked of Temporal for at most half a second; undefined
   * when it is not (yet) or cannot be told. A refusal is thrown as the update would have thrown it.
   */
  private async outcomeIfDone(handle: WorkflowHandle, updateId: string): Promise<{ value: RawValue } | undefined> {
    try {
      const value = await this.client.withDeadline(Date.now() + OUTCOME_CHECK_MS, () =>
        handle.getUpdateHandle<RawValue>(updateId, { typeInfo: { outputType: rawValueTypeInfo } }).result(),
      );
      return { value };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw err;
      return undefined;
    }
  }

  /**
   * Before a query or a command: with no worker polling the task queue, the server would hold the
   * call until its deadline. Answered at once instead; a command has not been sent at that point.
   * When Temporal cannot say (a server without DescribeTaskQueue), the call goes ahead.
   */
  async requireWorker(command: boolean): Promise<void> {
    // A worker seen polling a moment ago: awaiting the cached answer would cost more than it says.
    if (this.workers.known() === 'polling') return;
    let answer: Workers;
    try {
      answer = await this.workers();
    } catch (err) {
      if (isUnavailable(err)) throw new TemporalUnavailable();
      return;
    }
    if (answer === 'none') throw new NoWorker(command);
  }

  private async describe(slug: string) {
    try {
      return await this.client.workflow.getHandle(workflowIdOf(slug)).describe();
    } catch (err) {
      throw translate(err, slug);
    }
  }
}

/**
 * Sends the read update (see `readUpdate`) and returns the answer its validator refused it with;
 * undefined when it was refused otherwise (a worker from before it, which does not know it).
 * Anything else Temporal answers is thrown as it is.
 */
export async function readThroughUpdate(handle: WorkflowHandle, request: ReadRequest): Promise<{ answer: unknown } | undefined> {
  try {
    await handle.executeUpdate(readUpdate, { args: [request] });
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    return err.cause instanceof ApplicationFailure && err.cause.type === READ_ANSWER_TYPE ? { answer: err.cause.details?.[0] } : undefined;
  }
  throw new Error('the read update was applied: its validator never lets it');
}

const REFUSAL_CODES: ReadonlyArray<Refusal['code']> = ['stage', 'conflict', 'invalid', 'unknown-party', 'forbidden'];

/** What Temporal says, as the service's own errors; anything unexpected goes on as it is (a 500). */
export function translate(err: unknown, slug?: string): unknown {
  if (err instanceof WorkflowNotFoundError && slug) return new PartnershipNotFound(slug);
  if (err instanceof WorkflowExecutionAlreadyStartedError && slug) return new PartnershipExists(slug);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type ?? '';
    const code = type.slice(REFUSAL_TYPE_PREFIX.length) as Refusal['code'];
    if (type.startsWith(REFUSAL_TYPE_PREFIX) && REFUSAL_CODES.includes(code)) return new CommandRefused(code, err.cause.message);
  }
  if (isUnavailable(err)) return new TemporalUnavailable();
  if (slug && isTaskFailing(err)) return new PartnershipFailing(slug);
  if (slug && metHandOverEachTime(err)) return new PartnershipBusy(slug);
  return err;
}

/** The error and its causes, five deep: the client wraps gRPC's errors (a ServiceError whose cause it is). */
function* causes(err: unknown): Generator<{ code?: number; message?: string; details?: string }> {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    yield e as { code?: number; message?: string; details?: string };
  }
}

/** A hand-over (or a workflow task failing a moment), which the API's client sends again a few times (api/outages.ts): met every time. */
function metHandOverEachTime(err: unknown): boolean {
  return [...causes(err)].some((e) => e.code !== undefined && metHandOver({ code: e.code, details: e.details }));
}

/** FAILED_PRECONDITION (9) because the workflow task fails: how Temporal refuses an update then. */
function isTaskFailing(err: unknown): boolean {
  return [...causes(err)].some((e) => e.code === 9 && /Workflow Task in failed state/i.test(e.message ?? ''));
}

/** gRPC's UNAVAILABLE (14), also where the client wraps it. */
export function isUnavailable(err: unknown): boolean {
  return [...causes(err)].some((e) => e.code === 14 || /UNAVAILABLE|ECONNREFUSED|Connection refused/i.test(e.message ?? ''));
}
