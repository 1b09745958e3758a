/**
 * What a security review found by probing the API, over HTTP with real parts (dev server, worker,
 * SMTP, SQLite).
 *
 * | probe                                                           | expected                                                        |
 * |-----------------------------------------------------------------|-----------------------------------------------------------------|
 * | `Host: evil.example` on /openapi.json and the calendar, PUBLIC_URL unset | links from PUBLIC_URL's default (http://localhost:3000), never the Host |
 * | a malformed Host (`evil.example:99999`)                          | 200, not 500                                                     |
 * | PUBLIC_URL set                                                  | every link from it, whatever the Host                            |
 * | U+202E, U+2028, U+2029, U+0085, U+200B, U+FEFF, U+00AD in a title, a contact's name, a command's name field | 422 naming the field; nothing started |
 * | accents, apostrophes, emoji, `; , \` in the same fields          | accepted                                                         |
 * | the calendar of a partnership whose title holds `; , \`         | valid RFC 5545, read back with ical.js                           |
 */
import { request as httpRequest } from 'node:http';
import { issueKey, startApi, startE2eStack, type ApiHarness, type E2eStack } from '../helpers/api-harness';
import { contact, requestId, startRequest } from '../helpers/fixtures';
import { parseStrictCalendar } from '../helpers/icalendar';

let stack: E2eStack;
let withPublicUrl: ApiHarness;
const ID = 'hardening';
const TITLE = 'Eau; routes, et \\ le reste — Première Nation Maple 💧';
const PUBLIC_URL = 'https://entente.example.org';

beforeAll(async () => {
  stack = await startE2eStack();
  withPublicUrl = await startApi(stack.env.client, stack.h.db, stack.h.taskQueue, { publicUrl: PUBLIC_URL });
  const started = await stack.api.call('POST', '/partnerships', startRequest({ slug: ID, title: TITLE }));
  expect(started.status).toBe(201);
  const intake = await stack.api.call('POST', `/partnerships/${ID}/intake-decision`, {
    requestId: requestId('intake'),
    accepted: true,
    interviewedOn: '2026-01-05',
  });
  expect(intake.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await withPublicUrl?.stop();
  await stack?.stop();
});

/** A GET with a Host header of our choosing (fetch does not let one be set). */
function getWithHost(base: string, path: string, host: string, authorization?: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers: { host, ...(authorization ? { authorization } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const coordinator = 'Bearer test-coordinator-key-0123456789';

test('links come from PUBLIC_URL’s default, never from the Host header', async () => {
  const { url } = stack.api;
  for (const host of ['evil.example', 'evil.example:99999', 'evil.example/path?x']) {
    const openapi = await getWithHost(url, '/openapi.json', host);
    expect({ host, status: openapi.status }).toEqual({ host, status: 200 });
    expect(JSON.parse(openapi.body).servers).toEqual([{ url: 'http://localhost:3000' }]);
    const calendar = await getWithHost(url, `/partnerships/${ID}/calendar.ics`, host, coordinator);
    expect({ host, status: calendar.status }).toEqual({ host, status: 200 });
    expect(calendar.body).not.toContain('evil');
    expect(calendar.body).toContain(`URL:http://localhost:3000/#/p/${ID}`);
  }
});

test('with PUBLIC_URL set, every link comes from it', async () => {
  const openapi = await getWithHost(withPublicUrl.url, '/openapi.json', 'evil.example');
  expect(JSON.parse(openapi.body).servers).toEqual([{ url: PUBLIC_URL }]);
  const calendar = await getWithHost(withPublicUrl.url, `/partnerships/${ID}/calendar.ics`, 'evil.example', coordinator);
  expect(calendar.body).toContain(`URL:${PUBLIC_URL}/#/p/${ID}`);
  expect(parseStrictCalendar(calendar.body).events[0]!.getFirstPropertyValue('uid')).toMatch(/@entente\.example\.org$/);
});

const INVISIBLE: Array<[string, string]> = [
  ['U+202E right-to-left override', '\u202E'],
  ['U+2028 line separator', '\u2028'],
  ['U+2029 paragraph separator', '\u2029'],
  ['U+0085 next line', '\u0085'],
  ['U+200B zero-width space', '\u200B'],
  ['U+FEFF zero-width no-break space', '\uFEFF'],
  ['U+00AD soft hyphen', '\u00AD'],
  ['U+2066 left-to-right isolate', '\u2066'],
];

test('invisible and bidirectional format characters are refused in titles and names', async () => {
  const { api } = stack;
  for (const [what, char] of INVISIBLE) {
    const inTitle = startRequest({ slug: 'spoofed-title', title: `Water services ${char}gnp.exe` });
    const title = await api.call('POST', '/partnerships', inTitle);
    expect({ what, status: title.status, pointers: title.body.errors?.map((e: { pointer: string }) => e.pointer) }).toEqual({
      what,
      status: 422,
      pointers: ['/title'],
    });

    const inName = startRequest({ slug: 'spoofed-name' });
    inName.parties[0]!.contacts.clerk = contact(`Carl${char} Clerk`, 'clerk@riverside.example');
    inName.parties[1]!.legalName = `Maple${char} First Nation`;
    const name = await api.call('POST', '/partnerships', inName);
    expect({ what, status: name.status, pointers: name.body.errors?.map((e: { pointer: string }) => e.pointer).sort() }).toEqual({
      what,
      status: 422,
      pointers: ['/parties/0/contacts/clerk/name', '/parties/1/legalName'],
    });
  }
  for (const slug of ['spoofed-title', 'spoofed-name']) expect((await api.call('GET', `/partnerships/${slug}`)).status).toBe(404);
});

test('a command’s single-line fields refuse them too', async () => {
  const { api } = stack;
  const clerk = api.as(await issueKey(api, ID, 'clerk', 'riverside'));
  for (const [what, char] of INVISIBLE) {
    const res = await clerk('POST', `/partnerships/${ID}/resolutions`, {
      requestId: requestId('resolution'),
      partyId: 'riverside',
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: `2026-${char}017`,
      adoptedOn: '2026-01-10',
    });
    expect({ what, status: res.status, pointers: res.body.errors?.map((e: { pointer: string }) => e.pointer) }).toEqual({
      what,
      status: 422,
      pointers: ['/resolutionNumber'],
    });
  }
});

test('the text people write is accepted: accents, apostrophes, emoji, “; , \\”', async () => {
  const state = (await stack.api.call('GET', `/partnerships/${ID}`)).body;
  expect(state.title).toBe(TITLE);
  const request = startRequest({ slug: 'plain-text', title: 'L’entente d’Île-aux-Coudres 🌊 (phase 2)' });
  request.parties[1]!.contacts.clerk = contact('Gilles Greffier-Ouellet', 'greffe@maple.example');
  expect((await stack.api.call('POST', '/partnerships', request)).status).toBe(201);
});

test('the calendar of a title holding “; , \\” is valid RFC 5545 and names it whole', async () => {
  const ics = await stack.api.call('GET', `/partnerships/${ID}/calendar.ics`);
  expect(ics.status).toBe(200);
  const parsed = parseStrictCalendar(ics.body);
  expect(parsed.events.length).toBeGreaterThan(0);
  expect(parsed.name).toBe(TITLE);
  for (const summary of parsed.summaries) expect(summary.endsWith(`: ${TITLE}`)).toBe(true);
});
