/**
 * Replay of saved histories (test/fixtures/histories, binary protobuf) against the current code.
 *
 * | history                                  | from                                   | asserts                                 |
 * |------------------------------------------|----------------------------------------|-----------------------------------------|
 * | scenario-1 … scenario-5                  | the lifecycle suite, SAVE_HISTORIES=1  | replays without a determinism error; recorded with the outbox, the register by local activity, council calendars and one timer per deadline (`outbox-and-domain-effects`, `register-local-and-in-order`, `council-calendars`, `steady-deadline-timer` markers), the road to the agreement in one run (before short runs, and as the suite runs them) |
 * | generation-8-first-run, generation-8-second-run | lifecycle scenario 9, SAVE_HISTORIES=1 | the outbox's waiting emails in one activity (`outbox-in-batches` marker; one `sendNotifications` with several emails): the first run of a partnership, and one begun by a hand-over (its input the state, the code's generation: no marker, no upsert at its start), replay |
 * | generation-7-first-run, generation-7-second-run | scenario 9 before `outbox-in-batches`, one `sendNotification` per email | decisions from the last recorded event (`decide-on-recorded-events` marker); still replay: the patch keeps their path |
 * | generation-6-first-run, generation-6-second-run | scenario 9 before `decide-on-recorded-events`, when decisions read the clock and history length live | with short runs each run hands over once long and once its emails are sent (`short-runs`, `emails-before-hand-over` markers); still replay: the patch keeps their path |
 * | short-runs-first-run, short-runs-second-run | scenario 9 before `emails-before-hand-over`, when a long run left its emails to the next | still replay: the patch keeps their path |
 * | local-register-scenario-1 … 5            | the same scenarios before council calendars, when every command restarted the deadline's timer | still replay: the patches keep their path |
 * | outbox-scenario-1 … 5                    | the same scenarios with the outbox, the register by activity | still replay |
 * | pre-outbox-scenario-1 … 5                | the same scenarios before the outbox, when commands awaited their emails | still replay: the patch keeps their path |
 * | foundation-participation-rejected        | the foundation-era workflow code       | the `commitment-rejection-grace` patch keeps old runs replaying |
 * | council-calendar                         | test/workflow/council-calendar.test.ts, SAVE_HISTORIES=1 | a council's calendar: request, reminders, questions after meetings, escalation (`council-calendars` marker) |
 * | any of them, against a changed workflow  | test/fixtures/nondeterministic         | the change is caught (DeterminismViolationError) |
 * | sdk-fault-update-after-query-on-evicted  | a worker with a cache of 2 and six partnerships driven at once, their state queried meanwhile | a known fault of the SDK (README, Known issues): the worker wrote an email's schedule before a command's acceptance in one task, and no replay reproduces that order; the day this replays, the SDK is fixed |
 *
 * Regenerate the scenario histories after an intended, patched change with
 * `SAVE_HISTORIES=1 npx jest test/workflow/lifecycle -t "^[1-5]\."`.
 */
import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { loadHistory } from '../helpers/histories';
import { workflowBundle } from '../helpers/worker-harness';
import { silentLogger } from '../helpers/polling';

const SCENARIOS = [
  'scenario-1-cipp-to-in-force',
  'scenario-2-notice',
  'scenario-3-notice-withdrawn',
  'scenario-4-party-withdraws',
  'scenario-5-approval-rejected',
];
const OUTBOX = SCENARIOS.map((name) => `outbox-${name}`);
const PRE_OUTBOX = SCENARIOS.map((name) => `pre-outbox-${name}`);
const LOCAL_REGISTER = SCENARIOS.map((name) => `local-register-${name}`);
const GENERATION_8 = ['generation-8-first-run', 'generation-8-second-run'];
const GENERATION_7 = ['generation-7-first-run', 'generation-7-second-run'];
const GENERATION_6 = ['generation-6-first-run', 'generation-6-second-run'];
const SHORT_RUNS = ['short-runs-first-run', 'short-runs-second-run'];
const SAVED = [
  ...SCENARIOS,
  ...GENERATION_8,
  ...GENERATION_7,
  ...GENERATION_6,
  ...SHORT_RUNS,
  ...LOCAL_REGISTER,
  ...OUTBOX,
  ...PRE_OUTBOX,
  'foundation-participation-rejected',
  'council-calendar',
];

/** The patch ids a history's markers name (their details hold the id as JSON). */
const patchesOf = (name: string): string[] =>
  loadHistory(name)
    .events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString('utf8'));

async function replayAll(bundle: { code: string }) {
  const results: Array<{ workflowId: string; error: unknown }> = [];
  const histories = SAVED.map((name) => ({ workflowId: name, history: loadHistory(name) }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'entente-replay' }, histories)) {
    results.push({ workflowId: result.workflowId, error: result.error });
  }
  return results;
}

test('every saved history replays against the current workflow code', async () => {
  const results = await replayAll(await workflowBundle());
  expect(results.map((r) => r.workflowId)).toEqual(SAVED);
  for (const r of results) expect({ workflowId: r.workflowId, error: r.error }).toEqual({ workflowId: r.workflowId, error: undefined });
}, 120_000);

test('the saved histories hold what they claim: the foundation run was abandoned at once on rejection', () => {
  const events = loadHistory('foundation-participation-rejected').events!;
  expect(events.some((e) => e.markerRecordedEventAttributes)).toBe(false);
  expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
  const timers = events.filter((e) => e.timerStartedEventAttributes);
  expect(timers).toHaveLength(0);
});

test('the saved histories hold what they claim: each generation carries the patches of its time', () => {
  const has = (name: string, patch: string) => patchesOf(name).some((p) => p.includes(patch));
  const generation = (name: string) =>
    [
      'outbox-and-domain-effects',
      'register-local-and-in-order',
      'council-calendars',
      'steady-deadline-timer',
      'short-runs',
      'emails-before-hand-over',
      'decide-on-recorded-events',
      'outbox-in-batches',
    ].map((patch) => has(name, patch));
  expect(generation('generation-8-first-run')).toEqual([true, true, true, true, true, true, true, true]);
  expect(generation('generation-7-first-run')).toEqual([true, true, true, true, true, true, true, false]);
  expect(generation('generation-6-first-run')).toEqual([true, true, true, true, true, true, false, false]);
  expect(generation('short-runs-first-run')).toEqual([true, true, true, true, true, false, false, false]);
  // A run handed over by code of its time takes every patch without a marker (see `taken` in the workflow).
  for (const name of ['generation-8-second-run', 'generation-7-second-run', 'generation-6-second-run', 'short-runs-second-run'])
    expect(patchesOf(name)).toEqual([]);
  for (const name of SCENARIOS) expect(generation(name)).toEqual([true, true, true, true, false, false, false, false]);
  for (const name of LOCAL_REGISTER) expect(generation(name)).toEqual([true, true, false, false, false, false, false, false]);
  expect(generation('council-calendar')).toEqual([true, true, true, false, false, false, false, false]);
  for (const name of OUTBOX) expect([has(name, 'outbox-and-domain-effects'), has(name, 'register-local-and-in-order')]).toEqual([true, false]);
  for (const name of PRE_OUTBOX) expect(has(name, 'outbox-and-domain-effects')).toBe(false);
  // Generations recorded before council calendars (the scenario-* ones are regenerated with each intended change) replay with the periodic reminders they ran with.
  for (const name of [...OUTBOX, ...PRE_OUTBOX]) expect(has(name, 'council-calendars')).toBe(false);
  expect(has('council-calendar', 'council-calendars')).toBe(true);
  for (const name of [...OUTBOX, ...PRE_OUTBOX]) expect(has(name, 'steady-deadline-timer')).toBe(false);
});

test('the saved histories hold what they claim: with one timer per deadline, a command no longer restarts it', () => {
  const timersStarted = (name: string) => loadHistory(name).events!.filter((e) => e.timerStartedEventAttributes).length;
  for (const [i, name] of SCENARIOS.entries()) expect(timersStarted(name)).toBeLessThan(timersStarted(LOCAL_REGISTER[i]!));
});

test('the saved histories hold what they claim: with short runs, the road to the agreement hands over to fresh runs', () => {
  const events = (name: string) => loadHistory(name).events!;
  const handedOver = (name: string) => Boolean(events(name).at(-1)?.workflowExecutionContinuedAsNewEventAttributes);
  for (const name of [...GENERATION_8, ...GENERATION_7, ...GENERATION_6, ...SHORT_RUNS]) expect(handedOver(name)).toBe(true);
  for (const [first, second] of [GENERATION_8, GENERATION_7, GENERATION_6, SHORT_RUNS]) {
    expect(events(first!).length).toBeLessThan(events('scenario-1-cipp-to-in-force').length);
    const begun = events(second!);
    expect(begun[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
    // Its search attributes came with it: no upsert until a listed value changes.
    const firstTask = begun.slice(
      0,
      begun.findIndex((e, i) => i > 0 && e.workflowTaskScheduledEventAttributes),
    );
    expect(firstTask.some((e) => e.upsertWorkflowSearchAttributesEventAttributes || e.markerRecordedEventAttributes)).toBe(false);
  }
  // Before (and with short runs off), the road to the agreement was one run, still under way when saved.
  expect(handedOver('scenario-1-cipp-to-in-force')).toBe(false);
});

test('the saved histories hold what they claim: with the outbox in batches, waiting emails go out in one activity', () => {
  // The emails of each scheduled activity: a batch is an array of requests, an older email one request.
  const emailsPerActivity = (name: string) =>
    loadHistory(name)
      .events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name?.startsWith('sendNotification'))
      .map((e) => {
        const { activityType, input } = e.activityTaskScheduledEventAttributes!;
        const arg: unknown = JSON.parse(Buffer.from(input!.payloads![0]!.data!).toString('utf8'));
        return `${activityType!.name}:${Array.isArray(arg) ? arg.length : 1}`;
      });
  for (const name of GENERATION_8) expect(emailsPerActivity(name).every((a) => a.startsWith('sendNotifications:'))).toBe(true);
  expect(emailsPerActivity('generation-8-first-run').some((a) => Number(a.split(':')[1]) > 1)).toBe(true);
  for (const name of GENERATION_7) expect(emailsPerActivity(name).every((a) => a === 'sendNotification:1')).toBe(true);
  // The same road to the agreement, with fewer activities and events.
  expect(emailsPerActivity('generation-8-first-run').length).toBeLessThan(emailsPerActivity('generation-7-first-run').length);
});

/**
 * Pins a fault of the SDK (README, Known issues), so that an upgrade that fixes it is noticed. The
 * reproduction that wrote this history (six partnerships driven at once on a worker with a cache
 * of 2, their state queried meanwhile) logged how: a query reached a partnership its worker had
 * evicted while an email's completion waited for a workflow task; the worker applied the
 * completion while answering the query, and the workflow scheduled the next email. The task that
 * followed carried a command, which the workflow accepted after that schedule. A replay hands the
 * completion and the command to the workflow together, the command first, as the SDK orders them:
 * the acceptance then comes first, and the replay fails on the schedule. The partnership stops
 * there until an operator resets it.
 */
test('known SDK fault: a history written across a query to an evicted partnership does not replay', async () => {
  const history = loadHistory('sdk-fault-update-after-query-on-evicted');
  const events = history.events!;
  const scheduled = events.findIndex(
    (e) =>
      e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendNotification' &&
      events[events.indexOf(e) + 1]?.workflowExecutionUpdateAcceptedEventAttributes,
  );
  // The recorded order: the next email's schedule, then the command's acceptance, in one task.
  expect(scheduled).toBeGreaterThan(0);
  expect(events[scheduled]!.activityTaskScheduledEventAttributes!.workflowTaskCompletedEventId).toEqual(events[scheduled - 1]!.eventId);
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: 'entente-replay' }, history, 'sdk-fault')).rejects.toThrow(
    /Update machine does not handle this event: HistoryEvent\(id: \d+, ActivityTaskScheduled\)/,
  );
}, 120_000);

test('a non-deterministic change to the workflow is caught by replay', async () => {
  const changed = await bundleWorkflowCode({
    workflowsPath: join(__dirname, '..', 'fixtures', 'nondeterministic', 'workflows.ts'),
    logger: silentLogger,
  });
  const results = await replayAll(changed);
  expect(results).toHaveLength(SAVED.length);
  for (const r of results) expect(r.error).toBeInstanceOf(DeterminismViolationError);
}, 120_000);
