/**
 * The web page (api/public) against the Temporal CLI dev server, a real worker, SMTP receiver and
 * register: over HTTP, and in Debian's Chromium driven by playwright-core (scripts/chromium.sh;
 * under CI=true a missing Chromium fails the suite, as a missing PostgreSQL does). What the page
 * shows is compared with domain/labels.ts, the one source of its words.
 *
 * | part     | asserts                                                                                       |
 * |----------|-----------------------------------------------------------------------------------------------|
 * | HTTP     | `/` is the page, without a key, under a CSP that allows only the page's own scripts; its modules served as JavaScript; no inline script |
 * | HTTP     | `GET /me` names the key's role (and party and partnership); no key: 401                     |
 * | HTTP     | every command in /openapi.json carries the roles that may send it and its title in English and French |
 * | browser  | the coordinator lands on the desk, starts a partnership from the list, records the intake decision through the one form offered for it, labelled: the stage moves on, emails go out |
 * | browser  | a page left open at the earlier stage sends the same decision: refused with the workflow's reason, shown on the page |
 * | browser  | a form half filled in, then the page reloaded: what was typed is still there, and its requestId, which the applied decision carries; applied, the draft is gone; the start form's draft too, and signing out forgets every draft |
 * | browser  | a long text (the intake notes) shows as its excerpt; its link opens the whole text in a new tab |
 * | browser  | a browser in French gets the page, stages, fields and command titles in French; a click switches to English |
 * | browser  | pending actions say who owes what since when, with the next reminder                          |
 * | browser  | a key issued on the page to a clerk opens that partnership only, with the clerk's one form, party and subject filled in; the resolution reaches the state |
 * | browser  | the coordinator revokes that key on the page: the clerk is asked for a key again             |
 * | browser  | the coordinator replaces a contact through the form with a nested object (contact), each field labelled |
 * | browser  | the desk lists a resolution overdue after its first reminder, filtered by party, and drops it once recorded |
 * | browser  | past its first page (`#/?offset=1`), the desk says which things owed it shows, of how many; its link leads back to the first page, which needs no such line |
 */
import type { Browser, Page } from 'playwright-core';
import { COMMANDS, COMMAND_NAMES } from '../../domain';
import { COORDINATOR_KEY, eventually, issueKey, startE2eStack, type E2eStack } from '../helpers/api-harness';
import { CHROMIUM_PATH, launchChromium, pageLabel as label } from '../helpers/browser';
import { requestId, startRequest } from '../helpers/fixtures';

let stack: E2eStack;

beforeAll(async () => {
  // The desk's test needs a reminder within seconds: its partnership asks for one every 2 seconds.
  stack = await startE2eStack({ writesPerMinute: 100_000, allowShortDurations: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('over HTTP', () => {
  test('the page is served without a key, with only its own scripts allowed', async () => {
    const page = await stack.api.as(null)('GET', '/');
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<script type="module" src="/js/main.js"></script>');
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).not.toMatch(/\sstyle=/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    for (const module of ['/js/main.js', '/js/api.js', '/js/labels.js', '/js/forms.js', '/js/views/partnership.js']) {
      const script = await stack.api.as(null)('GET', module);
      expect({ module, status: script.status, type: script.type }).toEqual({ module, status: 200, type: expect.stringContaining('javascript') });
    }
    expect((await stack.api.as(null)('GET', '/favicon.ico')).status).toBe(204);
  });

  test('GET /me names the role of the key, and for a party key its party and partnership', async () => {
    const { api } = stack;
    expect((await api.call('POST', '/partnerships', startRequest({ slug: 'web-me' }))).status).toBe(201);
    expect((await api.call('GET', '/me')).body).toEqual(expect.objectContaining({ role: 'coordinator' }));
    const key = await issueKey(api, 'web-me', 'signatory', 'maple');
    expect((await api.as(key)('GET', '/me')).body).toEqual(expect.objectContaining({ role: 'signatory', partyId: 'maple', partnershipId: 'web-me' }));
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
  if (!CHROMIUM_PATH) {
    test('a Chromium is installed (scripts/chromium.sh)', () => expect(CHROMIUM_PATH).toBeDefined());
    return;
  }
  let browser: Browser;
  const ID = 'web-page';

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(key: string, locale = 'en-CA'): Promise<Page> {
    const page = await browser.newPage({ locale });
    await page.goto(`${stack.api.url}/`);
    await page.fill('input[name=key]', key);
    await page.click(`button:text-is("${label(locale.startsWith('fr') ? 'fr' : 'en', 'ui.signIn')}")`);
    return page;
  }

  /** Opens an offered action's form (the first, when the coordinator is offered it for each party). */
  async function openForm(page: Page, command: string) {
    const details = page.locator(`details.action[data-command="${command}"]`).first();
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    return details;
  }

  test('the coordinator lands on the desk, starts a partnership and records the intake decision through the one form offered', async () => {
    const page = await signIn(COORDINATOR_KEY);
    await page.waitForSelector(`h1:text-is("${label('en', 'ui.desk')}")`);
    await page.click(`a:text-is("${label('en', 'ui.allPartnerships')}")`);
    await page.waitForSelector(`h1:text-is("${label('en', 'ui.partnerships')}")`);
    await page.click(`summary:text-is("${label('en', 'ui.startPartnership')}")`);
    await page.fill('textarea[name=body]', JSON.stringify(startRequest({ slug: ID })));
    await page.click(`button:text-is("${label('en', 'ui.start')}")`);
    await page.waitForSelector(`h1:text("${startRequest().title}")`);
    expect(page.url()).toContain(`#/p/${ID}`);
    expect(await page.textContent('.stage')).toBe(label('en', 'stage.intake'));
    // A second tab, left open on the intake stage.
    const stale = await signIn(COORDINATOR_KEY);
    await stale.goto(`${stack.api.url}/#/p/${ID}`);
    await stale.locator('details.action[data-command="recordIntakeDecision"]').waitFor();

    // Only what fits the intake stage is offered; "renew" or "give notice" are not.
    const offered = await page.locator('details.action').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-command')));
    expect(offered).toContain('recordIntakeDecision');
    expect(offered).not.toEqual(expect.arrayContaining(['renew']));
    expect(offered).not.toEqual(expect.arrayContaining(['giveNotice']));
    expect(offered).not.toEqual(expect.arrayContaining(['sign']));

    const form = await openForm(page, 'recordIntakeDecision');
    expect(await form.locator('summary').textContent()).toBe(label('en', 'command.recordIntakeDecision'));
    expect(await form.locator('[data-field=interviewedOn] .caption').textContent()).toContain(label('en', 'field.interviewedOn'));
    // The date of something already done: the picker offers no day after today (the browser's).
    const max = await form.locator('input[name=interviewedOn]').getAttribute('max');
    expect(max).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Math.abs(Date.parse(max!) - Date.parse(new Date().toISOString().slice(0, 10)))).toBeLessThanOrEqual(86_400_000);
    await form.locator('input[name=accepted]').check();
    await form.locator('input[name=interviewedOn]').fill('2026-01-15');
    await form.locator('textarea[name=notes], input[name=notes]').fill('Interview with both councils.');
    await form.locator('button[type=submit]').click();
    await form.locator(`.ok:text-is("${label('en', 'ui.applied')}")`).waitFor();
    await page.waitForSelector(`.stage[data-stage=commitment]:text-is("${label('en', 'stage.commitment')}")`);
    const resolutionRequests = await eventually(async () => {
      const mails = stack.h.smtp.messages.filter((m) => m.partnership === ID && m.event === 'resolution-requested');
      return mails.length >= 4 ? mails : undefined;
    }, 'the resolution requests');
    expect(resolutionRequests.flatMap((m) => m.to).sort()).toEqual(
      ['champion@riverside.example', 'championne@maple.example', 'clerk@riverside.example', 'greffe@maple.example'].sort(),
    );

    // The tab left open sends the same decision (another requestId): the workflow refuses it.
    const again = await openForm(stale, 'recordIntakeDecision');
    await again.locator('input[name=accepted]').check();
    await again.locator('input[name=interviewedOn]').fill('2026-01-16');
    await again.locator('button[type=submit]').click();
    await expect(again.locator('.error').textContent()).resolves.toMatch(/^409: .*intake/i);
    await stale.close();
    await page.close();
  }, 60_000);

  test('a reload keeps what a form had typed, and its requestId; applied, the draft is gone; signing out forgets every draft', async () => {
    const slug = 'web-drafts';
    expect((await stack.api.call('POST', '/partnerships', startRequest({ slug }))).status).toBe(201);
    const page = await signIn(COORDINATOR_KEY);
    await page.waitForSelector(`h1:text-is("${label('en', 'ui.desk')}")`);
    await page.goto(`${stack.api.url}/#/p/${slug}`);
    const form = await openForm(page, 'recordIntakeDecision');
    await form.locator('input[name=accepted]').check();
    await form.locator('input[name=interviewedOn]').fill('2026-01-15');
    await form.locator('textarea[name=notes], input[name=notes]').fill('Typed before a reload.');
    // The drafts this tab keeps (sessionStorage), as the page wrote them.
    const drafts = async () =>
      JSON.parse(
        await page.evaluate(
          "JSON.stringify(Object.keys(sessionStorage).filter((k) => k.startsWith('entente-draft:')).map((key) => ({ key, draft: JSON.parse(sessionStorage.getItem(key)) })))",
        ),
      ) as Array<{ key: string; draft: { requestId: string; values: Record<string, unknown> } }>;
    const [before] = await drafts();
    expect(before!.key).toContain(`${slug}:recordIntakeDecision`);

    await page.reload();
    const again = await openForm(page, 'recordIntakeDecision');
    await expect(again.locator('input[name=accepted]').isChecked()).resolves.toBe(true);
    await expect(again.locator('input[name=interviewedOn]').inputValue()).resolves.toBe('2026-01-15');
    await expect(again.locator('textarea[name=notes], input[name=notes]').inputValue()).resolves.toBe('Typed before a reload.');
    await again.locator('button[type=submit]').click();
    await again.locator(`.ok:text-is("${label('en', 'ui.applied')}")`).waitFor();
    // Sent after the reload with the requestId the form had before it: a send whose answer was lost, sent again, is one decision.
    const decisions = (await stack.api.call('GET', `/partnerships/${slug}/decisions`)).body.decisions as Array<{
      kind: string;
      payload: { requestId?: string };
    }>;
    expect(decisions.filter((d) => d.kind === 'recordIntakeDecision').map((d) => d.payload.requestId)).toEqual([before!.draft.requestId]);
    expect(await drafts()).toEqual([]);

    // The start form's JSON, half edited, survives a reload too; signing out forgets it.
    await page.goto(`${stack.api.url}/#/partnerships`);
    await page.click(`summary:text-is("${label('en', 'ui.startPartnership')}")`);
    await page.fill('textarea[name=body]', '{"title": "Half written"');
    await page.reload();
    await page.click(`summary:text-is("${label('en', 'ui.startPartnership')}")`);
    await expect(page.locator('textarea[name=body]').inputValue()).resolves.toBe('{"title": "Half written"');
    expect(await drafts()).toHaveLength(1);
    await page.click('#sign-out');
    await page.locator('input[name=key]').waitFor();
    expect(await drafts()).toEqual([]);
    await page.close();
  }, 60_000);

  test('a long text shows as its excerpt, with a link that opens the whole text (fetched with the key)', async () => {
    const page = await signIn(COORDINATOR_KEY);
    await page.goto(`${stack.api.url}/#/p/${ID}`);
    const notes = page.locator('p.notes');
    await notes.waitFor();
    const fullText = `[${label('en', 'ui.fullText')}]`;
    expect(await notes.textContent()).toBe(
      `${label('en', 'ui.pair', { label: label('en', 'ui.intakeNotes'), value: '' })}Interview with both councils. ${fullText}`,
    );
    const [tab] = await Promise.all([page.context().waitForEvent('page'), notes.locator(`a:text-is("${fullText}")`).click()]);
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
    await page.waitForSelector(`h1:text-is("${label('fr', 'ui.desk')}")`);
    await page.goto(`${stack.api.url}/#/p/${ID}`);
    await page.waitForSelector(`h2:text-is("${label('fr', 'ui.pendingActions')}")`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('.stage')).toBe(label('fr', 'stage.commitment'));
    expect(label('fr', 'stage.commitment')).not.toBe(label('en', 'stage.commitment'));
    const form = await openForm(page, 'recordResolution');
    expect(await form.locator('summary').textContent()).toContain(label('fr', 'command.recordResolution'));
    expect(await form.locator('[data-field=resolutionNumber] .caption').textContent()).toContain(label('fr', 'field.resolutionNumber'));
    expect(await form.locator('select[name=outcome] option').allTextContents()).toEqual([
      '—',
      label('fr', 'value.outcome.adopted'),
      label('fr', 'value.outcome.rejected'),
    ]);
    await page.click('#language');
    await page.waitForSelector(`h2:text-is("${label('en', 'ui.pendingActions')}")`);
    expect(await page.textContent('.stage')).toBe(label('en', 'stage.commitment'));
    await page.close();
  }, 60_000);

  test('pending actions say who owes what, since when, and when the next reminder goes', async () => {
    const page = await signIn(COORDINATOR_KEY);
    await page.goto(`${stack.api.url}/#/p/${ID}`);
    const pending = page.locator('section', { has: page.locator(`h2:text-is("${label('en', 'ui.pendingActions')}")`) });
    const row = pending.locator('tr', { has: page.locator('td:text-is("Town of Riverside")') });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe(label('en', 'role.clerk'));
    expect(cells[1]).toBe(label('en', 'obligation.participation-resolution'));
    const state = (await stack.api.call('GET', `/partnerships/${ID}`)).body;
    const owed = state.pendingActions.find((a: { partyId?: string }) => a.partyId === 'riverside');
    const format = new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeStyle: 'short' });
    expect(cells[3]).toBe(format.format(new Date(owed.since)));
    expect(cells[5]).toBe(format.format(new Date(owed.nextReminderAt)));
    await page.close();
  }, 60_000);

  test('a council with a meeting calendar: its pending resolution and its timers say why they fall on their dates', async () => {
    const council = 'web-page-council';
    const request = startRequest({ slug: council });
    request.parties[1]!.meetingCalendar = { rrule: 'FREQ=MONTHLY;BYDAY=2TU', time: '19:00', agendaLeadDays: 10 };
    expect((await stack.api.call('POST', '/partnerships', request)).status).toBe(201);
    const intake = await stack.api.call('POST', `/partnerships/${council}/intake-decision`, {
      requestId: requestId('intake'),
      accepted: true,
      interviewedOn: '2026-01-15',
    });
    expect(intake.status).toBe(200);
    const state = (await stack.api.call('GET', `/partnerships/${council}`)).body;
    const owed = state.pendingActions.find((a: { partyId?: string }) => a.partyId === request.parties[1]!.id);
    // The request goes on the first working morning, for the meeting whose agenda is open.
    expect(owed.because.meetingOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const desk = (await stack.api.call('GET', `/desk?party=${request.parties[1]!.id}`)).body;
    expect(desk.entries.find((e: { partnershipId: string }) => e.partnershipId === council)?.because).toEqual(owed.because);
    const prefix = (reason: string) => label('en', `value.why.${reason}`).split('{')[0]!;

    const page = await signIn(COORDINATOR_KEY);
    await page.goto(`${stack.api.url}/#/p/${council}`);
    const pending = page.locator('section', { has: page.locator(`h2:text-is("${label('en', 'ui.pendingActions')}")`) });
    const row = pending.locator('tr', { has: page.locator(`td:text-is("${request.parties[1]!.legalName}")`) });
    await row.waitFor();
    const why = (await row.locator('td').allTextContents()).find((c) => c.startsWith(prefix(owed.because.reason)));
    expect(why).toBeDefined();
    expect(why).not.toMatch(/[{}]/);
    const longDate = new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${owed.because.meetingOn}T12:00:00Z`));
    expect(why).toContain(longDate);
    const timers = page.locator('section', { has: page.locator(`h2:text-is("${label('en', 'ui.nextTimers')}")`) });
    const reasons = state.nextTimers.filter((t: { because?: unknown }) => t.because).map((t: { because: { reason: string } }) => prefix(t.because.reason));
    expect(reasons.length).toBeGreaterThan(0);
    const cells = await timers.locator('td').allTextContents();
    for (const start of reasons) expect(cells.some((c) => c.startsWith(start))).toBe(true);
    await page.close();
  }, 60_000);

  test('a key issued on the page lets the clerk record their own resolution, and shows nothing else', async () => {
    const coordinator = await signIn(COORDINATOR_KEY);
    await coordinator.goto(`${stack.api.url}/#/p/${ID}`);
    const issue = coordinator.locator('details.issue-key');
    await issue.locator('summary').click();
    await issue.locator('select[name=role]').selectOption('clerk');
    await issue.locator('select[name=partyId]').selectOption('riverside');
    await issue.locator('button[type=submit]').click();
    const key = (await issue.locator('.ok code').textContent())!;
    expect(key).toMatch(/^ent_/);
    // The list of keys shows it, active, and never the key itself.
    const keys = coordinator.locator('.access-keys table');
    const row = keys.locator('tr', { has: coordinator.locator('[data-role=clerk]') });
    await row.locator(`td:text-is("${label('en', 'ui.active')}")`).waitFor();
    expect(await keys.textContent()).not.toContain(key);
    await coordinator.close();

    const clerk = await signIn(key);
    await clerk.waitForSelector(`h1:text("${startRequest().title}")`);
    expect(clerk.url()).toContain(`#/p/${ID}`);
    expect(await clerk.textContent('#who')).toBe(label('en', 'ui.whoParty', { role: label('en', 'role.clerk'), party: 'riverside', partnership: ID }));
    // Exactly what the API offers this key, and none of the coordinator's commands.
    const offered = (await stack.api.as(key)('GET', `/partnerships/${ID}`)).body.actions.map((a: { command: string }) => a.command);
    const shown = await clerk.locator('details.action').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-command')));
    expect(shown).toEqual(offered);
    expect(shown).toContain('recordResolution');
    expect(shown.filter((command) => !COMMANDS[command as keyof typeof COMMANDS]?.roles.includes('clerk' as never))).toEqual([]);

    const form = await openForm(clerk, 'recordResolution');
    expect(await form.locator('[data-field=partyId] output').textContent()).toBe('Town of Riverside');
    expect(await form.locator('input[name=subject]').inputValue()).toBe('participation');
    await form.locator('select[name=outcome]').selectOption('adopted');
    await form.locator('input[name=resolutionNumber]').fill('2026-041');
    await form.locator('input[name=adoptedOn]').fill('2026-02-03');
    await form.locator('button[type=submit]').click();
    await form.locator('.outcome .ok').waitFor();
    // The page shows the state again after a command: the resolution is listed.
    await clerk.locator('td:text-is("2026-041")').first().waitFor();
    const state = await stack.api.call('GET', `/partnerships/${ID}`);
    expect(state.body.resolutions).toEqual([expect.objectContaining({ partyId: 'riverside', resolutionNumber: '2026-041', outcome: 'adopted' })]);

    // The coordinator revokes the key on the page: the clerk's next visit asks for a key again.
    const coordinatorAgain = await signIn(COORDINATOR_KEY);
    await coordinatorAgain.goto(`${stack.api.url}/#/p/${ID}`);
    const clerkRow = coordinatorAgain.locator('.access-keys tr', { has: coordinatorAgain.locator('[data-role=clerk]') });
    await clerkRow.locator(`button:text-is("${label('en', 'ui.revoke')}")`).click();
    await clerkRow.locator(`td:text-is("${label('en', 'ui.active')}")`).waitFor({ state: 'detached' });
    await clerk.reload();
    await clerk.locator('p.error:text("The API key is not known")').waitFor();
    expect(await clerk.locator('h1').textContent()).toBe(label('en', 'ui.signInTitle'));
    await coordinatorAgain.close();
    await clerk.close();
  }, 60_000);

  test('the coordinator replaces a contact through a form with a nested object, labelled field by field', async () => {
    const page = await signIn(COORDINATOR_KEY);
    await page.goto(`${stack.api.url}/#/p/${ID}`);
    const form = await openForm(page, 'replaceContact');
    expect(await form.locator('fieldset legend').textContent()).toBe(label('en', 'field.contact'));
    expect(await form.locator('[data-field="contact.email"] .caption').textContent()).toContain(label('en', 'field.email'));
    expect(await form.locator('select[name=role] option').allTextContents()).toEqual([
      '—',
      label('en', 'value.role.clerk'),
      label('en', 'value.role.signatory'),
      label('en', 'value.role.champion'),
    ]);
    await form.locator('select[name=partyId]').selectOption('maple');
    await form.locator('select[name=role]').selectOption('clerk');
    await form.locator('input[name="contact.name"]').fill('Nadia Nouvelle');
    await form.locator('input[name="contact.email"]').fill('nouvelle.greffe@maple.example');
    await form.locator('select[name="contact.language"]').selectOption('fr');
    await form.locator('button[type=submit]').click();
    await form.locator('.outcome .ok').waitFor();
    const state = (await stack.api.call('GET', `/partnerships/${ID}`)).body;
    expect(state.parties.find((p: { id: string }) => p.id === 'maple').contacts.clerk).toEqual({ name: 'Nadia Nouvelle' });
    await page.close();
  }, 60_000);

  test('the desk lists a resolution overdue after its first reminder, filtered by party, and drops it once recorded', async () => {
    const DESK = 'web-desk';
    const body = startRequest({ slug: DESK, title: 'Desk: reminders every 2 seconds' });
    const start = await stack.api.call('POST', '/partnerships', { ...body, durations: { resolutionReminderEvery: '2 seconds' } });
    expect(start.status).toBe(201);
    const intake = await stack.api.call('POST', `/partnerships/${DESK}/intake-decision`, {
      requestId: requestId('desk'),
      accepted: true,
      interviewedOn: '2026-01-15',
    });
    expect(intake.status).toBe(200);
    await stack.h.smtp.waitFor((mails) => mails.some((m) => m.partnership === DESK && m.event === 'resolution-reminder'));

    const page = await signIn(COORDINATOR_KEY);
    await page.waitForSelector(`h1:text-is("${label('en', 'ui.desk')}")`);
    await page.locator('form.filters select[name=party]').selectOption('maple');
    await page.waitForURL(/party=maple/);
    const overdue = page.locator('section[data-status=overdue]');
    const rows = overdue.locator('tr', { has: page.locator(`a:text-is("${body.title}")`) });
    // Once the filtered desk is shown: Riverside's overdue resolution is no longer listed.
    await eventually(async () => ((await rows.count()) === 1 ? true : undefined), 'the desk filtered by party');
    expect(await rows.locator('td').nth(2).textContent()).toBe('maple');
    expect(await rows.locator('td').nth(4).textContent()).toBe(label('en', 'obligation.participation-resolution'));
    // The party filter keeps the coordinator's own obligations (no party) and maple's, nobody else's.
    expect(await overdue.locator('tbody tr').evaluateAll((rows) => rows.every((r) => ['maple', ''].includes(r.children[2]?.textContent ?? '')))).toBe(true);

    const resolution = await stack.api.call('POST', `/partnerships/${DESK}/resolutions`, {
      requestId: requestId('desk'),
      partyId: 'maple',
      subject: 'participation',
      outcome: 'adopted',
      resolutionNumber: 'M-1',
      adoptedOn: '2026-02-01',
    });
    expect(resolution.status).toBe(200);
    await eventually(async () => {
      await page.reload();
      await page.locator('section[data-status=overdue]').waitFor();
      return (await page.locator(`section[data-status=overdue] a:text-is("${body.title}")`).count()) === 0 ? true : undefined;
    }, 'the recorded resolution to leave the desk');
    await page.close();
  }, 60_000);

  test('past its first page, the desk says which of the things owed it shows, and leads back to the most pressing', async () => {
    // A partnership of its own, whose two councils owe their resolutions: two things owed at least.
    expect((await stack.api.call('POST', '/partnerships', startRequest({ slug: 'web-desk-pages' }))).status).toBe(201);
    const intake = { requestId: requestId('pages'), accepted: true, interviewedOn: '2026-01-15' };
    expect((await stack.api.call('POST', '/partnerships/web-desk-pages/intake-decision', intake)).status).toBe(200);
    const total = await eventually(async () => {
      const desk = await stack.api.call('GET', '/desk');
      return desk.body.entries?.some((e: { partnershipId: string; partyId?: string }) => e.partnershipId === 'web-desk-pages' && e.partyId)
        ? (desk.body.entriesTotal as number)
        : undefined;
    }, 'the new partnership on the desk');
    expect(total).toBeGreaterThan(1);
    const page = await signIn(COORDINATOR_KEY);
    await page.waitForSelector(`h1:text-is("${label('en', 'ui.desk')}")`);
    expect(await page.locator('.desk-pager').count()).toBe(0);
    await page.goto(`${stack.api.url}/#/?offset=1`);
    const pager = page.locator('.desk-pager');
    await pager.waitFor();
    const shown = label('en', 'ui.deskShown').replace('{from}', '2').replace('{to}', String(total)).replace('{total}', String(total));
    expect(await pager.textContent()).toContain(shown);
    await pager.locator('a[data-page=first]').click();
    await page.waitForURL((url) => !url.hash.includes('offset'));
    // The first page, drawn anew: every entry on it, so no line says which.
    await page.locator('.desk-pager').waitFor({ state: 'detached' });
    expect(await page.locator('section[data-status=overdue]').count()).toBe(1);
    await page.close();
  }, 60_000);
});
