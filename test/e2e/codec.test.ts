/**
 * Personal data encrypted in Temporal, over HTTP with real parts (dev server, a worker and the
 * API's client with the payload codec, SMTP, SQLite).
 *
 * | step                                                              | asserts                                                      |
 * |-------------------------------------------------------------------|--------------------------------------------------------------|
 * | a partnership started and its intake decided over HTTP            | the API reads it decoded (contacts' names in the state); emails go out |
 * | a start repeated with its Idempotency-Key, the list, the desk     | as without the codec (the memo is encrypted too)             |
 * | its raw history, every run, read through a client without the codec | no contact's email or name anywhere in it; its payloads are `binary/encrypted` under the current key id |
 * | the workflow id and search attributes                             | hold no personal data (they are not encrypted)               |
 * | POST /codec/decode with those payloads                            | the coordinator gets them in clear; a party key 403, no key 401, a wrong key 401 |
 * | 21 wrong keys at /codec/decode                                    | 20 × 401, then 429: the API's limit on failed sign-ins covers it; |
 * |                                                                   | the coordinator's key still gets through                         |
 * | POST /codec/encode, then decode                                   | round trip                                                   |
 * | `temporal workflow show --codec-endpoint …/codec --codec-auth`     | the Temporal CLI speaks the same protocol: the history in clear |
 * | CORS: preflight and POST from the Temporal UI origin, another origin | allowed before authentication / 403                        |
 * | saved histories from before the codec, and this encrypted one     | replay with the worker's codec configuration                 |
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { FAILED_SIGN_INS } from '../../api/auth';
import { dataConverterFor } from '../../config/codec';
import { COORDINATOR_KEY, issueKey, startApi, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { requestId, startRequest } from '../helpers/fixtures';
import { loadHistory, runHistories } from '../helpers/histories';
import { eventually, settledHistoryLength } from '../helpers/polling';
import { temporalCliPath } from '../helpers/tools';
import { testCodec, workflowBundle } from '../helpers/worker-harness';

const ID = 'codec-water';
const UI = 'http://localhost:8233';
const request = startRequest({ slug: ID });
const PERSONAL = [
  request.coordinator.email,
  request.coordinator.name,
  ...request.parties.flatMap((p) => Object.values(p.contacts).flatMap((c) => [c.email, c.name])),
];
let stack: E2eStack;
let raw: Client;
let histories: temporal.api.history.v1.IHistory[];

/**
 * What the SDK and the server keep clear by design: search attributes (the server indexes them),
 * and the SDK's own bookkeeping in markers (patch ids, a local activity's sequence and times;
 * the local activity's result is a payload of its own, encrypted).
 */
const CLEAR_BY_DESIGN = ['searchAttributes', 'patch-data', 'data'];

/** Every payload of a history, in the remote codec protocol's JSON form; those clear by design apart unless `skip` says otherwise. */
function wirePayloads(node: unknown, found: Array<{ metadata: Record<string, string>; data: string }> = [], skip = CLEAR_BY_DESIGN) {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return found;
  const record = node as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata && typeof record.metadata === 'object') {
    const metadata = Object.fromEntries(Object.entries(record.metadata as Record<string, Uint8Array>).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    found.push({ metadata, data: Buffer.from(record.data).toString('base64') });
  }
  for (const [key, value] of Object.entries(record)) {
    if (skip.includes(key)) continue;
    if (Array.isArray(value)) for (const item of value) wirePayloads(item, found, skip);
    else wirePayloads(value, found, skip);
  }
  return found;
}

beforeAll(async () => {
  stack = await startE2eStack({ codec: testCodec(), temporalUiOrigin: UI });
  raw = new Client({ connection: stack.env.connection, namespace: 'default' });
  expect((await stack.api.call('POST', '/partnerships', request)).status).toBe(201);
  const intake = await stack.api.call('POST', `/partnerships/${ID}/intake-decision`, {
    requestId: requestId('intake'),
    accepted: true,
    interviewedOn: '2026-01-05',
  });
  expect(intake.status).toBe(200);
  // The participation requests went out: their recipients were activity inputs.
  await stack.h.smtp.waitFor((m) => m.filter((x) => x.event === 'resolution-requested').length >= 2);
  await settledHistoryLength(stack.env.client, `partnership-${ID}`);
  const described = await raw.workflow.getHandle(`partnership-${ID}`).describe();
  histories = await runHistories(raw, `partnership-${ID}`, described.raw.workflowExecutionInfo!.firstRunId!);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

test('the API reads the partnership in clear through its codec', async () => {
  const state = (await stack.api.call('GET', `/partnerships/${ID}`)).body;
  expect(state.stage).toBe('commitment');
  expect(state.parties[0].contacts.signatory).toEqual({ name: 'Mona Mayor', title: 'Mayor' });
});

test('the API works whole through its codec: a repeated start (its memo), the list, the desk', async () => {
  const { api } = stack;
  const again = startRequest({ slug: 'codec-repeat' });
  const first = await api.call('POST', '/partnerships', again, { 'idempotency-key': 'codec-start-0001' });
  const second = await api.call('POST', '/partnerships', again, { 'idempotency-key': 'codec-start-0001' });
  expect([first.status, second.status]).toEqual([201, 201]);
  expect(second.body).toEqual(first.body);
  // A listing is of the partnerships as they were a few seconds before it.
  const list = await eventually(async () => {
    const res = await api.call('GET', '/partnerships');
    return JSON.stringify(res.body).includes(ID) ? res : undefined;
  }, `a listing with ${ID}`);
  expect(list.status).toBe(200);
  expect((await api.call('GET', '/desk')).status).toBe(200);
});

test('the raw history holds no contact’s email or name; every payload is encrypted under the current key', () => {
  const bytes = Buffer.concat(histories.map((h) => temporal.api.history.v1.History.encode(h).finish()));
  const asText = bytes.toString('utf8');
  for (const personal of PERSONAL) expect({ personal, found: asText.includes(personal) }).toEqual({ personal, found: false });
  const payloads = wirePayloads(histories.map((h) => h.events));
  // At least every run's input and every activity's (the emails' hold the contacts).
  const activities = histories.flatMap((h) => h.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
  expect(activities).toBeGreaterThan(0);
  expect(payloads.length).toBeGreaterThanOrEqual(histories.length + activities);
  const encodings = new Set(payloads.map((p) => Buffer.from(p.metadata.encoding ?? '', 'base64').toString()));
  expect([...encodings]).toEqual(['binary/encrypted']);
  const keyIds = new Set(payloads.map((p) => Buffer.from(p.metadata['encryption-key-id'] ?? '', 'base64').toString()));
  expect([...keyIds]).toEqual(['test-2026']);
  // The search attributes are the only payloads in clear.
  const clear = wirePayloads(
    histories.map((h) => h.events),
    [],
    [],
  ).filter((p) => Buffer.from(p.metadata.encoding ?? '', 'base64').toString() !== 'binary/encrypted');
  expect(clear.length).toBeGreaterThan(0);
  expect(clear.length).toBe(
    wirePayloads(
      histories.map((h) => h.events),
      [],
      [],
    ).length - payloads.length,
  );
});

test('the workflow id and the search attributes, which stay clear, carry no personal data', async () => {
  const described = await raw.workflow.getHandle(`partnership-${ID}`).describe();
  const clear = JSON.stringify({
    id: described.workflowId,
    attributes: described.typedSearchAttributes,
    raw: described.raw.workflowExecutionInfo?.searchAttributes,
  });
  for (const personal of PERSONAL) expect(clear).not.toContain(personal);
  expect(described.workflowId).toBe(`partnership-${ID}`);
});

test('the codec endpoint decodes the history for the coordinator and refuses anyone else', async () => {
  const { api } = stack;
  const payloads = wirePayloads(histories.map((h) => h.events));
  const decoded = await api.call('POST', '/codec/decode', { payloads });
  expect(decoded.status).toBe(200);
  expect(decoded.body.payloads).toHaveLength(payloads.length);
  const clear = decoded.body.payloads.map((p: { data: string }) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
  expect(clear).toContain('mayor@riverside.example');
  expect(clear).toContain('Gilles Greffier');
  expect(Buffer.from(decoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');

  const clerk = await issueKey(api, ID, 'clerk', 'riverside');
  expect((await api.as(clerk)('POST', '/codec/decode', { payloads })).status).toBe(403);
  expect((await api.as(null)('POST', '/codec/decode', { payloads })).status).toBe(401);
  expect((await api.as('not-the-coordinator-key-at-all')('POST', '/codec/decode', { payloads })).status).toBe(401);
  expect((await api.as(clerk)('POST', '/codec/encode', { payloads: [] })).status).toBe(403);

  const refused = await api.call('POST', '/codec/decode', { payloads: [{ metadata: payloads[0]!.metadata, data: Buffer.alloc(40).toString('base64') }] });
  expect(refused.status).toBe(422);
  expect(refused.body.detail).toMatch(/failed authentication/);
  expect((await api.call('POST', '/codec/decode', { payloads: 'all of them' })).status).toBe(422);

  // The reference says as much: the body's shape, and the 422 beside the other refusals.
  const doc = (await api.as(null)('GET', '/openapi.json')).body;
  for (const path of ['/codec/encode', '/codec/decode']) {
    const operation = doc.paths[path].post;
    expect({ path, statuses: Object.keys(operation.responses).sort() }).toEqual({ path, statuses: ['200', '400', '401', '403', '413', '422', '429'] });
    expect(operation.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CodecPayloads');
  }
  expect(doc.components.schemas.CodecPayloads.properties.payloads.maxItems).toBe(10_000);
});

test('guessing the coordinator’s key at /codec counts against the failed sign-ins of its source', async () => {
  // An API of its own, so that its count of failures is this test's alone.
  const guarded = await startApi(stack.env.client, stack.h.db, stack.h.taskQueue, { codec: testCodec(), failedSignIns: FAILED_SIGN_INS });
  try {
    const guess = guarded.as('a-guess-at-the-coordinator-key');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await guess('POST', '/codec/decode', { payloads: [] })).status);
    expect(statuses.slice(0, 20)).toEqual(new Array(20).fill(401));
    expect(statuses[20]).toBe(429);
    // Past the limit, every failure from the source is 429, there and elsewhere; the right key still works.
    expect((await guess('GET', '/partnerships')).status).toBe(429);
    expect((await guarded.call('POST', '/codec/decode', { payloads: [] })).status).toBe(200);
    expect((await guarded.call('GET', '/partnerships')).status).toBe(200);
  } finally {
    await guarded.stop();
  }
});

test('encode then decode is a round trip', async () => {
  const { api } = stack;
  const clear = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"Chef Claude"').toString('base64') };
  const encoded = await api.call('POST', '/codec/encode', { payloads: [clear] });
  expect(encoded.status).toBe(200);
  expect(Buffer.from(encoded.body.payloads[0].data, 'base64').toString('utf8')).not.toContain('Claude');
  const decoded = await api.call('POST', '/codec/decode', encoded.body);
  expect(decoded.body.payloads).toEqual([clear]);
});

test('the Temporal CLI shows the history decoded through the endpoint, with the coordinator’s key', async () => {
  const show = (...extra: string[]) => cli('workflow', 'show', '-o', 'json', ...extra);
  const decodedData = (json: string): string =>
    wirePayloads(JSON.parse(json).events.map((e: unknown) => revive(e)))
      .map((p) => Buffer.from(p.data, 'base64').toString('utf8'))
      .join('\n');
  const rawShow = await show();
  expect(decodedData(rawShow.stdout)).not.toContain('mayor@riverside.example');
  const decoded = await show(...throughCodec());
  expect(decodedData(decoded.stdout)).toContain('mayor@riverside.example');
}, 60_000);

test('the Temporal CLI asks a partnership its state and its call stack through the endpoint', async () => {
  // A query without arguments: the CLI sends their encoding `{}` (protobuf's JSON of an empty list).
  const empty = await stack.api.call('POST', '/codec/encode', {});
  expect(empty).toMatchObject({ status: 200, body: { payloads: [] } });
  const state = await cli('workflow', 'query', '--name', 'state', '-o', 'json', ...throughCodec());
  // The state as the workflow answers it, in clear: contacts by name (their addresses stay out of the view).
  expect(JSON.parse(state.stdout).queryResult[0].parties[0].contacts.signatory.name).toBe('Mona Mayor');
  const calls = await cli('workflow', 'stack', ...throughCodec());
  expect(calls.stdout).toMatch(/at waitForStage \(.*workflows\/partnership\.ts:\d+:\d+\)/);
}, 60_000);

/** The Temporal CLI on this file's partnership. */
const cli = (...args: string[]) =>
  promisify(execFile)(temporalCliPath(), [...args, '-w', `partnership-${ID}`, '--address', stack.env.address], { maxBuffer: 64 * 1024 * 1024 });

/** The CLI's options to read payloads in clear through the API's codec endpoint, with the coordinator's key. */
const throughCodec = () => ['--codec-endpoint', `${stack.api.url}/codec`, '--codec-auth', `Bearer ${COORDINATOR_KEY}`];

/** The CLI's JSON writes payload bytes in base64: back to bytes, for wirePayloads. */
function revive(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(revive);
  if (!node || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (typeof record.data === 'string' && record.metadata && typeof record.metadata === 'object') {
    const metadata = Object.fromEntries(Object.entries(record.metadata as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
    return { metadata, data: Buffer.from(record.data, 'base64') };
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revive(v)]));
}

test('CORS: the Temporal UI origin only, its preflight answered before authentication', async () => {
  const { url } = stack.api;
  const preflight = await fetch(`${url}/codec/decode`, {
    method: 'OPTIONS',
    headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
  expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

  const fromUi = await fetch(`${url}/codec/decode`, {
    method: 'POST',
    headers: { origin: UI, authorization: `Bearer ${COORDINATOR_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ payloads: [] }),
  });
  expect(fromUi.status).toBe(200);
  expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI);

  for (const method of ['OPTIONS', 'POST']) {
    const elsewhere = await fetch(`${url}/codec/decode`, {
      method,
      headers: { origin: 'https://evil.example', authorization: `Bearer ${COORDINATOR_KEY}`, 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: JSON.stringify({ payloads: [] }) } : {}),
    });
    expect({ method, status: elsewhere.status }).toEqual({ method, status: 403 });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  }
  // The rest of the API grants no cross-origin access.
  const elsewhere = await fetch(`${url}/partnerships`, { headers: { origin: UI, authorization: `Bearer ${COORDINATOR_KEY}` } });
  expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
});

test('histories written before the codec, and this encrypted one, replay with the worker’s codec configuration', async () => {
  const saved = ['scenario-1-cipp-to-in-force', 'pre-outbox-scenario-2-notice', 'foundation-participation-rejected'];
  const inputs = [...saved.map((name) => ({ workflowId: name, history: loadHistory(name) })), { workflowId: ID, history: histories[0]! }];
  const results: Array<{ workflowId: string; error: unknown }> = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: await workflowBundle(), replayName: 'codec-replay', dataConverter: dataConverterFor(testCodec()) },
    inputs,
  )) {
    results.push({ workflowId: result.workflowId, error: result.error });
  }
  expect(results).toEqual(inputs.map((i) => ({ workflowId: i.workflowId, error: undefined })));
}, 120_000);

test('a worker without the codec cannot read the encrypted history', async () => {
  const results: unknown[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), replayName: 'no-codec-replay' }, [
    { workflowId: ID, history: histories[0]! },
  ])) {
    results.push(result.error);
  }
  expect(results).toHaveLength(1);
  expect(results[0]).toBeDefined();
}, 120_000);
