/**
 * Personal action links over HTTP with the real parts: the Temporal dev server, a worker sending
 * to a real SMTP receiver, a SQLite register, the API. Every link is read from an email.
 *
 * | step                                                          | asserts                                                             |
 * |---------------------------------------------------------------|---------------------------------------------------------------------|
 * | the clerk's resolution request → POST /sessions               | 201 with the scope and the action; GET /me says action-link         |
 * | the clerk records the resolution with the session             | 200; the register row names the clerk and means action-link:<link>  |
 * | the coordinator replaces Maple's clerk                        | the old link, session and key refused (401, "replaced"); the new    |
 * |                                                               | clerk's email link works and records Maple's resolution             |
 * | Oak withdraws                                                 | Oak's link, session and key refused ("withdrew")                    |
 * | the coordinator revokes a link                                | listed with its reason; the link and its session refused            |
 * | a forged or altered token                                     | 401 "not known"; nothing applied                                    |
 * | a link past LINK_LIFETIME_DAYS (a worker with seconds)        | 401 "expired"                                                       |
 * | the partnership is abandoned                                  | every link refused ("ended")                                        |
 * | Idempotency-Key on POST /access-keys                          | the same body: a new key, the first revoked; another body: 409      |
 * | 20 failed sign-ins from one address                           | every failure after: 429 with Retry-After; a valid key: 200         |
 * | Referrer-Policy                                               | no-referrer on the page and the API                                 |
 * | every token seen                                              | in no log line (API and worker) and no register or outbox row       |
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { FAILED_SIGN_INS } from '../../api/auth';
import { withOak } from '../helpers/fixtures';
import { issueKey, startApi, startE2eStack, type ApiHarness, type E2eStack } from '../helpers/api-harness';
import { startHarness } from '../helpers/worker-harness';
import type { ReceivedMail } from '../helpers/smtp';
import { pause } from '../helpers/polling';

const ID = 'act-links';
const TOKEN = /#\/act\/(enl_[A-Za-z0-9_-]{43})/;

/** Everything the API logged and the process wrote (the worker's runtime logs go to the console). */
const logged: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    logged.push(String(chunk));
    done();
  },
});
const originalWrites = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

let stack: E2eStack;
const seenTokens = new Set<string>();

const linkIn = (mail: ReceivedMail): string => {
  const token = TOKEN.exec(mail.text)?.[1];
  if (!token) throw new Error(`no personal link in ${mail.event} to ${mail.to.join(',')}`);
  seenTokens.add(token);
  return token;
};

async function mailTo(address: string, event: string, partnership = ID): Promise<ReceivedMail> {
  await stack.h.smtp.waitFor((all) => all.some((m) => m.to.includes(address) && m.event === event && m.partnership === partnership));
  return stack.h.smtp.messages.filter((m) => m.to.includes(address) && m.event === event && m.partnership === partnership).at(-1)!;
}

async function openSession(api: ApiHarness, token: string) {
  const res = await api.as(null)('POST', '/sessions', { token });
  if (res.status === 201) seenTokens.add(res.body.session);
  return res;
}

beforeAll(async () => {
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (originalWrites.out as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (originalWrites.err as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  stack = await startE2eStack({ log: pino({ level: 'trace' }, capture) });
  expect((await stack.api.call('POST', '/partnerships', withOak({ slug: ID }))).status).toBe(201);
  const intake = await stack.api.call('POST', `/partnerships/${ID}/intake-decision`, { requestId: 'intake-0001', accepted: true, interviewedOn: '2026-11-20' });
  expect(intake.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  process.stdout.write = originalWrites.out;
  process.stderr.write = originalWrites.err;
});

const resolution = (partyId: string, requestId: string) => ({
  requestId,
  partyId,
  subject: 'participation',
  outcome: 'adopted',
  resolutionNumber: `R-${partyId}`,
  adoptedOn: '2026-11-24',
});

test('the clerk follows the link in the resolution request and records the resolution; the register says by which means', async () => {
  const { api } = stack;
  const token = linkIn(await mailTo('clerk@riverside.example', 'resolution-requested'));
  const opened = await openSession(api, token);
  expect(opened.status).toBe(201);
  expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
  expect(opened.headers.get('cache-control')).toBe('no-store');
  expect(opened.body).toEqual({
    session: expect.stringMatching(/^ens_[A-Za-z0-9_-]{43}$/),
    expiresAt: expect.any(String),
    partnershipId: ID,
    partyId: 'riverside',
    role: 'clerk',
    action: { command: 'recordResolution', prefill: { partyId: 'riverside', subject: 'participation' } },
  });
  const asClerk = api.as(opened.body.session);
  expect((await asClerk('GET', '/me')).body).toEqual({
    role: 'clerk',
    partyId: 'riverside',
    partnershipId: ID,
    means: 'action-link',
    action: opened.body.action,
  });
  expect((await api.call('GET', '/me')).body).toMatchObject({ role: 'coordinator', means: 'coordinator-key' });

  const recorded = await asClerk('POST', `/partnerships/${ID}/resolutions`, resolution('riverside', 'resolution-riverside-01'));
  expect(recorded.status).toBe(200);

  const links = (await api.call('GET', `/partnerships/${ID}/action-links`)).body.links as Array<Record<string, unknown>>;
  const used = links.filter((l) => l.usedAt !== null);
  expect(used).toEqual([expect.objectContaining({ partyId: 'riverside', role: 'clerk', event: 'resolution-requested', revokedAt: null })]);
  const register = (await api.call('GET', `/partnerships/${ID}/decisions`)).body;
  expect(register.decisions.find((d: { kind: string }) => d.kind === 'recordResolution')).toMatchObject({
    actor: 'clerk:riverside',
    partyId: 'riverside',
    means: `action-link:${used[0]!.id}`,
  });
  expect(register.decisions.find((d: { kind: string }) => d.kind === 'recordIntakeDecision')).toMatchObject({ means: 'coordinator-key' });

  // Other parties' partnerships stay invisible, and the page itself is sent without a referrer.
  expect((await asClerk('GET', '/partnerships/another-one')).status).toBe(404);
  expect((await api.as(null)('GET', '/')).headers.get('referrer-policy')).toBe('no-referrer');
});

test('a replaced clerk’s link, session and key stop at once; the new clerk’s email link works', async () => {
  const { api } = stack;
  const oldToken = linkIn(await mailTo('greffe@maple.example', 'resolution-requested'));
  const oldSession = (await openSession(api, oldToken)).body.session as string;
  const oldKey = await issueKey(api, ID, 'clerk', 'maple');
  expect((await api.as(oldKey)('GET', `/partnerships/${ID}`)).status).toBe(200);

  const replaced = await api.call('POST', `/partnerships/${ID}/contacts`, {
    requestId: 'contact-maple-01',
    partyId: 'maple',
    role: 'clerk',
    contact: { name: 'Nadia Greffière', email: 'nadia@maple.example', language: 'fr' },
  });
  expect(replaced.status).toBe(200);

  const refused = await openSession(api, oldToken);
  expect(refused.status).toBe(401);
  expect(refused.type).toContain('application/problem+json');
  expect(refused.body.detail).toMatch(/replaced/);
  // The reason by name too: the page says it in the reader's language.
  expect(refused.body).toMatchObject({ reason: 'revoked', revokedReason: 'contact-replaced' });
  expect((await api.as(oldSession)('GET', `/partnerships/${ID}`)).status).toBe(401);
  expect((await api.as(oldKey)('GET', `/partnerships/${ID}`)).status).toBe(401);
  const keys = (await api.call('GET', `/partnerships/${ID}/access-keys`)).body.keys;
  expect(keys.find((k: { partyId: string; role: string }) => k.partyId === 'maple' && k.role === 'clerk')).toMatchObject({ revokedReason: 'contact-replaced' });

  const newToken = linkIn(await mailTo('nadia@maple.example', 'contact-assigned'));
  const opened = await openSession(api, newToken);
  expect(opened.status).toBe(201);
  expect(opened.body).toMatchObject({ role: 'clerk', partyId: 'maple', partnershipId: ID });
  expect(opened.body.action).toBeUndefined();
  const recorded = await api.as(opened.body.session)('POST', `/partnerships/${ID}/resolutions`, resolution('maple', 'resolution-maple-01'));
  expect(recorded.status).toBe(200);
});

test('a withdrawn party’s links, sessions and keys stop working', async () => {
  const { api } = stack;
  const token = linkIn(await mailTo('clerk@oak.example', 'resolution-requested'));
  const session = (await openSession(api, token)).body.session as string;
  const key = await issueKey(api, ID, 'champion', 'oak');
  const withdrawn = await api.call('POST', `/partnerships/${ID}/withdrawals`, { requestId: 'withdraw-oak-01', partyId: 'oak', reason: 'The board declined.' });
  expect(withdrawn.status).toBe(200);
  const refused = await openSession(api, token);
  expect(refused.status).toBe(401);
  expect(refused.body.detail).toMatch(/withdrew/);
  expect(refused.body).toMatchObject({ reason: 'revoked', revokedReason: 'party-withdrew' });
  expect((await api.as(session)('GET', `/partnerships/${ID}`)).status).toBe(401);
  expect((await api.as(key)('GET', `/partnerships/${ID}`)).status).toBe(401);
});

test('the coordinator lists and revokes a link: it and the sessions opened with it stop', async () => {
  const { api } = stack;
  const token = linkIn(await mailTo('champion@riverside.example', 'resolution-requested'));
  const session = (await openSession(api, token)).body.session as string;
  expect((await api.as(session)('GET', `/partnerships/${ID}`)).status).toBe(200);
  const links = (await api.call('GET', `/partnerships/${ID}/action-links`)).body.links as Array<{
    id: string;
    partyId: string;
    role: string;
    usedAt: string | null;
  }>;
  const link = links.find((l) => l.partyId === 'riverside' && l.role === 'champion' && l.usedAt !== null)!;
  expect(JSON.stringify(links)).not.toContain(token);

  expect((await api.as(session)('POST', `/partnerships/${ID}/action-links/${link.id}/revoke`)).status).toBe(403);
  const revoked = await api.call('POST', `/partnerships/${ID}/action-links/${link.id}/revoke`);
  expect(revoked.status).toBe(200);
  expect(revoked.body).toMatchObject({ id: link.id, revokedAt: expect.any(String), revokedReason: 'coordinator' });
  expect((await api.call('POST', `/partnerships/${ID}/action-links/0123456789abcdef/revoke`)).status).toBe(404);

  const refused = await openSession(api, token);
  expect(refused.status).toBe(401);
  expect(refused.body.detail).toMatch(/coordinator revoked/);
  expect((await api.as(session)('GET', `/partnerships/${ID}`)).status).toBe(401);
});

test('a forged or altered token is refused, and nothing is applied', async () => {
  const { api } = stack;
  const token = linkIn(await mailTo('clerk@riverside.example', 'resolution-requested'));
  const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
  const before = (await api.call('GET', `/partnerships/${ID}/decisions`)).body.decisions.length;
  for (const attempt of [`enl_${'x'.repeat(43)}`, altered, token.slice(0, 20), 'not-a-token']) {
    const res = await openSession(api, attempt);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/not known/);
    expect(res.body.reason).toBe('unknown');
  }
  expect((await api.as(`ens_${'y'.repeat(43)}`)('GET', '/me')).status).toBe(401);
  expect((await api.call('GET', `/partnerships/${ID}/decisions`)).body.decisions.length).toBe(before);
});

test('a link past its lifetime is refused as expired', async () => {
  const { env } = stack;
  // A worker whose links last four seconds, with its own register and API.
  const short = await startHarness(env.nativeConnection, 'default', { mail: { linkLifetimeDays: 4 / 86_400 } });
  const api = await startApi(env.client, short.db, short.taskQueue);
  try {
    expect((await api.call('POST', '/partnerships', withOak({ slug: 'act-links-short' }))).status).toBe(201);
    expect(
      (await api.call('POST', '/partnerships/act-links-short/intake-decision', { requestId: 'intake-0001', accepted: true, interviewedOn: '2026-11-20' }))
        .status,
    ).toBe(200);
    await short.smtp.waitFor((all) => all.some((m) => m.to.includes('clerk@riverside.example') && m.event === 'resolution-requested'));
    const token = linkIn(short.smtp.to('clerk@riverside.example').find((m) => m.event === 'resolution-requested')!);
    await pause(4_500);
    const refused = await openSession(api, token);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/expired/);
    expect(refused.body.reason).toBe('expired');
    expect(Date.parse(refused.body.expiredAt)).toBeLessThanOrEqual(Date.now());
  } finally {
    await api.stop();
    await short.stop();
  }
}, 60_000);

test('Idempotency-Key on issuing a key: the same body answers a new key and revokes the first; another body 409', async () => {
  const { api } = stack;
  const body = { role: 'signatory', partyId: 'riverside', label: 'Mona Mayor' };
  const first = await api.call('POST', `/partnerships/${ID}/access-keys`, body, { 'idempotency-key': 'key-mona-0001' });
  const again = await api.call('POST', `/partnerships/${ID}/access-keys`, body, { 'idempotency-key': 'key-mona-0001' });
  expect([first.status, again.status]).toEqual([201, 201]);
  expect(again.body.key).not.toBe(first.body.key);
  expect((await api.as(first.body.key)('GET', '/me')).status).toBe(401);
  expect((await api.as(again.body.key)('GET', '/me')).body).toEqual({ role: 'signatory', partyId: 'riverside', partnershipId: ID, means: 'access-key' });
  const other = await api.call('POST', `/partnerships/${ID}/access-keys`, { ...body, label: 'Someone else' }, { 'idempotency-key': 'key-mona-0001' });
  expect(other.status).toBe(409);
  const keys = (await api.call('GET', `/partnerships/${ID}/access-keys`)).body.keys as Array<{ id: string; revokedReason: string | null }>;
  expect(keys.filter((k) => [first.body.id, again.body.id].includes(k.id)).map((k) => k.revokedReason)).toEqual(['retried', null]);
});

test('the end of the partnership ends every link', async () => {
  const { api } = stack;
  const token = linkIn(await mailTo('clerk@riverside.example', 'resolution-requested'));
  expect((await openSession(api, token)).status).toBe(201);
  expect((await api.call('POST', `/partnerships/${ID}/abandon`, { requestId: 'abandon-0001', reason: 'Funding withdrawn.' })).status).toBe(200);
  const refused = await openSession(api, token);
  expect(refused.status).toBe(401);
  expect(refused.body.detail).toMatch(/ended/);
});

test('20 failed sign-ins from one address: every failure 429 from then on; a valid key still gets through', async () => {
  const { env, h } = stack;
  const api = await startApi(env.client, h.db, h.taskQueue, { failedSignIns: FAILED_SIGN_INS });
  try {
    for (let i = 0; i < FAILED_SIGN_INS.limit; i++) {
      const res =
        i % 2 ? await api.as(null)('POST', '/sessions', { token: `enl_${String(i).padStart(43, 'z')}` }) : await api.as(`ent_guess-${i}`)('GET', '/me');
      expect(res.status).toBe(401);
    }
    const limited = await api.as(null)('POST', '/sessions', { token: `enl_${'q'.repeat(43)}` });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.title).toMatch(/failed sign-ins/);
    expect(limited.body.detail).toMatch(/valid key or link is still accepted/);
    expect((await api.as('ent_another-guess')('GET', '/me')).status).toBe(429);
    expect((await api.as(null)('GET', '/me')).status).toBe(429);
    // The coordinator behind the same address (an office's NAT) is not locked out by a stale script.
    const coordinator = await api.call('GET', '/me');
    expect(coordinator.status).toBe(200);
    expect(coordinator.body.role).toBe('coordinator');
    // Health needs no credential and stays open.
    expect((await api.as(null)('GET', '/healthz')).status).not.toBe(429);
  } finally {
    await api.stop();
  }
});

test('no token reaches a log line, the register or the outbox', async () => {
  const { api, h } = stack;
  expect(seenTokens.size).toBeGreaterThanOrEqual(10);
  const register = JSON.stringify((await api.call('GET', `/partnerships/${ID}/decisions`)).body);
  const tables = JSON.stringify([await h.db.selectFrom('decisions').selectAll().execute(), await h.db.selectFrom('outbox').selectAll().execute()]);
  const logs = logged.join('\n');
  expect(logs).toMatch(/session opened/);
  for (const token of seenTokens) {
    expect(logs).not.toContain(token);
    expect(register).not.toContain(token);
    expect(tables).not.toContain(token);
  }
});
