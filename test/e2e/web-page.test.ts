/**
 * The web page (api/public) against the Temporal CLI dev server, a real worker, SMTP receiver and
 * register: over HTTP, and in Debian's Chromium driven by playwright-core (scripts/chromium.sh;
 * under CI=true a missing Chromium fails the suite, as a missing PostgreSQL does).
 *
 * | part     | asserts                                                                                       |
 * |----------|-----------------------------------------------------------------------------------------------|
 * | HTTP     | `/` is the page, without a key, under a CSP that allows only the page's own scripts; no inline script |
 * | HTTP     | `GET /me` names the key's role (and party and partnership); no key: 401                     |
 * | HTTP     | every command in /openapi.json carries the roles that may send it and its title in English and French (what the page shows) |
 * | browser  | the coordinator signs in, starts a partnership, records the intake decision through the form built from its schema: the stage moves on, an email goes out |
 * | browser  | the same form sent again is refused with the workflow's reason, shown on the page            |
 * | browser  | a long text (the intake notes) shows as its excerpt; its link opens the whole text in a new tab |
 * | browser  | a browser in French gets the page, the stages and the command titles in French; a click switches to English |
 * | browser  | a key issued on the page to a clerk opens that partnership only, with the clerk's one form; the resolution recorded there reaches the state |
 * | browser  | the coordinator revokes that key on the page: the clerk is asked for a key again             |
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { COMMANDS, COMMAND_NAMES } from '../../domain';
import { COORDINATOR_KEY, eventually, issueKey, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { startRequest } from '../helpers/fixtures';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({ writesPerMinute: 100_000 });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('over HTTP', () => {
  test('the page is served without a key, with only its own scripts allowed', async () => {
    const page = await stack.api.as(null)('GET', '/');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<script src="/app.js" defer></script>');
    expect(page.body).not.toMatch(/<script>(?!<\/script>)/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    const script = await stack.api.as(null)('GET', '/app.js');
    expect({ status: script.status, type: script.type }).toEqual({ status: 200, type: expect.stringContaining('javascript') });
    expect(script.body).toContain("api('GET', '/me')");
    expect((await stack.api.as(null)('GET', '/favicon.ico')).status).toBe(204);
  });

  test('GET /me names the role of the key, and for a party key its party and partnership', async () => {
    const { api } = stack;
    expect((await api.call('POST', '/partnerships', startRequest({ slug: 'web-me' }))).status).toBe(201);
    expect((await api.call('GET', '/me')).body).toEqual({ role: 'coordinator' });
    const key = await issueKey(api, 'web-me', 'signatory', 'maple');
    expect((await api.as(key)('GET', '/me')).body).toEqual({ role: 'signatory', partyId: 'maple', partnershipId: 'web-me' });
    expect((await api.as(null)('GET', '/me')).status).toBe(401);
  });

  test('every command in the OpenAPI document says who may send it and what people call it', async () => {
    const doc = (await stack.api.as(null)('GET', '/openapi.json')).body;
    for (const name of COMMAND_NAMES) {
      const op = doc.paths[`/partnerships/{id}/${COMMANDS[name].route}`].post;
      expect({ name, roles: op['x-entente-roles'], title: op['x-entente-title'] }).toEqual({
        name,
        roles: [...COMMANDS[name].roles],
        title: COMMANDS[name].title,
      });
    }
  });
});

describe('in a browser', () => {
  if (!CHROMIUM) {
    if (process.env.CI) test('CI provides a Chromium (scripts/chromium.sh)', () => expect(CHROMIUM).toBeDefined());
    return;
  }
  let browser: Browser;
  const ID = 'web-page';

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // This machine reaches nothing outside; without these Chromium keeps trying to.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(key: string, locale = 'en-CA'): Promise<Page> {
    const page = await browser.newPage({ locale });
    await page.goto(`${stack.api.url}/`);
    await page.fill('input[name=key]', key);
    await page.click(locale.startsWith('fr') ? 'button:text-is("Se connecter")' : 'button:text-is("Sign in")');
    return page;
  }

  /** Opens a command's form (a <details> whose summary ends with the command's name). */
  async function openForm(page: Page, command: string) {
    const details = page.locator('details', { has: page.locator(`summary:text-matches(" ${command}$")`) });
    await details.locator('summary').click();
    return details;
  }

  test('the coordinator starts a partnership and records the intake decision through the forms', async () => {
    const page = await signIn(COORDINATOR_KEY);
    await page.waitForSelector('h1:text("Partnerships")');
    await page.click('summary:text("Start a partnership")');
    await page.fill('textarea[name=body]', JSON.stringify(startRequest({ slug: ID })));
    await page.click('button:text-is("Start")');
    await page.waitForSelector(`h1:text("${startRequest().title}")`);
    expect(page.url()).toContain(`#/p/${ID}`);
    expect(await page.textContent('.stage')).toBe('intake');

    const form = await openForm(page, 'recordIntakeDecision');
    await form.locator('input[name=accepted]').check();
    await form.locator('input[name=interviewedOn]').fill('2026-01-15');
    await form.locator('textarea[name=notes], input[name=notes]').fill('Interview with both councils.');
    await form.locator('button:text-is("Send")').click();
    await form.locator('text=Applied.').waitFor();
    await page.waitForSelector('.stage:text("commitment")');
    const resolutionRequests = await eventually(async () => {
      const mails = stack.h.smtp.messages.filter((m) => m.partnership === ID && m.event === 'resolution-requested');
      return mails.length >= 4 ? mails : undefined;
    }, 'the resolution requests');
    expect(resolutionRequests.flatMap((m) => m.to).sort()).toEqual(
      ['champion@riverside.example', 'championne@maple.example', 'clerk@riverside.example', 'greffe@maple.example'].sort(),
    );

    // The same decision again, from a fresh form (a new requestId): the workflow refuses it.
    const again = await openForm(page, 'recordIntakeDecision');
    await again.locator('input[name=accepted]').check();
    await again.locator('input[name=interviewedOn]').fill('2026-01-16');
    await again.locator('button:text-is("Send")').click();
    await expect(again.locator('.error').textContent()).resolves.toMatch(/^409: The command was refused — .*intake/i);
    await page.close();
  }, 60_000);

  test('a long text shows as its excerpt, with a link that opens the whole text (fetched with the key)', async () => {
    const page = await signIn(COORDINATOR_KEY);
    await page.goto(`${stack.api.url}/#/p/${ID}`);
    const notes = page.locator('p.notes');
    await notes.waitFor();
    expect(await notes.textContent()).toBe('Intake notes: Interview with both councils. [full text]');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), notes.locator('a:text-is("[full text]")').click()]);
    await tab.waitForLoadState();
    await eventually(
      async () => ((await tab.textContent('body').catch(() => '')) === 'Interview with both councils.' ? true : undefined),
      'the full text in its tab',
    );
    expect(tab.url()).toMatch(/^blob:/);
    await tab.close();
    await page.close();
  }, 60_000);

  test('a browser in French gets the page in French, and English at a click', async () => {
    const page = await signIn(COORDINATOR_KEY, 'fr-CA');
    await page.waitForSelector('h1:text-is("Partenariats")');
    await page.goto(`${stack.api.url}/#/p/${ID}`);
    await page.waitForSelector('h2:text-is("Les parties et ce que chacune doit encore")');
    expect(await page.textContent('.stage')).toBe('engagement');
    expect(await page.locator('details summary', { hasText: 'recordIntakeDecision' }).textContent()).toBe(
      'Consigner la décision d’admission recordIntakeDecision',
    );
    await page.click('#language');
    await page.waitForSelector('h2:text-is("Parties and what each still owes")');
    expect(await page.textContent('.stage')).toBe('commitment');
    await page.close();
  }, 60_000);

  test('a key issued on the page lets the clerk record their own resolution, and shows nothing else', async () => {
    const coordinator = await signIn(COORDINATOR_KEY);
    await coordinator.goto(`${stack.api.url}/#/p/${ID}`);
    const issue = coordinator.locator('details', { has: coordinator.locator('summary:text("Issue a key to a party contact")') });
    await issue.locator('summary').click();
    await issue.locator('select[name=role]').selectOption('clerk');
    await issue.locator('select[name=partyId]').selectOption('riverside');
    await issue.locator('button:text-is("Issue")').click();
    const key = (await issue.locator('.ok code').textContent())!;
    expect(key).toMatch(/^ent_/);
    // The list of keys shows it, active, and never the key itself.
    const row = coordinator.locator('tr', { has: coordinator.locator('td:text-is("clerk")') });
    await row.locator('td:text-is("active")').waitFor();
    expect(
      await coordinator
        .locator('section', { has: coordinator.locator('h2:text("Keys of party contacts")') })
        .locator('table')
        .textContent(),
    ).not.toContain(key);
    await coordinator.close();

    const clerk = await signIn(key);
    await clerk.waitForSelector(`h1:text("${startRequest().title}")`);
    expect(clerk.url()).toContain(`#/p/${ID}`);
    expect(await clerk.textContent('#who')).toBe(`clerk of riverside in ${ID}`);
    expect(await clerk.locator('details summary').allTextContents()).toEqual(['Record a resolution recordResolution']);

    const form = await openForm(clerk, 'recordResolution');
    expect(await form.locator('select[name=partyId]').inputValue()).toBe('riverside');
    await form.locator('select[name=subject]').selectOption('participation');
    await form.locator('select[name=outcome]').selectOption('adopted');
    await form.locator('input[name=resolutionNumber]').fill('2026-041');
    await form.locator('input[name=adoptedOn]').fill('2026-02-03');
    await form.locator('button:text-is("Send")').click();
    await form.locator('text=Applied.').waitFor();
    // The page shows the state again after a command: the resolution is listed.
    await clerk.locator('td:text-is("2026-041")').first().waitFor();
    const state = await stack.api.call('GET', `/partnerships/${ID}`);
    expect(state.body.resolutions).toEqual([expect.objectContaining({ partyId: 'riverside', resolutionNumber: '2026-041', outcome: 'adopted' })]);

    // The coordinator revokes the key on the page: the clerk's next visit asks for a key again.
    const coordinatorAgain = await signIn(COORDINATOR_KEY);
    await coordinatorAgain.goto(`${stack.api.url}/#/p/${ID}`);
    const clerkRow = coordinatorAgain.locator('tr', { has: coordinatorAgain.locator('td:text-is("clerk")') });
    await clerkRow.locator('button:text-is("Revoke")').click();
    await clerkRow.locator('td:text-matches("^revoked")').waitFor();
    await clerk.reload();
    await clerk.locator('p.error:text("The API key is not known")').waitFor();
    expect(await clerk.locator('h1').textContent()).toBe('Sign in with your API key');
    await coordinatorAgain.close();
    await clerk.close();
  }, 60_000);
});
