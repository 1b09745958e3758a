/**
 * Reads of running partnerships, and what they leave behind, over HTTP against the Temporal CLI
 * dev server, on a worker that keeps only two partnerships cached (so it replays the others from
 * their histories all the time, as a worker holding thousands does).
 *
 * | scenario                                                   | expected                                                        |
 * |------------------------------------------------------------|-----------------------------------------------------------------|
 * | GET a running partnership and its agreement, five times    | answered; its history just as long as before (a read writes     |
 * | (after a first read)                                       | nothing to it)                                                  |
 * | a partnership whose workflow task fails (started by hand   | GET and a command answer 503 "The partnership is failing", the  |
 * | with an input its code cannot read)                        | detail saying nothing was applied (as a query, a read failed    |
 * |                                                            | after 30 s with a 500)                                          |
 * | six partnerships driven to in force at once, each polled   | every one in force; no workflow task failed in any run; every   |
 * | over GET while it waits for a stage, a refused command     | run's history replays against the workflow code                 |
 * | beside every third read                                    |                                                                 |
 *
 * Both halves of the second row fail without the change they cover: reads by state query let
 * SDK 1.24 apply a waiting event early on a worker that evicted the partnership (README, "Known
 * issues"), and a workflow that decided from a clock or history length that moved within a refused
 * update's workflow task recorded commands that its replay does not make.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually, startApi, startDevServer, settledHistoryLength, type ApiHarness } from '../helpers/api-harness';
import { pause } from '../helpers/polling';
import { PartnershipBusy } from '../../api/errors';
import { translate } from '../../api/service';
import { startHarness, suiteCodec, workflowBundle, type Harness } from '../helpers/worker-harness';
import { runHistories } from '../helpers/histories';
import { dataConverterFor } from '../../config/codec';
import { PARTY_IDS, driveToInForce } from '../../bench/lifecycle';
import { requestId, startRequest } from '../helpers/fixtures';
import type { PartnershipView } from '../../domain';
import { commandInput, commandUpdate } from '../../workflows/messages';

const { WorkflowTaskFailedCause } = temporal.api.enums.v1;

let env: TestWorkflowEnvironment;
let h: Harness;
let api: ApiHarness;

beforeAll(async () => {
  const codec = suiteCodec();
  env = await startDevServer(codec ? { codec } : {});
  h = await startHarness(env.nativeConnection, 'default', { maxCachedWorkflows: 2, ...(codec ? { codec } : {}) });
  api = await startApi(env.client, h.db, h.taskQueue, { writesPerMinute: 100_000, ...(codec ? { codec } : {}) });
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await h?.stop();
  await env?.teardown();
});

const slugOf = (handle: WorkflowHandle) => handle.workflowId.replace(/^partnership-/, '');

/** Started over HTTP, as a coordinator does; the commands then go as the API sends them. */
async function startPartnership(): Promise<WorkflowHandle> {
  const slug = requestId('reads');
  const res = await api.call('POST', '/partnerships', startRequest({ slug }));
  if (res.status !== 201) throw new Error(`start ${slug}: ${res.status} ${JSON.stringify(res.body)}`);
  return env.client.workflow.getHandle(`partnership-${slug}`);
}

/** The state as the API answers it (the read a person's page makes). */
async function readOverHttp(handle: WorkflowHandle): Promise<PartnershipView> {
  let res = await api.call('GET', `/partnerships/${slugOf(handle)}`);
  // Told to send it again a moment later (its run was handing over each time the API tried), as a page would.
  for (let attempt = 1; attempt < 3 && res.status === 503 && res.body?.title === 'The partnership is busy'; attempt++) {
    await pause(200);
    res = await api.call('GET', `/partnerships/${slugOf(handle)}`);
  }
  if (res.status !== 200) throw new Error(`GET ${handle.workflowId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as PartnershipView;
}

/** A command the workflow's validator refuses, whatever the stage (its request id is malformed). */
async function refusedCommand(handle: WorkflowHandle): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const err = await handle
      .executeUpdate(commandUpdate('recordReview'), { args: [commandInput({ role: 'coordinator' }, { requestId: 'not an id!' } as never)] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // A run handing over answers before any validator ran, and the next run takes the update (as
    // the API's client sends it again: api/outages.ts); the suite's client does not retry it.
    if (attempt < 5 && translate(err, slugOf(handle)) instanceof PartnershipBusy) continue;
    expect({ error: (err as Error | undefined)?.constructor.name, message: (err as Error | undefined)?.message }).toEqual({
      error: WorkflowUpdateFailedError.name,
      message: expect.any(String),
    });
    return;
  }
}

test('reads of a running partnership, state or agreement, write nothing to its history', async () => {
  const handle = await startPartnership();
  // The server may keep the first refused update's workflow task of a run as an empty one (three
  // events, no command): seen only right after the run's first task. Counted from after it.
  expect((await readOverHttp(handle)).stage).toBe('intake');
  const before = await settledHistoryLength(env.client, handle.workflowId);
  for (let i = 0; i < 5; i++) {
    const view = await readOverHttp(handle);
    expect(view.stage).toBe('intake');
    // The example's provider is named only once it commits: the workflow's data is read, and says so.
    const agreement = await api.call('GET', `/partnerships/${slugOf(handle)}/agreement?lang=fr`, undefined, { accept: 'text/markdown' });
    expect({ status: agreement.status, title: agreement.body?.title }).toEqual({ status: 409, title: 'The agreement cannot be rendered' });
  }
  expect(await settledHistoryLength(env.client, handle.workflowId)).toBe(before);
}, 60_000);

test('partnerships read over HTTP and sent refused commands while a small cache evicts them reach in force, and every run replays', async () => {
  const handles = await Promise.all(Array.from({ length: 6 }, () => startPartnership()));
  await Promise.all(
    handles.map((handle) => {
      let reads = 0;
      return driveToInForce(handle, PARTY_IDS, async (polled) => {
        if (reads++ % 3 > 0) return readOverHttp(polled);
        const [view] = await Promise.all([readOverHttp(polled), refusedCommand(polled)]);
        return view;
      });
    }),
  );

  const codec = suiteCodec();
  for (const handle of handles) {
    const firstRunId = (await handle.describe()).raw.workflowExecutionInfo!.firstRunId!;
    const runs = await runHistories(env.client, handle.workflowId, firstRunId);
    // UNHANDLED_COMMAND is Temporal's "events came in while you decided, decide again": not a fault.
    const failed = runs
      .flatMap((run) => run.events ?? [])
      .flatMap((e) => e.workflowTaskFailedEventAttributes ?? [])
      .filter((f) => f.cause !== WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND)
      .map((f) => `${WorkflowTaskFailedCause[f.cause ?? 0]}: ${f.failure?.message ?? ''}`);
    expect({ workflowId: handle.workflowId, failed }).toEqual({ workflowId: handle.workflowId, failed: [] });
    const replays = Worker.runReplayHistories(
      { workflowBundle: await workflowBundle(), replayName: 'reads-replay', ...(codec ? { dataConverter: dataConverterFor(codec) } : {}) },
      runs.map((history, i) => ({ workflowId: `${handle.workflowId}-run-${i}`, history })),
    );
    for await (const result of replays)
      expect({ workflowId: result.workflowId, error: result.error }).toEqual({ workflowId: result.workflowId, error: undefined });
  }
}, 240_000);

test('a partnership whose workflow task fails answers reads and commands 503, saying so', async () => {
  const slug = requestId('failing');
  // No `start` in the input: the workflow's first line throws, and its workflow task fails on every attempt.
  const handle = await env.client.workflow.start('partnershipWorkflow', { workflowId: `partnership-${slug}`, taskQueue: h.taskQueue, args: [{}] });
  try {
    await eventually(
      async () => ((await handle.fetchHistory()).events?.some((e) => e.workflowTaskFailedEventAttributes) ? true : undefined),
      'its first workflow task to fail',
    );
    const read = await api.call('GET', `/partnerships/${slug}`);
    const command = await api.call('POST', `/partnerships/${slug}/intake-decision`, {
      requestId: requestId('intake'),
      accepted: true,
      interviewedOn: '2026-01-15',
    });
    for (const res of [read, command]) {
      expect({ status: res.status, title: res.body?.title }).toEqual({ status: 503, title: 'The partnership is failing' });
      expect(res.body.detail).toMatch(/nothing sent was applied/);
    }
  } finally {
    await handle.terminate('test over');
  }
}, 60_000);
