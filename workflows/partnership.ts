import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities/types';
import {
  COMMANDS,
  COMMAND_NAMES,
  activeParties,
  applyCommand,
  commandRefusal,
  commitmentOutcome,
  countReminder,
  enterStage,
  findParty,
  initialState,
  isFinal,
  nextDeadline,
  partnershipView,
  partyRecipients,
  coordinatorRecipient,
  championsAndCoordinator,
  type Actor,
  type CommandBody,
  type CommandName,
  type Deadline,
  type NotificationEvent,
  type PartnershipState,
  type Recipient,
  type Stage,
  type StartPartnership,
} from '../domain';
import { fingerprint } from '../domain/fingerprint';
import { REFUSAL_TYPE_PREFIX, commandUpdate, stateQuery, type CommandInput, type CommandResult } from './messages';
import { NEXT_DEADLINE, PARTIES, STAGE, TEMPLATE } from './search-attributes';

const { recordDecision } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { sendNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // SMTP outages are waited out; a permanent rejection is thrown as non-retryable by the activity.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export interface PartnershipInput {
  /** A new process: its slug and the validated start request. */
  start?: { id: string; request: StartPartnership };
  /** A process continued as new: everything it knew. */
  state?: PartnershipState;
}

export interface PartnershipOutcome {
  stage: Stage;
  reason?: string;
}

/**
 * The life of one partnership, from the application to its end. Each stage waits for the facts
 * it needs (recorded by the command handlers below) while the reminders of that stage fire.
 */
export async function partnershipWorkflow(input: PartnershipInput): Promise<PartnershipOutcome> {
  const state = input.state ?? initialState(input.start!.id, input.start!.request, Date.now());
  let changes = 0;
  // Commands whose register row and emails are still on their way: a stage change they cause
  // waits for them, so that the minute book lists the cause before the effect.
  let commandsInFlight = 0;

  setHandler(stateQuery, () => partnershipView(state));
  for (const name of COMMAND_NAMES) registerCommand(name);

  if (!input.state) {
    await record('partnership-started', 'coordinator', { template: state.template, title: state.title, parties: state.parties.map((p) => p.id) });
  }
  publishSearchAttributes();

  const STAGES: Record<Stage, () => Promise<void>> = {
    intake,
    commitment,
    groundwork: resting,
    drafting: resting,
    consultation: resting,
    revision: resting,
    approval: resting,
    signing: resting,
    'in-force': resting,
    notice: resting,
    declined: resting,
    abandoned: resting,
    dissolved: resting,
    expired: resting,
  };
  while (!isFinal(state.stage)) {
    await STAGES[state.stage]();
    publishSearchAttributes();
  }
  await condition(allHandlersFinished);
  return { stage: state.stage, ...(state.closedReason ? { reason: state.closedReason } : {}) };

  // ── The stages ────────────────────────────────────────────────────────────────────────────

  /** Application received; the coordinator interviews and decides. */
  async function intake(): Promise<void> {
    await waitFor(() => state.intake !== undefined);
    if (isFinal(state.stage)) return;
    if (!state.intake!.accepted) {
      await moveTo('declined');
      await notify('intake-declined', 'intake-declined', [coordinatorRecipient(state), ...allChampions()], {});
      return;
    }
    await moveTo('commitment');
    await notify('intake-accepted', 'intake-accepted', championsAndCoordinator(state), {});
    for (const party of activeParties(state)) {
      await notify('resolution-requested', `resolution-requested:participation:${party.id}`, partyRecipients(state, party.id, ['clerk', 'champion']), {
        partyId: party.id,
        subject: 'participation',
      });
    }
  }

  /** Every party's governing body resolves to participate; reminders go to whoever is missing. */
  async function commitment(): Promise<void> {
    await waitFor(() => commitmentOutcome(state) !== 'pending');
    if (isFinal(state.stage)) return;
    if (commitmentOutcome(state) === 'rejected') {
      const rejected = state.resolutions.find((r) => r.subject === 'participation' && r.outcome === 'rejected')!;
      state.closedReason = `the governing body of ${rejected.partyId} rejected participation (${rejected.resolutionNumber})`;
      await moveTo('abandoned', state.closedReason);
      await notify('process-abandoned', 'process-abandoned', championsAndCoordinator(state), { reason: state.closedReason });
      return;
    }
    await moveTo('groundwork');
    await notify('commitment-complete', 'commitment-complete', championsAndCoordinator(state), {});
  }

  /** The remaining stages arrive with the lifecycle issue; until then a process rests here. */
  async function resting(): Promise<void> {
    const stage = state.stage;
    await waitFor(() => state.stage !== stage);
  }

  // ── Waiting, timers and reminders ─────────────────────────────────────────────────────────

  /**
   * Waits until `done` holds, firing every deadline of the current state on time. Deadlines are
   * recomputed after each change, so a command that moves one takes effect at once.
   */
  async function waitFor(done: () => boolean): Promise<void> {
    const finished = () => (done() || isFinal(state.stage)) && commandsInFlight === 0;
    while (!finished()) {
      const deadline = nextDeadline(state);
      const seen = changes;
      if (deadline && deadline.at <= Date.now()) {
        await fire(deadline);
        continue;
      }
      const woke = await condition(
        () => finished() || changes !== seen,
        deadline ? deadline.at - Date.now() : undefined,
      );
      if (!woke && deadline) await fire(deadline);
    }
  }

  async function fire(deadline: Deadline): Promise<void> {
    switch (deadline.kind) {
      case 'resolution-reminder': {
        const partyId = deadline.partyId!;
        const { count, escalate } = countReminder(state, deadline, Date.now());
        state.timeline.push({ at: Date.now(), event: 'resolution-reminder', partyId, detail: `reminder ${count}` });
        await record('resolution-reminder', 'timer', { obligation: deadline.key, count }, partyId, `timer:${deadline.key}:${count}`);
        await notify('resolution-reminder', `resolution-reminder:${deadline.key}:${count}`, partyRecipients(state, partyId, ['clerk', 'champion']), {
          partyId,
          count,
        });
        if (escalate) {
          await notify('resolution-escalation', `resolution-escalation:${deadline.key}`, [coordinatorRecipient(state)], { partyId, count });
        }
        break;
      }
    }
    changes++;
    publishSearchAttributes();
  }

  // ── Commands ──────────────────────────────────────────────────────────────────────────────

  function registerCommand<N extends CommandName>(name: N): void {
    setHandler(
      commandUpdate(name),
      async ({ actor, command }: CommandInput<N>): Promise<CommandResult> => {
        const first = state.applied[command.requestId];
        // Temporal deduplicates by update id within a run; this covers repeats across continue-as-new.
        if (first) return { requestId: command.requestId, command: first.command as N };
        const now = Date.now();
        state.applied[command.requestId] = { command: name, fingerprint: fingerprint(command), at: now };
        commandsInFlight++;
        try {
          const applied = applyCommand(state, name, command, actor, now);
          changes++;
          await record(name, actorLabel(actor), { ...command }, applied.partyId, `command:${command.requestId}`);
          for (const n of applied.notifications) {
            await notify(n.event, `${n.event}:${command.requestId}${n.suffix ? `:${n.suffix}` : ''}`, n.recipients, n.data);
          }
        } finally {
          commandsInFlight--;
        }
        return { requestId: command.requestId, command: name };
      },
      { validator: (input: CommandInput<N>) => validate(name, input) },
    );
  }

  /** Runs before anything reaches history: a refused command leaves no trace. */
  function validate<N extends CommandName>(name: N, input: CommandInput<N>): void {
    const parsed = COMMANDS[name].schema.safeParse(input?.command);
    if (!parsed.success) {
      throw ApplicationFailure.create({
        type: `${REFUSAL_TYPE_PREFIX}invalid`,
        message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        nonRetryable: true,
      });
    }
    const command = parsed.data as CommandBody<N>;
    const previous = state.applied[command.requestId];
    if (previous) {
      if (previous.command === name && previous.fingerprint === fingerprint(command)) return;
      throw ApplicationFailure.create({
        type: `${REFUSAL_TYPE_PREFIX}conflict`,
        message: `request id ${command.requestId} was already used for a different command`,
        nonRetryable: true,
      });
    }
    const refusal = commandRefusal(state, name, command, input.actor);
    if (refusal) {
      throw ApplicationFailure.create({ type: `${REFUSAL_TYPE_PREFIX}${refusal.code}`, message: refusal.message, nonRetryable: true });
    }
  }

  // ── Effects ───────────────────────────────────────────────────────────────────────────────

  async function moveTo(stage: Stage, detail?: string): Promise<void> {
    enterStage(state, stage, Date.now(), detail);
    changes++;
    await record(`stage:${stage}`, 'workflow', detail ? { detail } : {}, undefined, `stage:${stage}:${state.timeline.length}`);
  }

  async function notify(
    event: NotificationEvent,
    keySuffix: string,
    recipients: Recipient[],
    data: Record<string, string | number | boolean | undefined>,
  ): Promise<void> {
    if (recipients.length === 0) return;
    await sendNotification({
      key: `${state.id}:${keySuffix}`,
      partnershipId: state.id,
      event,
      recipients,
      data: {
        title: state.title,
        stage: state.stage,
        ...(typeof data.partyId === 'string' ? { partyName: findParty(state, data.partyId)?.legalName } : {}),
        ...data,
      },
    });
  }

  async function record(kind: string, actor: string, payload: Record<string, unknown>, partyId?: string, key?: string): Promise<void> {
    await recordDecision({
      key: `${state.id}:${key ?? kind}`,
      partnershipId: state.id,
      kind,
      actor,
      ...(partyId ? { partyId } : {}),
      payload,
      occurredAt: new Date(Date.now()).toISOString(),
    });
  }

  function publishSearchAttributes(): void {
    const deadline = nextDeadline(state);
    upsertSearchAttributes([
      { key: STAGE, value: state.stage },
      { key: TEMPLATE, value: state.template },
      { key: PARTIES, value: state.parties.filter((p) => p.status === 'active').map((p) => p.id) },
      { key: NEXT_DEADLINE, value: deadline ? new Date(deadline.at) : null },
    ]);
  }

  function allChampions(): Recipient[] {
    return activeParties(state).flatMap((p) => partyRecipients(state, p.id, ['champion']));
  }
}

const actorLabel = (actor: Actor): string => (actor.partyId ? `${actor.role}:${actor.partyId}` : actor.role);

