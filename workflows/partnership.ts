import {
  ActivityCancellationType,
  ActivityFailure,
  CancellationScope,
  isCancellation,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/types';
import type { CommandName, Deadline, MeetingSchedule, NotificationRequest, PartnershipState, ReceivedCommand, Stage, StartPartnership } from '../domain';
// Each module by name, not the domain's index: the index re-exports the zod schemas, which the
// workflow bundle (loaded once per cached partnership) must not carry.
import { agreementInputOf } from '../domain/agreement/from-state';
import { COMMAND_NAMES } from '../domain/command-catalogue';
import { commandRefusal } from '../domain/command-rules';
import { commandShapeIssue, inlineTextsIssue } from '../domain/command-shape';
import { nextDeadline } from '../domain/deadlines';
import { isFinal } from '../domain/stages';
import { activeParties, initialState, normaliseState } from '../domain/state';
import { commandAnswerView, partnershipView } from '../domain/view';
import { fingerprint } from '../domain/fingerprint';
import {
  boundState,
  commandEffects,
  decisionRequest,
  fireDeadline,
  freshRunAt,
  notificationRequest,
  outboxBatch,
  sendsEmailsFirst,
  settledDeskSummary,
  stageReady,
  stageStep,
  type Effects,
  type PlannedRecord,
  type StageOptions,
} from '../domain/lifecycle';
import {
  READ_ANSWER_TYPE,
  REFUSAL_TYPE_PREFIX,
  agreementQuery,
  commandUpdate,
  readUpdate,
  stateQuery,
  type CommandInput,
  type CommandResult,
  type ReadRequest,
} from './messages';
import { NEXT_DEADLINE, PARTIES, STAGE, TEMPLATE } from './search-attributes';

// A register write takes milliseconds: a worker that dies during one costs seconds, not minutes.
const { recordDecision } = proxyActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
// The same write as a local activity: run by the worker within the workflow task, so a command
// answers after one round trip to the server instead of three. Idempotent by its key, like the
// activity, so a retry after a crash writes nothing twice.
const { recordDecision: recordDecisionLocally } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
// An SMTP outage is waited out (emails wait in the outbox, nothing else does); a permanent
// rejection is answered by the batch (`rejected`), thrown as non-retryable by the one-email activity.
const { sendNotification, sendNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  // A cancelled email (at continue-as-new) is waited for until it has truly stopped.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface PartnershipInput {
  /** A new process: its slug and the validated start request. */
  start?: { id: string; request: StartPartnership; schedules?: Record<string, MeetingSchedule> };
  /** A process continued as new: everything it knew. */
  state?: PartnershipState;
  /**
   * False keeps each run until a review or the server's suggestion, as before short runs. For the
   * Java time-skipping test server only: it loses a command that arrives while a run hands over
   * (a real server answers "workflow is closing" and the client sends it again to the new run).
   */
  shortRuns?: boolean;
  /**
   * Set by the run that handed over: the code's generation (its patches all taken), and the
   * search-attribute values it had published, which the new run carries.
   */
  handOver?: { generation: number; listed: string };
}

/** How many of the numbered patches (see `taken` in the workflow) this code takes: each new one is the next number. */
const GENERATION = 9;

interface Alarm {
  at: number | undefined;
  scope: CancellationScope;
  rang: boolean;
}

export interface PartnershipOutcome {
  stage: Stage;
  reason?: string;
}

/**
 * The life of one partnership, from the application to its end. The domain decides what every
 * command, timer and stage step changes and causes; this function waits for the next of them,
 * carries out the register rows and emails they call for, and keeps each run's history small.
 */
export async function partnershipWorkflow(input: PartnershipInput): Promise<PartnershipOutcome> {
  const state = input.state ?? initialState(input.start!.id, input.start!.request, Date.now(), input.start!.schedules);
  state.continueAsNewRequested = false;
  // A run handed over by code of generation n takes the first n patches below without asking: no
  // marker (nor the upsert the SDK makes with each) at the start of every fresh run. Each patch
  // keeps its number, so that later code still asks a run handed over before it of the later ones.
  const taken = (n: number, patchId: string) => (input.handOver?.generation ?? 0) >= n || patched(patchId);
  // Runs begun before the outbox sent each email before answering the command that caused it;
  // they replay (and finish their run) that way, and continue as new into the outbox.
  const outboxed = taken(1, 'outbox-and-domain-effects');
  // Register rows by local activity, a command's row after the lifecycle's rows in flight.
  const localRegister = outboxed && taken(2, 'register-local-and-in-order');
  // Requests, reminders and the question after a meeting timed by each council's calendar (and
  // working mornings); runs begun before keep the periodic reminders they started with.
  const councilCalendars = outboxed && taken(3, 'council-calendars');
  // One timer per deadline, kept across the commands that leave it where it is, and no waiting
  // on a condition that already holds: less work and fewer events per command.
  const steadyTimer = councilCalendars && taken(4, 'steady-deadline-timer');
  // Short runs: once its history is long, a run continues as new at its next quiet moment, so that
  // a worker that has evicted the partnership from its cache rebuilds it from a short history.
  const shortRuns = steadyTimer && input.shortRuns !== false && taken(5, 'short-runs');
  // A long run still hands its emails to the mail server, and hands over once none is waiting
  // (within bounds: see emailsFirst): a reminder's email goes out when its timer fires, not after
  // the next run's first task.
  const deliverFirst = shortRuns && taken(6, 'emails-before-hand-over');
  // Decisions read the time and the history's length as of the last recorded event (see `seen`);
  // runs begun before read them live, as they were recorded.
  const decideOnRecorded = taken(7, 'decide-on-recorded-events');
  // The outbox's waiting emails in one activity (see outboxBatch) rather than one each: a reminder
  // round's second email no longer waits for the server to hear of the first.
  const batchedOutbox = outboxed && taken(8, 'outbox-in-batches');
  // A command waits for the run's start to be carried out (see the command handler). Only in runs
  // handed over by code that does, told by the input: no patch marker, since a marker asked for at
  // the start is itself recorded in whichever task the start is carried out in.
  const commandsAfterStart = (input.handOver?.generation ?? 0) >= 9;
  const options: StageOptions = {
    // Asked where the rule applies, as the runs that recorded this patch asked it.
    get rejectionGrace() {
      return outboxed || patched('commitment-rejection-grace');
    },
    councilCalendars,
  };
  if (outboxed) {
    state.outbox ??= [];
    // A state carried from a run before the claim check may still hold texts: references now.
    if (input.state) normaliseState(state);
  }
  let changes = 0;
  // Commands whose register row is still being written: a stage step waits for them, so that
  // the minute book lists the cause before the effect.
  let commandsInFlight = 0;
  let delivery: CancellationScope | undefined;
  // Set once the run has decided to continue as new: no email is handed over that the run could
  // not see through; the next run sends it.
  let closing = false;
  let published = input.handOver?.listed ?? '';
  // Whether the run's start has been carried out, to its first wait: see the command handler.
  let started = false;
  // A stage step is being carried out. A command answers once the steps it made ready are
  // taken, so that its answer shows where the partnership now is.
  let stepping = false;
  // Register rows of the lifecycle itself (its start, stage steps, timers) being written: a
  // command's row waits for them, so that the register lists a stage before the commands that
  // only that stage accepts, even when a crash delayed the stage's row.
  let lifecycleRowsInFlight = 0;
  let alarm: Alarm | undefined;
  // Orders the desk summaries this run writes within one workflow task (same time): see record().
  let deskWrites = 0;
  // The time and the history's length as of the last event the history records (the start, a
  // timer, an activity's result, an accepted command), refreshed where the code resumes after one:
  // what the run decides from. A refused update (a read, or a command its validator refuses) runs
  // the workflow in a workflow task that the server drops when nothing comes of it, and that a
  // replay never sees: deciding anything there from a clock or a length that moved meanwhile would
  // record commands that a replay does not make (a non-determinism error that stops the run).
  let seen = observed();
  const clock = () => (decideOnRecorded ? seen : observed());

  const view = () => partnershipView(state, options, Date.now());
  const agreementIn = (language: unknown) => agreementInputOf(state, language === 'fr' ? 'fr' : 'en');
  setHandler(stateQuery, view);
  setHandler(agreementQuery, agreementIn);
  // The answer rides in the validator's refusal, so the read leaves no trace in the history; the
  // handler never runs.
  setHandler(
    readUpdate,
    () => {
      throw ApplicationFailure.create({ message: 'a read is never applied', nonRetryable: true });
    },
    {
      validator: (request: ReadRequest) => {
        const answer = request?.what === 'agreement' ? agreementIn(request.language) : view();
        throw ApplicationFailure.create({ type: READ_ANSWER_TYPE, message: 'the answer is in the details', details: [answer], nonRetryable: true });
      },
    },
  );
  for (const name of COMMAND_NAMES) registerCommand(name);

  if (!input.state) {
    const { template, title } = state;
    await record({
      kind: 'partnership-started',
      actor: 'coordinator',
      payload: { template, title, parties: state.parties.map((p) => p.id) },
      key: 'partnership-started',
    });
  }
  publishSearchAttributes();
  if (outboxed) void deliverOutbox();
  started = true;

  while (!isFinal(state.stage)) {
    if (await waitForStage()) {
      stepping = true;
      const step = stageStep(state, clock().now, options);
      await carryOut(step);
      stepping = false;
      if (step.continueStage) continue;
    }
    publishSearchAttributes();
    if (!isFinal(state.stage) && continueAsNewDue()) {
      // Years in force: each run stays small. Commands already accepted finish first. An email
      // being handed over is let go (cancelled at once while it waits for a retry; an attempt
      // under way ends within its 20 s) so that no activity outlives the run; the outbox travels
      // with the state and the next run hands that email over again, under the same key.
      closing = true;
      await condition(allHandlersFinished);
      if (delivery) {
        delivery.cancel();
        await condition(() => delivery === undefined);
      }
      return continueAsNew<typeof partnershipWorkflow>({
        state,
        handOver: { generation: GENERATION, listed: published },
        ...(input.shortRuns === false ? { shortRuns: false } : {}),
      });
    }
  }
  // The last emails (dissolved, expired) go out before the run ends.
  await condition(() => allHandlersFinished() && (state.outbox ?? []).length === 0);
  return { stage: state.stage, ...(state.closedReason ? { reason: state.closedReason } : {}) };

  /**
   * Waits until the current stage is ready for its step, firing every deadline of the state on
   * time meanwhile. Deadlines are recomputed after each change, so a command that moves one
   * takes effect at once. False when the stage should not step: the process ended, or it
   * continues as new first.
   */
  async function waitForStage(): Promise<boolean> {
    const ready = () => stageReady(state, clock().now, options);
    const interrupted = () => isFinal(state.stage) || continueAsNewDue();
    const finished = () => (ready() || interrupted()) && commandsInFlight === 0;
    while (!finished()) {
      const deadline = nextDeadline(state, options);
      const seenChanges = changes;
      if (deadline && deadline.at <= clock().now) {
        await fire(deadline);
        continue;
      }
      if (steadyTimer) {
        // One timer per deadline: a command that leaves the next deadline where it was leaves its
        // timer running, instead of cancelling it and starting the same one again. A long run too
        // young to hand over wakes when it may.
        const handOver = handOverAt();
        const wake = handOver !== undefined && handOver > clock().now ? Math.min(handOver, deadline?.at ?? Infinity) : deadline?.at;
        const armed = setAlarm(wake);
        await condition(() => finished() || changes !== seenChanges || armed.rang || (handOverAt() === undefined) !== (handOver === undefined));
        continue;
      }
      const woke = await condition(() => finished() || changes !== seenChanges, deadline ? deadline.at - clock().now : undefined);
      seen = observed();
      if (!woke && deadline) await fire(deadline);
    }
    return !interrupted() || (ready() && !isFinal(state.stage));
  }

  /** The timer of the next deadline: kept while the deadline stays, replaced when it moves. */
  function setAlarm(at: number | undefined): Alarm {
    if (alarm && alarm.at === at && !alarm.rang) return alarm;
    if (alarm && !alarm.rang) alarm.scope.cancel();
    const next: Alarm = { at, scope: new CancellationScope(), rang: false };
    alarm = next;
    if (at !== undefined) {
      next.scope
        .run(() => sleep(Math.max(1, at - clock().now)))
        .then(
          () => {
            seen = observed();
            next.rang = true;
          },
          (err: unknown) => {
            if (!isCancellation(err)) throw err;
          },
        );
    }
    return next;
  }

  async function fire(deadline: Deadline): Promise<void> {
    await carryOut(fireDeadline(state, deadline, clock().now));
    changes++;
    publishSearchAttributes();
  }

  function continueAsNewDue(): boolean {
    if (state.continueAsNewRequested === true || clock().continueAsNewSuggested) return true;
    const emailsSent = !emailsFirst() || state.outbox!.length === 0;
    return handOverDue() && emailsSent && commandsInFlight === 0 && lifecycleRowsInFlight === 0 && delivery === undefined && allHandlersFinished();
  }

  /**
   * Whether a long run sends its waiting emails before it hands over: up to a bound, since commands
   * that keep coming keep the outbox from emptying. Past it, and in runs before `deliverFirst`, it
   * hands no more emails to the mail server once due to hand over; the next run sends them.
   */
  function emailsFirst(): boolean {
    return deliverFirst && sendsEmailsFirst(clock().historyLength, clock().historySize);
  }

  /** A long run old enough to hand over. */
  function handOverDue(): boolean {
    const at = handOverAt();
    return at !== undefined && at <= clock().now;
  }

  /** When this run, once long, may hand over to a fresh one; undefined while it is short, and once the process has ended (its last emails go out from this run). */
  function handOverAt(): number | undefined {
    if (!shortRuns || isFinal(state.stage)) return undefined;
    return freshRunAt(clock().historyLength, workflowInfo().runStartTime.getTime());
  }

  /** What `seen` holds, as of now: called only where the code resumes after a recorded event. */
  function observed() {
    const info = workflowInfo();
    return { now: Date.now(), historyLength: info.historyLength, historySize: info.historySize, continueAsNewSuggested: info.continueAsNewSuggested };
  }

  // ── Commands ──────────────────────────────────────────────────────────────────────────────

  function registerCommand<N extends CommandName>(name: N): void {
    setHandler(
      commandUpdate(name),
      async ({ actor, command, texts }: CommandInput<N>): Promise<CommandResult> => {
        // A worker that had not cached a run just handed over, whose first workflow task recorded
        // nothing, is given the run's start and a command in one activation, and the SDK runs the
        // command as its handler is registered, before the start is carried out; a replay gives
        // them in two, the start first. The start's upsert then came before the command's timer,
        // and the replay stopped the run with a non-determinism error. Waiting for the start makes
        // the same commands in the same order both ways. Elsewhere the start has long been carried
        // out, and the handler goes on at once.
        if (commandsAfterStart && !started) await condition(() => started);
        seen = observed();
        // Temporal deduplicates by update id within a run; this covers repeats across continue-as-new.
        if (state.applied[command.requestId]) return { requestId: command.requestId, command: name, state: commandAnswerView(partnershipView(state, options)) };
        commandsInFlight++;
        try {
          const effects = commandEffects(state, name, command, actor, Date.now(), texts);
          changes++;
          if (localRegister && !(steadyTimer && lifecycleRowsInFlight === 0)) await condition(() => lifecycleRowsInFlight === 0);
          await carryOut(effects, 'command');
        } finally {
          commandsInFlight--;
          publishChange();
        }
        const settled = () => (!stepping && !stageReady(state, clock().now, options)) || closing || isFinal(state.stage);
        if (outboxed && !(steadyTimer && settled())) await condition(settled);
        return { requestId: command.requestId, command: name, state: commandAnswerView(partnershipView(state, options)) };
      },
      { validator: (input: CommandInput<N>) => validate(name, input) },
    );
  }

  /** Runs before anything reaches history: a refused command leaves no trace. */
  function validate<N extends CommandName>(name: N, input: CommandInput<N>): void {
    const issue = commandShapeIssue(name, input?.command) ?? inlineTextsIssue(name, input.command, input.texts);
    if (issue) throw ApplicationFailure.create({ type: `${REFUSAL_TYPE_PREFIX}invalid`, message: issue, nonRetryable: true });
    const command = input.command as ReceivedCommand<N>;
    const previous = state.applied[command.requestId];
    if (previous) {
      if (previous.command === name && previous.fingerprint === fingerprint(command)) return;
      throw ApplicationFailure.create({
        type: `${REFUSAL_TYPE_PREFIX}conflict`,
        message: `request id ${command.requestId} was already used for a different command`,
        nonRetryable: true,
      });
    }
    const refusal = commandRefusal(state, name, command, input.actor, Date.now(), options);
    if (refusal) {
      throw ApplicationFailure.create({ type: `${REFUSAL_TYPE_PREFIX}${refusal.code}`, message: refusal.message, nonRetryable: true });
    }
  }

  // ── Effects ───────────────────────────────────────────────────────────────────────────────

  /** The register rows first, then the emails: into the outbox, or (older runs) sent at once. */
  async function carryOut(effects: Effects, cause: 'lifecycle' | 'command' = 'lifecycle'): Promise<void> {
    if (effects.stageChanged) {
      changes++;
      publishChange();
    }
    if (outboxed) boundState(state);
    for (const planned of effects.records) await record(planned, cause);
    for (const planned of effects.emails) {
      const request = notificationRequest(state, planned);
      if (outboxed) state.outbox!.push(request);
      else await deliver(request);
    }
  }

  async function record(planned: PlannedRecord, cause: 'lifecycle' | 'command' = 'lifecycle'): Promise<void> {
    const write = localRegister ? recordDecisionLocally : recordDecision;
    if (cause === 'lifecycle') lifecycleRowsInFlight++;
    // The desk's summary of the state as this row leaves it (its ready steps taken), written with
    // the row. Only the activity's input carries it, which the history does not record for a
    // local activity.
    const desk = outboxed ? { version: Date.now() * 1000 + (deskWrites++ % 1000), summary: settledDeskSummary(state, Date.now(), options) } : undefined;
    try {
      await write({ ...decisionRequest(state, planned, Date.now()), ...(desk ? { desk } : {}) });
    } finally {
      seen = observed();
      if (cause === 'lifecycle') lifecycleRowsInFlight--;
    }
  }

  /** Hands the outbox to the mail server in order, for as long as the run lives. */
  async function deliverOutbox(): Promise<void> {
    for (;;) {
      await condition(() => state.outbox!.length > 0 && !closing && (emailsFirst() || !handOverDue()));
      const count = batchedOutbox ? outboxBatch(state.outbox!) : 1;
      delivery = new CancellationScope();
      try {
        await delivery.run(() => (batchedOutbox ? deliverBatch(state.outbox!.slice(0, count)) : deliver(state.outbox![0]!)));
        state.outbox!.splice(0, count);
      } catch (err) {
        if (isCancellation(err)) return; // the run continues as new; the next one sends it
        throw err;
      } finally {
        delivery = undefined;
      }
    }
  }

  /**
   * A permanent rejection by the mail server is recorded in the register (by the activity) and
   * does not stop the process: the rest of the partnership goes on.
   */
  async function deliver(request: NotificationRequest): Promise<void> {
    try {
      await sendNotification(request);
    } catch (err) {
      if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
      state.timeline.push({ at: Date.now(), event: 'notification-failed', detail: request.event });
    } finally {
      seen = observed();
    }
  }

  /** As `deliver`, for a batch: the activity answers which emails were permanently refused. */
  async function deliverBatch(requests: NotificationRequest[]): Promise<void> {
    let rejected: string[];
    try {
      rejected = (await sendNotifications(requests)).rejected;
    } catch (err) {
      if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
      rejected = requests.map((r) => r.key);
    } finally {
      seen = observed();
    }
    for (const request of requests) {
      if (rejected.includes(request.key)) state.timeline.push({ at: Date.now(), event: 'notification-failed', detail: request.event });
    }
  }

  /**
   * Listing by stage and next deadline should not wait for the end of a stage. Runs started
   * before this published only between stages; the patch keeps their replay identical.
   */
  function publishChange(): void {
    if (outboxed || patched('publish-search-attributes-on-change')) publishSearchAttributes();
  }

  /** Older runs upserted at every step; newer ones only when what the list shows has changed. */
  function publishSearchAttributes(): void {
    const deadline = nextDeadline(state, options);
    const parties = activeParties(state).map((p) => p.id);
    const listed = JSON.stringify([state.stage, state.template, parties, deadline?.at ?? null]);
    if (outboxed && listed === published) return;
    published = listed;
    upsertSearchAttributes([
      { key: STAGE, value: state.stage },
      { key: TEMPLATE, value: state.template },
      { key: PARTIES, value: parties },
      { key: NEXT_DEADLINE, value: deadline ? new Date(deadline.at) : null },
    ]);
  }
}
