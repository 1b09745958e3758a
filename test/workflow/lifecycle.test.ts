/**
 * The whole lifecycle on the time-skipping test server, with a real worker, a real SMTP receiver
 * on loopback and a real SQLite register. One server for the file: scenarios share its clock, so
 * each asserts on its own partnership (emails carry X-Entente-Partnership) and on relative times.
 *
 * | # | scenario                                                    | asserts                                                                  |
 * |---|-------------------------------------------------------------|--------------------------------------------------------------------------|
 * | 1 | cipp-shared-services from application to signing, 24 months | every stage in order; 4 semi-annual reviews; renewal meeting at month 18, not before; expiry at month 24; hashes named by signatures |
 * | 2 | notice of 60 days                                           | still bound (notice) at day 59, dissolved at day 60; reminder at day 46; notice and dissolution to every contact |
 * | 3 | notice withdrawn at day 20                                  | back in force; nothing dissolves after day 60                            |
 * | 4 | one of three parties withdraws                              | withdrawing, then withdrawn after its notice; the other two reach expiry |
 * | 5 | approval rejected                                           | back to revision with the reason; version 3 needs new approvals; a resolution naming v2 is refused; signatures name v3 |
 * | 6 | refused commands                                            | each class refused with its message, and the history gains no event      |
 * | 7 | ten years in force with renewals                            | every run's history stays under 2,000 events                             |
 * | 8 | a participation rejected                                    | the party removed within 14 days: the others go on; else abandoned       |
 *
 * Scenario 8 is the `commitment-rejection-grace` patch; test/workflow/replay.test.ts replays a
 * foundation-era history in which a rejection abandoned the process at once.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDuration, contentRef, LIMITS, type PartnershipView } from '../../domain';
import { sha256Hex } from '../../domain/fingerprint';
import { contentOf } from '../../store/contents';
import { decisionsOf, verifyChain } from '../../store/decisions';
import { contact, startRequest } from '../helpers/fixtures';
import { cippToInForceMails, compareMail } from '../helpers/expected-mail';
import { RUN_LIMITS } from '../../domain/lifecycle';
import { handedOver, maybeSaveHistory, runHistories } from '../helpers/histories';
import {
  DRAFT_TEXT,
  approveAndSign,
  championOf,
  clerkOf,
  driveGroundworkToApproval,
  driveToInForce,
  settleBetweenCommands,
  settled,
  send,
  signatoryOf,
  sleepUntil,
  until,
  view,
} from '../helpers/lifecycle-driver';
import { startPartnership, useTimeSkippingStack, type Harness } from '../helpers/worker-harness';
import { commandUpdate } from '../../workflows/messages';
import type { PartnershipInput } from '../../workflows/partnership';
import { settledHistoryLength } from '../helpers/polling';
import { DAY } from '../../domain/time';

let env: TestWorkflowEnvironment;
let h: Harness;

useTimeSkippingStack((stack) => ({ env, h } = stack));

/** Short runs are off but in scenario 9, which spaces its commands (see startPartnership). */
async function start(id: string, request = startRequest(), shortRuns = false): Promise<{ handle: WorkflowHandle; firstRunId: string }> {
  const handle = await startPartnership({ env, h }, { id, request }, shortRuns);
  return { handle, firstRunId: handle.firstExecutionRunId };
}

const mails = (id: string, event: string) => h.smtp.messages.filter((m) => m.partnership === id && m.event === event);
const everyAddress = (request = startRequest()) => [
  request.coordinator.email,
  ...request.parties.flatMap((p) => [p.contacts.champion.email, p.contacts.clerk.email, p.contacts.signatory.email]),
];
const timer = (v: PartnershipView, kind: string) => v.nextTimers.find((t) => t.kind === kind);

test('1. cipp-shared-services from application to signing, then 24 months with reviews, renewal meeting and expiry', async () => {
  const id = 'scenario-1';
  const { handle, firstRunId } = await start(id);
  const inForce = await driveToInForce(handle, ['riverside', 'maple']);

  const stages = inForce.timeline.filter((t) => t.event.startsWith('stage:')).map((t) => t.event.slice(6));
  expect(stages).toEqual(['commitment', 'groundwork', 'drafting', 'consultation', 'revision', 'approval', 'signing', 'in-force']);
  expect(inForce.consultations[0]).toMatchObject({ draftVersion: 1, closedEarly: true });
  expect(inForce.drafts.map((d) => d.sha256)).toEqual([sha256Hex(DRAFT_TEXT(1)), sha256Hex(DRAFT_TEXT(2))]);
  expect(inForce.signatures.map((s) => [s.partyId, s.draftVersion, s.draftHash])).toEqual([
    ['riverside', 2, sha256Hex(DRAFT_TEXT(2))],
    ['maple', 2, sha256Hex(DRAFT_TEXT(2))],
  ]);
  // The drafts' short texts went along with their commands: the worker stored each with its row.
  for (const version of [1, 2]) expect(await contentOf(h.db, id, sha256Hex(DRAFT_TEXT(version)))).toBe(DRAFT_TEXT(version));
  await h.smtp.waitFor(() => mails(id, 'signed').length === everyAddress().length);
  expect(
    mails(id, 'signed')
      .flatMap((m) => m.to)
      .sort(),
  ).toEqual(everyAddress().sort());
  await maybeSaveHistory('scenario-1-cipp-to-in-force', env.client, handle, firstRunId);

  const effective = Date.parse(inForce.term!.effectiveAt);
  const month = (n: number) => addDuration(effective, { months: n, ms: 0 });
  expect(Date.parse(inForce.term!.endsAt)).toBe(month(24));
  expect(timer(inForce, 'renewal-meeting')?.at).toBe(new Date(month(18)).toISOString());

  for (const n of [1, 2, 3]) {
    await sleepUntil(env, month(6 * n) + 1000);
    await h.smtp.waitFor(() => mails(id, 'review-due').filter((m) => m.to.includes('coordination@example.org')).length === n);
  }
  // Month 18: the renewal meeting goes to everyone, once, and not before.
  await h.smtp.waitFor(() => mails(id, 'renewal-meeting').length === everyAddress().length);
  await sleepUntil(env, month(24) + 1000);
  const outcome = await handle.result();
  expect(outcome.stage).toBe('expired');
  expect(mails(id, 'review-due').filter((m) => m.to.includes('coordination@example.org'))).toHaveLength(4);
  expect(mails(id, 'renewal-meeting')).toHaveLength(everyAddress().length);
  expect(
    mails(id, 'expired')
      .flatMap((m) => m.to)
      .sort(),
  ).toEqual(everyAddress().sort());

  // Each review cycle continued as new; the register kept one unbroken chain across runs.
  const runs = await runHistories(env.client, handle.workflowId, firstRunId);
  expect(runs.length).toBeGreaterThanOrEqual(4);
  const rows = await decisionsOf(h.db, id);
  expect(rows.filter((r) => r.kind === 'review-due')).toHaveLength(4);
  expect(await verifyChain(h.db, id)).toMatchObject({ ok: true });
});

test('2. a 60-day notice: bound at day 59, dissolved at day 60, reminded at day 46, told to everyone', async () => {
  const id = 'scenario-2';
  const { handle, firstRunId } = await start(id, startRequest({ durations: { noticePeriod: '60 days' } }));
  await driveToInForce(handle, ['riverside', 'maple']);
  await send(handle, 'giveNotice', { partyId: 'maple', reason: 'Le conseil a choisi un autre fournisseur' }, championOf('maple'));
  const given = await until(handle, (v) => v.stage === 'notice');
  const givenAt = Date.parse(given.notice!.givenAt);
  expect(given.notice).toMatchObject({ partyId: 'maple', noticeDays: 60, endsOn: new Date(givenAt + 60 * DAY).toISOString().slice(0, 10) });
  expect(timer(given, 'notice-ending')?.at).toBe(new Date(givenAt + 46 * DAY).toISOString());
  expect(timer(given, 'notice-end')?.at).toBe(new Date(givenAt + 60 * DAY).toISOString());
  await h.smtp.waitFor(() => mails(id, 'notice-received').length === everyAddress().length);
  await maybeSaveHistory('scenario-2-notice', env.client, handle, firstRunId);

  await sleepUntil(env, givenAt + 45 * DAY);
  expect(mails(id, 'notice-ending')).toHaveLength(0);
  await sleepUntil(env, givenAt + 46 * DAY + 1000);
  await h.smtp.waitFor(() => mails(id, 'notice-ending').length === everyAddress().length);

  await sleepUntil(env, givenAt + 59 * DAY);
  const day59 = await view(handle);
  expect(day59.stage).toBe('notice');
  expect(mails(id, 'dissolved')).toHaveLength(0);

  await sleepUntil(env, givenAt + 60 * DAY + 1000);
  expect(await handle.result()).toEqual({ stage: 'dissolved', reason: 'dissolved at the end of the notice given by maple' });
  const dissolved = mails(id, 'dissolved');
  expect(dissolved.flatMap((m) => m.to).sort()).toEqual(everyAddress().sort());
});

test('3. a notice withdrawn at day 20 puts the agreement back in force; nothing dissolves later', async () => {
  const id = 'scenario-3';
  const { handle, firstRunId } = await start(id, startRequest({ durations: { noticePeriod: '60 days' } }));
  await driveToInForce(handle, ['riverside', 'maple']);
  await send(handle, 'giveNotice', { partyId: 'riverside', reason: 'Budget review' }, championOf('riverside'));
  const given = await until(handle, (v) => v.stage === 'notice');
  const givenAt = Date.parse(given.notice!.givenAt);

  await sleepUntil(env, givenAt + 20 * DAY);
  // Only the party that gave notice (or the coordinator) may withdraw it.
  await expect(send(handle, 'withdrawNotice', { partyId: 'maple' }, championOf('maple'))).rejects.toThrow(WorkflowUpdateFailedError);
  await send(handle, 'withdrawNotice', { partyId: 'riverside' }, championOf('riverside'));
  const back = await until(handle, (v) => v.stage === 'in-force');
  expect(back.notice).toBeUndefined();
  expect(back.nextTimers.map((t) => t.kind)).not.toContain('notice-end');
  await h.smtp.waitFor(() => mails(id, 'notice-withdrawn').length === everyAddress().length);
  await maybeSaveHistory('scenario-3-notice-withdrawn', env.client, handle, firstRunId);

  await sleepUntil(env, givenAt + 61 * DAY);
  const after = await view(handle);
  expect(after.stage).toBe('in-force');
  expect(after.timeline.map((t) => t.event)).not.toContain('stage:dissolved');
  expect(mails(id, 'dissolved')).toHaveLength(0);
  expect(mails(id, 'notice-ending')).toHaveLength(0);
});

test('4. one of three parties withdraws on its notice; the other two continue to expiry', async () => {
  const id = 'scenario-4';
  const base = startRequest({ durations: { term: '12 months', noticePeriod: '30 days' } });
  const third = {
    id: 'valley',
    legalName: 'Valley Housing Services',
    kind: 'non-profit' as const,
    governingBody: 'Board of directors',
    language: 'en' as const,
    contacts: {
      champion: contact('Vera Champion', 'champion@valley.example'),
      clerk: contact('Victor Secretary', 'secretary@valley.example'),
      signatory: contact('Val Chair', 'chair@valley.example', { title: 'Chair' }),
    },
  };
  const request = { ...base, parties: [...base.parties, third] };
  const { handle, firstRunId } = await start(id, request);
  const inForce = await driveToInForce(handle, ['riverside', 'maple', 'valley']);
  await send(handle, 'withdrawParty', { partyId: 'valley', reason: 'Mandate ends' }, championOf('valley'));
  const withdrawing = await until(handle, (v) => v.parties.find((p) => p.id === 'valley')?.status === 'withdrawing');
  const withdrawsAt = Date.parse(withdrawing.parties.find((p) => p.id === 'valley')!.withdrawsAt!);
  expect(withdrawsAt - Date.parse(inForce.term!.effectiveAt)).toBeGreaterThanOrEqual(30 * DAY);
  await h.smtp.waitFor(() => mails(id, 'party-withdrawal').length === everyAddress(request).length);
  await maybeSaveHistory('scenario-4-party-withdraws', env.client, handle, firstRunId);

  // With two left, a second withdrawal is refused: that is a notice.
  await expect(send(handle, 'withdrawParty', { partyId: 'maple', reason: 'x' }, championOf('maple'))).rejects.toThrow(WorkflowUpdateFailedError);

  await sleepUntil(env, withdrawsAt + 1000);
  const withdrawn = await until(handle, (v) => v.parties.find((p) => p.id === 'valley')?.status === 'withdrawn');
  expect(withdrawn.stage).toBe('in-force');
  await sleepUntil(env, Date.parse(withdrawn.term!.endsAt) + 1000);
  expect((await handle.result()).stage).toBe('expired');
  const expiredTo = mails(id, 'expired').flatMap((m) => m.to);
  expect(expiredTo).toContain('champion@riverside.example');
  expect(expiredTo).toContain('championne@maple.example');
  expect(expiredTo).not.toContain('champion@valley.example');
});

test('5. a rejected approval goes back to revision; version 3 needs new approvals and signatures name it', async () => {
  const id = 'scenario-5';
  const { handle, firstRunId } = await start(id);
  await send(handle, 'recordIntakeDecision', { accepted: true, interviewedOn: '2026-01-15' });
  for (const partyId of ['riverside', 'maple']) {
    await send(
      handle,
      'recordResolution',
      { partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: `P-${partyId}`, adoptedOn: '2026-02-01' },
      clerkOf(partyId),
    );
  }
  await until(handle, (v) => v.stage === 'groundwork');
  await driveGroundworkToApproval(handle, ['riverside', 'maple']);
  await send(
    handle,
    'recordResolution',
    {
      partyId: 'maple',
      subject: 'approval',
      outcome: 'rejected',
      resolutionNumber: 'BCR-22',
      adoptedOn: '2026-05-01',
      draftVersion: 2,
      reason: 'Water rates unclear',
    },
    clerkOf('maple'),
  );
  const revision = await until(handle, (v) => v.stage === 'revision');
  expect(revision.timeline.at(-1)).toMatchObject({ event: 'stage:revision', detail: 'version 2 rejected by maple' });
  await h.smtp.waitFor(() => mails(id, 'approval-rejected').length === everyAddress().length);
  await maybeSaveHistory('scenario-5-approval-rejected', env.client, handle, firstRunId);

  await send(handle, 'submitDraft', { version: 3, title: 'Entente — version 3', text: DRAFT_TEXT(3) });
  await until(handle, (v) => v.stage === 'approval');
  const namingV2 = send(
    handle,
    'recordResolution',
    { partyId: 'riverside', subject: 'approval', outcome: 'adopted', resolutionNumber: 'A-old', adoptedOn: '2026-06-01', draftVersion: 2 },
    clerkOf('riverside'),
  );
  await expect(namingV2).rejects.toMatchObject({ cause: { message: 'the draft under approval is version 3; this resolution names version 2' } });
  const wrongHash = send(
    handle,
    'recordResolution',
    {
      partyId: 'riverside',
      subject: 'approval',
      outcome: 'adopted',
      resolutionNumber: 'A-hash',
      adoptedOn: '2026-06-01',
      draftVersion: 3,
      draftHash: sha256Hex('something else'),
    },
    clerkOf('riverside'),
  );
  await expect(wrongHash).rejects.toMatchObject({ cause: { message: expect.stringContaining('is not that of version 3') } });

  const signed = await approveAndSign(handle, ['riverside', 'maple'], 3);
  expect(signed.signatures.map((s) => s.draftVersion)).toEqual([3, 3]);
  expect(signed.signatures.every((s) => s.draftHash === sha256Hex(DRAFT_TEXT(3)))).toBe(true);
  expect(signed.resolutions.filter((r) => r.subject === 'approval' && r.outcome === 'adopted').map((r) => r.draftVersion)).toEqual([3, 3]);
});

test('6. each refused command says why and leaves no event in the history', async () => {
  const id = 'scenario-6';
  const { handle } = await start(id);
  await until(handle, (v) => v.stage === 'intake');
  const historyLength = async () => (await handle.fetchHistory()).events!.length;
  // Emails and register rows of the previous step may still be landing: wait until nothing moves.
  const settledLength = () => settledHistoryLength(env.client, handle.workflowId, 20_000, false);
  const refused = async (promise: Promise<unknown>, message: string | RegExp) => {
    const before = await settledLength();
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(message);
    expect(await historyLength()).toBe(before);
  };

  await refused(
    send(handle, 'recordResolution', { partyId: 'riverside', subject: 'participation', outcome: 'adopted', resolutionNumber: '1', adoptedOn: '2026-01-01' }),
    /during commitment; the partnership is in intake/,
  );
  await send(handle, 'recordIntakeDecision', { accepted: true, interviewedOn: '2026-01-15' });
  await until(handle, (v) => v.stage === 'commitment');
  await refused(
    send(handle, 'recordResolution', { partyId: 'atlantis', subject: 'participation', outcome: 'adopted', resolutionNumber: '1', adoptedOn: '2026-01-01' }),
    'no party "atlantis" in this partnership',
  );
  await refused(
    send(
      handle,
      'recordResolution',
      { partyId: 'maple', subject: 'participation', outcome: 'adopted', resolutionNumber: '1', adoptedOn: '2026-01-01' },
      clerkOf('riverside'),
    ),
    'a clerk of another party may not act for party "maple"',
  );
  await refused(
    send(
      handle,
      'recordResolution',
      { partyId: 'maple', subject: 'participation', outcome: 'adopted', resolutionNumber: '1', adoptedOn: '2026-01-01' },
      signatoryOf('maple'),
    ),
    'a signatory may not send recordResolution',
  );
  await refused(send(handle, 'renew', { termMonths: 12, decidedOn: '2026-01-01' }), /during in-force; the partnership is in commitment/);
  await refused(
    send(handle, 'sign', { partyId: 'maple', signatoryName: 'C', signatoryTitle: 'Chef', signedOn: '2026-01-01', draftVersion: 1 }, signatoryOf('maple')),
    /during signing; the partnership is in commitment/,
  );
  await refused(send(handle, 'submitDraft', { version: 1, title: 'Too early', text: 'x' }), /during drafting or revision or approval or signing/);
  // The API validates bodies in full; the workflow's own cheap check refuses, whoever sent it
  // (a raw client here), a text where the reference to a stored text belongs, a malformed request
  // id, an oversized command and a text carried along that is not the one its reference names.
  const raw = (command: Record<string, unknown>, texts?: unknown) =>
    handle.executeUpdate(commandUpdate('recordMilestone'), { args: [{ actor: { role: 'coordinator' }, command: command as never, texts: texts as never }] });
  const milestone = { requestId: 'raw-00000001', milestone: 'launch-workshop', completedOn: '2026-02-10' };
  await refused(
    raw({ ...milestone, notes: 'a text, not its reference' }),
    'notes: expected the reference { sha256, size, excerpt } of a text stored by the API',
  );
  await refused(raw({ ...milestone, requestId: 'x' }), 'requestId: 8 to 100 letters, digits or . _ : -');
  await refused(raw({ ...milestone, padding: 'x'.repeat(20_000) }), /body: \d+ bytes, more than the 16384 a command may take/);
  const notes = contentRef('Held at the band office.');
  await refused(
    raw({ ...milestone, notes }, [{ sha256: notes.sha256, size: notes.size, body: 'Held at the town hall...' }]),
    'texts[0]: the text does not match its reference',
  );
  expect(await contentOf(h.db, id, notes.sha256)).toBeUndefined();

  for (const partyId of ['riverside', 'maple']) {
    await send(
      handle,
      'recordResolution',
      { partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: `P-${partyId}`, adoptedOn: '2026-02-01' },
      clerkOf(partyId),
    );
  }
  await until(handle, (v) => v.stage === 'groundwork');
  await refused(
    send(handle, 'recordMilestone', { milestone: 'feasibility-study', skipped: true, reason: 'no time' }),
    'milestone feasibility-study may not be skipped in cipp-shared-services',
  );
  await driveGroundworkToApproval(handle, ['riverside', 'maple']);
  // A signature before every approval.
  await refused(
    send(handle, 'sign', { partyId: 'maple', signatoryName: 'C', signatoryTitle: 'Chef', signedOn: '2026-06-01', draftVersion: 2 }, signatoryOf('maple')),
    /approvals are still missing/,
  );
  await approveAndSign(handle, ['riverside', 'maple'], 2);
  await send(handle, 'giveNotice', { partyId: 'maple', reason: 'First notice' }, championOf('maple'));
  await until(handle, (v) => v.stage === 'notice');
  // A second notice while one runs; a renewal during notice.
  await refused(send(handle, 'giveNotice', { partyId: 'riverside', reason: 'Second' }, championOf('riverside')), /party "maple" gave notice already/);
  await refused(send(handle, 'renew', { termMonths: 12, decidedOn: '2026-07-01' }), 'a notice is running; withdraw it before renewing');
  await refused(send(handle, 'abandon', { reason: 'too late' }), /during intake or commitment/);
  // The same request id with another body.
  const first = await send(handle, 'recordReview', { requestId: 'review-0001', heldOn: '2026-07-01', findings: 'On track' });
  // The update answers with the state after the command: the API needs no second round trip.
  expect(first).toMatchObject({ requestId: 'review-0001', command: 'recordReview', state: { stage: 'notice' } });
  expect(first.state.reviews.map((r) => r.heldOn)).toEqual(['2026-07-01']);
  // Of the timeline, the answer carries the latest entries, this command's last; the state query all.
  const whole = await view(handle);
  const omitted = first.state.timelineOmitted!;
  expect(omitted).toBeGreaterThan(0);
  expect(first.state.timeline).toHaveLength(LIMITS.answerTimelineKept);
  expect(first.state.timeline).toEqual(whole.timeline.slice(omitted, omitted + LIMITS.answerTimelineKept));
  expect(first.state.timeline.at(-1)).toMatchObject({ event: 'review-recorded' });
  expect(whole.timelineOmitted).toBeUndefined();
  await refused(
    send(handle, 'recordReview', { requestId: 'review-0001', heldOn: '2026-07-02', findings: 'Changed' }),
    'request id review-0001 was already used for a different command',
  );
  expect((await view(handle)).reviews).toMatchObject([{ heldOn: '2026-07-01', findings: { excerpt: 'On track', size: 8 } }]);
});

test('7. ten years in force with renewals keep every run under 2,000 events', async () => {
  const id = 'scenario-7';
  const { handle, firstRunId } = await start(id, startRequest({ durations: { term: '24 months' } }));
  let v = await driveToInForce(handle, ['riverside', 'maple']);
  const effective = Date.parse(v.term!.effectiveAt);
  const tenYears = addDuration(effective, { months: 120, ms: 0 });
  for (let renewal = 1; renewal <= 4; renewal++) {
    const endsAt = Date.parse(v.term!.endsAt);
    await sleepUntil(env, endsAt - 30 * DAY);
    await send(handle, 'renew', { termMonths: 24, decidedOn: '2026-01-01' });
    v = await until(handle, (s) => s.term!.number === renewal + 1);
    expect(Date.parse(v.term!.endsAt)).toBe(addDuration(endsAt, { months: 24, ms: 0 }));
  }
  expect(Date.parse(v.term!.endsAt)).toBe(tenYears);
  await sleepUntil(env, tenYears + 1000);
  expect((await handle.result()).stage).toBe('expired');

  const runs = await runHistories(env.client, handle.workflowId, firstRunId);
  const sizes = runs.map((r) => r.events!.length);
  expect(runs.length).toBeGreaterThanOrEqual(19); // a run per semi-annual review
  for (const size of sizes) expect(size).toBeLessThan(2000);
  expect(mails(id, 'renewed').filter((m) => m.to.includes('coordination@example.org'))).toHaveLength(4);
}, 180_000);

test('8. a rejected participation: the coordinator may remove that party within 14 days, else the process is abandoned', async () => {
  const base = startRequest();
  const third = { ...base.parties[0]!, id: 'valley', legalName: 'Valley Housing Services', kind: 'non-profit' as const };
  const { handle: kept } = await start('scenario-8-kept', { ...base, parties: [...base.parties, third] });
  const { handle: lost } = await start('scenario-8-lost');
  for (const handle of [kept, lost]) {
    await send(handle, 'recordIntakeDecision', { accepted: true, interviewedOn: '2026-01-15' });
    await until(handle, (v) => v.stage === 'commitment');
    await send(
      handle,
      'recordResolution',
      { partyId: 'maple', subject: 'participation', outcome: 'rejected', resolutionNumber: 'BCR-9', adoptedOn: '2026-02-01' },
      clerkOf('maple'),
    );
  }
  const held = await until(lost, (v) => v.nextTimers.some((t) => t.kind === 'rejection-grace-end'));
  expect(held.stage).toBe('commitment');

  await send(kept, 'withdrawParty', { partyId: 'maple', reason: 'Band council declined' });
  for (const partyId of ['riverside', 'valley']) {
    await send(
      kept,
      'recordResolution',
      { partyId, subject: 'participation', outcome: 'adopted', resolutionNumber: `P-${partyId}`, adoptedOn: '2026-02-03' },
      clerkOf(partyId),
    );
  }
  const onward = await until(kept, (v) => v.stage === 'groundwork');
  expect(onward.parties.find((p) => p.id === 'maple')?.status).toBe('withdrawn');

  const graceEnds = Date.parse(held.nextTimers.find((t) => t.kind === 'rejection-grace-end')!.at);
  await sleepUntil(env, graceEnds + 1000);
  expect(await lost.result()).toEqual({ stage: 'abandoned', reason: 'the governing body of maple rejected participation (BCR-9)' });
});

test('9. short runs: the road to the agreement, commands in force and a notice span small runs, each email and register row once', async () => {
  const id = 'scenario-9';
  const request = startRequest();
  const { handle, firstRunId } = await start(id, request, true);
  settleBetweenCommands(env.client, handle);
  await driveToInForce(handle, ['riverside', 'maple']);
  // Commands in force, a workflow second apart: each run lives long enough to hand over.
  for (let n = 1; n <= 8; n++) {
    await send(handle, 'recordReview', { requestId: `short-review-${n}`, heldOn: '2026-06-01', findings: `Review ${n}: on track.` });
    await env.sleep('2 seconds');
    await settled(handle);
  }
  const v = await until(handle, (s) => s.reviews.length === 8);
  expect(v.stage).toBe('in-force');
  await h.smtp.waitFor(() => mails(id, 'signed').length === everyAddress().length);
  await env.sleep('2 seconds');
  await settled(handle);

  const runs = await runHistories(env.client, handle.workflowId, firstRunId);
  const sizes = runs.map((r) => r.events!.length);
  // One run of some 300 events before; now several. How the road splits depends on the test
  // server's clock, which moves only when told; in force, with commands two seconds apart, each run
  // hands over soon after passing the limit.
  expect(runs.length).toBeGreaterThanOrEqual(3);
  for (const size of sizes.slice(-2)) expect(size).toBeLessThan(RUN_LIMITS.historyEvents * 2);
  expect(runs.slice(0, -1).every((r) => r.events!.at(-1)?.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
  // A run hands over once its emails are with the mail server: none waits for the next run.
  const outboxes = await Promise.all(runs.slice(0, -1).map(async (r) => (await handedOver<PartnershipInput>(env.client, r)).state!.outbox));
  expect(outboxes.map((o) => o?.length)).toEqual(outboxes.map(() => 0));
  // The first run, and one begun by a hand-over, for the replay test.
  await maybeSaveHistory('generation-8-first-run', env.client, handle, firstRunId);
  const second = runs[0]!.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes!.newExecutionRunId!;
  await maybeSaveHistory('generation-8-second-run', env.client, handle, second);
  // Nothing lost or repeated at the hand-overs: every email once, every register row once, the chain whole.
  const { missing, unexpected, duplicates } = compareMail(
    h.smtp.messages.filter((m) => m.partnership === id),
    cippToInForceMails(request),
  );
  expect({ missing, unexpected, duplicates }).toEqual({ missing: [], unexpected: [], duplicates: [] });
  // To the end with short runs on: the last emails go out from the last run, which ends there.
  await send(handle, 'giveNotice', { partyId: 'maple', reason: 'Le conseil a choisi un autre fournisseur' }, championOf('maple'));
  const given = await until(handle, (s) => s.stage === 'notice');
  await sleepUntil(env, Date.parse(given.notice!.givenAt) + given.notice!.noticeDays * DAY + 1000);
  expect((await handle.result()).stage).toBe('dissolved');
  await h.smtp.waitFor(() => mails(id, 'dissolved').length === everyAddress().length);
  const rows = await decisionsOf(h.db, id);
  expect(rows.filter((r) => r.kind === 'recordReview')).toHaveLength(8);
  expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  expect(await verifyChain(h.db, id)).toMatchObject({ ok: true });
}, 120_000);
