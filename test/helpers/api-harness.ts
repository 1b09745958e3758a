import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { apiGrpcInterceptors } from '../../api/outages';
import type { PayloadCodec } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../../api/app';
import { dataConverterFor } from '../../config/codec';
import { createLogger, type Logger } from '../../config/logger';
import type { RegisterDb } from '../../store/database';
import { devServerDynamicConfigFlags } from '../../config/temporal-server';
import { NEXT_DEADLINE, PARTIES, STAGE, TEMPLATE } from '../../workflows/search-attributes';
import { startHarness, suiteCodec, tornDownOnFailure, type Harness } from './worker-harness';
import { temporalCliPath } from './tools';

export const COORDINATOR_KEY = 'test-coordinator-key-0123456789';

export interface ApiResponse {
  status: number;
  type: string;
  body: any;
  headers: Headers;
}

export type ApiCall = (method: string, path: string, body?: unknown, headers?: Record<string, string>, options?: CallOptions) => Promise<ApiResponse>;

export interface CallOptions {
  /** Abort the request (fetch rejects with a TimeoutError) after this long; no limit when unset. */
  timeoutMs?: number;
}

export interface ApiHarness {
  url: string;
  /** With the coordinator's key, unless `headers` gives another authorization. */
  call: ApiCall;
  /** The same call with another bearer key; `null` sends no Authorization header at all. */
  as(key: string | null): ApiCall;
  stop(): Promise<void>;
}

export interface ApiOptions {
  /** The write rate limit (POSTs per client and minute); the app's default when unset. */
  writesPerMinute?: number;
  /**
   * Accept start-request durations below their floors ("30 seconds"), as the API does with
   * ALLOW_SHORT_DURATIONS=true; off unless a test needs seconds.
   */
  allowShortDurations?: boolean;
  /** How the API fetches a council's iCalendar URL; public addresses only when unset (a test's server is on loopback). */
  calendarFetch?: typeof fetch;
  /** Where the API logs (its 500s name their cause there); silent when unset. */
  log?: Logger;
  /**
   * Failed sign-ins per address before 429. The suites send hundreds of unknown keys from one
   * address on purpose, so the limit is out of their way unless a test sets it.
   */
  failedSignIns?: { limit: number; windowMs: number };
  /**
   * The payload codec of the deployment: given to the Temporal client (startE2eStack) and the worker,
   * and served at /codec/* as the API does when keys are configured. None when unset.
   */
  codec?: PayloadCodec;
  /** TEMPORAL_UI_ORIGIN: the origin a browser may call /codec/* from. */
  temporalUiOrigin?: string;
  /** PUBLIC_URL: the base of links; the API's default (http://localhost:3000) when unset. */
  publicUrl?: string;
  /** The most partnerships the desk lists; the app's DESK_LIMIT when unset. */
  deskLimit?: number;
  /** The most partnerships without a summary the desk queries; the app's DESK_QUERY_LIMIT when unset. */
  deskQueryLimit?: number;
  /** How long a read or a command waits for the partnership's answer; the app's ANSWER_TIMEOUT_MS when unset. */
  answerTimeoutMs?: number;
}

/** The real Express app on an ephemeral loopback port, called over HTTP with fetch. */
export async function startApi(client: Client, db: RegisterDb, taskQueue: string, options: ApiOptions = {}): Promise<ApiHarness> {
  const { apiClient, close } = asApiClient(client);
  const app = createApp({
    client: apiClient,
    db,
    taskQueue,
    coordinatorApiKey: COORDINATOR_KEY,
    log: options.log ?? createLogger('silent', 'api'),
    ...(options.writesPerMinute !== undefined ? { writesPerMinute: options.writesPerMinute } : {}),
    ...(options.allowShortDurations !== undefined ? { allowShortDurations: options.allowShortDurations } : {}),
    ...(options.calendarFetch ? { calendarFetch: options.calendarFetch } : {}),
    failedSignIns: options.failedSignIns ?? { limit: 1_000_000, windowMs: 60_000 },
    ...(options.codec ? { codecEndpoint: { codec: options.codec, ...(options.temporalUiOrigin ? { uiOrigin: options.temporalUiOrigin } : {}) } } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.deskLimit ? { deskLimit: options.deskLimit } : {}),
    ...(options.deskQueryLimit ? { deskQueryLimit: options.deskQueryLimit } : {}),
    ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callWith =
    (key: string | null): ApiCall =>
    async (method, path, body, headers = {}, options = {}) => {
      const res = await fetch(`${url}${path}`, {
        method,
        ...(options.timeoutMs !== undefined ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
        headers: {
          ...(key !== null ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      return { status: res.status, type, body: type.includes('json') ? JSON.parse(text) : text, headers: res.headers };
    };
  return {
    url,
    call: callWith(COORDINATOR_KEY),
    as: callWith,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await close();
    },
  };
}

/**
 * The API's client as api/main.ts makes it, to the address of the one given (the suite's, or a
 * proxy's): a lazy connection of its own, which sends a request that meets a partnership's run
 * handing over again (api/outages.ts).
 */
function asApiClient(client: Client): { apiClient: Client; close: () => Promise<void> } {
  const given = client.connection;
  if (!(given instanceof Connection)) return { apiClient: client, close: async () => undefined };
  const connection = Connection.lazy({ address: given.options.address, interceptors: apiGrpcInterceptors() });
  const apiClient = new Client({ connection, namespace: client.options.namespace, dataConverter: client.options.dataConverter });
  return { apiClient, close: () => connection.close() };
}

export interface E2eStack {
  env: TestWorkflowEnvironment;
  h: Harness;
  api: ApiHarness;
  stop(): Promise<void>;
}

/**
 * One Temporal CLI dev server (with Entente's search attributes), a real worker with its SMTP
 * receiver and SQLite register, and the API over HTTP: what each end-to-end file starts once.
 */
export async function startE2eStack(given: ApiOptions = {}): Promise<E2eStack> {
  const codec = given.codec ?? suiteCodec();
  const options = { ...given, ...(codec ? { codec } : {}) };
  const env = await startDevServer(codec ? { codec } : {});
  const { h, api } = await tornDownOnFailure(env, async () => {
    const h = await startHarness(env.nativeConnection, 'default', codec ? { codec } : {});
    const api = await startApi(env.client, h.db, h.taskQueue, options).catch(async (err: unknown) => {
      await h.stop().catch(() => undefined);
      throw err;
    });
    return { h, api };
  });
  return {
    env,
    h,
    api,
    async stop() {
      await api.stop();
      await h.stop();
      await env.teardown();
    },
  };
}

/**
 * The Temporal CLI dev server with Entente's search attributes, on ephemeral loopback ports; its
 * client (`env.client`) encodes with the codec when one is given (or ENTENTE_TEST_CODEC=1).
 */
export async function startDevServer(options: { codec?: PayloadCodec } = {}): Promise<TestWorkflowEnvironment> {
  const codec = options.codec ?? suiteCodec();
  return TestWorkflowEnvironment.createLocal({
    ...(codec ? { client: { dataConverter: dataConverterFor(codec) } } : {}),
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: [STAGE, TEMPLATE, PARTIES, NEXT_DEADLINE],
      extraArgs: ['--log-level', 'error', ...devServerDynamicConfigFlags()],
    },
  });
}

/** The coordinator issues a key for one party contact of one partnership; returns the plain key. */
export async function issueKey(api: ApiHarness, partnershipId: string, role: 'clerk' | 'signatory' | 'champion', partyId: string): Promise<string> {
  const res = await api.call('POST', `/partnerships/${partnershipId}/access-keys`, { role, partyId, label: `${role} of ${partyId}` });
  if (res.status !== 201) throw new Error(`key not issued: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.key as string;
}

/** Polls in real time until `probe` returns something other than undefined. */
export { eventually, historyLength, settledHistoryLength } from './polling';
