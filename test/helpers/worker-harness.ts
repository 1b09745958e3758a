import type { Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../workflows/search-attributes';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { EncryptionCodec, codecKeysFromEnv, dataConverterFor } from '../../config/codec';
import { openRegister, type RegisterDb } from '../../store/database';
import { createEntenteWorker, createMailTransport } from '../../worker/create-worker';
import { bundleEntenteWorkflows } from '../../worker/workflow-bundle';
import type { MailSettings } from '../../activities/notifications/send';
import { SmtpReceiver } from './smtp';
import { testServerPath } from './tools';
import { pause, silentLogger } from './polling';
import type { PartnershipInput } from '../../workflows/partnership';

let bundle: { code: string } | undefined;

/** Bundled once per test file: webpack takes seconds. */
export async function workflowBundle() {
  bundle ??= await bundleEntenteWorkflows(silentLogger);
  return bundle;
}

/**
 * The tests' codec keys, as a deployment sets them (ENTENTE_CODEC_KEYS): a retired key and the
 * current one. Fixed, so that a history saved with them replays in a later run.
 */
export const TEST_CODEC_KEYS = {
  ENTENTE_CODEC_KEYS: `test-2025:${Buffer.alloc(32, 0x25).toString('base64')},test-2026:${Buffer.alloc(32, 0x26).toString('base64')}`,
  ENTENTE_CODEC_KEY_ID: 'test-2026',
};

/** The payload codec of a deployment, with the tests' keys: the worker and every client share it. */
export const testCodec = (): EncryptionCodec => new EncryptionCodec(codecKeysFromEnv(TEST_CODEC_KEYS)!);

/**
 * `ENTENTE_TEST_CODEC=1` runs the harnesses' workers and clients with the codec, as a deployment
 * with keys does. Off by default: bad-input and flood read raw payloads from histories on purpose
 * (the durations a start carried, the texts kept out of history), and outages, skeleton-over-http
 * and chaos make clients or worker processes of their own, without it.
 */
export const suiteCodec = (): EncryptionCodec | undefined => (process.env.ENTENTE_TEST_CODEC === '1' ? testCodec() : undefined);

export interface HarnessOptions {
  /** The payload codec of the worker (and of every client that talks to it); suiteCodec() when unset. */
  codec?: PayloadCodec;
  /** Mail settings other than the tests' own (a link lifetime of seconds, say). */
  mail?: Partial<MailSettings>;
  /** The worker's identity, to stand in for a worker from before a feature (see WORKER_FEATURES). */
  identity?: string;
  /** Partnerships the worker keeps cached: a small cache makes it replay them all the time. */
  maxCachedWorkflows?: number;
}

export interface Harness {
  worker: Worker;
  running: Promise<void>;
  smtp: SmtpReceiver;
  db: RegisterDb;
  dbFile: string;
  taskQueue: string;
  stop(): Promise<void>;
}

/** gRPC's UNIMPLEMENTED: the time-skipping test server has no DescribeTaskQueue. */
const UNIMPLEMENTED = 12;

async function untilPolling(connection: NativeConnection, namespace: string, taskQueue: string, running: Promise<void>): Promise<void> {
  let stopped = false;
  void running.finally(() => (stopped = true)).catch(() => undefined);
  for (const until = Date.now() + 30_000; !stopped; await pause(50)) {
    let pollers: unknown[] | null | undefined;
    try {
      ({ pollers } = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }));
    } catch (err) {
      // Where Temporal cannot say, the API cannot ask either: nothing to wait for.
      if ((err as { code?: number }).code === UNIMPLEMENTED) return;
      throw err;
    }
    if ((pollers ?? []).length > 0) return;
    if (Date.now() > until) throw new Error(`no poller seen on ${taskQueue} within 30 s`);
  }
  await running;
}

/** A real worker with real activities: a SQLite register file and an SMTP receiver on loopback. */
export async function startHarness(connection: NativeConnection, namespace = 'default', options: HarnessOptions = {}): Promise<Harness> {
  const codec = options.codec ?? suiteCodec();
  const smtp = await new SmtpReceiver().start();
  const dbFile = join(mkdtempSync(join(tmpdir(), 'entente-')), 'register.db');
  const db = await openRegister(`sqlite:${dbFile}`);
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  const transport = createMailTransport(smtp.url);
  const worker = await createEntenteWorker({
    connection,
    namespace,
    taskQueue,
    db,
    transport,
    mail: { from: 'Entente <entente@test.example>', publicUrl: 'http://entente.test', messageIdDomain: 'entente.test', ...options.mail },
    workflowBundle: await workflowBundle(),
    ...(codec ? { dataConverter: dataConverterFor(codec) } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  });
  const running = worker.run();
  const stop = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    transport.close();
    await smtp.stop();
    await db.destroy();
  };
  // Returned once Temporal has seen it poll, as the API asks (DescribeTaskQueue): a command sent
  // before that is rightly answered 503 "no worker is running", which a test did not mean to check.
  await untilPolling(connection, namespace, taskQueue, running).catch(async (err: unknown) => {
    await stop().catch(() => undefined);
    throw err;
  });
  return { worker, running, smtp, db, dbFile, taskQueue, stop };
}

/** `start` with what it needs, which is torn down if `start` fails: a failed suite leaves no server behind. */
export async function tornDownOnFailure<T>(env: { teardown(): Promise<void> }, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    await env.teardown().catch(() => undefined);
    throw err;
  }
}

/** The time-skipping server knows no custom search attributes until they are added. */
export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  const types: Record<string, temporal.api.enums.v1.IndexedValueType> = {
    Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  };
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_FLAGS).map(([name, type]) => [name, types[type]!])),
  });
}

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  h: Harness;
  stop(): Promise<void>;
}

/** The Java time-skipping test server with Entente's search attributes, and a real worker on it: what each workflow suite starts once. */
export async function startTimeSkippingStack(): Promise<TimeSkippingStack> {
  const codec = suiteCodec();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
    ...(codec ? { client: { dataConverter: dataConverterFor(codec) } } : {}),
  });
  const h = await tornDownOnFailure(env, async () => {
    await registerSearchAttributes(env.connection);
    return startHarness(env.nativeConnection, 'default', codec ? { codec } : {});
  });
  return {
    env,
    h,
    async stop() {
      await h.stop();
      await env.teardown();
    },
  };
}

/**
 * The suite's time-skipping stack, started before its tests and stopped after them; `use` is
 * given it once started (a suite keeps `env` and `h` in variables of its own).
 */
export function useTimeSkippingStack(use: (stack: TimeSkippingStack) => void): void {
  let stack: TimeSkippingStack | undefined;
  beforeAll(async () => {
    stack = await startTimeSkippingStack();
    use(stack);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });
}

/**
 * Starts a partnership on the time-skipping server, short runs off unless asked: that server loses
 * a command sent while a run hands over (its update is never answered; a real server answers
 * "workflow is closing" and the client sends it again to the new run). A suite with short runs on
 * spaces its commands; the end-to-end suites run with short runs on.
 */
export function startPartnership(
  { env, h }: Pick<TimeSkippingStack, 'env' | 'h'>,
  start: NonNullable<PartnershipInput['start']>,
  shortRuns = false,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return env.client.workflow.start('partnershipWorkflow', {
    workflowId: `partnership-${start.id}`,
    taskQueue: h.taskQueue,
    args: [{ start, shortRuns } satisfies PartnershipInput],
  });
}
