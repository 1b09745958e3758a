/**
 * People and parties change, over HTTP with real parts (dev server, worker, SMTP, SQLite).
 *
 * | step                                                        | asserts                                                          |
 * |-------------------------------------------------------------|------------------------------------------------------------------|
 * | the champion of Riverside replaces its clerk (POST /contacts) | 200 with the new clerk in the state; the register records who did it; the new clerk's email arrives, in French |
 * | a champion replacing Maple's clerk                          | 403                                                              |
 * | the coordinator sets Riverside as provider, Maple as served (POST /party-roles) | the shared-services agreement, refused before (409), renders, naming the provider |
 */
import { issueKey, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { startRequest } from '../helpers/fixtures';

let stack: E2eStack;
const ID = 'people-change';

beforeAll(async () => {
  stack = await startE2eStack();
  const request = startRequest({ slug: ID });
  for (const party of request.parties) delete (party as { role?: string }).role;
  expect((await stack.api.call('POST', '/partnerships', request)).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

test('a champion replaces their party’s clerk; the new clerk is told, in their language', async () => {
  const { api, h } = stack;
  const champion = api.as(await issueKey(api, ID, 'champion', 'riverside'));
  const res = await champion('POST', `/partnerships/${ID}/contacts`, {
    requestId: 'contact-0001',
    partyId: 'riverside',
    role: 'clerk',
    contact: { name: 'Nora Greffière', email: 'nora@riverside.example', language: 'fr' },
  });
  expect(res.status).toBe(200);
  const riverside = res.body.state.parties.find((p: { id: string }) => p.id === 'riverside');
  expect(riverside.contacts.clerk).toEqual({ name: 'Nora Greffière' });
  expect(JSON.stringify(res.body.state)).not.toContain('nora@riverside.example');

  const mail = await h.smtp.waitFor((m) => m.some((x) => x.event === 'contact-assigned' && x.to.includes('nora@riverside.example')));
  const toNora = mail.find((x) => x.event === 'contact-assigned' && x.to.includes('nora@riverside.example'))!;
  expect(toNora.subject).toMatch(/^Vous êtes maintenant greffier ou greffière pour Town of Riverside/);

  const register = await api.call('GET', `/partnerships/${ID}/decisions`);
  expect(register.body.decisions.find((d: { kind: string }) => d.kind === 'replaceContact')).toMatchObject({
    actor: 'champion:riverside',
    partyId: 'riverside',
  });

  const other = await champion('POST', `/partnerships/${ID}/contacts`, {
    requestId: 'contact-0002',
    partyId: 'maple',
    role: 'clerk',
    contact: { name: 'Intruder', email: 'x@example.org' },
  });
  expect(other.status).toBe(403);
});

test('the coordinator sets the parties’ roles: the shared-services agreement can then be rendered', async () => {
  const { api } = stack;
  const before = await api.call('GET', `/partnerships/${ID}/agreement`, undefined, { accept: 'text/markdown' });
  expect(before.status).toBe(409);
  expect(before.body.detail).toMatch(/provider/);
  for (const [partyId, role] of [
    ['riverside', 'provider'],
    ['maple', 'served'],
  ]) {
    const res = await api.call('POST', `/partnerships/${ID}/party-roles`, { requestId: `role-${partyId}-01`, partyId, role });
    expect(res.status).toBe(200);
    expect(res.body.state.parties.find((p: { id: string }) => p.id === partyId).role).toBe(role);
  }
  const after = await api.call('GET', `/partnerships/${ID}/agreement`, undefined, { accept: 'text/markdown' });
  expect(after.status).toBe(200);
  expect(after.body).toContain('Town of Riverside');
});
