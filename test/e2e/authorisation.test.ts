/**
 * The authorisation matrix over HTTP against the Temporal CLI dev server: every role
 * (coordinator, clerk, signatory, champion) × own party / other party / other partnership ×
 * every command route, plus requests without a key or with an unknown one.
 *
 * | who                         | own party (partyId = key's)  | other party (partyId ≠ key's) | other partnership |
 * |-----------------------------|------------------------------|-------------------------------|-------------------|
 * | coordinator                 | allowed where COMMANDS roles include it, else 403 (every party, every partnership)  |||
 * | clerk, signatory, champion  | allowed where roles include the role and the body names its party, else 403 | 403 | 404 |
 * | no key, unknown key         | 401 everywhere                                                                        |||
 *
 * Every refusal (401, 403, 404) is a problem+json and leaves the workflow history exactly as it
 * was. A command that passes authorisation reaches the workflow; to keep the partnerships as they
 * are, each carries a request id already used for the intake decision, which the workflow's
 * validator refuses (409) before anything reaches history: so "allowed" is asserted as "reached
 * the workflow", never 401, 403 or 404.
 *
 * Keys are issued, listed and revoked by the coordinator only; a party key cannot issue keys, list
 * or start partnerships, and sees nothing of another partnership (404, like one that does not
 * exist); a revoked key is refused (401) from the moment it is revoked.
 */
import { COMMAND_NAMES, COMMANDS, type Actor, type CommandName, type StartPartnership } from '../../domain';
import { startRequest, requestId } from '../helpers/fixtures';
import { historyLength, issueKey, settledHistoryLength, startE2eStack, type ApiResponse, type E2eStack } from '../helpers/api-harness';

let stack: E2eStack;
const ONE = 'auth-one';
const TWO = 'auth-two';
const wf = (id: string) => `partnership-${id}`;
/** The request id of each partnership's intake decision: reused, it makes the workflow refuse. */
const intakeIds: Record<string, string> = {};
/** Keys of riverside's contacts in partnership ONE. */
const keys: Record<'clerk' | 'signatory' | 'champion', string> = { clerk: '', signatory: '', champion: '' };

const withRoles = (body: StartPartnership): StartPartnership => ({
  ...body,
  parties: [
    { ...body.parties[0]!, role: 'provider' },
    { ...body.parties[1]!, role: 'served' },
  ],
});

beforeAll(async () => {
  stack = await startE2eStack({ writesPerMinute: 100_000 });
  const { api } = stack;
  for (const id of [ONE, TWO]) {
    // Both have parties with the same ids: a key names its partnership as well as its party.
    expect((await api.call('POST', '/partnerships', withRoles(startRequest({ slug: id, title: `Partnership ${id}` })))).status).toBe(201);
    intakeIds[id] = requestId(`intake-${id}`);
    const intake = await api.call('POST', `/partnerships/${id}/intake-decision`, { requestId: intakeIds[id], accepted: true, interviewedOn: '2026-01-15' });
    expect(intake.status).toBe(200);
  }
  for (const role of ['clerk', 'signatory', 'champion'] as const) keys[role] = await issueKey(api, ONE, role, 'riverside');
  // Each stays in commitment, waiting for resolutions, with no timer due for weeks.
  for (const id of [ONE, TWO]) await settledHistoryLength(stack.env.client, wf(id));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

/** A body that passes each command's schema, so that only authorisation decides. */
function bodyFor(name: CommandName, partyId: string, id: string): Record<string, unknown> {
  const r = { requestId: id };
  switch (name) {
    case 'recordIntakeDecision':
      return { ...r, accepted: true, interviewedOn: '2026-01-16' };
    case 'recordResolution':
      return { ...r, partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: 'R-2026-1', adoptedOn: '2026-02-03' };
    case 'recordMilestone':
      return { ...r, milestone: 'launch-workshop', completedOn: '2026-02-10' };
    case 'submitDraft':
      return { ...r, version: 1, title: 'Agreement, version 1', text: 'The parties agree.' };
    case 'submitFeedback':
      return { ...r, partyId, author: 'Council', comments: 'Fine.' };
    case 'sign':
      return { ...r, partyId, signatoryName: 'Mona Mayor', signatoryTitle: 'Mayor', signedOn: '2026-05-15', draftVersion: 1 };
    case 'recordReview':
      return { ...r, heldOn: '2026-06-01', findings: 'On track.' };
    case 'amendTerm':
      return { ...r, newEndsOn: '2031-01-01', reason: 'Longer.' };
    case 'renew':
      return { ...r, termMonths: 12, decidedOn: '2026-06-01' };
    case 'giveNotice':
      return { ...r, partyId, reason: 'Leaving.' };
    case 'withdrawNotice':
      return { ...r, partyId };
    case 'withdrawParty':
      return { ...r, partyId, reason: 'Leaving.' };
    case 'abandon':
      return { ...r, reason: 'Stopping.' };
    case 'replaceContact':
      return { ...r, partyId, role: 'champion', contact: { name: 'Nouvelle Responsable', email: 'new.champion@example.org' } };
    case 'setPartyRole':
      return { ...r, partyId, role: 'provider' };
    case 'setMeetingCalendar':
      return { ...r, partyId, calendar: { rrule: 'FREQ=MONTHLY;BYDAY=2TU' } };
  }
}

type Role = Actor['role'];
type Scope = 'own party' | 'other party' | 'other partnership';
type Outcome = 'allowed' | 403 | 404;

function expectedOutcome(role: Role, scope: Scope, name: CommandName, body: Record<string, unknown>): Outcome {
  const roles: readonly Role[] = COMMANDS[name].roles;
  if (role === 'coordinator') return roles.includes('coordinator') ? 'allowed' : 403;
  if (scope === 'other partnership') return 404;
  if (!roles.includes(role)) return 403;
  return scope === 'own party' && body.partyId === 'riverside' ? 'allowed' : 403;
}

const ROLES: Role[] = ['coordinator', 'clerk', 'signatory', 'champion'];
const SCOPES: Scope[] = ['own party', 'other party', 'other partnership'];
const cases = ROLES.flatMap((role) => SCOPES.flatMap((scope) => COMMAND_NAMES.map((name) => ({ role, scope, name }))));

function expectProblem(res: ApiResponse, status: number) {
  expect(res.status).toBe(status);
  expect(res.type).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, title: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|stack/i);
}

test('the matrix covers 4 roles × 3 scopes × every command route', () => {
  expect(cases).toHaveLength(4 * 3 * COMMAND_NAMES.length);
  expect(COMMAND_NAMES).toHaveLength(16);
  // Every role is allowed something and refused something: the matrix is not trivially uniform.
  for (const role of ROLES) {
    const outcomes = new Set(cases.filter((c) => c.role === role).map((c) => expectedOutcome(c.role, c.scope, c.name, bodyFor(c.name, 'riverside', 'x'))));
    expect(outcomes.has('allowed')).toBe(true);
    expect(outcomes.has(403)).toBe(true);
  }
});

describe.each(ROLES)('%s', (role) => {
  test.each(cases.filter((c) => c.role === role).map((c) => [c.scope, c.name, COMMANDS[c.name].route] as const))('%s: %s (POST …/%s)', async (scope, name) => {
    const { api, env } = stack;
    const target = scope === 'other partnership' ? TWO : ONE;
    const partyId = scope === 'other party' ? 'maple' : 'riverside';
    const body = bodyFor(name, partyId, intakeIds[target]!);
    const expected = expectedOutcome(role, scope, name, body);
    const call = role === 'coordinator' ? api.call : api.as(keys[role]);

    const before = { [ONE]: await historyLength(env.client, wf(ONE)), [TWO]: await historyLength(env.client, wf(TWO)) };
    const res = await call('POST', `/partnerships/${target}/${COMMANDS[name].route}`, body);

    if (expected === 'allowed') {
      expect([401, 403, 404]).not.toContain(res.status);
      // It reached the workflow, whose validator refused the reused request id.
      expectProblem(res, 409);
      expect(res.body.detail).toBe(`request id ${intakeIds[target]} was already used for a different command`);
    } else {
      expectProblem(res, expected);
      if (expected === 403) {
        expect(res.body.detail).toMatch(
          COMMANDS[name].roles.includes(role as never)
            ? new RegExp(`a ${role} of another party may not act for party "maple"`)
            : new RegExp(`^a ${role} may not send ${name}$`),
        );
      } else {
        expect(res.body.detail).toBe(`There is no partnership "${TWO}".`);
      }
    }
    // Refused or refused by the validator: no trace in either history.
    expect(await historyLength(env.client, wf(ONE))).toBe(before[ONE]);
    expect(await historyLength(env.client, wf(TWO))).toBe(before[TWO]);
  });
});

test('no key, a malformed header or an unknown key: 401 on every route, nothing touched', async () => {
  const { api, env } = stack;
  const before = await historyLength(env.client, wf(ONE));
  const callers = [
    api.as(null),
    api.as('ent_not-a-key-anyone-issued'),
    (method: string, path: string, body?: unknown) => api.as(null)(method, path, body, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
    (method: string, path: string, body?: unknown) => api.as(null)(method, path, body, { authorization: `Bearer ${keys.clerk} extra` }),
  ];
  for (const call of callers) {
    for (const name of COMMAND_NAMES) {
      const res = await call('POST', `/partnerships/${ONE}/${COMMANDS[name].route}`, bodyFor(name, 'riverside', requestId()));
      expectProblem(res, 401);
    }
    for (const path of [
      '/partnerships',
      `/partnerships/${ONE}`,
      `/partnerships/${ONE}/decisions`,
      `/partnerships/${ONE}/agreement`,
      `/partnerships/${ONE}/calendar.ics`,
    ]) {
      expectProblem(await call('GET', path), 401);
    }
    expectProblem(await call('POST', '/partnerships', startRequest({ slug: 'never-started' })), 401);
    expectProblem(await call('POST', `/partnerships/${ONE}/access-keys`, { role: 'clerk', partyId: 'riverside' }), 401);
  }
  expect(await historyLength(env.client, wf(ONE))).toBe(before);
  expect((await api.call('GET', '/partnerships/never-started')).status).toBe(404);
  // What needs no key.
  expect((await api.as(null)('GET', '/healthz')).status).toBe(200);
  expect((await api.as(null)('GET', '/openapi.json')).status).toBe(200);
});

test('only the coordinator issues keys, lists and starts partnerships', async () => {
  const { api, env } = stack;
  const before = await historyLength(env.client, wf(ONE));
  for (const role of ['clerk', 'signatory', 'champion'] as const) {
    const asParty = api.as(keys[role]);
    for (const target of [ONE, TWO]) {
      const issued = await asParty('POST', `/partnerships/${target}/access-keys`, { role: 'clerk', partyId: 'riverside' });
      expectProblem(issued, 403);
      expect(issued.body.detail).toBe('Only the coordinator may do this.');
    }
    expectProblem(await asParty('GET', '/partnerships'), 403);
    expectProblem(await asParty('GET', '/partnerships?party=riverside'), 403);
    expectProblem(await asParty('POST', '/partnerships', startRequest({ slug: `started-by-${role}` })), 403);
    expect((await api.call('GET', `/partnerships/started-by-${role}`)).status).toBe(404);
  }
  expect(await historyLength(env.client, wf(ONE))).toBe(before);

  // The coordinator may, for parties and partnerships that exist.
  const ok = await api.call('POST', `/partnerships/${ONE}/access-keys`, { role: 'champion', partyId: 'maple', label: 'Lise' });
  expect(ok.status).toBe(201);
  expect(ok.body).toMatchObject({ role: 'champion', partyId: 'maple', partnershipId: ONE });
  expect(ok.body.key).toMatch(/^ent_[A-Za-z0-9_-]{32}$/);
  // Stored hashed: the plain key is nowhere in the register database.
  const stored = await stack.h.db.selectFrom('access_keys').selectAll().execute();
  expect(JSON.stringify(stored)).not.toContain(ok.body.key);
  expect(stored.some((row) => row.partnership_id === ONE && row.party_id === 'maple' && row.role === 'champion')).toBe(true);

  const unknownParty = await api.call('POST', `/partnerships/${ONE}/access-keys`, { role: 'clerk', partyId: 'elsewhere' });
  expectProblem(unknownParty, 422);
  expect(unknownParty.body.errors).toEqual([{ pointer: '/partyId', detail: 'not a party of this partnership' }]);
  expectProblem(await api.call('POST', '/partnerships/nowhere-at-all/access-keys', { role: 'clerk', partyId: 'riverside' }), 404);
  const badRole = await api.call('POST', `/partnerships/${ONE}/access-keys`, { role: 'coordinator', partyId: 'riverside' });
  expectProblem(badRole, 422);
  expect(badRole.body.errors[0].pointer).toBe('/role');
  expect((await api.call('GET', '/partnerships')).status).toBe(200);
});

test('the coordinator lists and revokes party keys; a revoked key opens nothing from then on', async () => {
  const { api } = stack;
  const issued = await api.call('POST', `/partnerships/${ONE}/access-keys`, { role: 'signatory', partyId: 'maple', label: 'Chef Claude' });
  expect(issued.body.id).toMatch(/^[0-9a-f]{16}$/);
  const asSignatory = api.as(issued.body.key);
  expect((await asSignatory('GET', `/partnerships/${ONE}`)).status).toBe(200);

  const listed = await api.call('GET', `/partnerships/${ONE}/access-keys`);
  expect(listed.status).toBe(200);
  expect(listed.body.keys).toContainEqual({
    id: issued.body.id,
    role: 'signatory',
    partyId: 'maple',
    label: 'Chef Claude',
    createdAt: expect.any(String),
    revokedAt: null,
    revokedReason: null,
  });
  expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);
  // The other partnership's list does not show this partnership's keys.
  expect((await api.call('GET', `/partnerships/${TWO}/access-keys`)).body.keys.map((k: { id: string }) => k.id)).not.toContain(issued.body.id);

  // Party keys may neither list nor revoke, not even their own.
  for (const key of [keys.clerk, issued.body.key]) {
    expectProblem(await api.as(key)('GET', `/partnerships/${ONE}/access-keys`), 403);
    expectProblem(await api.as(key)('POST', `/partnerships/${ONE}/access-keys/${issued.body.id}/revoke`), 403);
  }
  // A key is revoked within its own partnership only.
  expectProblem(await api.call('POST', `/partnerships/${TWO}/access-keys/${issued.body.id}/revoke`), 404);
  expectProblem(await api.call('POST', `/partnerships/${ONE}/access-keys/not-a-key-id/revoke`), 404);
  expect((await asSignatory('GET', `/partnerships/${ONE}`)).status).toBe(200);

  const revoked = await api.call('POST', `/partnerships/${ONE}/access-keys/${issued.body.id}/revoke`);
  expect(revoked.status).toBe(200);
  expect(revoked.body).toMatchObject({ id: issued.body.id, revokedAt: expect.any(String) });
  expectProblem(await asSignatory('GET', `/partnerships/${ONE}`), 401);
  expectProblem(await asSignatory('POST', `/partnerships/${ONE}/signatures`, bodyFor('sign', 'maple', requestId('sign'))), 401);
  // Revoking again changes nothing, not even the time of revocation.
  const again = await api.call('POST', `/partnerships/${ONE}/access-keys/${issued.body.id}/revoke`);
  expect(again.body).toEqual(revoked.body);
  // Other keys go on working.
  expect((await api.as(keys.clerk)('GET', `/partnerships/${ONE}`)).status).toBe(200);
});

test('a party key reads its own partnership and sees nothing of another', async () => {
  const { api } = stack;
  const asClerk = api.as(keys.clerk);
  const own = await asClerk('GET', `/partnerships/${ONE}`);
  expect(own.status).toBe(200);
  expect(own.body.id).toBe(ONE);
  expect(JSON.stringify(own.body)).not.toContain('@');
  expect((await asClerk('GET', `/partnerships/${ONE}/decisions`)).body.chain.ok).toBe(true);
  expect((await asClerk('GET', `/partnerships/${ONE}/agreement`)).status).toBe(200);
  expect((await asClerk('GET', `/partnerships/${ONE}/calendar.ics`)).status).toBe(200);

  for (const suffix of ['', '/decisions', '/agreement', '/calendar.ics']) {
    const other = await asClerk('GET', `/partnerships/${TWO}${suffix}`);
    expectProblem(other, 404);
    // Indistinguishable from a partnership that does not exist.
    const missing = await asClerk('GET', `/partnerships/no-such-one${suffix}`);
    expectProblem(missing, 404);
    expect(other.body).toEqual({ ...missing.body, detail: missing.body.detail.replace('no-such-one', TWO) });
    // The coordinator sees both.
    expect((await api.call('GET', `/partnerships/${TWO}${suffix}`)).status).toBe(200);
  }
});

test('allowed keys do act: a clerk records its own council’s resolution, then the other clerk cannot record it for them', async () => {
  const { api, env } = stack;
  const recorded = await api.as(keys.clerk)('POST', `/partnerships/${ONE}/resolutions`, {
    requestId: requestId('res'),
    partyId: 'riverside',
    subject: 'participation',
    outcome: 'adopted',
    resolutionNumber: '2026-041',
    adoptedOn: '2026-02-03',
  });
  expect(recorded.status).toBe(200);
  expect(recorded.body.state.parties.map((p: any) => p.owes)).toEqual([[], ['participation-resolution']]);
  const rows = (await api.call('GET', `/partnerships/${ONE}/decisions`)).body.decisions;
  expect(rows.at(-1)).toMatchObject({ kind: 'recordResolution', actor: 'clerk:riverside', partyId: 'riverside' });

  const settled = await settledHistoryLength(env.client, wf(ONE));
  const forMaple = await api.as(keys.clerk)('POST', `/partnerships/${ONE}/resolutions`, {
    requestId: requestId('res'),
    partyId: 'maple',
    subject: 'participation',
    outcome: 'rejected',
    resolutionNumber: 'FAKE-1',
    adoptedOn: '2026-02-03',
  });
  expectProblem(forMaple, 403);
  expect(await historyLength(env.client, wf(ONE))).toBe(settled);
  expect((await api.call('GET', `/partnerships/${ONE}`)).body.resolutions).toHaveLength(1);
});
