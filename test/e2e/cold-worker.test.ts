/**
 * A command to a partnership that a worker just started holds in no cache (it was restarted), on
 * the Temporal CLI dev server: the worker replays the run, then applies the command.
 *
 * | scenario                                                        | expected                                                   |
 * |-----------------------------------------------------------------|------------------------------------------------------------|
 * | in groundwork on a run just handed over, the worker restarted,  | the milestone applied; every run's history replays against |
 * | a milestone sent (it sets the stage's first deadline)           | the workflow code                                          |
 * | in commitment, the last workflow task recorded nothing (it took | the same                                                   |
 * | the emails' activity result), the worker restarted, a second    |                                                            |
 * | resolution sent                                                 |                                                            |
 */
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer, eventually } from '../helpers/api-harness';
import { startHarness, suiteCodec, workflowBundle, type Harness } from '../helpers/worker-harness';
import { runHistories } from '../helpers/histories';
import { requestId, startRequest } from '../helpers/fixtures';
import { dataConverterFor } from '../../config/codec';
import { createEntenteWorker, createMailTransport } from '../../worker/create-worker';
import { PARTY_IDS, send, untilStage } from '../../bench/lifecycle';

let env: TestWorkflowEnvironment;
let h: Harness;
const codec = suiteCodec();

beforeAll(async () => {
  env = await startDevServer(codec ? { codec } : {});
  h = await startHarness(env.nativeConnection, 'default', codec ? { codec } : {});
}, 120_000);

afterAll(async () => {
  await h?.stop();
  await env?.teardown();
});

/** A second worker on the harness's task queue and register, with an empty cache: as after a restart. */
async function restartedWorker(): Promise<{ stop(): Promise<void> }> {
  const transport = createMailTransport(h.smtp.url);
  const worker = await createEntenteWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: h.taskQueue,
    db: h.db,
    transport,
    mail: { from: 'Entente <entente@test.example>', publicUrl: 'http://entente.test', messageIdDomain: 'entente.test' },
    workflowBundle: await workflowBundle(),
    ...(codec ? { dataConverter: dataConverterFor(codec) } : {}),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      transport.close();
    },
  };
}

/** Every run of the partnership, first to last, replays against the workflow code. */
async function expectEveryRunReplays(handle: WorkflowHandle, firstRunId: string): Promise<void> {
  const runs = await runHistories(env.client, handle.workflowId, firstRunId);
  const replays = Worker.runReplayHistories(
    { workflowBundle: await workflowBundle(), replayName: 'cold-worker-replay', ...(codec ? { dataConverter: dataConverterFor(codec) } : {}) },
    runs.map((history, i) => ({ workflowId: `${handle.workflowId}-run-${i}`, history })),
  );
  for await (const result of replays)
    expect({ workflowId: result.workflowId, error: result.error?.message }).toEqual({ workflowId: result.workflowId, error: undefined });
}

/** A party's participation resolution, adopted, as its clerk records it. */
const adoptParticipation = (handle: WorkflowHandle, partyId: string) =>
  send(
    handle,
    'recordResolution',
    { partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: `P-${partyId}`, adoptedOn: '2026-02-01' },
    { role: 'clerk', partyId },
  );

test('a command to a partnership that a restarted worker replays first leaves a history that replays', async () => {
  const slug = requestId('cold');
  const start = startRequest({ slug });
  const handle = await env.client.workflow.start('partnershipWorkflow', {
    workflowId: `partnership-${slug}`,
    taskQueue: h.taskQueue,
    args: [{ start: { id: slug, request: start } }],
  });
  await send(handle, 'recordIntakeDecision', { accepted: true, interviewedOn: '2026-01-15' });
  await untilStage(handle, 'commitment');
  for (const partyId of PARTY_IDS) await adoptParticipation(handle, partyId);
  await untilStage(handle, 'groundwork');
  const firstRunId = handle.firstExecutionRunId;
  // The run that reached groundwork hands over at its next quiet moment (its history is long).
  await eventually(async () => ((await handle.describe()).runId !== firstRunId ? true : undefined), 'the run to hand over', 30_000);
  await h.worker.shutdown();
  await h.running;
  const second = await restartedWorker();
  try {
    await send(handle, 'recordMilestone', { milestone: 'launch-workshop', completedOn: '2026-02-10' });
    await expectEveryRunReplays(handle, firstRunId);
  } finally {
    await second.stop();
  }
}, 180_000);

test('a command to a partnership whose last workflow task recorded nothing, on a restarted worker, leaves a history that replays', async () => {
  if (h.worker.getState() === 'RUNNING') {
    h.worker.shutdown();
    await h.running;
  }
  const first = await restartedWorker();
  const slug = requestId('cold-quiet');
  const handle = await env.client.workflow.start('partnershipWorkflow', {
    workflowId: `partnership-${slug}`,
    taskQueue: h.taskQueue,
    args: [{ start: { id: slug, request: startRequest({ slug }) } }],
  });
  const firstRunId = handle.firstExecutionRunId;
  try {
    await send(handle, 'recordIntakeDecision', { accepted: true, interviewedOn: '2026-01-15' });
    await untilStage(handle, 'commitment');
    await adoptParticipation(handle, PARTY_IDS[0]!);
    // The resolution's emails handed to the mail server: the task that takes the activity's result
    // records nothing (the outbox emptied, nothing else to do).
    await eventually(async () => {
      const events = (await env.client.workflow.getHandle(handle.workflowId).fetchHistory()).events ?? [];
      const last = events.at(-1);
      const activityDone = events.some((e) => e.activityTaskCompletedEventAttributes);
      return activityDone && last?.workflowTaskCompletedEventAttributes ? true : undefined;
    }, 'a last workflow task that recorded nothing after the emails went');
  } finally {
    await first.stop();
  }
  const second = await restartedWorker();
  try {
    await adoptParticipation(handle, PARTY_IDS[1]!);
    await expectEveryRunReplays(handle, firstRunId);
  } finally {
    await second.stop();
  }
}, 180_000);
