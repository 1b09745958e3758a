/**
 * domain/desk.ts: the coordinator's desk of one partnership, from its view, as the lifecycle
 * moves on (the pure domain driver; the view as the state query computes it).
 *
 * | situation                                           | status         | escalated | remindersSent |
 * |-----------------------------------------------------|----------------|-----------|---------------|
 * | a resolution asked for today (first reminder in 14d)| later          | false     | -             |
 * | its first reminder within seven days                | due-this-week  | false     | -             |
 * | its first reminder sent                             | overdue        | false     | 1             |
 * | the template's third reminder sent                  | overdue        | true      | 3             |
 * | the resolution recorded                             | (gone)         |           |               |
 * | the intake decision (no date bounds it)             | later          | false     | -             |
 * | consultation feedback, the window closing in 5 days | due-this-week  | false     | -             |
 *
 * The desk reads each partnership's summary (deskSummary, which the workflow keeps in the register
 * with its rows): at every stage, with reminders sent and a rejection's grace period, it holds exactly
 * the fields of the state query's view that the desk shows.
 *
 * Across partnerships the desk comes a page at a time (deskPage): overdue, then due this week, then
 * later; the escalated first within a status, then the oldest; ties by partnership, then in the
 * partnership's own order, so that pages neither overlap nor leave a gap; the counts are of every
 * entry, whatever the page.
 */
import { deskEntries, deskPage, morePressing, type DeskEntry } from '../../domain/desk';
import { deskSummary, partnershipView, summaryOfView } from '../../domain/view';
import { DAY } from '../../domain/time';
import { settledDeskSummary } from '../../domain/lifecycle';
import { DomainDriver, clerkOf } from '../helpers/domain-driver';
import { withOak } from '../helpers/fixtures';

const desk = (driver: DomainDriver, now = driver.now): DeskEntry[] => deskEntries(deskSummary(driver.state), now);
const of = (entries: DeskEntry[], partyId: string) => entries.filter((e) => e.partyId === partyId);

describe('a participation resolution on the desk', () => {
  test('later, then due this week, then overdue after its first reminder, escalated after the third, gone once recorded', () => {
    const driver = new DomainDriver().toCommitment();
    driver.participation('riverside', 'adopted');

    const [asked] = of(desk(driver), 'maple');
    expect(asked).toEqual({
      partnershipId: 'water',
      title: driver.state.title,
      stage: 'commitment',
      template: driver.state.template,
      partyId: 'maple',
      who: 'clerk',
      what: 'participation-resolution',
      since: new Date(driver.state.stageSince).toISOString(),
      nextReminderAt: new Date(driver.deadline('resolution-reminder', 'maple').at).toISOString(),
      status: 'later',
      escalated: false,
    });
    expect(of(desk(driver), 'riverside')).toEqual([]);

    const firstReminder = driver.deadline('resolution-reminder', 'maple').at;
    expect(of(desk(driver, firstReminder - 6 * DAY), 'maple')[0]!.status).toBe('due-this-week');
    // The timer is late (a worker down): past its first reminder, it is overdue already.
    expect(of(desk(driver, firstReminder + 1), 'maple')[0]!.status).toBe('overdue');

    driver.fire(driver.deadline('resolution-reminder', 'maple'));
    const reminded = of(desk(driver), 'maple')[0]!;
    expect(reminded).toMatchObject({ status: 'overdue', remindersSent: 1, escalated: false });
    expect(Date.parse(reminded.nextReminderAt!)).toBe(driver.now + 14 * DAY);

    driver.fire(driver.deadline('resolution-reminder', 'maple'));
    driver.fire(driver.deadline('resolution-reminder', 'maple'));
    expect(of(desk(driver), 'maple')[0]).toMatchObject({ status: 'overdue', remindersSent: 3, escalated: true });

    driver.participation('maple', 'adopted');
    expect(driver.state.stage).toBe('groundwork');
    expect(of(desk(driver), 'maple')).toEqual([]);
  });

  test('recorded after its first reminder: dropped from the desk while the other party stays', () => {
    const driver = new DomainDriver().toCommitment();
    driver.fire(driver.deadline('resolution-reminder', 'riverside'));
    driver.fire(driver.deadline('resolution-reminder', 'maple'));
    expect(desk(driver).map((e) => [e.partyId, e.status])).toEqual([
      ['riverside', 'overdue'],
      ['maple', 'overdue'],
    ]);
    driver.participation('riverside', 'adopted');
    expect(desk(driver).map((e) => [e.partyId, e.status, e.remindersSent])).toEqual([['maple', 'overdue', 1]]);
  });
});

describe("the coordinator's own obligations", () => {
  test('the intake decision: owed by the coordinator, later (no date bounds it), gone once recorded', () => {
    const driver = new DomainDriver();
    expect(desk(driver)).toEqual([expect.objectContaining({ who: 'coordinator', what: 'intake-decision', status: 'later', escalated: false })]);
    driver.toCommitment();
    expect(desk(driver).map((e) => e.what)).toEqual(['participation-resolution', 'participation-resolution']);
  });

  test("groundwork's milestones are the coordinator's", () => {
    const driver = new DomainDriver().toGroundwork();
    const entries = desk(driver);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.who === 'coordinator' && e.what === 'milestone' && e.partyId === undefined)).toBe(true);
  });
});

describe("the coordinator's answer to a rejection, and the performance review", () => {
  test('a council rejects participation: the coordinator owes a decision by the end of the grace period; removing the party settles it', () => {
    const driver = new DomainDriver(withOak()).toCommitment();
    driver.participation('maple', 'rejected');
    const graceEndsAt = driver.state.rejectionGraceEndsAt!;
    const [entry] = desk(driver).filter((e) => e.who === 'coordinator');
    expect(entry).toMatchObject({
      what: 'rejected-participation',
      partyId: 'maple',
      detail: 'P-maple',
      dueAt: new Date(graceEndsAt).toISOString(),
      status: 'later',
    });
    expect(desk(driver, graceEndsAt - 2 * DAY).find((e) => e.who === 'coordinator')!.status).toBe('due-this-week');
    driver.send('withdrawParty', { partyId: 'maple', reason: 'Its council said no' });
    expect(desk(driver).filter((e) => e.who === 'coordinator')).toEqual([]);
  });

  test('in force: owed once the review is due, until a review is recorded', () => {
    const driver = new DomainDriver().toInForce();
    expect(desk(driver)).toEqual([]);
    driver.fire(driver.deadline('review-due'));
    expect(desk(driver)).toEqual([expect.objectContaining({ who: 'coordinator', what: 'review', since: new Date(driver.now).toISOString() })]);
    driver.send('recordReview', { heldOn: '2025-12-20', findings: 'On track.' });
    expect(desk(driver)).toEqual([]);
  });
});

describe('consultation', () => {
  test("each party's feedback is due when the window closes: due this week in its last days", () => {
    const driver = new DomainDriver().toConsultation();
    const closesAt = driver.state.consultations.at(-1)!.closesAt;
    const entries = desk(driver);
    expect(entries.map((e) => [e.partyId, e.who, e.what, e.status])).toEqual([
      ['riverside', 'champion', 'feedback', 'later'],
      ['maple', 'champion', 'feedback', 'later'],
    ]);
    expect(entries[0]!.dueAt).toBe(new Date(closesAt).toISOString());
    expect(desk(driver, closesAt - 5 * DAY).map((e) => e.status)).toEqual(['due-this-week', 'due-this-week']);
  });
});

test('a final stage has nothing on the desk', () => {
  const driver = new DomainDriver();
  driver.send('recordIntakeDecision', { accepted: false, interviewedOn: '2025-01-07' });
  expect(driver.state.stage).toBe('declined');
  expect(desk(driver)).toEqual([]);
});

describe('the summary the desk reads', () => {
  const viewed = (driver: DomainDriver) => summaryOfView(partnershipView(driver.state));

  test.each([
    ['intake', (d: DomainDriver) => d],
    ['commitment, reminded', (d: DomainDriver) => (d.toCommitment().fire(d.deadline('resolution-reminder', 'maple')), d)],
    ['groundwork', (d: DomainDriver) => d.toGroundwork()],
    ['consultation', (d: DomainDriver) => d.toConsultation()],
    ['approval', (d: DomainDriver) => d.toApproval()],
    ['signing', (d: DomainDriver) => d.toSigning()],
    ['in force, review due', (d: DomainDriver) => (d.toInForce().fire(d.deadline('review-due')), d)],
    ['notice', (d: DomainDriver) => d.toNotice()],
  ])('%s: the view’s own fields, and nothing else', (_, reach) => {
    const driver = reach(new DomainDriver());
    expect(deskSummary(driver.state)).toEqual(viewed(driver));
    expect(viewed(driver).pendingActions.length + viewed(driver).nextTimers.length).toBeGreaterThan(0);
  });

  test('a rejection in its grace period: the same due date and detail as the view', () => {
    const driver = new DomainDriver(withOak()).toCommitment();
    driver.participation('maple', 'rejected');
    expect(deskSummary(driver.state)).toEqual(viewed(driver));
  });

  test('a row carries the summary once its ready steps are taken: a grace period begins and ends with no row of its own', () => {
    const driver = new DomainDriver(withOak()).toCommitment();
    driver.apply(
      'recordResolution',
      { partyId: 'maple', subject: 'participation', outcome: 'rejected', resolutionNumber: 'P-maple', adoptedOn: '2025-02-03' },
      clerkOf('maple'),
    );
    const carried = settledDeskSummary(driver.state, driver.now, driver.options);
    const unsettled = deskSummary(driver.state);
    driver.settle();
    expect(driver.state.rejectionGraceEndsAt).toBeDefined();
    // The step, not the command, puts the coordinator's decision on the desk.
    expect(unsettled).not.toEqual(deskSummary(driver.state));
    expect(carried).toEqual(deskSummary(driver.state));
    expect(carried.pendingActions).toContainEqual(expect.objectContaining({ who: 'coordinator', what: 'rejected-participation', partyId: 'maple' }));

    driver.apply('withdrawParty', { partyId: 'maple', reason: 'Its council said no' });
    const afterRemoval = settledDeskSummary(driver.state, driver.now, driver.options);
    driver.settle();
    expect(driver.state.rejectionGraceEndsAt).toBeUndefined();
    expect(afterRemoval).toEqual(deskSummary(driver.state));
    expect(afterRemoval.nextTimers.map((t) => t.kind)).not.toContain('rejection-grace-end');
  });

  test('a row whose stage is not ready carries the summary of the state as it is, which it leaves alone', () => {
    const driver = new DomainDriver().toCommitment();
    driver.apply(
      'recordResolution',
      { partyId: 'riverside', subject: 'participation', outcome: 'adopted', resolutionNumber: 'P-riverside', adoptedOn: '2025-02-03' },
      clerkOf('riverside'),
    );
    const before = JSON.stringify(driver.state);
    expect(settledDeskSummary(driver.state, driver.now, driver.options)).toEqual(deskSummary(driver.state));
    driver.apply(
      'recordResolution',
      { partyId: 'maple', subject: 'participation', outcome: 'adopted', resolutionNumber: 'P-maple', adoptedOn: '2025-02-03' },
      clerkOf('maple'),
    );
    const ready = JSON.stringify(driver.state);
    expect(settledDeskSummary(driver.state, driver.now, driver.options).stage).toBe('groundwork');
    // Computed on a copy: the workflow's state steps only when the workflow takes the step.
    expect(JSON.stringify(driver.state)).toBe(ready);
    expect(driver.state.stage).toBe('commitment');
    expect(before).not.toBe(ready);
  });
});

describe('a page of the desk across partnerships', () => {
  const entry = (partnershipId: string, status: DeskEntry['status'], since: string, more: Partial<DeskEntry> = {}): DeskEntry => ({
    partnershipId,
    title: partnershipId,
    stage: 'commitment',
    template: 'cipp-shared-services',
    who: 'clerk',
    what: 'participation-resolution',
    since,
    status,
    escalated: false,
    ...more,
  });
  const entries = [
    entry('c', 'later', '2026-01-01T00:00:00.000Z'),
    entry('b', 'overdue', '2026-03-01T00:00:00.000Z'),
    entry('a', 'due-this-week', '2026-02-01T00:00:00.000Z'),
    entry('d', 'overdue', '2026-04-01T00:00:00.000Z', { escalated: true, remindersSent: 3 }),
    entry('e', 'overdue', '2026-03-01T00:00:00.000Z', { partyId: 'maple' }),
    entry('e', 'overdue', '2026-03-01T00:00:00.000Z', { partyId: 'lakeview' }),
  ];
  const order = (list: DeskEntry[]) => list.map((e) => `${e.partnershipId}${e.partyId ? `/${e.partyId}` : ''}`);

  test('overdue first, the escalated first among them, then the oldest; ties by partnership, then in its own order', () => {
    expect(order(deskPage(entries, 0, 10).entries)).toEqual(['d', 'b', 'e/maple', 'e/lakeview', 'a', 'c']);
    // The order does not depend on the order the partnerships were read in.
    const byPartnership = (list: DeskEntry[]) => [...list.filter((e) => e.partnershipId !== 'e').reverse(), ...list.filter((e) => e.partnershipId === 'e')];
    expect(order(byPartnership(entries).sort(morePressing))).toEqual(order([...entries].sort(morePressing)));
  });

  test('pages in turn are the whole desk, none repeated; the counts are of all of it, whatever the page', () => {
    const pages = [0, 2, 4].map((offset) => deskPage(entries, offset, 2));
    expect(pages.flatMap((p) => order(p.entries))).toEqual(order(deskPage(entries, 0, 10).entries));
    for (const page of pages) {
      expect(page.entriesTotal).toBe(6);
      expect(page.counts).toEqual({ overdue: 4, 'due-this-week': 1, later: 1, escalated: 1 });
    }
    expect(deskPage(entries, 6, 2).entries).toEqual([]);
  });

  test('the entries given are left as they were', () => {
    const given = [...entries];
    deskPage(given, 0, 3);
    expect(given).toEqual(entries);
  });
});
