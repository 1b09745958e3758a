/**
 * The whole `cipp-shared-services` lifecycle driven only over HTTP against the Temporal CLI dev
 * server, with a real worker, SMTP receiver and SQLite register. Commands go through the API with
 * the coordinator's key or with keys the coordinator issued to the parties' clerks, champions
 * and signatories; at every step the state, the emails received and the register rows (with
 * their hash chain) are checked.
 *
 * | step                                        | by                  | register rows added                      | emails                                      |
 * |---------------------------------------------|---------------------|------------------------------------------|---------------------------------------------|
 * | POST /partnerships                          | coordinator         | partnership-started                      | none                                        |
 * | intake decision                             | coordinator         | recordIntakeDecision, stage:commitment   | intake-accepted, resolution-requested ×4    |
 * | participation resolutions                   | each party's clerk  | recordResolution ×2, stage:groundwork    | resolution-recorded ×2+2, commitment-complete |
 * | groundwork milestones (funding skipped)     | coordinator         | recordMilestone ×5, stage:drafting       | groundwork-complete                         |
 * | draft version 1                             | coordinator         | submitDraft, stage:consultation          | draft-open-for-feedback (with .ics)         |
 * | feedback                                    | each champion       | submitFeedback ×2, stage:revision        | feedback-received ×2, consultation-closed   |
 * | review workshop, draft version 2            | coordinator         | recordMilestone, submitDraft, stage:approval | resolution-requested (approval) ×4      |
 * | approval resolutions naming version 2       | each party's clerk  | recordResolution ×2, stage:signing       | resolution-recorded, signature-requested    |
 * | signatures                                  | each signatory      | sign ×2, stage:in-force                  | signed (everyone)                           |
 * | agreement, calendar                         | a party's clerk     | —                                        | —                                           |
 * | written notice (template's 60 days)         | a champion          | giveNotice, stage:notice                 | notice-received (both languages)            |
 * | written notice, 30-second notice period     | a champion          | giveNotice, stage:notice, stage:dissolved | notice-received, dissolved                 |
 * | OpenAPI, docs page, listing with filters and paging through visibility                                                            |
 *
 * A notice period shorter than a day cannot be honoured: `defaultNoticeDays` (domain/commands.ts)
 * rounds the period to whole days, so "30 seconds" gives a notice of 0 days that ends the moment
 * it is given. The second partnership is therefore dissolved at once; its test asserts the path
 * (notice, dissolution, emails, rows, the workflow's result), not the length of the wait.
 */
import { createHash } from 'node:crypto';
import { COMMAND_NAMES, COMMANDS, type StartPartnership } from '../../domain';
import { startRequest, requestId, contact } from '../helpers/fixtures';
import { eventually, issueKey, startE2eStack, type ApiCall, type E2eStack } from '../helpers/api-harness';
import { DAY } from '../../domain/time';

let stack: E2eStack;

beforeAll(async () => {
  // The second partnership's "30 seconds" notice period is below the floor of whole days: this
  // API honours it, as one started with ALLOW_SHORT_DURATIONS=true would.
  stack = await startE2eStack({ allowShortDurations: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const MAIN = 'riverside-maple-water';
const SHORT = 'riverside-maple-short-notice';
const MOU = 'cedar-maple-mou';

type PartyRole = 'champion' | 'clerk' | 'signatory';

/** A shared-services agreement names who provides the service and who is served. */
function withRoles(body: StartPartnership): StartPartnership {
  const [provider, served] = body.parties as [StartPartnership['parties'][number], StartPartnership['parties'][number]];
  return {
    ...body,
    parties: [
      { ...provider, role: 'provider' },
      { ...served, role: 'served' },
    ],
  };
}

/** Who receives what, from the start request itself. */
function recipients(body: StartPartnership) {
  const of = (partyId: string, roles: PartyRole[]) => roles.map((role) => body.parties.find((p) => p.id === partyId)!.contacts[role].email);
  const coordinator = body.coordinator.email;
  const partyIds = body.parties.map((p) => p.id);
  return {
    coordinator,
    of,
    championsAndCoordinator: [coordinator, ...partyIds.flatMap((id) => of(id, ['champion']))],
    everyone: [coordinator, ...partyIds.flatMap((id) => of(id, ['champion', 'clerk', 'signatory']))],
  };
}

/**
 * Follows one partnership: each step names the register rows and the emails it adds, and the
 * check waits for them, then compares exactly (a row or an email too many fails the next step).
 */
class Tracker {
  private rowsSeen = 0;
  private mailsSeen = 0;
  constructor(readonly id: string) {}

  private mails() {
    return stack.h.smtp.messages.filter((m) => m.partnership === this.id);
  }

  async step(rows: string[], mails: Record<string, string[]>) {
    const expectedRows = this.rowsSeen + rows.length;
    const register = await eventually(async () => {
      const res = await stack.api.call('GET', `/partnerships/${this.id}/decisions`);
      return res.status === 200 && res.body.decisions.length >= expectedRows ? res.body : undefined;
    }, `${expectedRows} register rows of ${this.id}`);
    expect(register.decisions.slice(this.rowsSeen).map((r: any) => r.kind)).toEqual(rows);
    expect(register.chain).toEqual({ ok: true, rows: register.decisions.length });
    expect(register.decisions).toHaveLength(expectedRows);
    this.rowsSeen = expectedRows;

    const expectedMails = Object.entries(mails).flatMap(([event, to]) => to.map((address) => `${event} → ${address}`));
    await stack.h.smtp.waitFor(() => this.mails().length >= this.mailsSeen + expectedMails.length);
    const received = this.mails().slice(this.mailsSeen);
    expect(received.map((m) => `${m.event} → ${m.to.join(',')}`).sort()).toEqual(expectedMails.sort());
    this.mailsSeen += expectedMails.length;
    return { register, received };
  }

  /** Nothing more arrives once the process rests. */
  async quiet() {
    await new Promise((r) => setTimeout(r, 750));
    expect(this.mails()).toHaveLength(this.mailsSeen);
    const res = await stack.api.call('GET', `/partnerships/${this.id}/decisions`);
    expect(res.body.decisions).toHaveLength(this.rowsSeen);
  }
}

const stateOf = async (id: string, call: ApiCall = stack.api.call) => {
  const res = await call('GET', `/partnerships/${id}`);
  expect(res.status).toBe(200);
  return res.body;
};
const stageReaches = (id: string, stage: string, timeoutMs?: number) =>
  eventually(
    async () => {
      const state = await stateOf(id);
      return state.stage === stage ? state : undefined;
    },
    `${id} to reach ${stage}`,
    timeoutMs,
  );

const DRAFT = (v: number) => `Joint shared-services agreement, version ${v}.\nThe parties share drinking-water services.`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Keys {
  clerk: Record<string, string>;
  champion: Record<string, string>;
  signatory: Record<string, string>;
}

/** POST /partnerships to in force, each step over HTTP with the key of whoever takes it. */
async function startToInForce(id: string, body: StartPartnership): Promise<{ keys: Keys; track: Tracker; to: ReturnType<typeof recipients> }> {
  const { api } = stack;
  const to = recipients(body);
  const track = new Tracker(id);
  const [first, second] = body.parties.map((p) => p.id) as [string, string];

  const created = await api.call('POST', '/partnerships', body);
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ id, workflowId: `partnership-${id}` });
  expect(created.headers.get('location')).toBe(`/partnerships/${id}`);
  const initial = await stateOf(id);
  expect(initial).toMatchObject({ id, template: 'cipp-shared-services', stage: 'intake', title: body.title });
  expect(JSON.stringify(initial)).not.toContain('@');
  await track.step(['partnership-started'], {});

  const keys: Keys = { clerk: {}, champion: {}, signatory: {} };
  for (const role of ['clerk', 'champion', 'signatory'] as const) {
    for (const partyId of [first, second]) keys[role][partyId] = await issueKey(api, id, role, partyId);
  }
  expect(new Set(Object.values(keys).flatMap((k) => Object.values(k))).size).toBe(6);
  // A party's key sees its partnership.
  expect((await stateOf(id, api.as(keys.clerk[first]!))).stage).toBe('intake');

  // Intake: the coordinator's decision opens commitment; every clerk and champion is asked.
  const intake = await api.call('POST', `/partnerships/${id}/intake-decision`, {
    requestId: requestId('intake'),
    accepted: true,
    interviewedOn: '2026-01-15',
    notes: 'Both councils are ready to commit.',
  });
  expect(intake.status).toBe(200);
  expect(intake.body.result.command).toBe('recordIntakeDecision');
  const commitment = await stageReaches(id, 'commitment');
  expect(commitment.parties.map((p: any) => p.owes)).toEqual([['participation-resolution'], ['participation-resolution']]);
  const intakeStep = await track.step(['recordIntakeDecision', 'stage:commitment'], {
    'intake-accepted': to.championsAndCoordinator,
    'resolution-requested': [...to.of(first, ['clerk', 'champion']), ...to.of(second, ['clerk', 'champion'])],
  });
  expect(intakeStep.register.decisions.at(-2)).toMatchObject({ actor: 'coordinator', payload: { accepted: true, interviewedOn: '2026-01-15' } });

  // Commitment: each party's clerk records its own council's participation resolution.
  const resolution = (partyId: string, extra: object) => ({
    requestId: requestId(`res-${partyId}`),
    partyId,
    outcome: 'adopted',
    adoptedOn: '2026-02-03',
    ...extra,
  });
  const firstRes = await api.as(keys.clerk[first]!)(
    'POST',
    `/partnerships/${id}/resolutions`,
    resolution(first, { subject: 'participation', resolutionNumber: `${first.toUpperCase()}-2026-041` }),
  );
  expect(firstRes.status).toBe(200);
  expect(firstRes.body.state.parties.find((p: any) => p.id === first).owes).toEqual([]);
  expect(firstRes.body.state.parties.find((p: any) => p.id === second).owes).toEqual(['participation-resolution']);
  const firstResStep = await track.step(['recordResolution'], { 'resolution-recorded': [to.coordinator, ...to.of(first, ['champion'])] });
  expect(firstResStep.register.decisions.at(-1)).toMatchObject({ actor: `clerk:${first}`, partyId: first });
  expect(firstResStep.received.find((m) => m.to.includes(to.coordinator))!.subject).toContain(`${first.toUpperCase()}-2026-041`);

  const secondRes = await api.as(keys.clerk[second]!)(
    'POST',
    `/partnerships/${id}/resolutions`,
    resolution(second, { subject: 'participation', resolutionNumber: 'BCR-17' }),
  );
  expect(secondRes.status).toBe(200);
  const groundwork = await stageReaches(id, 'groundwork');
  expect(groundwork.resolutions.map((r: any) => [r.partyId, r.subject, r.outcome])).toEqual([
    [first, 'participation', 'adopted'],
    [second, 'participation', 'adopted'],
  ]);
  expect(groundwork.pendingActions.map((a: any) => a.detail)).toEqual([
    'launch-workshop',
    'communication-protocol',
    'feasibility-study',
    'public-engagement-strategy',
  ]);
  await track.step(['recordResolution', 'stage:groundwork'], {
    'resolution-recorded': [to.coordinator, ...to.of(second, ['champion'])],
    'commitment-complete': to.championsAndCoordinator,
  });

  // Groundwork: the coordinator records the milestones; the funding proposal is skipped.
  const milestones = [
    { milestone: 'launch-workshop', completedOn: '2026-02-10' },
    { milestone: 'communication-protocol', completedOn: '2026-02-20' },
    { milestone: 'feasibility-study', completedOn: '2026-03-01' },
    { milestone: 'funding-proposal', skipped: true, reason: 'No outside funding needed' },
    { milestone: 'public-engagement-strategy', completedOn: '2026-03-05' },
  ];
  for (const m of milestones) {
    const res = await api.call('POST', `/partnerships/${id}/milestones`, { requestId: requestId('milestone'), ...m });
    expect(res.status).toBe(200);
  }
  const drafting = await stageReaches(id, 'drafting');
  expect(drafting.milestones.map((m: any) => [m.milestone, m.skipped ?? false])).toEqual(milestones.map((m) => [m.milestone, m.skipped ?? false]));
  await track.step([...milestones.map(() => 'recordMilestone'), 'stage:drafting'], { 'groundwork-complete': to.championsAndCoordinator });

  // Drafting: version 1 opens the consultation for everyone, with its closing date as a calendar file.
  const v1 = await api.call('POST', `/partnerships/${id}/drafts`, { requestId: requestId('draft'), version: 1, title: 'Agreement, version 1', text: DRAFT(1) });
  expect(v1.status).toBe(200);
  const consultation = await stageReaches(id, 'consultation');
  expect(consultation.drafts[0]).toMatchObject({ version: 1, sha256: sha256(DRAFT(1)), text: { sha256: sha256(DRAFT(1)), size: Buffer.byteLength(DRAFT(1)) } });
  const v1Step = await track.step(['submitDraft', 'stage:consultation'], { 'draft-open-for-feedback': to.everyone });
  expect(v1Step.received.every((m) => m.attachments.some((a) => a.contentType === 'text/calendar'))).toBe(true);

  // Consultation: each party's champion sends its council's feedback; the window closes early.
  const feedback = (partyId: string) => ({
    requestId: requestId(`fb-${partyId}`),
    partyId,
    author: `Council of ${partyId}`,
    comments: 'Clarify the cost sharing.',
  });
  const fb1 = await api.as(keys.champion[first]!)('POST', `/partnerships/${id}/feedback`, feedback(first));
  expect(fb1.status).toBe(200);
  const fb1Step = await track.step(['submitFeedback'], { 'feedback-received': [to.coordinator] });
  expect(fb1Step.register.decisions.at(-1).actor).toBe(`champion:${first}`);
  const fb2 = await api.as(keys.champion[second]!)('POST', `/partnerships/${id}/feedback`, feedback(second));
  expect(fb2.status).toBe(200);
  const revision = await stageReaches(id, 'revision');
  expect(revision.consultations[0]).toMatchObject({ draftVersion: 1, closedEarly: true });
  expect(revision.feedback.map((f: any) => f.partyId)).toEqual([first, second]);
  await track.step(['submitFeedback', 'stage:revision'], { 'feedback-received': [to.coordinator], 'consultation-closed': to.championsAndCoordinator });

  // Revision: the review workshop, then version 2, which goes to every council for approval.
  const workshop = await api.call('POST', `/partnerships/${id}/milestones`, {
    requestId: requestId('workshop'),
    milestone: 'review-workshop',
    completedOn: '2026-04-10',
  });
  expect(workshop.status).toBe(200);
  expect(workshop.body.state.stage).toBe('revision');
  await track.step(['recordMilestone'], {});
  const v2 = await api.call('POST', `/partnerships/${id}/drafts`, { requestId: requestId('draft'), version: 2, title: 'Agreement, version 2', text: DRAFT(2) });
  expect(v2.status).toBe(200);
  const approval = await stageReaches(id, 'approval');
  expect(approval.drafts.map((d: any) => d.version)).toEqual([1, 2]);
  expect(approval.parties.map((p: any) => p.owes)).toEqual([['approval-resolution'], ['approval-resolution']]);
  const v2Step = await track.step(['submitDraft', 'stage:approval'], {
    'resolution-requested': [...to.of(first, ['clerk', 'champion']), ...to.of(second, ['clerk', 'champion'])],
  });
  expect(v2Step.received.every((m) => /version 2/.test(m.text))).toBe(true);

  // Approval: the clerks record their councils' approval of version 2, with its SHA-256.
  const hash2 = sha256(DRAFT(2));
  expect(approval.drafts[1].sha256).toBe(hash2);
  const ap1 = await api.as(keys.clerk[first]!)(
    'POST',
    `/partnerships/${id}/resolutions`,
    resolution(first, { subject: 'approval', resolutionNumber: `${first.toUpperCase()}-2026-088`, adoptedOn: '2026-05-01', draftVersion: 2, draftHash: hash2 }),
  );
  expect(ap1.status).toBe(200);
  await track.step(['recordResolution'], { 'resolution-recorded': [to.coordinator, ...to.of(first, ['champion'])] });
  const ap2 = await api.as(keys.clerk[second]!)(
    'POST',
    `/partnerships/${id}/resolutions`,
    resolution(second, { subject: 'approval', resolutionNumber: 'BCR-23', adoptedOn: '2026-05-02', draftVersion: 2 }),
  );
  expect(ap2.status).toBe(200);
  const signing = await stageReaches(id, 'signing');
  expect(signing.resolutions.filter((r: any) => r.subject === 'approval').map((r: any) => [r.partyId, r.draftVersion, r.draftHash])).toEqual([
    [first, 2, hash2],
    [second, 2, hash2],
  ]);
  await track.step(['recordResolution', 'stage:signing'], {
    'resolution-recorded': [to.coordinator, ...to.of(second, ['champion'])],
    'signature-requested': [...to.of(first, ['signatory']), ...to.of(second, ['signatory'])],
  });

  // Signing: each signatory signs version 2; the last signature puts the agreement in force.
  const signatory = (partyId: string) => body.parties.find((p) => p.id === partyId)!.contacts.signatory;
  const sign = (partyId: string, signedOn: string) =>
    api.as(keys.signatory[partyId]!)('POST', `/partnerships/${id}/signatures`, {
      requestId: requestId(`sign-${partyId}`),
      partyId,
      signatoryName: signatory(partyId).name,
      signatoryTitle: signatory(partyId).title,
      signedOn,
      draftVersion: 2,
      draftHash: hash2,
    });
  expect((await sign(first, '2026-05-14')).status).toBe(200);
  const signStep = await track.step(['sign'], {});
  expect(signStep.register.decisions.at(-1).actor).toBe(`signatory:${first}`);
  expect((await sign(second, '2026-05-15')).status).toBe(200);
  const inForce = await stageReaches(id, 'in-force');
  expect(inForce.term).toMatchObject({ number: 1, effectiveOn: '2026-05-15' });
  expect(inForce.signatures.map((s: any) => [s.partyId, s.draftVersion])).toEqual([
    [first, 2],
    [second, 2],
  ]);
  const signedStep = await track.step(['sign', 'stage:in-force'], { signed: to.everyone });
  expect(signedStep.received.find((m) => m.to.includes(to.of(first, ['signatory'])[0]!))!.subject).toBe(
    `Congratulations, the agreement is signed: ${body.title}`,
  );
  return { keys, track, to };
}

test('the cipp-shared-services lifecycle over HTTP: start to in force, agreement, calendar, then written notice', async () => {
  const { api } = stack;
  const body = withRoles(startRequest({ slug: MAIN, durations: { term: '24 months', noticePeriod: '60 days' } }));
  const { keys, track, to } = await startToInForce(MAIN, body);

  // The agreement, as HTML by default and as Markdown on request, for anyone of the partnership.
  const asClerk = api.as(keys.clerk.maple!);
  const html = await asClerk('GET', `/partnerships/${MAIN}/agreement`);
  expect(html.status).toBe(200);
  expect(html.type).toMatch(/^text\/html/);
  expect(html.body).toMatch(/^<!doctype html>/i);
  for (const text of ['Town of Riverside', 'Maple First Nation', 'Mona Mayor', 'Chef Claude', 'Mayor']) expect(html.body).toContain(text);
  const markdown = await asClerk('GET', `/partnerships/${MAIN}/agreement`, undefined, { accept: 'text/markdown' });
  expect(markdown.status).toBe(200);
  expect(markdown.type).toMatch(/^text\/markdown/);
  expect(markdown.body).not.toContain('<p>');
  expect(markdown.body).toMatch(/^# /m);
  // English unless asked otherwise; signed by both signatories on the dates they gave.
  for (const text of ['Town of Riverside', 'Maple First Nation', 'Mona Mayor', 'Chef Claude', 'May 15, 2026', '60 days']) expect(markdown.body).toContain(text);
  const french = await asClerk('GET', `/partnerships/${MAIN}/agreement?lang=fr`, undefined, { accept: 'text/markdown' });
  for (const text of ['Maple First Nation', 'Chef Claude', '15 mai 2026', '60 jours']) expect(french.body).toContain(text);
  const byHeader = await asClerk('GET', `/partnerships/${MAIN}/agreement`, undefined, { accept: 'text/markdown', 'accept-language': 'fr-CA, en;q=0.5' });
  expect(byHeader.body).toEqual(french.body);

  // The calendar of what comes next: reviews, the renewal meeting, expiry.
  const ics = await asClerk('GET', `/partnerships/${MAIN}/calendar.ics`);
  expect(ics.status).toBe(200);
  expect(ics.type).toMatch(/^text\/calendar/);
  expect(ics.headers.get('content-disposition')).toBe(`attachment; filename="${MAIN}.ics"`);
  expect(ics.body).toContain('BEGIN:VCALENDAR');
  expect(ics.body).toContain('BEGIN:VEVENT');
  expect(ics.body).toContain('Semi-annual performance review');
  expect(ics.body).toContain('The agreement expires');
  expect((ics.body.match(/BEGIN:VEVENT/g) ?? []).length).toBe((await stateOf(MAIN)).nextTimers.length);

  // Written notice by a champion, for the template's notice period (60 days).
  const notice = await api.as(keys.champion.maple!)('POST', `/partnerships/${MAIN}/notices`, {
    requestId: requestId('notice'),
    partyId: 'maple',
    reason: 'The band council takes the service in-house',
  });
  expect(notice.status).toBe(200);
  const noticed = await stageReaches(MAIN, 'notice');
  expect(noticed.notice).toMatchObject({ partyId: 'maple', noticeDays: 60, reason: 'The band council takes the service in-house' });
  const givenAt = Date.parse(noticed.notice.givenAt);
  expect(noticed.notice.endsOn).toBe(new Date(givenAt + 60 * DAY).toISOString().slice(0, 10));
  const noticeStep = await track.step(['giveNotice', 'stage:notice'], { 'notice-received': to.everyone });
  expect(noticeStep.register.decisions.at(-2)).toMatchObject({ actor: 'champion:maple', partyId: 'maple' });
  // A formal notice carries both languages, the recipient's first.
  const toMayor = noticeStep.received.find((m) => m.to.includes('mayor@riverside.example'))!;
  expect(toMayor.subject).toBe(
    `Written notice of termination from Maple First Nation: ${body.title} / Avis écrit de résiliation de Maple First Nation : ${body.title}`,
  );
  expect(toMayor.text).toContain('The notice period is 60 days');
  const toChief = noticeStep.received.find((m) => m.to.includes('chef@maple.example'))!;
  expect(toChief.subject).toMatch(/^Avis écrit de résiliation de Maple First Nation/);
  expect(toChief.attachments.some((a) => a.contentType === 'text/calendar')).toBe(true);
  // The calendar now shows the end of the notice period.
  expect((await asClerk('GET', `/partnerships/${MAIN}/calendar.ics`)).body).toContain('Notice period ends: dissolution');
  // A second notice while one runs does not fit.
  const again = await api.call('POST', `/partnerships/${MAIN}/notices`, { requestId: requestId('notice'), partyId: 'riverside', reason: 'Us too' });
  expect(again.status).toBe(409);
  expect(again.body.detail).toMatch(/party "maple" gave notice already/);
  await track.quiet();
}, 120_000);

test('a 30-second notice period: written notice, then dissolution, emails and register rows', async () => {
  const { api, env } = stack;
  const body = withRoles(startRequest({ slug: SHORT, title: 'Water services, short notice', durations: { noticePeriod: '30 seconds' } }));
  const { keys, track, to } = await startToInForce(SHORT, body);

  const notice = await api.as(keys.champion.riverside!)('POST', `/partnerships/${SHORT}/notices`, {
    requestId: requestId('notice'),
    partyId: 'riverside',
    reason: 'The town ends the shared service',
  });
  expect(notice.status).toBe(200);
  // Today at once (0 days, see above); once sub-day periods are honoured, after 30 seconds.
  const dissolved = await stageReaches(SHORT, 'dissolved', 60_000);
  expect(dissolved.closedReason).toBe('dissolved at the end of the notice given by riverside');
  expect(dissolved.timeline.map((t: any) => t.event).slice(-3)).toEqual(['notice-given', 'stage:notice', 'stage:dissolved']);
  const step = await track.step(['giveNotice', 'stage:notice', 'stage:dissolved'], { 'notice-received': to.everyone, dissolved: to.everyone });
  const toClerk = step.received.find((m) => m.event === 'dissolved' && m.to.includes('greffe@maple.example'))!;
  expect(toClerk.subject).toBe(`Partenariat dissous : ${body.title} / Partnership dissolved: ${body.title}`);
  expect(toClerk.text).toContain('célébrer');
  expect(await env.client.workflow.getHandle(`partnership-${SHORT}`).result()).toEqual({
    stage: 'dissolved',
    reason: 'dissolved at the end of the notice given by riverside',
  });

  // The record stays readable to the coordinator; the process takes no more commands, and the
  // parties' keys ended with it.
  const after = await api.call('POST', `/partnerships/${SHORT}/reviews`, { requestId: requestId('review'), heldOn: '2026-06-01', findings: 'Too late' });
  expect(after.status).toBe(409);
  expect(after.type).toContain('application/problem+json');
  expect((await api.as(keys.clerk.maple!)('GET', `/partnerships/${SHORT}`)).status).toBe(401);
  // Its slug stays taken: starting it again would hide the dissolved partnership behind a new one.
  const restart = await api.call('POST', '/partnerships', body);
  expect(restart.status).toBe(409);
  expect(restart.body.title).toBe('The partnership already exists');
  expect((await stateOf(SHORT)).stage).toBe('dissolved');
  await track.quiet();
}, 120_000);

test('GET /openapi.json describes every route and body; GET /docs serves the reference', async () => {
  const { api } = stack;
  const res = await api.as(null)('GET', '/openapi.json');
  expect(res.status).toBe(200);
  const doc = res.body;
  expect(doc.openapi).toBe('3.1.0');
  for (const name of COMMAND_NAMES) {
    const operation = doc.paths[`/partnerships/{id}/${COMMANDS[name].route}`]?.post;
    expect(operation).toBeDefined();
    expect(operation.operationId).toBe(name);
    const ref = operation.requestBody.content['application/json'].schema.$ref as string;
    const schema = doc.components.schemas[ref.replace('#/components/schemas/', '')];
    expect(schema.properties.requestId).toBeDefined();
  }
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      '/partnerships',
      '/partnerships/{id}',
      '/partnerships/{id}/access-keys',
      '/partnerships/{id}/decisions',
      '/partnerships/{id}/agreement',
      '/partnerships/{id}/calendar.ics',
    ]),
  );
  const start = doc.components.schemas.StartPartnership;
  expect(Object.keys(start.properties).sort()).toEqual(['context', 'coordinator', 'durations', 'parties', 'purpose', 'slug', 'template', 'title']);
  expect(start.required).toEqual(expect.arrayContaining(['template', 'title', 'purpose', 'coordinator', 'parties']));
  expect(start.additionalProperties).toBe(false);
  expect(start.properties.template.enum).toEqual(['cipp-shared-services', 'oden-mou', 'oden-partnership-agreement']);
  expect(doc.paths['/partnerships'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/StartPartnership');

  const docs = await api.as(null)('GET', '/docs');
  expect(docs.status).toBe(200);
  expect(docs.type).toMatch(/^text\/html/);
  expect(docs.body).toContain('swagger-ui-bundle.js');
  const bundle = await fetch(`${api.url}/docs/assets/swagger-ui-bundle.js`);
  expect(bundle.status).toBe(200);
  expect(await fetch(`${api.url}/docs/init.js`).then((r) => r.text())).toContain("url: '/openapi.json'");
});

test('GET /partnerships lists through visibility, filtered by stage, template and party, in pages', async () => {
  const { api } = stack;
  const mou = startRequest({
    slug: MOU,
    template: 'oden-mou',
    title: 'Cedar and Maple memorandum',
    parties: [
      {
        id: 'cedar',
        legalName: 'Cedar Housing Service Centre',
        kind: 'service-centre',
        governingBody: 'Board of directors',
        language: 'en',
        contacts: {
          champion: contact('Cy Champion', 'champion@cedar.example'),
          clerk: contact('Cleo Clerk', 'clerk@cedar.example'),
          signatory: contact('Dee Director', 'director@cedar.example', { title: 'Executive director' }),
        },
      },
      startRequest().parties[1]!,
    ],
  });
  expect((await api.call('POST', '/partnerships', mou)).status).toBe(201);

  // Visibility is eventually consistent: poll until the listing shows what the filter should.
  const ids = async (query: string) => {
    const res = await api.call('GET', `/partnerships?${query}`);
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ id: string }>).map((i) => i.id).sort();
  };
  const listed = (query: string, expected: string[]) =>
    eventually(
      async () => {
        const got = await ids(query);
        return JSON.stringify(got) === JSON.stringify([...expected].sort()) ? got : undefined;
      },
      `GET /partnerships?${query} to list ${expected.join(', ')}`,
    );

  await listed('template=oden-mou', [MOU]);
  await listed('template=cipp-shared-services', [MAIN, SHORT]);
  await listed('party=cedar', [MOU]);
  await listed('party=riverside', [MAIN, SHORT]);
  await listed('party=maple', [MAIN, SHORT, MOU]);
  await listed('stage=notice', [MAIN]);
  await listed('stage=dissolved&party=riverside', [SHORT]);
  await listed('stage=intake&party=maple&template=oden-mou', [MOU]);
  await listed('stage=signing', []);

  const page = await api.call('GET', `/partnerships?template=oden-mou`);
  expect(page.body.items).toEqual([{ id: MOU, stage: 'intake', template: 'oden-mou', parties: ['cedar', 'maple'], nextDeadline: null }]);
  const inNotice = (await api.call('GET', '/partnerships?stage=notice')).body.items[0];
  expect(inNotice).toMatchObject({ id: MAIN, stage: 'notice', template: 'cipp-shared-services', parties: ['riverside', 'maple'] });
  // Its next deadline is the reminder 14 days before the end of the 60-day notice.
  expect(Date.parse(inNotice.nextDeadline)).toBeGreaterThan(Date.now() + 45 * DAY);
  expect(Date.parse(inNotice.nextDeadline)).toBeLessThan(Date.now() + 47 * DAY);
  // The deadline window: only that reminder falls within the next 50 days.
  await listed(`deadlineAfter=${new Date().toISOString()}&deadlineBefore=${new Date(Date.now() + 50 * DAY).toISOString()}`, [MAIN]);
  await listed(`deadlineAfter=${new Date(Date.now() + 50 * DAY).toISOString()}`, []);

  // Paging: one at a time, following nextPageToken, every cipp partnership exactly once.
  const first = await api.call('GET', '/partnerships?template=cipp-shared-services&pageSize=1');
  expect(first.status).toBe(200);
  expect(first.body.items).toHaveLength(1);
  expect(typeof first.body.nextPageToken).toBe('string');
  const second = await api.call('GET', `/partnerships?template=cipp-shared-services&pageSize=1&pageToken=${encodeURIComponent(first.body.nextPageToken)}`);
  expect(second.status).toBe(200);
  expect(second.body.items).toHaveLength(1);
  const seen = [first.body.items[0].id, second.body.items[0].id];
  let token = second.body.nextPageToken as string | null;
  for (let i = 0; token && i < 5; i++) {
    const more = await api.call('GET', `/partnerships?template=cipp-shared-services&pageSize=1&pageToken=${encodeURIComponent(token)}`);
    seen.push(...more.body.items.map((x: any) => x.id));
    token = more.body.nextPageToken;
  }
  expect(token).toBeNull();
  expect(seen.sort()).toEqual([MAIN, SHORT].sort());
  // A token continues the listing it came from, not another.
  const elsewhere = await api.call('GET', `/partnerships?template=oden-mou&pageSize=1&pageToken=${encodeURIComponent(first.body.nextPageToken)}`);
  expect(elsewhere.status).toBe(422);
  expect(elsewhere.body.errors).toEqual([{ pointer: '/pageToken', detail: 'not a nextPageToken of this listing with these filters' }]);

  // Filters are validated, not pasted into the query.
  const bad = await api.call('GET', `/partnerships?stage=${encodeURIComponent("notice' OR 1=1")}&pageSize=0`);
  expect(bad.status).toBe(422);
  expect(bad.type).toContain('application/problem+json');
  expect(bad.body.errors.map((e: any) => e.pointer).sort()).toEqual(['/pageSize', '/stage']);
});
