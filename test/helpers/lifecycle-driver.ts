import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { claimCheck, type Actor, type CommandBody, type CommandName, type PartnershipView } from '../../domain';
import { commandInput, commandUpdate, stateQuery } from '../../workflows/messages';
import { requestId } from './fixtures';
import { eventually, settledHistoryLength } from './polling';

export const coordinator: Actor = { role: 'coordinator' };
export const clerkOf = (partyId: string): Actor => ({ role: 'clerk', partyId });
export const signatoryOf = (partyId: string): Actor => ({ role: 'signatory', partyId });
export const championOf = (partyId: string): Actor => ({ role: 'champion', partyId });

type Body<N extends CommandName> = Omit<CommandBody<N>, 'requestId'> & { requestId?: string };

/**
 * Sends one command as an update, as the API does (texts replaced by their references, the short
 * ones carried along), with a fresh request id unless one is given.
 */
export async function send<N extends CommandName>(handle: WorkflowHandle, name: N, body: Body<N>, actor: Actor = coordinator) {
  const { command, texts } = claimCheck(name, { requestId: requestId(name), ...body } as CommandBody<N>);
  const result = await handle.executeUpdate(commandUpdate(name), { args: [commandInput(actor, command as never, texts)] });
  await settled(handle);
  return result;
}

const settling = new WeakMap<WorkflowHandle, Client>();

/**
 * With short runs on the Java time-skipping server: each command waits for the run to settle (its
 * emails sent, no workflow task to come, and a long run handed over), so that the next is not sent
 * while the run hands over. That server fails the hand-over's workflow task when a command arrives
 * during it ("invalid history builder state for action") and the partnership stalls; a real server
 * answers the command "workflow is closing" and the client sends it to the next run (the
 * end-to-end suites). A long run hands over once a second old, when the timer it set for that
 * fires: on the server's clock, which moves with the wall clock between skips.
 */
export function settleBetweenCommands(client: Client, handle: WorkflowHandle): void {
  settling.set(handle, client);
}

/** Waits for the run to settle, if its commands are to (see settleBetweenCommands). */
export async function settled(handle: WorkflowHandle): Promise<void> {
  const client = settling.get(handle);
  if (client) await settledHistoryLength(client, handle.workflowId, 20_000, true);
}

export const view = (handle: WorkflowHandle): Promise<PartnershipView> => handle.query(stateQuery);

/** Polls the state in real time: timers fire on the server, their effects reach the worker a moment later. */
export async function until(handle: WorkflowHandle, predicate: (v: PartnershipView) => boolean, timeoutMs = 20_000): Promise<PartnershipView> {
  let last: PartnershipView | undefined;
  return eventually(
    async () => {
      last = await view(handle);
      return predicate(last) ? last : undefined;
    },
    () => `a state that matches; stage ${last?.stage}, timeline tail ${JSON.stringify(last?.timeline.slice(-3))}`,
    timeoutMs,
  );
}

/** Moves the test server's clock to an instant (no-op when already past it). */
export async function sleepUntil(env: TestWorkflowEnvironment, epochMs: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (epochMs > now) await env.sleep(epochMs - now);
}

const DRAFT_TEXT = (version: number) => `Entente de services partagés — version ${version}.\nLes parties conviennent de partager l'eau potable.`;

/** Intake to in-force for a CIPP process whose parties all say yes, with every step over updates. */
export async function driveToInForce(handle: WorkflowHandle, partyIds: string[]): Promise<PartnershipView> {
  await send(handle, 'recordIntakeDecision', { accepted: true, interviewedOn: '2026-01-15' });
  await until(handle, (v) => v.stage === 'commitment');
  for (const partyId of partyIds) {
    await send(
      handle,
      'recordResolution',
      { partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: `P-${partyId}`, adoptedOn: '2026-02-01' },
      clerkOf(partyId),
    );
  }
  await until(handle, (v) => v.stage === 'groundwork');
  await driveGroundworkToApproval(handle, partyIds);
  return approveAndSign(handle, partyIds, 2);
}

export async function driveGroundworkToApproval(handle: WorkflowHandle, partyIds: string[]): Promise<void> {
  await send(handle, 'recordMilestone', { milestone: 'launch-workshop', completedOn: '2026-02-10' });
  await send(handle, 'recordMilestone', { milestone: 'communication-protocol', completedOn: '2026-02-20' });
  await send(handle, 'recordMilestone', { milestone: 'feasibility-study', completedOn: '2026-03-01' });
  await send(handle, 'recordMilestone', { milestone: 'funding-proposal', skipped: true, reason: 'No outside funding needed' });
  await send(handle, 'recordMilestone', { milestone: 'public-engagement-strategy', completedOn: '2026-03-05' });
  await until(handle, (v) => v.stage === 'drafting');
  await send(handle, 'submitDraft', { version: 1, title: 'Entente — version 1', text: DRAFT_TEXT(1) });
  await until(handle, (v) => v.stage === 'consultation');
  for (const partyId of partyIds) {
    await send(handle, 'submitFeedback', { partyId, author: `Council of ${partyId}`, comments: 'Clarify the cost sharing.' }, championOf(partyId));
  }
  await until(handle, (v) => v.stage === 'revision');
  await send(handle, 'recordMilestone', { milestone: 'review-workshop', completedOn: '2026-04-10' });
  await send(handle, 'submitDraft', { version: 2, title: 'Entente — version 2', text: DRAFT_TEXT(2) });
  await until(handle, (v) => v.stage === 'approval');
}

export async function approveAndSign(handle: WorkflowHandle, partyIds: string[], version: number): Promise<PartnershipView> {
  for (const partyId of partyIds) {
    await send(
      handle,
      'recordResolution',
      { partyId, subject: 'approval', outcome: 'adopted', resolutionNumber: `A-${partyId}-v${version}`, adoptedOn: '2026-05-01', draftVersion: version },
      clerkOf(partyId),
    );
  }
  await until(handle, (v) => v.stage === 'signing');
  for (const partyId of partyIds) {
    await send(
      handle,
      'sign',
      { partyId, signatoryName: `Signatory of ${partyId}`, signatoryTitle: 'Mayor', signedOn: '2026-05-15', draftVersion: version },
      signatoryOf(partyId),
    );
  }
  return until(handle, (v) => v.stage === 'in-force');
}

export { DRAFT_TEXT };
