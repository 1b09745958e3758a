/**
 * Bad input over HTTP against the Temporal CLI dev server, a real worker, SMTP receiver and
 * register. Every case gets an RFC 9457 problem (application/problem+json) with its status and,
 * for a body that fails validation, a pointer per failing field; and changes nothing: the
 * partnership's state, its register rows, its workflow history and the mail received stay as
 * they were, and a refused start request starts nothing.
 *
 * | class                              | examples                                                     | answer |
 * |------------------------------------|--------------------------------------------------------------|--------|
 * | wrong types                        | number for a party id, string for a version, array body      | 422    |
 * | missing fields                     | no resolution number, approval without its draft version     | 422    |
 * | unknown fields                     | an extra key at the top or deep in a contact, a query param  | 422    |
 * | oversize strings                   | notes, titles, comments, request ids over their limits       | 422    |
 * | oversize body                      | more than 256 kb                                             | 413    |
 * | invalid dates and durations        | 2026-02-30, 03/02/2026, a date-time, "forever", "0 days"     | 422    |
 * | a past event dated in the future   | a resolution adopted on 2099-01-01                           | 422    |
 * | durations below their floor        | reminders every "1 ms", a "36 hours" notice period (an API    | 422    |
 * |                                    | with allowShortDurations, as ALLOW_SHORT_DURATIONS=true: 201) |        |
 * | CR/LF in names (email headers)     | contact names, legal names, titles, authors, signatories     | 422    |
 * | HTML in text fields                | accepted and stored as text; escaped in the email HTML part and the agreement |
 * | `__proto__` / `constructor` keys   | refused as unknown keys; no prototype pollution              | 422    |
 * | malformed JSON                     | truncated, single quotes, trailing comma, a bare string      | 400    |
 * | not JSON                           | text/plain, a form (curl -d), a latin1 charset; an unknown   | 415    |
 * |                                    | Content-Encoding (415) or one the body is not (400): each    |        |
 * |                                    | detail says what to send                                      |        |
 */
import { startRequest, requestId } from '../helpers/fixtures';
import { historyLength, settledHistoryLength, startApi, startE2eStack, type ApiResponse, type E2eStack } from '../helpers/api-harness';
import { decisionsOf } from '../../store/decisions';
import { sql } from 'kysely';
import { sha256Hex } from '../../domain/fingerprint';

let stack: E2eStack;
const ID = 'bad-input';

beforeAll(async () => {
  stack = await startE2eStack({ writesPerMinute: 100_000 });
  const { api } = stack;
  // Without provider and served roles: a shared-services agreement cannot be rendered from it.
  expect((await api.call('POST', '/partnerships', startRequest({ slug: ID }))).status).toBe(201);
  expect(
    (await api.call('POST', `/partnerships/${ID}/intake-decision`, { requestId: requestId('intake'), accepted: true, interviewedOn: '2026-01-15' })).status,
  ).toBe(200);
  await settledHistoryLength(stack.env.client, `partnership-${ID}`);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

interface Snapshot {
  state: unknown;
  rows: number;
  lastHash: string;
  allRows: number;
  history: number;
  mails: number;
}

async function snapshot(id = ID): Promise<Snapshot> {
  const { api, env, h } = stack;
  const state = await api.call('GET', `/partnerships/${id}`);
  const register = await api.call('GET', `/partnerships/${id}/decisions`);
  expect(register.body.chain.ok).toBe(true);
  const all = await sql<{ n: number }>`select count(*) as n from decisions`.execute(h.db);
  return {
    state: state.body,
    rows: register.body.decisions.length,
    lastHash: register.body.decisions.at(-1).hash,
    allRows: Number(all.rows[0]!.n),
    history: await historyLength(env.client, `partnership-${id}`),
    mails: h.smtp.messages.length,
  };
}

function expectProblem(res: ApiResponse, status: number, pointers?: string[]) {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status, title: expect.any(String) } });
  expect(res.type).toContain('application/problem+json');
  if (pointers) {
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([...pointers].sort());
    for (const e of res.body.errors) expect(e.detail).toEqual(expect.any(String));
  }
  // Nothing of the server's insides.
  expect(JSON.stringify(res.body)).not.toMatch(/node_modules|\.ts:\d+|at [A-Za-z]+ \(/);
}

const resolution = (extra: Record<string, unknown> = {}) => ({
  requestId: requestId('res'),
  partyId: 'riverside',
  subject: 'participation',
  outcome: 'adopted',
  resolutionNumber: '2026-041',
  adoptedOn: '2026-02-03',
  ...extra,
});
const json = (text: string) => text; // a raw body, sent as it is
const X = (n: number) => 'x'.repeat(n);
const r = `/partnerships/${ID}`;

interface Case {
  what: string;
  path: string;
  body: unknown;
  status: number;
  pointers?: string[];
  detail?: RegExp;
  headers?: Record<string, string>;
  method?: string;
}

/** Commands on a partnership in commitment: each would otherwise be a valid request. */
const COMMAND_CASES: Case[] = [
  // wrong types
  {
    what: 'numbers and booleans for strings',
    path: `${r}/resolutions`,
    body: resolution({ partyId: 42, outcome: true, resolutionNumber: 7, adoptedOn: 20260203 }),
    status: 422,
    pointers: ['/partyId', '/outcome', '/resolutionNumber', '/adoptedOn'],
  },
  {
    what: 'a string for a boolean',
    path: `${r}/intake-decision`,
    body: { requestId: requestId(), accepted: 'yes', interviewedOn: '2026-01-15' },
    status: 422,
    pointers: ['/accepted'],
  },
  {
    what: 'a string and a fraction for integers',
    path: `${r}/drafts`,
    body: { requestId: requestId(), version: '1', title: 'T', text: 'x' },
    status: 422,
    pointers: ['/version'],
  },
  {
    what: 'a fractional version',
    path: `${r}/signatures`,
    body: { requestId: requestId(), partyId: 'riverside', signatoryName: 'M', signatoryTitle: 'Mayor', signedOn: '2026-05-01', draftVersion: 1.5 },
    status: 422,
    pointers: ['/draftVersion'],
  },
  {
    what: 'a number out of range',
    path: `${r}/renewals`,
    body: { requestId: requestId(), termMonths: 1_000_000, decidedOn: '2026-06-01' },
    status: 422,
    pointers: ['/termMonths'],
  },
  { what: 'an enum value that does not exist', path: `${r}/resolutions`, body: resolution({ subject: 'everything' }), status: 422, pointers: ['/subject'] },
  { what: 'an array for a body', path: `${r}/resolutions`, body: [resolution()], status: 422, pointers: ['/'], detail: /field/ },
  { what: 'null for a field', path: `${r}/resolutions`, body: resolution({ resolutionNumber: null }), status: 422, pointers: ['/resolutionNumber'] },
  // missing fields
  {
    what: 'an empty body',
    path: `${r}/resolutions`,
    body: {},
    status: 422,
    pointers: ['/requestId', '/partyId', '/subject', '/outcome', '/resolutionNumber', '/adoptedOn'],
  },
  { what: 'no request id', path: `${r}/resolutions`, body: { ...resolution(), requestId: undefined }, status: 422, pointers: ['/requestId'] },
  {
    what: 'an approval without its draft version',
    path: `${r}/resolutions`,
    body: resolution({ subject: 'approval' }),
    status: 422,
    pointers: ['/draftVersion'],
  },
  {
    what: 'a draft with neither text nor document',
    path: `${r}/drafts`,
    body: { requestId: requestId(), version: 1, title: 'T' },
    status: 422,
    pointers: ['/'],
  },
  {
    what: 'feedback from both a party and the community',
    path: `${r}/feedback`,
    body: { requestId: requestId(), partyId: 'riverside', community: 'Elders', author: 'A', comments: 'C' },
    status: 422,
    pointers: ['/'],
  },
  { what: 'no body at all', path: `${r}/abandon`, body: undefined, status: 422, pointers: ['/'] },
  {
    what: 'JSON sent as text/plain',
    path: `${r}/abandon`,
    body: JSON.stringify({ requestId: requestId(), reason: 'x' }),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    detail: /"Content-Type: application\/json"/,
  },
  {
    what: 'a form, as curl -d sends without a Content-Type',
    path: `${r}/abandon`,
    body: `requestId=${requestId()}&reason=x`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    detail: /"Content-Type: application\/json"/,
  },
  {
    what: 'a latin1 charset',
    path: `${r}/abandon`,
    body: JSON.stringify({ requestId: requestId(), reason: 'x' }),
    headers: { 'content-type': 'application/json; charset=latin1' },
    status: 415,
    detail: /UTF-8/,
  },
  {
    what: 'Content-Encoding br on a body that is not',
    path: `${r}/abandon`,
    body: JSON.stringify({ requestId: requestId(), reason: 'x' }),
    headers: { 'content-encoding': 'br' },
    status: 400,
    detail: /uncompressed/,
  },
  {
    what: 'an unknown Content-Encoding',
    path: `${r}/abandon`,
    body: JSON.stringify({ requestId: requestId(), reason: 'x' }),
    headers: { 'content-encoding': 'compress' },
    status: 415,
    detail: /gzip, deflate or br/,
  },
  // unknown fields
  { what: 'an unknown top-level key', path: `${r}/resolutions`, body: resolution({ vote: 'unanimous' }), status: 422, pointers: ['/'], detail: /field/ },
  {
    what: 'the stage in a body',
    path: `${r}/intake-decision`,
    body: { requestId: requestId(), accepted: true, interviewedOn: '2026-01-15', stage: 'in-force' },
    status: 422,
    pointers: ['/'],
  },
  // oversize strings
  {
    what: 'notes over 5,000 characters',
    path: `${r}/intake-decision`,
    body: { requestId: requestId(), accepted: true, interviewedOn: '2026-01-15', notes: X(5001) },
    status: 422,
    pointers: ['/notes'],
  },
  {
    what: 'a resolution number over 100 characters',
    path: `${r}/resolutions`,
    body: resolution({ resolutionNumber: X(101) }),
    status: 422,
    pointers: ['/resolutionNumber'],
  },
  {
    what: 'comments over 20,000 characters',
    path: `${r}/feedback`,
    body: { requestId: requestId(), partyId: 'riverside', author: 'A', comments: X(20_001) },
    status: 422,
    pointers: ['/comments'],
  },
  {
    what: 'a draft over 100,000 characters',
    path: `${r}/drafts`,
    body: { requestId: requestId(), version: 1, title: 'T', text: X(100_001) },
    status: 422,
    pointers: ['/text'],
  },
  { what: 'a request id over 100 characters', path: `${r}/abandon`, body: { requestId: X(101), reason: 'r' }, status: 422, pointers: ['/requestId'] },
  {
    what: 'a request id too short, by header',
    path: `${r}/abandon`,
    body: { reason: 'r' },
    headers: { 'idempotency-key': 'short' },
    status: 422,
    pointers: ['/requestId'],
  },
  { what: 'an empty (whitespace) reason', path: `${r}/abandon`, body: { requestId: requestId(), reason: '   ' }, status: 422, pointers: ['/reason'] },
  // invalid dates
  { what: 'the 30th of February', path: `${r}/resolutions`, body: resolution({ adoptedOn: '2026-02-30' }), status: 422, pointers: ['/adoptedOn'] },
  { what: 'month 13', path: `${r}/resolutions`, body: resolution({ adoptedOn: '2026-13-01' }), status: 422, pointers: ['/adoptedOn'] },
  { what: 'a local date format', path: `${r}/resolutions`, body: resolution({ adoptedOn: '03/02/2026' }), status: 422, pointers: ['/adoptedOn'] },
  {
    what: 'a date-time for a date',
    path: `${r}/intake-decision`,
    body: { requestId: requestId(), accepted: true, interviewedOn: '2026-01-15T10:00:00Z' },
    status: 422,
    pointers: ['/interviewedOn'],
  },
  {
    what: 'the 29th of February of a common year',
    path: `${r}/term`,
    body: { requestId: requestId(), newEndsOn: '2031-02-29', reason: 'r' },
    status: 422,
    pointers: ['/newEndsOn'],
  },
  { what: 'an empty date', path: `${r}/reviews`, body: { requestId: requestId(), heldOn: '', findings: 'f' }, status: 422, pointers: ['/heldOn'] },
  // CR/LF in what ends up in email subjects and headers
  {
    what: 'CR/LF in a feedback author',
    path: `${r}/feedback`,
    body: { requestId: requestId(), partyId: 'riverside', author: 'Council\r\nBcc: victim@example.org', comments: 'c' },
    status: 422,
    pointers: ['/author'],
    detail: /1 field/,
  },
  {
    what: 'LF in a resolution number',
    path: `${r}/resolutions`,
    body: resolution({ resolutionNumber: '2026-041\nX-Injected: yes' }),
    status: 422,
    pointers: ['/resolutionNumber'],
  },
  {
    what: 'CR in a signatory name',
    path: `${r}/signatures`,
    body: { requestId: requestId(), partyId: 'riverside', signatoryName: 'Mona\rMayor', signatoryTitle: 'Mayor', signedOn: '2026-05-01', draftVersion: 1 },
    status: 422,
    pointers: ['/signatoryName'],
  },
  {
    what: 'a tab and NUL in a draft title',
    path: `${r}/drafts`,
    body: { requestId: requestId(), version: 1, title: 'Draft\u0000\tone', text: 'x' },
    status: 422,
    pointers: ['/title'],
  },
  {
    what: 'CR/LF in an access key label',
    path: `${r}/access-keys`,
    body: { role: 'clerk', partyId: 'riverside', label: 'Carl\r\nX: y' },
    status: 422,
    pointers: ['/label'],
  },
  // __proto__ and constructor keys
  {
    what: 'a __proto__ key',
    path: `${r}/resolutions`,
    body: json(
      `{"requestId":"proto-0001","partyId":"riverside","subject":"participation","outcome":"adopted","resolutionNumber":"1","adoptedOn":"2026-02-03","__proto__":{"polluted":"yes","outcome":"rejected"}}`,
    ),
    status: 422,
    pointers: ['/'],
    detail: /field/,
  },
  {
    what: 'a constructor.prototype key',
    path: `${r}/abandon`,
    body: json(`{"requestId":"proto-0002","reason":"r","constructor":{"prototype":{"polluted":"yes"}}}`),
    status: 422,
    pointers: ['/'],
  },
  {
    what: 'a __proto__ key on an access key request',
    path: `${r}/access-keys`,
    body: json(`{"role":"clerk","partyId":"riverside","__proto__":{"role":"coordinator","polluted":"yes"}}`),
    status: 422,
    pointers: ['/'],
  },
  // the date of something already done, in the future
  { what: 'a resolution adopted in 2099', path: `${r}/resolutions`, body: resolution({ adoptedOn: '2099-01-01' }), status: 422, pointers: ['/adoptedOn'] },
  // malformed JSON
  { what: 'truncated JSON', path: `${r}/resolutions`, body: json('{"requestId": "abc-12345", "partyId":'), status: 400 },
  { what: 'single quotes', path: `${r}/resolutions`, body: json("{'requestId': 'abc-12345'}"), status: 400 },
  { what: 'a trailing comma', path: `${r}/abandon`, body: json('{"requestId":"abc-12345","reason":"r",}'), status: 400 },
  { what: 'a bare string', path: `${r}/abandon`, body: json('"abandon"'), status: 400 },
  { what: 'a bare null', path: `${r}/abandon`, body: json('null'), status: 400 },
  // path and header
  { what: 'a path id that is not a slug', path: '/partnerships/Bad_Input/abandon', body: { requestId: requestId(), reason: 'r' }, status: 404 },
  {
    what: 'a partnership that does not exist',
    path: '/partnerships/no-such-partnership/abandon',
    body: { requestId: requestId(), reason: 'r' },
    status: 404,
    detail: /no partnership "no-such-partnership"/,
  },
  {
    what: 'conflicting request ids in header and body',
    path: `${r}/abandon`,
    body: { requestId: 'body-id-0001', reason: 'r' },
    headers: { 'idempotency-key': 'header-id-0001' },
    status: 422,
    detail: /differ/,
  },
  { what: 'an unknown party', path: `${r}/resolutions`, body: resolution({ partyId: 'elsewhere' }), status: 422, detail: /no party "elsewhere"/ },
];

/** Which key a pointer-less detail names, for the unknown-key cases. */
const UNKNOWN_KEY_DETAIL: Record<string, RegExp> = {
  'an unknown top-level key': /Unrecognized key: "vote"/,
  'the stage in a body': /"stage"/,
  'a __proto__ key': /"__proto__"/,
  'a constructor.prototype key': /"constructor"/,
  'a __proto__ key on an access key request': /"__proto__"/,
};

describe('commands with bad input: a problem naming the field, nothing changed', () => {
  let baseline: Snapshot;
  beforeAll(async () => {
    baseline = await snapshot();
  });

  test.each(COMMAND_CASES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const res = await stack.api.call(c.method ?? 'POST', c.path, c.body, c.headers);
    expectProblem(res, c.status, c.pointers);
    if (c.detail) expect(res.body.detail).toMatch(c.detail);
    const unknown = UNKNOWN_KEY_DETAIL[c.what];
    if (unknown) expect(res.body.errors.map((e: any) => e.detail).join(' ')).toMatch(unknown);
    if (c.status === 400) expect(res.body.title).toBe(c.headers?.['content-encoding'] ? 'The body could not be decompressed' : 'The body is not valid JSON');
    expect(({} as any).polluted).toBeUndefined();
    expect((Object.prototype as any).role).toBeUndefined();
    expect(await snapshot()).toEqual(baseline);
  });

  test('a body over 256 kb: 413, nothing changed', async () => {
    const res = await stack.api.call('POST', `${r}/drafts`, { requestId: requestId(), version: 1, title: 'T', text: X(300_000) });
    expectProblem(res, 413);
    expect(res.body.title).toBe('The body is too large');
    expect(await snapshot()).toEqual(baseline);
  });

  test('a request id that names an Object.prototype member: harmless', async () => {
    // "__proto__" and "constructor" match the request id pattern. Whatever the answer, the
    // prototype of nothing changes, and the command is applied at most once.
    for (const id of ['__proto__', 'constructor', 'hasOwnProperty']) {
      const res = await stack.api.call('POST', `${r}/resolutions`, resolution({ requestId: id, resolutionNumber: `P-${id}` }));
      expect(({} as any).polluted).toBeUndefined();
      expect([200, 409]).toContain(res.status);
      const after = await snapshot();
      if (res.status === 409) {
        // Refused: nothing at all changed.
        expect(after).toEqual(baseline);
      } else {
        const state = after.state as { resolutions: Array<{ requestId: string }> };
        expect(state.resolutions.filter((x) => x.requestId === id)).toHaveLength(1);
      }
    }
  });

  test('query strings are validated too', async () => {
    const { api } = stack;
    expectProblem(await api.call('GET', '/partnerships?foo=1'), 422, ['/']);
    expectProblem(await api.call('GET', '/partnerships?__proto__[polluted]=yes'), 422, ['/']);
    expectProblem(await api.call('GET', '/partnerships?__proto__=x'), 422, ['/']);
    expectProblem(await api.call('GET', '/partnerships?deadlineAfter=yesterday&pageSize=1000'), 422, ['/deadlineAfter', '/pageSize']);
    expectProblem(await api.call('GET', `/partnerships?pageToken=${encodeURIComponent("' OR 1=1 --")}`), 422, ['/pageToken']);
    // Not a token the API issued: refused before Temporal sees it (whose visibility store would
    // answer an opaque internal error after many seconds of retries).
    const started = Date.now();
    expectProblem(await api.call('GET', '/partnerships?pageToken=bm90LWEtdG9rZW4'), 422, ['/pageToken']);
    expectProblem(await api.call('GET', `/partnerships?pageToken=bm90LWEtdG9rZW4.${'A'.repeat(32)}`), 422, ['/pageToken']);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(({} as any).polluted).toBeUndefined();
    expect(await snapshot()).toEqual(baseline);
  });
});

/** Start requests: each refused one starts nothing. */
function badStart(mutate: (body: any) => void): any {
  const body = startRequest({ slug: 'bad-start' }) as any;
  mutate(body);
  return body;
}

const START_CASES: Array<{ what: string; body: unknown; status: number; pointers?: string[] }> = [
  { what: 'parties as a string', body: badStart((b) => (b.parties = 'riverside, maple')), status: 422, pointers: ['/parties'] },
  { what: 'one party only', body: badStart((b) => b.parties.pop()), status: 422, pointers: ['/parties'] },
  { what: 'the same party twice', body: badStart((b) => (b.parties[1].id = 'riverside')), status: 422, pointers: ['/parties/1/id'] },
  { what: 'a language that is not offered', body: badStart((b) => (b.coordinator.language = 'de')), status: 422, pointers: ['/coordinator/language'] },
  { what: 'no parties', body: badStart((b) => delete b.parties), status: 422, pointers: ['/parties'] },
  {
    what: 'an unknown key in a contact',
    body: badStart((b) => (b.parties[0].contacts.clerk.phone = '555-0100')),
    status: 422,
    pointers: ['/parties/0/contacts/clerk'],
  },
  { what: 'a title over 300 characters', body: badStart((b) => (b.title = X(301))), status: 422, pointers: ['/title'] },
  { what: 'a slug that is not one', body: badStart((b) => (b.slug = '../etc/passwd')), status: 422, pointers: ['/slug'] },
  {
    what: 'durations that are not durations',
    body: badStart((b) => (b.durations = { term: 'forever', noticePeriod: '0 days', reviewEvery: '1000 years', checkInEvery: 'P' })),
    status: 422,
    pointers: ['/durations/term', '/durations/noticePeriod', '/durations/reviewEvery', '/durations/checkInEvery'],
  },
  { what: 'an unknown duration', body: badStart((b) => (b.durations = { coffeeBreak: '15 minutes' })), status: 422, pointers: ['/durations'] },
  {
    what: 'reminders every millisecond',
    body: badStart((b) => (b.durations = { resolutionReminderEvery: '1 ms' })),
    status: 422,
    pointers: ['/durations/resolutionReminderEvery'],
  },
  {
    what: 'durations below their floors',
    body: badStart((b) => (b.durations = { noticePeriod: '36 hours', consultationWindow: '12 hours', checkInEvery: '30 minutes', term: '24 months' })),
    status: 422,
    pointers: ['/durations/noticePeriod', '/durations/consultationWindow', '/durations/checkInEvery'],
  },
  {
    what: 'CR/LF in the coordinator’s name',
    body: badStart((b) => (b.coordinator.name = 'A. Tremblay\r\nBcc: victim@example.org')),
    status: 422,
    pointers: ['/coordinator/name'],
  },
  {
    what: 'LF in a legal name',
    body: badStart((b) => (b.parties[0].legalName = 'Town of Riverside\nX-Injected: yes')),
    status: 422,
    pointers: ['/parties/0/legalName'],
  },
  {
    what: 'CR in a signatory title',
    body: badStart((b) => (b.parties[1].contacts.signatory.title = 'Chef\rX-Injected: yes')),
    status: 422,
    pointers: ['/parties/1/contacts/signatory/title'],
  },
  { what: 'CR/LF in the title (every subject line)', body: badStart((b) => (b.title = 'Water\r\nBcc: victim@example.org')), status: 422, pointers: ['/title'] },
  {
    what: 'CR/LF in an address',
    body: badStart((b) => (b.parties[0].contacts.champion.email = 'rita@riverside.example\r\nBcc: victim@example.org')),
    status: 422,
    pointers: ['/parties/0/contacts/champion/email'],
  },
  {
    what: 'a __proto__ key in durations',
    body: json(JSON.stringify(startRequest({ slug: 'bad-start' })).replace('"parties":', '"durations":{"__proto__":{"term":"1 day"}},"parties":')),
    status: 422,
    pointers: ['/durations'],
  },
  {
    what: 'a __proto__ key in a party',
    body: json(JSON.stringify(startRequest({ slug: 'bad-start' })).replace('{"id":"maple"', '{"__proto__":{"id":"x","polluted":"yes"},"id":"maple"')),
    status: 422,
    pointers: ['/parties/1'],
  },
  { what: 'malformed JSON', body: json(JSON.stringify(startRequest({ slug: 'bad-start' })).slice(0, -2)), status: 400 },
  { what: 'over 256 kb', body: badStart((b) => (b.context = X(300_000))), status: 413 },
];

describe('start requests with bad input: a problem naming the field, nothing started', () => {
  test.each(START_CASES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const { api, h } = stack;
    const rowsBefore = await snapshot();
    const res = await api.call('POST', '/partnerships', c.body);
    expectProblem(res, c.status, c.pointers);
    expect(({} as any).polluted).toBeUndefined();
    expect((await api.call('GET', '/partnerships/bad-start')).status).toBe(404);
    expect(await decisionsOf(h.db, 'bad-start')).toEqual([]);
    expect(await snapshot()).toEqual(rowsBefore);
  });
});

test('a duration below its floor: 422 naming the field and the floor; an API that allows short durations starts it', async () => {
  const { api, env, h } = stack;
  const body = startRequest({ slug: 'short-durations', durations: { resolutionReminderEvery: '1 ms', noticePeriod: '36 hours' } });
  const refused = await api.call('POST', '/partnerships', body);
  expectProblem(refused, 422, ['/durations/resolutionReminderEvery', '/durations/noticePeriod']);
  expect(refused.body.title).toBe('A duration is below its floor');
  expect(refused.body.errors).toEqual([
    { pointer: '/durations/resolutionReminderEvery', detail: 'at least 1 hour (ALLOW_SHORT_DURATIONS is not set)' },
    { pointer: '/durations/noticePeriod', detail: 'whole days, at least 1 day (ALLOW_SHORT_DURATIONS is not set)' },
  ]);
  expect((await api.call('GET', '/partnerships/short-durations')).status).toBe(404);

  // A second API over the same Temporal and register, as one started with ALLOW_SHORT_DURATIONS=true.
  const lenient = await startApi(env.client, h.db, h.taskQueue, { allowShortDurations: true });
  try {
    const started = await lenient.call('POST', '/partnerships', body);
    expect(started.status).toBe(201);
    expect(started.body.id).toBe('short-durations');
    expect((await lenient.call('GET', '/partnerships/short-durations')).body.stage).toBe('intake');
    // The workflow received the durations as they were sent.
    const history = await env.client.workflow.getHandle('partnership-short-durations').fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!;
    expect(JSON.parse(Buffer.from(input).toString('utf8')).start.request.durations).toEqual({ resolutionReminderEvery: '1 ms', noticePeriod: '36 hours' });
    await settledHistoryLength(env.client, 'partnership-short-durations');
  } finally {
    await lenient.stop();
  }
});

test('HTML in text fields is stored as text, escaped in the HTML part of emails and in the agreement', async () => {
  const { api, h } = stack;
  const title = 'Water <script>alert("x")</script> & <b>more</b>';
  const notes = '<img src=x onerror="alert(1)"> needs follow-up';
  const body = startRequest({ slug: 'html-in-text', title, purpose: 'Purpose <i>with</i> markup & ampersands' });
  body.parties = body.parties.map((p, i) => ({ ...p, role: i === 0 ? 'provider' : 'served' }));
  expect((await api.call('POST', '/partnerships', body)).status).toBe(201);
  const intake = await api.call('POST', '/partnerships/html-in-text/intake-decision', {
    requestId: requestId('intake'),
    accepted: true,
    interviewedOn: '2026-01-15',
    notes,
  });
  expect(intake.status).toBe(200);

  // Stored and returned as the text it is.
  const state = (await api.call('GET', '/partnerships/html-in-text')).body;
  expect(state.title).toBe(title);
  // The state keeps a reference to the notes and their excerpt (the claim check); the text is stored apart.
  expect(state.intake.notes).toMatchObject({ excerpt: notes, sha256: sha256Hex(notes), size: Buffer.byteLength(notes) });
  const rows = (await api.call('GET', '/partnerships/html-in-text/decisions')).body.decisions;
  // The register's row holds the reference; the text itself is served by the contents route.
  expect(rows.find((x: any) => x.kind === 'recordIntakeDecision').payload.notes).toEqual({
    sha256: sha256Hex(notes),
    size: Buffer.byteLength(notes),
    excerpt: notes,
  });
  const stored = await api.call('GET', state.intake.notes.url);
  expect({ status: stored.status, type: stored.type, body: stored.body }).toEqual({ status: 200, type: 'text/plain; charset=utf-8', body: notes });

  // Emails: the subject and text part carry the text; the HTML part escapes it.
  await h.smtp.waitFor((m) => m.filter((x) => x.partnership === 'html-in-text' && x.event === 'intake-accepted').length === 3);
  const mail = h.smtp.messages.find((x) => x.partnership === 'html-in-text' && x.event === 'intake-accepted' && x.to.includes('champion@riverside.example'))!;
  expect(mail.subject).toBe(`Application accepted: ${title}`);
  expect(mail.text).toContain(title);
  expect(mail.html).toContain('Water &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;');
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).not.toContain('<b>more');

  // The agreement's HTML escapes the parties' words too.
  const agreement = await api.call('GET', '/partnerships/html-in-text/agreement');
  expect(agreement.status).toBe(200);
  expect(agreement.body).toContain('&lt;script&gt;');
  expect(agreement.body).not.toContain('<script>');
  expect(agreement.body).not.toContain('<i>with</i>');
});

test('an agreement that cannot be rendered from what the partnership knows is a 409 problem, not a 500', async () => {
  // A shared-services agreement names a provider; this partnership's parties have no roles.
  const res = await stack.api.call('GET', `${r}/agreement`);
  expectProblem(res, 409);
  expect(res.body.detail).toMatch(/role "provider"/);
});
