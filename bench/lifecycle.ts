/**
 * One whole partnership over the raw Temporal client, as the API would drive it: intake, both
 * participation resolutions, the groundwork, two drafts around a consultation, approvals,
 * signatures, then a notice that dissolves it. The same steps as the workflow and end-to-end
 * tests (test/helpers/lifecycle-driver.ts), kept here because the Docker build compiles bench/
 * without test/.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { claimCheck, type Actor, type CommandBody, type CommandName, type PartnershipView, type Stage } from '../domain';
import { commandInput, commandUpdate, stateQuery } from '../workflows/messages';
import { STAGE } from '../workflows/search-attributes';
import { sleep } from './stack';
import { startRequest, unique } from './services';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const coordinator: Actor = { role: 'coordinator' };
const clerkOf = (partyId: string): Actor => ({ role: 'clerk', partyId });
const signatoryOf = (partyId: string): Actor => ({ role: 'signatory', partyId });
const championOf = (partyId: string): Actor => ({ role: 'champion', partyId });

type Body<N extends CommandName> = Omit<CommandBody<N>, 'requestId'>;

/** One command as an update as the API sends it: texts replaced by their references, the short ones along. */
export async function send<N extends CommandName>(handle: WorkflowHandle, name: N, body: Body<N>, actor: Actor = coordinator): Promise<unknown> {
  const { command, texts } = claimCheck(name, { requestId: unique(name), ...body } as CommandBody<N>);
  return handle.executeUpdate(commandUpdate(name), { args: [commandInput(actor, command as never, texts)] });
}

/** How a driver reads the state: the state query, as a raw client would, unless told otherwise. */
export type StateRead = (handle: WorkflowHandle) => Promise<PartnershipView>;
const queryState: StateRead = (handle) => handle.query(stateQuery);

/** Polls the state until the stage is reached (a stage steps once its command's register row is written). */
export async function untilStage(handle: WorkflowHandle, stage: Stage, timeoutMs = 30_000, read: StateRead = queryState): Promise<PartnershipView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const view = await read(handle);
    if (view.stage === stage) return view;
    if (Date.now() > until) throw new Error(`${handle.workflowId} never reached ${stage}; it is in ${view.stage}`);
    await sleep(20);
  }
}

const DRAFT = (version: number) => `Entente de services partagés — version ${version}.\nLes parties conviennent de partager l'eau potable.`;

/** Intake to in-force for the example's two parties, every step an update; returns the commands sent. */
export async function driveToInForce(handle: WorkflowHandle, partyIds: string[], read: StateRead = queryState): Promise<number> {
  let sent = 0;
  const reached = (stage: Stage) => untilStage(handle, stage, 30_000, read);
  const step = async <N extends CommandName>(name: N, body: Body<N>, actor?: Actor) => {
    await send(handle, name, body, actor);
    sent++;
  };
  await step('recordIntakeDecision', { accepted: true, interviewedOn: '2026-01-15' });
  await reached('commitment');
  for (const partyId of partyIds) {
    await step(
      'recordResolution',
      { partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: `P-${partyId}`, adoptedOn: '2026-02-01' },
      clerkOf(partyId),
    );
  }
  await reached('groundwork');
  await step('recordMilestone', { milestone: 'launch-workshop', completedOn: '2026-02-10' });
  await step('recordMilestone', { milestone: 'communication-protocol', completedOn: '2026-02-20' });
  await step('recordMilestone', { milestone: 'feasibility-study', completedOn: '2026-03-01' });
  await step('recordMilestone', { milestone: 'funding-proposal', skipped: true, reason: 'No outside funding needed' });
  await step('recordMilestone', { milestone: 'public-engagement-strategy', completedOn: '2026-03-05' });
  await reached('drafting');
  await step('submitDraft', { version: 1, title: 'Entente — version 1', text: DRAFT(1) });
  await reached('consultation');
  for (const partyId of partyIds) {
    await step('submitFeedback', { partyId, author: `Council of ${partyId}`, comments: 'Clarify the cost sharing.' }, championOf(partyId));
  }
  await reached('revision');
  await step('recordMilestone', { milestone: 'review-workshop', completedOn: '2026-04-10' });
  await step('submitDraft', { version: 2, title: 'Entente — version 2', text: DRAFT(2) });
  await reached('approval');
  for (const partyId of partyIds) {
    await step(
      'recordResolution',
      { partyId, subject: 'approval', outcome: 'adopted', resolutionNumber: `A-${partyId}-v2`, adoptedOn: '2026-05-01', draftVersion: 2 },
      clerkOf(partyId),
    );
  }
  await reached('signing');
  for (const partyId of partyIds) {
    await step(
      'sign',
      { partyId, signatoryName: `Signatory of ${partyId}`, signatoryTitle: 'Mayor', signedOn: '2026-05-15', draftVersion: 2 },
      signatoryOf(partyId),
    );
  }
  await reached('in-force');
  return sent;
}

export const PARTY_IDS = ['riverside', 'maple'];

/** Starts a partnership of the example with the raw client (its durations pass no floor). */
export async function startPartnership(client: Client, taskQueue: string, slug: string, durations: Record<string, string> = {}): Promise<WorkflowHandle> {
  return client.workflow.start('partnershipWorkflow', {
    workflowId: `partnership-${slug}`,
    taskQueue,
    args: [{ start: { id: slug, request: startRequest(slug, durations) } }],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
}

export interface LifecycleFigures {
  /** From the start until the state says in-force. */
  inForceMs: number;
  /** From the start until the result: dissolved, with the outbox drained (the run waits for its last email). */
  wallMs: number;
  commands: number;
  runs: number;
  events: number;
  activities: number;
  upserts: number;
  stageChanges: number;
}

/**
 * Start to dissolved: the start, the commands to in-force, a notice whose period ("1 second", 0
 * whole days) ends at once, then the result. Counted from every run's history.
 */
export async function oneLifecycle(client: Client, taskQueue: string): Promise<LifecycleFigures> {
  const started = Date.now();
  const handle = await startPartnership(client, taskQueue, unique('bench-lifecycle'), { noticePeriod: '1 second' });
  let commands = await driveToInForce(handle, PARTY_IDS);
  const inForceMs = Date.now() - started;
  await send(handle, 'giveNotice', { partyId: 'maple', reason: 'Le conseil a choisi un autre fournisseur' }, championOf('maple'));
  commands++;
  const outcome = (await handle.result()) as { stage: Stage };
  const wallMs = Date.now() - started;
  if (outcome.stage !== 'dissolved') throw new Error(`the lifecycle ended ${outcome.stage}, not dissolved`);
  return { inForceMs, wallMs, commands, ...(await historyFigures(client, handle.workflowId)) };
}

/** Events, activities scheduled, search-attribute upserts and stage changes over every run of a workflow. */
export async function historyFigures(client: Client, workflowId: string): Promise<Omit<LifecycleFigures, 'inForceMs' | 'wallMs' | 'commands'>> {
  const figures = { runs: 0, events: 0, activities: 0, upserts: 0, stageChanges: 0 };
  // The stages the runs published, newest run first: the register's stage rows are written by a
  // local activity, whose input the history does not keep, so the stage search attribute tells.
  const published: string[][] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history: { events?: HistoryEvent[] | null } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    const stages: string[] = [];
    figures.runs++;
    figures.events += events.length;
    for (const e of events) {
      if (e.activityTaskScheduledEventAttributes) figures.activities++;
      const upsert = e.upsertWorkflowSearchAttributesEventAttributes;
      if (upsert) figures.upserts++;
      const stage = upsert?.searchAttributes?.indexedFields?.[STAGE.name]?.data;
      if (stage) stages.push(Buffer.from(stage).toString('utf8'));
    }
    published.push(stages);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  const stages = published.reverse().flat();
  figures.stageChanges = stages.filter((stage, i) => i > 0 && stage !== stages[i - 1]).length;
  return figures;
}
