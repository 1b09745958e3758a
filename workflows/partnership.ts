import {
  ApplicationFailure,
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/types';
import {
  COMMANDS,
  COMMAND_NAMES,
  activeParties,
  addDuration,
  agreementInputOf,
  allResponded,
  allSigned,
  applyCommand,
  approvalOutcome,
  championsAndCoordinator,
  commandRefusal,
  commitmentOutcome,
  coordinatorRecipient,
  countReminder,
  currentConsultation,
  currentDraft,
  duration,
  enterStage,
  everyone,
  findParty,
  initialState,
  isFinal,
  missingMilestones,
  nextDeadline,
  obligations,
  partnershipView,
  partyRecipients,
  revisionComplete,
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
import { REFUSAL_TYPE_PREFIX, agreementQuery, commandUpdate, stateQuery, type CommandInput, type CommandResult } from './messages';
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

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The life of one partnership, from the application to its end. Each stage waits for the facts
 * it needs (recorded by the command handlers below) while the timers of that stage fire, then
 * takes the next step and tells the people concerned.
 */
export async function partnershipWorkflow(input: PartnershipInput): Promise<PartnershipOutcome> {
  const state = input.state ?? initialState(input.start!.id, input.start!.request, Date.now());
  state.continueAsNewRequested = false;
  let changes = 0;
  // Commands whose register row and emails are still on their way: a stage change they cause
  // waits for them, so that the minute book lists the cause before the effect.
  let commandsInFlight = 0;

  setHandler(stateQuery, () => partnershipView(state));
  setHandler(agreementQuery, (language) => agreementInputOf(state, language === 'fr' ? 'fr' : 'en'));
  for (const name of COMMAND_NAMES) registerCommand(name);

  if (!input.state) {
    await record('partnership-started', 'coordinator', { template: state.template, title: state.title, parties: state.parties.map((p) => p.id) });
  }
  publishSearchAttributes();

  const STAGES: Record<Stage, () => Promise<void>> = {
    intake,
    commitment,
    groundwork,
    drafting,
    consultation,
    revision,
    approval,
    signing,
    'in-force': inForce,
    notice,
    declined: ended,
    abandoned: ended,
    dissolved: ended,
    expired: ended,
  };
  while (!isFinal(state.stage)) {
    await STAGES[state.stage]();
    publishSearchAttributes();
    if (!isFinal(state.stage) && continueAsNewDue()) {
      // Years in force: each run stays small. Commands already accepted finish first.
      await condition(allHandlersFinished);
      return continueAsNew<typeof partnershipWorkflow>({ state });
    }
  }
  await condition(allHandlersFinished);
  return { stage: state.stage, ...(state.closedReason ? { reason: state.closedReason } : {}) };

  // ── The stages ────────────────────────────────────────────────────────────────────────────

  /** Application received; the coordinator interviews and decides. */
  async function intake(): Promise<void> {
    if (!(await waitFor(() => state.intake !== undefined))) return;
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
    if (!(await waitFor(() => commitmentOutcome(state) !== 'pending'))) return;
    if (commitmentOutcome(state) === 'rejected') {
      if (patched('commitment-rejection-grace')) {
        // The coordinator may remove the party that said no and go on with the others; the
        // process ends only if that has not happened within one reminder period.
        state.rejectionGraceEndsAt ??= addDuration(Date.now(), duration(state, 'resolutionReminderEvery'));
        const graceOver = () => state.rejectionGraceEndsAt !== undefined && Date.now() >= state.rejectionGraceEndsAt;
        if (!(await waitFor(() => commitmentOutcome(state) !== 'rejected' || graceOver()))) return;
        if (commitmentOutcome(state) !== 'rejected') {
          state.rejectionGraceEndsAt = undefined;
          return; // the rejecting party was removed: commitment goes on with the others
        }
      }
      const rejected = state.resolutions.find((r) => r.subject === 'participation' && r.outcome === 'rejected')!;
      state.closedReason = `the governing body of ${rejected.partyId} rejected participation (${rejected.resolutionNumber})`;
      await moveTo('abandoned', state.closedReason);
      await notify('process-abandoned', 'process-abandoned', championsAndCoordinator(state), { reason: state.closedReason });
      return;
    }
    await moveTo('groundwork');
    await notify('commitment-complete', 'commitment-complete', championsAndCoordinator(state), {});
  }

  /** Launch workshop, communication protocol, studies: in any order, the template's required ones. */
  async function groundwork(): Promise<void> {
    if (!(await waitFor(() => missingMilestones(state).length === 0))) return;
    await moveTo('drafting');
    await notify('groundwork-complete', 'groundwork-complete', championsAndCoordinator(state), {});
  }

  /** The coordinator writes the first version of the agreement. */
  async function drafting(): Promise<void> {
    if (!(await waitFor(() => state.drafts.length > 0))) return;
    await openConsultation();
  }

  /** Councils and the community respond to the draft until the window closes or all have. */
  async function consultation(): Promise<void> {
    const round = currentConsultation(state)!;
    if (!(await waitFor(() => allResponded(state) || round.closedAt !== undefined))) return;
    if (round.closedAt === undefined) {
      round.closedAt = Date.now();
      round.closedEarly = true;
    }
    state.revisionOf = round.draftVersion;
    await moveTo('revision');
    await notify('consultation-closed', `consultation-closed:v${round.draftVersion}`, championsAndCoordinator(state), {
      draftVersion: round.draftVersion,
      responses: state.feedback.filter((f) => f.draftVersion === round.draftVersion).length,
      closedEarly: round.closedEarly === true,
    });
  }

  /** The review workshop, then a new version of the draft. */
  async function revision(): Promise<void> {
    if (!(await waitFor(() => revisionComplete(state)))) return;
    await openApproval();
  }

  /** Every governing body approves the named version; one rejection sends it back to revision. */
  async function approval(): Promise<void> {
    const round = state.approvalRound!;
    const superseded = () => currentDraft(state)!.version !== round.draftVersion;
    if (!(await waitFor(() => approvalOutcome(state) !== 'pending' || superseded()))) return;
    if (superseded()) {
      await openApproval(); // a new version asks for new approvals
      return;
    }
    if (approvalOutcome(state) === 'rejected') {
      const rejection = state.resolutions.find(
        (r) => r.subject === 'approval' && r.draftVersion === round.draftVersion && r.outcome === 'rejected',
      )!;
      state.revisionOf = round.draftVersion;
      await moveTo('revision', `version ${round.draftVersion} rejected by ${rejection.partyId}`);
      await notify('approval-rejected', `approval-rejected:v${round.draftVersion}`, everyone(state), {
        draftVersion: round.draftVersion,
        partyId: rejection.partyId,
        reason: rejection.reason ?? rejection.resolutionNumber,
      });
      return;
    }
    state.signingRound = { draftVersion: round.draftVersion, since: Date.now() };
    await moveTo('signing');
    const draft = currentDraft(state)!;
    for (const party of activeParties(state)) {
      await notify('signature-requested', `signature-requested:v${draft.version}:${party.id}`, partyRecipients(state, party.id, ['signatory']), {
        partyId: party.id,
        draftVersion: draft.version,
        draftHash: draft.sha256,
      });
    }
  }

  /** Each signatory signs the approved version; the last signature puts the agreement in force. */
  async function signing(): Promise<void> {
    const round = state.signingRound!;
    const superseded = () => currentDraft(state)!.version !== round.draftVersion;
    if (!(await waitFor(() => allSigned(state) || superseded()))) return;
    if (superseded()) {
      await openApproval();
      return;
    }
    const now = Date.now();
    const signed = state.signatures.filter((s) => s.draftVersion === round.draftVersion);
    const effectiveOn = signed.map((s) => s.signedOn).sort().at(-1)!;
    state.term = { effectiveAt: now, effectiveOn, endsAt: addDuration(now, duration(state, 'term')), number: 1 };
    await moveTo('in-force');
    await notify('signed', 'signed', everyone(state), { effectiveOn, endsOn: isoDay(state.term.endsAt) });
  }

  /** Reviews, the renewal meeting, renewals; expiry is a timer, notice a command. */
  async function inForce(): Promise<void> {
    if (!(await waitFor(() => state.notice !== undefined && state.notice.withdrawnAt === undefined))) return;
    const n = state.notice!;
    await moveTo('notice', `given by ${n.partyId}`);
    await notify('notice-received', `notice-received:${n.givenAt}`, everyone(state), {
      partyId: n.partyId,
      reason: n.reason,
      noticeDays: n.noticeDays,
      endsOn: isoDay(n.endsAt),
    });
  }

  /** The notice period runs to dissolution unless the party withdraws its notice. */
  async function notice(): Promise<void> {
    if (!(await waitFor(() => state.notice?.withdrawnAt !== undefined))) return;
    const n = state.notice!;
    state.pastNotices.push(n);
    state.notice = undefined;
    await moveTo('in-force', `notice of ${n.partyId} withdrawn`);
    await notify('notice-withdrawn', `notice-withdrawn:${n.givenAt}`, everyone(state), { partyId: n.partyId });
  }

  async function ended(): Promise<void> {}

  // ── Stage entries shared by several paths ─────────────────────────────────────────────────

  async function openConsultation(): Promise<void> {
    const draft = currentDraft(state)!;
    const now = Date.now();
    state.consultations.push({ draftVersion: draft.version, opensAt: now, closesAt: addDuration(now, duration(state, 'consultationWindow')) });
    await moveTo('consultation', `version ${draft.version}`);
    await notify('draft-open-for-feedback', `draft-open-for-feedback:v${draft.version}`, everyone(state), {
      draftVersion: draft.version,
      draftTitle: draft.title,
      closesAt: new Date(currentConsultation(state)!.closesAt).toISOString(),
    });
  }

  async function openApproval(): Promise<void> {
    const draft = currentDraft(state)!;
    state.approvalRound = { draftVersion: draft.version, since: Date.now() };
    state.signingRound = undefined;
    await moveTo('approval', `version ${draft.version}`);
    for (const party of activeParties(state)) {
      await notify(
        'resolution-requested',
        `resolution-requested:approval:v${draft.version}:${party.id}`,
        partyRecipients(state, party.id, ['clerk', 'champion']),
        { partyId: party.id, subject: 'approval', draftVersion: draft.version },
      );
    }
  }

  // ── Waiting, timers and reminders ─────────────────────────────────────────────────────────

  function continueAsNewDue(): boolean {
    return state.continueAsNewRequested === true || workflowInfo().continueAsNewSuggested;
  }

  /**
   * Waits until `done` holds, firing every deadline of the current state on time. Deadlines are
   * recomputed after each change, so a command that moves one takes effect at once. Returns
   * false when the stage should not go on: the process ended, or it continues as new first.
   */
  async function waitFor(done: () => boolean): Promise<boolean> {
    const interrupted = () => isFinal(state.stage) || continueAsNewDue();
    const finished = () => (done() || interrupted()) && commandsInFlight === 0;
    while (!finished()) {
      const deadline = nextDeadline(state);
      const seen = changes;
      if (deadline && deadline.at <= Date.now()) {
        await fire(deadline);
        continue;
      }
      const woke = await condition(() => finished() || changes !== seen, deadline ? deadline.at - Date.now() : undefined);
      if (!woke && deadline) await fire(deadline);
    }
    return !interrupted() || (done() && !isFinal(state.stage));
  }

  async function fire(deadline: Deadline): Promise<void> {
    const now = Date.now();
    const timerKey = `timer:${deadline.key}:${deadline.at}`;
    const partyId = deadline.partyId;
    switch (deadline.kind) {
      case 'resolution-reminder': {
        const subject = deadline.key.startsWith('approval') ? 'approval' : 'participation';
        const { count, escalate } = countReminder(state, deadline, now);
        state.timeline.push({ at: now, event: 'resolution-reminder', partyId, detail: `${subject}, reminder ${count}` });
        await record('resolution-reminder', 'timer', { obligation: deadline.key, count }, partyId, timerKey);
        await notify('resolution-reminder', `resolution-reminder:${deadline.key}:${count}`, partyRecipients(state, partyId!, ['clerk', 'champion']), {
          partyId,
          subject,
          count,
        });
        if (escalate) {
          await notify('resolution-escalation', `resolution-escalation:${deadline.key}`, [coordinatorRecipient(state)], { partyId, subject, count });
        }
        break;
      }
      case 'signature-reminder': {
        const { count } = countReminder(state, deadline, now);
        state.timeline.push({ at: now, event: 'signature-reminder', partyId, detail: `reminder ${count}` });
        await record('signature-reminder', 'timer', { obligation: deadline.key, count }, partyId, timerKey);
        await notify('signature-reminder', `signature-reminder:${deadline.key}:${count}`, partyRecipients(state, partyId!, ['signatory']), {
          partyId,
          draftVersion: state.signingRound?.draftVersion,
          count,
        });
        break;
      }
      case 'rejection-grace-end':
        await record('rejection-grace-ended', 'timer', {}, undefined, timerKey);
        break;
      case 'check-in': {
        const { count } = countReminder(state, deadline, now);
        await record('check-in', 'timer', { count }, undefined, timerKey);
        await notify('check-in', `check-in:${count}`, championsAndCoordinator(state), {
          count,
          nextCheckInAt: new Date(addDuration(now, duration(state, 'checkInEvery'))).toISOString(),
        });
        break;
      }
      case 'consultation-closing': {
        countReminder(state, deadline, now);
        const round = currentConsultation(state)!;
        const silent = obligations(state).flatMap((o) => (o.partyId ? partyRecipients(state, o.partyId, ['champion']) : []));
        await record('consultation-closing', 'timer', { draftVersion: round.draftVersion, silentParties: silent.map((r) => r.partyId) }, undefined, timerKey);
        await notify('consultation-closing', `consultation-closing:v${round.draftVersion}`, silent, {
          draftVersion: round.draftVersion,
          closesAt: new Date(round.closesAt).toISOString(),
        });
        break;
      }
      case 'consultation-close': {
        const round = currentConsultation(state)!;
        round.closedAt = now;
        round.closedEarly = false;
        await record('consultation-window-closed', 'timer', { draftVersion: round.draftVersion }, undefined, timerKey);
        break;
      }
      case 'review-due': {
        const { count } = countReminder(state, deadline, now);
        state.timeline.push({ at: now, event: 'review-due', detail: `review ${count}` });
        await record('review-due', 'timer', { count }, undefined, timerKey);
        await notify('review-due', `review-due:${count}`, championsAndCoordinator(state), { dueAt: new Date(now).toISOString(), reviewNumber: count });
        state.continueAsNewRequested = true;
        break;
      }
      case 'renewal-meeting': {
        countReminder(state, deadline, now);
        const term = state.term!;
        state.timeline.push({ at: now, event: 'renewal-meeting-reminder', detail: isoDay(term.endsAt) });
        await record('renewal-meeting', 'timer', { endsOn: isoDay(term.endsAt) }, undefined, timerKey);
        await notify('renewal-meeting', deadline.key, everyone(state), {
          endsOn: isoDay(term.endsAt),
          meetingBy: isoDay(addDuration(now, { months: 1, ms: 0 })),
        });
        break;
      }
      case 'expiry': {
        const term = state.term!;
        state.closedReason = `the term ended on ${isoDay(term.endsAt)} without renewal`;
        await moveTo('expired', state.closedReason);
        await notify('expired', `expired:${term.number}`, everyone(state), { endedOn: isoDay(term.endsAt) });
        break;
      }
      case 'notice-ending': {
        countReminder(state, deadline, now);
        const n = state.notice!;
        await record('notice-ending', 'timer', { endsOn: isoDay(n.endsAt) }, n.partyId, timerKey);
        await notify('notice-ending', deadline.key, everyone(state), { partyId: n.partyId, endsOn: isoDay(n.endsAt) });
        break;
      }
      case 'notice-end': {
        const n = state.notice!;
        state.pastNotices.push(n);
        state.closedReason = `dissolved at the end of the notice given by ${n.partyId}`;
        await moveTo('dissolved', state.closedReason);
        await notify('dissolved', `dissolved:${n.givenAt}`, everyone(state), { partyId: n.partyId, endedOn: isoDay(n.endsAt) });
        break;
      }
      case 'party-withdrawal': {
        const party = findParty(state, partyId!)!;
        party.status = 'withdrawn';
        state.timeline.push({ at: now, event: 'party-withdrawn', partyId });
        await record('party-withdrawn', 'timer', {}, partyId, timerKey);
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
        // Temporal deduplicates by update id within a run; this covers repeats across continue-as-new.
        if (state.applied[command.requestId]) return { requestId: command.requestId, command: name };
        const now = Date.now();
        state.applied[command.requestId] = { command: name, fingerprint: fingerprint(command), at: now };
        commandsInFlight++;
        try {
          const applied = applyCommand(state, name, command, actor, now);
          changes++;
          await record(name, actorLabel(actor), { ...command }, applied.partyId, `command:${command.requestId}`);
          for (const [i, n] of applied.notifications.entries()) {
            await notify(n.event, `${n.event}:${command.requestId}:${i}`, n.recipients, n.data);
          }
        } finally {
          commandsInFlight--;
          publishChange();
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
    const refusal = commandRefusal(state, name, command, input.actor, Date.now());
    if (refusal) {
      throw ApplicationFailure.create({ type: `${REFUSAL_TYPE_PREFIX}${refusal.code}`, message: refusal.message, nonRetryable: true });
    }
  }

  // ── Effects ───────────────────────────────────────────────────────────────────────────────

  async function moveTo(stage: Stage, detail?: string): Promise<void> {
    enterStage(state, stage, Date.now(), detail);
    changes++;
    publishChange();
    await record(`stage:${stage}`, 'workflow', detail ? { detail } : {}, undefined, `stage:${stage}:${state.timeline.length}`);
  }

  /**
   * Sends one email event. A permanent rejection by the mail server is recorded in the register
   * (by the activity) and does not stop the process: the rest of the partnership goes on.
   */
  async function notify(
    event: NotificationEvent,
    keySuffix: string,
    recipients: Recipient[],
    data: Record<string, string | number | boolean | undefined>,
  ): Promise<void> {
    if (recipients.length === 0) return;
    try {
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
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.timeline.push({ at: Date.now(), event: 'notification-failed', detail: event });
    }
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

  /**
   * Listing by stage and next deadline should not wait for the end of a stage. Runs started
   * before this published only between stages; the patch keeps their replay identical.
   */
  function publishChange(): void {
    if (patched('publish-search-attributes-on-change')) publishSearchAttributes();
  }

  function publishSearchAttributes(): void {
    const deadline = nextDeadline(state);
    upsertSearchAttributes([
      { key: STAGE, value: state.stage },
      { key: TEMPLATE, value: state.template },
      { key: PARTIES, value: activeParties(state).map((p) => p.id) },
      { key: NEXT_DEADLINE, value: deadline ? new Date(deadline.at) : null },
    ]);
  }

  function allChampions(): Recipient[] {
    return activeParties(state).flatMap((p) => partyRecipients(state, p.id, ['champion']));
  }
}

const actorLabel = (actor: Actor): string => (actor.partyId ? `${actor.role}:${actor.partyId}` : actor.role);
