/**
 * The path of a clerk and a signatory from their inbox, in Chromium, against the real stack (the
 * Temporal CLI dev server, a worker, the SMTP receiver, the register and the API over HTTP):
 * nobody types a key; the link in the email is the credential, exchanged for a session.
 *
 * | step                                                              | asserts                                                    |
 * |-------------------------------------------------------------------|------------------------------------------------------------|
 * | Riverside's clerk follows the resolution request's link           | the token leaves the address bar; the recordResolution form is open, party and subject shown, not asked |
 * | the clerk records the participation resolution                    | the state holds it; the register page names the clerk and the means (personal link) |
 * | the coordinator revokes that link on the page                     | the clerk's open tab says the session ended and what to do; no form |
 * | Maple's clerk, in a French browser, follows theirs                | the page, its labels and enum values in French; dates in fr-CA; the stage moves on to groundwork |
 * | Maple's clerk follows the approval request (version 2)            | the draft's text beside the form; after it, the stage moves on to signing |
 * | Riverside's mayor follows the signature request                   | version and hash of the approved draft shown, name and title filled in; signing brings it in force |
 * | an altered token                                                  | a page that says the link does not work and what to do; no form |
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { COORDINATOR_KEY, eventually, issueKey, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { CHROMIUM_PATH, launchChromium, pageLabel as label } from '../helpers/browser';
import { requestId, startRequest } from '../helpers/fixtures';
import { DRAFT_TEXT } from '../helpers/lifecycle-driver';
import type { ReceivedMail } from '../helpers/smtp';

const ID = 'clerk-path';

let stack: E2eStack;
let browser: Browser;
/** Riverside's clerk's tab, still open when the coordinator revokes the link it came from. */
let riversideClerk: Page;

beforeAll(async () => {
  stack = await startE2eStack({ writesPerMinute: 100_000 });
  if (CHROMIUM_PATH) browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The coordinator's command over the API; fails the test on anything but 200. */
async function command(route: string, body: Record<string, unknown>, key?: string) {
  const call = key ? stack.api.as(key) : stack.api.call;
  const res = await call('POST', `/partnerships/${ID}/${route}`, { requestId: requestId(route.replace(/\W/g, '-')), ...body });
  if (res.status !== 200) throw new Error(`${route}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function stageIs(stage: string) {
  return eventually(async () => ((await stack.api.call('GET', `/partnerships/${ID}`)).body.stage === stage ? true : undefined), `stage ${stage}`);
}

/** The newest email of `event` to `address` once there are `count` of them, and the token of its link. */
async function linkFor(address: string, event: string, count = 1): Promise<{ mail: ReceivedMail; token: string }> {
  const matching = () => stack.h.smtp.messages.filter((m) => m.partnership === ID && m.event === event && m.to.includes(address));
  await stack.h.smtp.waitFor(() => matching().length >= count);
  const mail = matching().at(-1)!;
  const token = /#\/act\/(enl_[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no action link in the ${event} email to ${address}:\n${mail.text}`);
  return { mail, token };
}

/** Opens the link as its recipient would, in a browser speaking `locale`. */
async function follow(token: string, locale: string, command: string): Promise<Page> {
  const page = await browser.newPage({ locale });
  await page.goto(`${stack.api.url}/#/act/${token}`);
  await page.locator(`details.action[data-command="${command}"][open]`).waitFor();
  return page;
}

/** The draft's whole text, fetched by the page with the session, beside the form. */
async function draftBeside(action: Locator, text: string) {
  const pane = action.locator('aside.document pre.document-text');
  await eventually(
    async () => ((await pane.textContent()) === text ? true : undefined),
    () => `the draft's text beside the form`,
  );
}

async function send(page: Page, command: string) {
  const form = page.locator(`details.action[data-command="${command}"] form`);
  await form.locator('button[type=submit]').click();
  await form.locator('.outcome .ok').waitFor();
}

const body = (() => {
  const request = startRequest({ slug: ID });
  const [provider, served] = request.parties;
  return {
    ...request,
    parties: [
      { ...provider!, role: 'provider' as const },
      { ...served!, role: 'served' as const },
    ],
  };
})();

// Without a Chromium (scripts/chromium.sh could not install one), launching it fails every case here.
describe('from the email to the recorded decision, without a key', () => {
  beforeAll(async () => {
    expect((await stack.api.call('POST', '/partnerships', body)).status).toBe(201);
    await command('intake-decision', { accepted: true, interviewedOn: '2026-01-15' });
    await stageIs('commitment');
  });

  test('the clerk of Riverside records the participation resolution from the link in the email', async () => {
    const { token } = await linkFor('clerk@riverside.example', 'resolution-requested');
    const page = await follow(token, 'en-CA', 'recordResolution');
    // The token is gone from the address bar: the partnership and the action are named instead.
    expect(page.url()).toBe(`${stack.api.url}/#/p/${ID}?action=recordResolution`);
    expect(await page.evaluate("JSON.parse(sessionStorage.getItem('entente-credential') || '{}').via")).toBe('link');
    expect(await page.textContent('#who')).toContain(label('en', 'role.clerk'));

    const form = page.locator('details.action[data-command="recordResolution"]');
    // What the email already said is shown, not asked.
    expect(await form.locator('[data-field=partyId] output').textContent()).toBe('Town of Riverside');
    expect(await form.locator('[data-field=subject] output').textContent()).toBe(label('en', 'value.subject.participation'));
    expect(await form.locator('[data-field=resolutionNumber] .caption').textContent()).toContain(label('en', 'field.resolutionNumber'));
    // A participation resolution names no draft: the clerk is not asked for one.
    expect(await form.locator('[data-field=draftVersion], [data-field=draftHash]').count()).toBe(0);
    await form.locator('select[name=outcome]').selectOption('adopted');
    await form.locator('input[name=resolutionNumber]').fill('2026-041');
    await form.locator('input[name=adoptedOn]').fill('2026-02-03');
    await send(page, 'recordResolution');

    const state = (await stack.api.call('GET', `/partnerships/${ID}`)).body;
    expect(state.resolutions).toEqual([
      expect.objectContaining({ partyId: 'riverside', subject: 'participation', outcome: 'adopted', resolutionNumber: '2026-041' }),
    ]);
    // The page shows the partnership again, saying what was recorded, with the resolution in its record.
    await page.locator('section.record td:text-is("2026-041")').waitFor();
    expect(await page.textContent('p.announcement')).toBe(
      label('en', 'ui.pair', { label: label('en', 'ui.applied'), value: label('en', 'command.recordResolution') }),
    );
    expect(page.url()).toBe(`${stack.api.url}/#/p/${ID}`);
    // The register says who recorded it and by which means: the personal link, not a key.
    await page.click(`a:text-is("${label('en', 'ui.decisionRegister')}")`);
    const row = page.locator('section.register tr', { has: page.locator('code.payload:text("2026-041")') });
    await row.waitFor();
    expect(await row.textContent()).toContain(label('en', 'value.means.action-link'));
    expect(await row.textContent()).toContain(label('en', 'role.clerk'));
    riversideClerk = page;
  }, 60_000);

  test('the coordinator revokes that link on the page: the clerk’s open tab says the session ended, and what to do', async () => {
    const page = await browser.newPage({ locale: 'en-CA' });
    await page.goto(`${stack.api.url}/`);
    await page.fill('input[name=key]', COORDINATOR_KEY);
    await page.click(`button:text-is("${label('en', 'ui.signIn')}")`);
    await page.locator(`h1:text-is("${label('en', 'ui.desk')}")`).waitFor();
    await page.goto(`${stack.api.url}/#/p/${ID}`);
    const clerks = page
      .locator('.action-links tr')
      .filter({ has: page.locator('[data-party=riverside]') })
      .filter({ has: page.locator('[data-role=clerk]') });
    await clerks.first().waitFor();
    expect(await clerks.count()).toBe(1);
    expect(await clerks.textContent()).toContain(label('en', 'notification.resolution-requested'));
    await clerks.locator(`button:text-is("${label('en', 'ui.revoke')}")`).click();
    await clerks.locator(`button:text-is("${label('en', 'ui.revoke')}")`).waitFor({ state: 'detached' });
    await page.close();

    await riversideClerk.reload();
    await riversideClerk.locator(`.link-refused h1:text-is("${label('en', 'ui.sessionEndedTitle')}")`).waitFor();
    expect(await riversideClerk.locator('.link-refused').textContent()).toContain(label('en', 'ui.sessionEndedHelp'));
    expect(await riversideClerk.locator('details.action').count()).toBe(0);
    await riversideClerk.close();
  }, 60_000);

  test('the clerk of Maple, in a French browser, sees the page in French and moves the stage on', async () => {
    const { token } = await linkFor('greffe@maple.example', 'resolution-requested');
    const page = await follow(token, 'fr-CA', 'recordResolution');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('section.actions h2')).toBe(label('fr', 'ui.yourActions'));
    expect(await page.textContent('.stage')).toBe(label('fr', 'stage.commitment'));
    const form = page.locator('details.action[data-command="recordResolution"]');
    expect(await form.locator('summary').textContent()).toBe(label('fr', 'command.recordResolution'));
    expect(await form.locator('[data-field=subject] output').textContent()).toBe(label('fr', 'value.subject.participation'));
    expect(await form.locator('[data-field=adoptedOn] .caption').textContent()).toContain(label('fr', 'field.adoptedOn'));
    expect(await form.locator('select[name=outcome] option').allTextContents()).toEqual([
      '—',
      label('fr', 'value.outcome.adopted'),
      label('fr', 'value.outcome.rejected'),
    ]);
    // Values in French: the party's kind and its role in the agreement.
    const maple = page
      .locator('tr', { has: page.locator('td:text-is("Maple First Nation")') })
      .filter({ has: page.locator(`td:text-is("${label('fr', 'value.kind.first-nation')}")`) });
    expect(await maple.textContent()).toContain(label('fr', 'value.role.served'));
    // Riverside's resolution, listed with its day as a French reader writes it.
    const adopted = new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2026-02-03T00:00:00Z'));
    await page.locator(`section.record td:text-is("${adopted}")`).waitFor();
    expect(adopted).toBe('3 février 2026');

    await form.locator('select[name=outcome]').selectOption('adopted');
    await form.locator('input[name=resolutionNumber]').fill('R-2026-12');
    await form.locator('input[name=adoptedOn]').fill('2026-02-05');
    await send(page, 'recordResolution');
    await page.locator(`.stage[data-stage=groundwork]:text-is("${label('fr', 'stage.groundwork')}")`).waitFor();
    await page.close();
  }, 60_000);

  test('the clerk of Maple records the approval of version 2 with its text beside the form', async () => {
    // The coordinator's part, over the API: groundwork (funding skipped), draft 1, feedback, draft 2.
    await command('milestones', { milestone: 'launch-workshop', completedOn: '2026-02-10' });
    await command('milestones', { milestone: 'communication-protocol', completedOn: '2026-02-20' });
    await command('milestones', { milestone: 'feasibility-study', completedOn: '2026-03-01' });
    await command('milestones', { milestone: 'funding-proposal', skipped: true, reason: 'No outside funding needed' });
    await command('milestones', { milestone: 'public-engagement-strategy', completedOn: '2026-03-05' });
    await stageIs('drafting');
    await command('drafts', { version: 1, title: 'Entente — version 1', text: DRAFT_TEXT(1) });
    await stageIs('consultation');
    for (const partyId of ['riverside', 'maple']) await command('feedback', { partyId, author: `Council of ${partyId}`, comments: 'Clarify the costs.' });
    await stageIs('revision');
    await command('milestones', { milestone: 'review-workshop', completedOn: '2026-04-10' });
    await command('drafts', { version: 2, title: 'Entente — version 2', text: DRAFT_TEXT(2) });
    await stageIs('approval');
    await command('resolutions', {
      partyId: 'riverside',
      subject: 'approval',
      outcome: 'adopted',
      resolutionNumber: 'A-riverside-v2',
      adoptedOn: '2026-05-01',
      draftVersion: 2,
    });

    const { token } = await linkFor('greffe@maple.example', 'resolution-requested', 2);
    const page = await follow(token, 'en-CA', 'recordResolution');
    const action = page.locator('details.action[data-command="recordResolution"]');
    expect(await action.locator('[data-field=subject] output').textContent()).toBe(label('en', 'value.subject.approval'));
    expect(await action.locator('input[name=draftVersion]').inputValue()).toBe('2');
    await draftBeside(action, DRAFT_TEXT(2));
    await action.locator('select[name=outcome]').selectOption('adopted');
    await action.locator('input[name=resolutionNumber]').fill('A-maple-v2');
    await action.locator('input[name=adoptedOn]').fill('2026-05-02');
    await send(page, 'recordResolution');
    await page.locator('.stage[data-stage=signing]').waitFor();
    await page.close();
  }, 90_000);

  test('the mayor of Riverside signs the approved version from the link, and the agreement comes into force', async () => {
    const state = (await stack.api.call('GET', `/partnerships/${ID}`)).body;
    const approved = state.drafts.find((d: { version: number }) => d.version === 2);
    const mapleSignatory = await issueKey(stack.api, ID, 'signatory', 'maple');
    await command(
      'signatures',
      { partyId: 'maple', signatoryName: 'Chef Claude', signatoryTitle: 'Chef', signedOn: '2026-05-14', draftVersion: 2 },
      mapleSignatory,
    );

    const { token } = await linkFor('mayor@riverside.example', 'signature-requested');
    const page = await follow(token, 'en-CA', 'sign');
    expect(page.url()).not.toContain(token);
    const action = page.locator('details.action[data-command="sign"]');
    expect(await action.locator('input[name=draftHash]').inputValue()).toBe(approved.sha256);
    expect(await action.locator('input[name=draftVersion]').inputValue()).toBe('2');
    expect(await action.locator('input[name=signatoryName]').inputValue()).toBe('Mona Mayor');
    expect(await action.locator('input[name=signatoryTitle]').inputValue()).toBe('Mayor');
    await draftBeside(action, DRAFT_TEXT(2));
    // The agreement itself, a click away: rendered by the API, fetched with the session, opened in a tab.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), action.locator('a.agreement-link').click()]);
    await tab.waitForLoadState();
    await eventually(
      async () => ((await tab.textContent('body').catch(() => ''))?.includes('Town of Riverside') ? true : undefined),
      'the agreement in its tab',
    );
    expect(tab.url()).toMatch(/^blob:/);
    await tab.close();
    await action.locator('input[name=signedOn]').fill('2026-05-15');
    await send(page, 'sign');
    await page.locator('.stage[data-stage="in-force"]').waitFor();
    const signed = (await stack.api.call('GET', `/partnerships/${ID}`)).body.signatures;
    expect(signed).toEqual(
      expect.arrayContaining([expect.objectContaining({ partyId: 'riverside', signatoryName: 'Mona Mayor', draftVersion: 2, draftHash: approved.sha256 })]),
    );
    await page.close();
  }, 60_000);

  test('an altered token opens a page that says the link does not work, and nothing else', async () => {
    const { token } = await linkFor('champion@riverside.example', 'resolution-requested');
    const altered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const page = await browser.newPage({ locale: 'en-CA' });
    await page.goto(`${stack.api.url}/#/act/${altered}`);
    await page.locator(`.link-refused h1:text-is("${label('en', 'ui.linkRefusedTitle')}")`).waitFor();
    expect(await page.locator('.link-refused').textContent()).toContain(label('en', 'ui.linkRefusedHelp'));
    expect(await page.locator('details.action, form').count()).toBe(0);
    expect(page.url()).not.toContain(altered);
    // In the other language, the same page (the token is not needed again, nor kept).
    await page.click('#language');
    await page.locator(`.link-refused h1:text-is("${label('fr', 'ui.linkRefusedTitle')}")`).waitFor();
    expect(await page.locator('.link-refused').textContent()).toContain(label('fr', 'ui.linkRefusedHelp'));
    await page.close();
  }, 60_000);
});
