/**
 * domain/lifecycle/timers.ts: fireDeadline, one firing per DeadlineKind, without Temporal. Each
 * state is reached by driving the domain (commands, then the stage steps they make ready); the
 * deadline fired is one that deadlines(state) gives at that point.
 *
 * | kind                 | state change                               | register row                | emails                                   |
 * |----------------------|--------------------------------------------|-----------------------------|------------------------------------------|
 * | resolution-reminder  | reminder counted; timeline                 | resolution-reminder, party  | clerk + champion; coordinator once at the|
 * |                      |                                            |                             | template's Nth reminder                  |
 * | signature-reminder   | reminder counted; timeline                 | signature-reminder, party   | the party's signatory                    |
 * | rejection-grace-end  | none (the commitment stage decides)        | rejection-grace-ended       | none                                     |
 * | check-in             | counted                                    | check-in                    | coordinator + champions                  |
 * | consultation-closing | counted (once)                             | consultation-closing        | champions of silent parties (none: none) |
 * | consultation-close   | round closed, not early                    | consultation-window-closed  | none (the stage step tells)              |
 * | review-due           | counted; continueAsNewRequested            | review-due                  | coordinator + champions                  |
 * | renewal-meeting      | counted (once per term); timeline          | renewal-meeting             | everyone                                 |
 * | expiry               | expired, closedReason                      | stage:expired               | everyone                                 |
 * | notice-ending        | counted (once)                             | notice-ending, party        | everyone                                 |
 * | notice-end           | dissolved, closedReason, pastNotices       | stage:dissolved             | everyone                                 |
 * | party-withdrawal     | party withdrawn; timeline                  | party-withdrawn, party      | none                                     |
 *
 * A timer's row is keyed `timer:<deadline.key>:<deadline.at>`, by the schedule and not the firing.
 */
import { deadlines, nextDeadline, type Deadline, type DeadlineKind } from '../../domain/deadlines';
import { addDuration, subtractDuration } from '../../domain/durations';
import { stageReady, timelineCount, type Effects, type PlannedEmail } from '../../domain/lifecycle';
import type { Recipient } from '../../domain/notifications';
import { TEMPLATES } from '../../domain/templates';
import { DAY, HOUR, isoDay } from '../../domain/time';
import { clerkOf, championOf, DomainDriver, T0 } from '../helpers/domain-driver';
import { mapleMonthly } from '../helpers/calendars';
import { startRequest, withOak } from '../helpers/fixtures';

const iso = (ms: number) => new Date(ms).toISOString();
const months = (n: number) => ({ months: n, ms: 0 });

/** Recipients as `role:party` (`coordinator` alone), with each address checked against the fixtures. */
const ADDRESSES: Record<string, string> = {
  coordinator: 'coordination@example.org',
  'champion:riverside': 'champion@riverside.example',
  'clerk:riverside': 'clerk@riverside.example',
  'signatory:riverside': 'mayor@riverside.example',
  'champion:maple': 'championne@maple.example',
  'clerk:maple': 'greffe@maple.example',
  'signatory:maple': 'chef@maple.example',
  'champion:oak': 'champion@oak.example',
  'clerk:oak': 'clerk@oak.example',
  'signatory:oak': 'chair@oak.example',
};
function who(recipients: Recipient[]): string[] {
  return recipients.map((r) => {
    const label = r.partyId ? `${r.role}:${r.partyId}` : r.role;
    expect([label, r.email]).toEqual([label, ADDRESSES[label]]);
    return label;
  });
}
const EVERYONE = ['coordinator', 'champion:riverside', 'clerk:riverside', 'signatory:riverside', 'champion:maple', 'clerk:maple', 'signatory:maple'];
const CHAMPIONS_AND_COORDINATOR = ['coordinator', 'champion:riverside', 'champion:maple'];

const timerKey = (d: Deadline) => `timer:${d.key}:${d.at}`;
const onlyEmail = (effects: Effects): PlannedEmail => {
  expect(effects.emails).toHaveLength(1);
  return effects.emails[0]!;
};

/** Reaches a state with a deadline of the kind due, and returns that deadline. */
type Setup = () => { driver: DomainDriver; deadline: Deadline };

const SETUPS: Record<DeadlineKind, Setup> = {
  // Maple's band council has a calendar: its request waits for a working morning, then each meeting has its question.
  'resolution-request': () => {
    const driver = new DomainDriver(startRequest(), { schedules: mapleMonthly(T0) }).toCommitment();
    return { driver, deadline: driver.deadline('resolution-request', 'maple') };
  },
  'meeting-follow-up': () => {
    const driver = new DomainDriver(startRequest(), { schedules: mapleMonthly(T0) }).toCommitment();
    driver.fire(driver.deadline('resolution-request', 'maple'));
    return { driver, deadline: driver.deadline('meeting-follow-up', 'maple') };
  },
  'resolution-reminder': () => {
    const driver = new DomainDriver().toCommitment();
    return { driver, deadline: driver.deadline('resolution-reminder', 'maple') };
  },
  'signature-reminder': () => {
    const driver = new DomainDriver().toSigning();
    return { driver, deadline: driver.deadline('signature-reminder', 'maple') };
  },
  'rejection-grace-end': () => {
    const driver = new DomainDriver().toCommitment();
    driver.participation('riverside', 'adopted');
    driver.participation('maple', 'rejected');
    return { driver, deadline: driver.deadline('rejection-grace-end') };
  },
  'check-in': () => {
    const driver = new DomainDriver().toGroundwork();
    driver.send('recordMilestone', { milestone: 'launch-workshop', completedOn: '2025-01-20' });
    return { driver, deadline: driver.deadline('check-in') };
  },
  'consultation-closing': () => {
    const driver = new DomainDriver().toConsultation();
    return { driver, deadline: driver.deadline('consultation-closing') };
  },
  'consultation-close': () => {
    const driver = new DomainDriver().toConsultation();
    return { driver, deadline: driver.deadline('consultation-close') };
  },
  'review-due': () => {
    const driver = new DomainDriver().toInForce();
    return { driver, deadline: driver.deadline('review-due') };
  },
  'renewal-meeting': () => {
    const driver = new DomainDriver().toInForce();
    return { driver, deadline: driver.deadline('renewal-meeting') };
  },
  expiry: () => {
    const driver = new DomainDriver().toInForce();
    return { driver, deadline: driver.deadline('expiry') };
  },
  'notice-ending': () => {
    const driver = new DomainDriver().toNotice('riverside');
    return { driver, deadline: driver.deadline('notice-ending') };
  },
  'notice-end': () => {
    const driver = new DomainDriver().toNotice('riverside');
    return { driver, deadline: driver.deadline('notice-end') };
  },
  'party-withdrawal': () => {
    const driver = new DomainDriver(withOak()).toInForce();
    driver.send('withdrawParty', { partyId: 'oak', reason: 'Merged with a neighbour' });
    return { driver, deadline: driver.deadline('party-withdrawal') };
  },
};

describe('every timer kind: the register row and the emails', () => {
  // [kind, row kind, actor, partyId, email events]
  const TABLE: Array<[DeadlineKind, string, 'timer' | 'workflow', string | undefined, string[]]> = [
    ['resolution-request', 'resolution-requested', 'timer', 'maple', ['resolution-requested']],
    ['resolution-reminder', 'resolution-reminder', 'timer', 'maple', ['resolution-reminder']],
    ['meeting-follow-up', 'meeting-follow-up', 'timer', 'maple', ['resolution-follow-up']],
    ['signature-reminder', 'signature-reminder', 'timer', 'maple', ['signature-reminder']],
    ['rejection-grace-end', 'rejection-grace-ended', 'timer', undefined, []],
    ['check-in', 'check-in', 'timer', undefined, ['check-in']],
    ['consultation-closing', 'consultation-closing', 'timer', undefined, ['consultation-closing']],
    ['consultation-close', 'consultation-window-closed', 'timer', undefined, []],
    ['review-due', 'review-due', 'timer', undefined, ['review-due']],
    ['renewal-meeting', 'renewal-meeting', 'timer', undefined, ['renewal-meeting']],
    ['expiry', 'stage:expired', 'workflow', undefined, ['expired']],
    ['notice-ending', 'notice-ending', 'timer', 'riverside', ['notice-ending']],
    ['notice-end', 'stage:dissolved', 'workflow', undefined, ['dissolved']],
    ['party-withdrawal', 'party-withdrawn', 'timer', 'oak', []],
  ];

  test('the table covers every deadline kind once', () => {
    expect(TABLE.map(([kind]) => kind).sort()).toEqual(Object.keys(SETUPS).sort());
    expect(new Set(TABLE.map(([kind]) => kind)).size).toBe(14);
  });

  test.each(TABLE)('%s: a %s row by the %s', (kind, rowKind, actor, partyId, events) => {
    const { driver, deadline } = SETUPS[kind]();
    expect(deadline.kind).toBe(kind);
    // Three hours late (a worker restarting): the row is still that of the scheduled firing.
    const effects = driver.fire(deadline, 3 * HOUR);
    expect(effects.records).toHaveLength(1);
    const [record] = effects.records;
    expect(record!.kind).toBe(rowKind);
    expect(record!.actor).toBe(actor);
    expect(record!.partyId).toBe(partyId);
    if (actor === 'timer') {
      expect(record!.key).toBe(timerKey(deadline));
      expect(effects.stageChanged).toBe(false);
    } else {
      expect(record!.key).toBe(`${rowKind}:${timelineCount(driver.state)}`);
      expect(effects.stageChanged).toBe(true);
    }
    expect(effects.emails.map((e) => e.event)).toEqual(events);
  });
});

describe('resolution-reminder', () => {
  test(`counts under the obligation, reminds the clerk and champion, and escalates to the coordinator after the template's Nth reminder, once`, () => {
    const driver = new DomainDriver().toCommitment();
    const stageSince = driver.state.stageSince;
    const n = TEMPLATES[driver.state.template].escalateAfterReminders;
    expect(n).toBeGreaterThan(1);
    const escalations: PlannedEmail[] = [];
    for (let count = 1; count <= n + 2; count++) {
      const deadline = driver.deadline('resolution-reminder', 'maple');
      expect(deadline.key).toBe('participation-resolution:maple');
      expect(deadline.at).toBe(stageSince + count * 14 * DAY);
      const effects = driver.fire(deadline);
      expect(effects.records).toEqual([
        {
          kind: 'resolution-reminder',
          actor: 'timer',
          payload: { obligation: 'participation-resolution:maple', count },
          key: timerKey(deadline),
          partyId: 'maple',
        },
      ]);
      const [reminder, ...rest] = effects.emails;
      expect(reminder!.event).toBe('resolution-reminder');
      expect(reminder!.key).toBe(`resolution-reminder:participation-resolution:maple:${count}`);
      expect(who(reminder!.recipients)).toEqual(['clerk:maple', 'champion:maple']);
      expect(reminder!.data).toEqual({ partyId: 'maple', subject: 'participation', count });
      escalations.push(...rest);
      expect(rest.length).toBe(count === n ? 1 : 0);
      expect(driver.state.reminders['participation-resolution:maple']).toMatchObject({ count, escalated: count >= n });
      expect(driver.state.timeline.at(-1)).toEqual({
        at: deadline.at,
        event: 'resolution-reminder',
        partyId: 'maple',
        detail: `participation, reminder ${count}`,
      });
    }
    expect(escalations).toEqual([
      {
        event: 'resolution-escalation',
        key: 'resolution-escalation:participation-resolution:maple',
        recipients: [expect.objectContaining({ role: 'coordinator', email: 'coordination@example.org' })],
        data: { partyId: 'maple', subject: 'participation', count: n },
      },
    ]);
    // The other party's reminders are counted on their own track, and escalate on their own.
    expect(driver.state.reminders['participation-resolution:riverside']).toBeUndefined();
    const riverside = driver.fire(driver.deadline('resolution-reminder', 'riverside'));
    expect(riverside.emails.map((e) => [e.event, e.key])).toEqual([['resolution-reminder', 'resolution-reminder:participation-resolution:riverside:1']]);
  });

  test('during approval: the subject is approval, the key names the version', () => {
    const driver = new DomainDriver().toApproval();
    const deadline = driver.deadline('resolution-reminder', 'maple');
    expect(deadline.key).toBe('approval-resolution:v2:maple');
    const email = onlyEmail(driver.fire(deadline));
    expect(email.key).toBe('resolution-reminder:approval-resolution:v2:maple:1');
    expect(email.data).toEqual({ partyId: 'maple', subject: 'approval', count: 1, draftVersion: 2, draftHash: driver.state.drafts.at(-1)!.sha256 });
    expect(driver.state.timeline.at(-1)!.detail).toBe('approval, reminder 1');
  });

  test('a party that has resolved is no longer reminded; the reminder of the other comes next', () => {
    const driver = new DomainDriver().toCommitment();
    driver.participation('maple', 'adopted');
    expect(deadlines(driver.state).map((d) => [d.kind, d.partyId])).toEqual([['resolution-reminder', 'riverside']]);
  });
});

describe('signature-reminder', () => {
  test("reminds the party's signatory every 7 days, with the version to sign; never escalates", () => {
    const driver = new DomainDriver().toSigning();
    const since = driver.state.signingRound!.since;
    for (let count = 1; count <= 5; count++) {
      const deadline = driver.deadline('signature-reminder', 'maple');
      expect([deadline.key, deadline.at]).toEqual(['signature:v2:maple', since + count * 7 * DAY]);
      const effects = driver.fire(deadline);
      expect(effects.records).toEqual([
        { kind: 'signature-reminder', actor: 'timer', payload: { obligation: 'signature:v2:maple', count }, key: timerKey(deadline), partyId: 'maple' },
      ]);
      const email = onlyEmail(effects);
      expect(email.event).toBe('signature-reminder');
      expect(email.key).toBe(`signature-reminder:signature:v2:maple:${count}`);
      expect(who(email.recipients)).toEqual(['signatory:maple']);
      expect(email.data).toEqual({ partyId: 'maple', draftVersion: 2, draftHash: driver.state.drafts.at(-1)!.sha256, count });
      expect(driver.state.timeline.at(-1)).toEqual({ at: deadline.at, event: 'signature-reminder', partyId: 'maple', detail: `reminder ${count}` });
    }
  });
});

describe('rejection-grace-end', () => {
  test('only marks the end of the grace period; the commitment stage then abandons the process', () => {
    const { driver, deadline } = SETUPS['rejection-grace-end']();
    const graceEndsAt = driver.state.rejectionGraceEndsAt!;
    expect(deadline).toEqual({ key: 'rejection-grace', kind: 'rejection-grace-end', at: graceEndsAt });
    expect(stageReady(driver.state, graceEndsAt - 1, driver.options)).toBe(false);
    const effects = driver.fire(deadline);
    expect(effects).toEqual({
      records: [{ kind: 'rejection-grace-ended', actor: 'timer', payload: {}, key: `timer:rejection-grace:${graceEndsAt}` }],
      emails: [],
      stageChanged: false,
    });
    expect(driver.state.stage).toBe('commitment');
    expect(driver.state.rejectionGraceEndsAt).toBe(graceEndsAt);
    const [step] = driver.settle();
    expect(driver.state.stage).toBe('abandoned');
    expect(step!.emails.map((e) => e.event)).toEqual(['process-abandoned']);
  });
});

describe('check-in', () => {
  test('monthly from the launch workshop, to the coordinator and champions, announcing the next one', () => {
    const { driver, deadline } = SETUPS['check-in']();
    const launch = driver.state.milestones.find((m) => m.milestone === 'launch-workshop')!.recordedAt;
    expect(deadline).toEqual({ key: 'check-in', kind: 'check-in', at: addDuration(launch, months(1)) });
    for (let count = 1; count <= 3; count++) {
      const current = driver.deadline('check-in');
      expect(current.at).toBe(addDuration(launch, months(count)));
      const effects = driver.fire(current);
      expect(effects.records).toEqual([{ kind: 'check-in', actor: 'timer', payload: { count }, key: `timer:check-in:${current.at}` }]);
      const email = onlyEmail(effects);
      expect([email.event, email.key]).toEqual(['check-in', `check-in:${count}`]);
      expect(who(email.recipients)).toEqual(CHAMPIONS_AND_COORDINATOR);
      // The next check-in announced is the next deadline.
      expect(email.data).toEqual({ count, nextCheckInAt: iso(driver.deadline('check-in').at) });
      expect(driver.state.reminders['check-in']!.count).toBe(count);
    }
  });
  test('fired a few hours late (a worker restarting), the next check-in announced is still the one scheduled', () => {
    const { driver, deadline } = SETUPS['check-in']();
    const email = onlyEmail(driver.fire(deadline, 3 * HOUR));
    const next = driver.deadline('check-in');
    expect(next.at).toBe(addDuration(deadline.at, months(1)));
    expect(email.data.nextCheckInAt).toBe(iso(next.at));
  });

  test('fired a day late or more, the schedule moves to the firing and the announcement with it', () => {
    const { driver, deadline } = SETUPS['check-in']();
    const email = onlyEmail(driver.fire(deadline, 2 * DAY));
    const next = driver.deadline('check-in');
    expect(next.at).toBe(addDuration(deadline.at + 2 * DAY, months(1)));
    expect(email.data.nextCheckInAt).toBe(iso(next.at));
  });
});

describe('consultation-closing', () => {
  test('reminds only the champions of parties that have not responded on this version; once', () => {
    const driver = new DomainDriver().toConsultation();
    driver.feedback('maple');
    driver.send('submitFeedback', { community: 'Residents of the east shore', author: 'J. Doe', comments: 'More wells.' });
    expect(driver.state.stage).toBe('consultation');
    const round = driver.state.consultations.at(-1)!;
    const deadline = driver.deadline('consultation-closing');
    expect(deadline.key).toBe('consultation-closing:v1');
    const effects = driver.fire(deadline);
    expect(effects.records).toEqual([
      { kind: 'consultation-closing', actor: 'timer', payload: { draftVersion: 1, silentParties: ['riverside'] }, key: timerKey(deadline) },
    ]);
    expect(effects.emails).toEqual([
      {
        event: 'consultation-closing',
        key: 'consultation-closing:v1',
        recipients: [expect.objectContaining({ role: 'champion', partyId: 'riverside', email: 'champion@riverside.example' })],
        data: { draftVersion: 1, closesAt: iso(round.closesAt) },
      },
    ]);
    expect(deadlines(driver.state).filter((d) => d.kind === 'consultation-closing')).toEqual([]);
    expect(driver.state.reminders['consultation-closing:v1']!.count).toBe(1);
  });

  test('a withdrawn party is not silent', () => {
    const driver = new DomainDriver(withOak()).toConsultation();
    driver.send('withdrawParty', { partyId: 'oak', reason: 'Merged' });
    driver.feedback('maple');
    const effects = driver.fire(driver.deadline('consultation-closing'));
    expect(effects.records[0]!.payload).toEqual({ draftVersion: 1, silentParties: ['riverside'] });
    expect(who(onlyEmail(effects).recipients)).toEqual(['champion:riverside']);
  });

  test('when every party has responded: the row is written, no email is planned', () => {
    const driver = new DomainDriver().toConsultation();
    const deadline = driver.deadline('consultation-closing');
    // The feedback is in but the stage has not taken its step yet.
    driver.apply('submitFeedback', { partyId: 'riverside', author: 'R', comments: 'Fine.' }, championOf('riverside'));
    driver.apply('submitFeedback', { partyId: 'maple', author: 'M', comments: 'Bien.' }, championOf('maple'));
    const effects = driver.fire(deadline);
    expect(effects.records.map((r) => r.payload)).toEqual([{ draftVersion: 1, silentParties: [] }]);
    expect(effects.emails).toEqual([]);
  });
});

describe('consultation-close', () => {
  test('closes the round at the timer, not early; the consultation stage then moves to revision', () => {
    const driver = new DomainDriver().toConsultation();
    driver.feedback('maple');
    const deadline = driver.deadline('consultation-close');
    const round = driver.state.consultations.at(-1)!;
    expect(deadline).toEqual({ key: 'consultation-close:v1', kind: 'consultation-close', at: round.closesAt });
    expect(stageReady(driver.state, deadline.at - 1, driver.options)).toBe(false);
    const effects = driver.fire(deadline, 5 * 60_000);
    expect(effects).toEqual({
      records: [{ kind: 'consultation-window-closed', actor: 'timer', payload: { draftVersion: 1 }, key: timerKey(deadline) }],
      emails: [],
      stageChanged: false,
    });
    expect(driver.state.consultations.at(-1)).toMatchObject({ closedAt: deadline.at + 5 * 60_000, closedEarly: false });
    expect(driver.state.stage).toBe('consultation');
    const [step] = driver.settle();
    expect(driver.state.stage).toBe('revision');
    expect(step!.emails.map((e) => [e.event, e.data.closedEarly, e.data.responses])).toEqual([['consultation-closed', false, 1]]);
    expect(driver.state.consultations.at(-1)!.closedAt).toBe(deadline.at + 5 * 60_000);
  });
});

describe('review-due', () => {
  test('every six months in force: counted, recorded, the coordinator and champions told, and the run asked to continue as new', () => {
    const driver = new DomainDriver().toInForce();
    const effectiveAt = driver.state.term!.effectiveAt;
    expect(driver.state.continueAsNewRequested).toBeFalsy();
    const deadline = driver.deadline('review-due');
    expect([deadline.key, deadline.at]).toEqual(['review', addDuration(effectiveAt, months(6))]);
    const effects = driver.fire(deadline);
    expect(driver.state.continueAsNewRequested).toBe(true);
    expect(driver.state.reminders['review']).toEqual({ count: 1, lastAt: deadline.at, escalated: false });
    expect(driver.state.timeline.at(-1)).toEqual({ at: deadline.at, event: 'review-due', detail: 'review 1' });
    expect(effects.records).toEqual([{ kind: 'review-due', actor: 'timer', payload: { count: 1 }, key: `timer:review:${deadline.at}` }]);
    const email = onlyEmail(effects);
    expect([email.event, email.key]).toEqual(['review-due', 'review-due:1']);
    expect(who(email.recipients)).toEqual(CHAMPIONS_AND_COORDINATOR);
    expect(email.data).toEqual({ dueAt: iso(deadline.at), reviewNumber: 1 });

    const second = driver.deadline('review-due');
    expect(second.at).toBe(addDuration(effectiveAt, months(12)));
    expect(onlyEmail(driver.fire(second)).key).toBe('review-due:2');
  });
});

describe('renewal-meeting', () => {
  test('six months before the end of the term, to everyone, once per term; a renewal brings the next', () => {
    const driver = new DomainDriver().toInForce();
    const term = driver.state.term!;
    const deadline = driver.deadline('renewal-meeting');
    expect([deadline.key, deadline.at]).toEqual([`renewal-meeting:1:${term.endsAt}`, subtractDuration(term.endsAt, months(6))]);
    const effects = driver.fire(deadline);
    const endsOn = isoDay(term.endsAt);
    expect(effects.records).toEqual([{ kind: 'renewal-meeting', actor: 'timer', payload: { endsOn }, key: timerKey(deadline) }]);
    const email = onlyEmail(effects);
    expect([email.event, email.key]).toEqual(['renewal-meeting', deadline.key]);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(email.data).toEqual({ endsOn, meetingBy: isoDay(addDuration(deadline.at, months(1))) });
    expect(driver.state.timeline.at(-1)).toEqual({ at: deadline.at, event: 'renewal-meeting-reminder', detail: endsOn });
    expect(deadlines(driver.state).map((d) => d.kind)).not.toContain('renewal-meeting');

    driver.send('renew', { termMonths: 24, decidedOn: isoDay(driver.now + DAY) });
    const next = driver.deadline('renewal-meeting');
    expect(next.key).toBe(`renewal-meeting:2:${driver.state.term!.endsAt}`);
    expect(next.at).toBe(subtractDuration(driver.state.term!.endsAt, months(6)));
  });
});

describe('expiry', () => {
  test('the end of the term without renewal: expired, with the reason, a stage row and an email to everyone', () => {
    const driver = new DomainDriver().toInForce();
    const endsAt = driver.state.term!.endsAt;
    const deadline = driver.deadline('expiry');
    expect([deadline.key, deadline.at]).toEqual(['expiry:1', endsAt]);
    const effects = driver.fire(deadline);
    const reason = `the term ended on ${isoDay(endsAt)} without renewal`;
    expect(driver.state.stage).toBe('expired');
    expect(driver.state.stageSince).toBe(endsAt);
    expect(driver.state.closedReason).toBe(reason);
    expect(driver.state.timeline.at(-1)).toEqual({ at: endsAt, event: 'stage:expired', detail: reason });
    expect(effects.stageChanged).toBe(true);
    expect(effects.records).toEqual([
      {
        kind: 'stage:expired',
        actor: 'workflow',
        payload: { detail: reason },
        key: `stage:expired:${timelineCount(driver.state)}`,
        revokeAccess: { reason: 'partnership-ended' },
      },
    ]);
    const email = onlyEmail(effects);
    expect([email.event, email.key]).toEqual(['expired', 'expired:1']);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(email.data).toEqual({ endedOn: isoDay(endsAt) });
    expect(deadlines(driver.state)).toEqual([]);
    expect(stageReady(driver.state, driver.now, driver.options)).toBe(false);
  });

  test('a renewed term expires under its own number', () => {
    const driver = new DomainDriver().toInForce();
    driver.send('renew', { termMonths: 12, decidedOn: '2025-03-01' });
    const effects = driver.fire(driver.deadline('expiry'));
    expect(onlyEmail(effects).key).toBe('expired:2');
  });
});

describe('notice-ending', () => {
  test('14 days before the notice ends, to everyone, once', () => {
    const driver = new DomainDriver().toNotice('riverside');
    const notice = driver.state.notice!;
    const deadline = driver.deadline('notice-ending');
    expect([deadline.key, deadline.at]).toEqual([`notice-ending:${notice.givenAt}`, notice.endsAt - 14 * DAY]);
    const effects = driver.fire(deadline);
    const endsOn = isoDay(notice.endsAt);
    expect(effects.records).toEqual([{ kind: 'notice-ending', actor: 'timer', payload: { endsOn }, key: timerKey(deadline), partyId: 'riverside' }]);
    const email = onlyEmail(effects);
    expect([email.event, email.key]).toEqual(['notice-ending', `notice-ending:${notice.givenAt}`]);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(email.data).toEqual({ partyId: 'riverside', endsOn });
    expect(driver.state.stage).toBe('notice');
    expect(deadlines(driver.state).map((d) => d.kind)).toEqual(['notice-end', 'expiry']);
  });
});

describe('notice-end', () => {
  test('dissolves the partnership; the notice joins the past notices', () => {
    const driver = new DomainDriver().toNotice('maple');
    const notice = { ...driver.state.notice! };
    const deadline = driver.deadline('notice-end');
    expect([deadline.key, deadline.at]).toEqual([`notice-end:${notice.givenAt}`, notice.endsAt]);
    const effects = driver.fire(deadline);
    const reason = 'dissolved at the end of the notice given by maple';
    expect(driver.state.stage).toBe('dissolved');
    expect(driver.state.closedReason).toBe(reason);
    expect(driver.state.pastNotices).toEqual([notice]);
    expect(effects.records).toEqual([
      {
        kind: 'stage:dissolved',
        actor: 'workflow',
        payload: { detail: reason },
        key: `stage:dissolved:${timelineCount(driver.state)}`,
        revokeAccess: { reason: 'partnership-ended' },
      },
    ]);
    const email = onlyEmail(effects);
    expect([email.event, email.key]).toEqual(['dissolved', `dissolved:${notice.givenAt}`]);
    expect(who(email.recipients)).toEqual(EVERYONE);
    expect(email.data).toEqual({ partyId: 'maple', endedOn: isoDay(notice.endsAt) });
    expect(deadlines(driver.state)).toEqual([]);
  });

  test('after a notice withdrawn and another given: keyed by the notice that ran out', () => {
    const driver = new DomainDriver().toNotice('riverside');
    const first = driver.state.notice!.givenAt;
    driver.send('withdrawNotice', { partyId: 'riverside' }, championOf('riverside'));
    expect(driver.state.stage).toBe('in-force');
    driver.send('giveNotice', { partyId: 'maple', reason: 'Nouvelle orientation', noticeDays: 30 }, championOf('maple'));
    const second = driver.state.notice!.givenAt;
    expect(second).not.toBe(first);
    const effects = driver.fire(driver.deadline('notice-end'));
    expect(onlyEmail(effects).key).toBe(`dissolved:${second}`);
    expect(driver.state.pastNotices.map((n) => [n.partyId, n.givenAt])).toEqual([
      ['riverside', first],
      ['maple', second],
    ]);
  });
});

describe('party-withdrawal', () => {
  test('the withdrawal takes effect: the party is withdrawn, recorded; nobody is emailed again', () => {
    const { driver, deadline } = SETUPS['party-withdrawal']();
    const oak = driver.state.parties.find((p) => p.id === 'oak')!;
    expect(oak.status).toBe('withdrawing');
    expect(nextDeadline(driver.state)).toEqual(deadline);
    expect(deadline).toEqual({ key: 'withdrawal:oak', kind: 'party-withdrawal', partyId: 'oak', at: oak.withdrawsAt });
    const effects = driver.fire(deadline);
    expect(oak.status).toBe('withdrawn');
    expect(driver.state.timeline.at(-1)).toEqual({ at: deadline.at, event: 'party-withdrawn', partyId: 'oak' });
    expect(effects).toEqual({
      records: [
        {
          kind: 'party-withdrawn',
          actor: 'timer',
          payload: {},
          key: `timer:withdrawal:oak:${deadline.at}`,
          partyId: 'oak',
          revokeAccess: { reason: 'party-withdrew', partyId: 'oak' },
        },
      ],
      emails: [],
      stageChanged: false,
    });
    expect(deadlines(driver.state).map((d) => d.kind)).not.toContain('party-withdrawal');
    // The partnership goes on without it: the next email to everyone leaves it out.
    const expiry = driver.fire(driver.deadline('expiry'));
    expect(who(onlyEmail(expiry).recipients)).toEqual(EVERYONE);
  });
});

describe('the deadlines fired in order', () => {
  test('from in force to expiry: four reviews, one renewal meeting, then the expiry, each key unique', () => {
    const driver = new DomainDriver().toInForce();
    const fired: Deadline[] = [];
    const keys = new Set<string>();
    while (driver.state.stage === 'in-force' && fired.length < 20) {
      const deadline = nextDeadline(driver.state)!;
      fired.push(deadline);
      const effects = driver.fire(deadline);
      for (const e of effects.emails) keys.add(e.key);
      for (const r of effects.records) keys.add(r.key);
      // The workflow continues as new at each review; the flag starts each run cleared.
      driver.state.continueAsNewRequested = false;
    }
    expect(fired.map((d) => d.kind)).toEqual(['review-due', 'review-due', 'renewal-meeting', 'review-due', 'review-due', 'expiry']);
    expect(keys.size).toBe(fired.length * 2);
    expect(driver.state.stage).toBe('expired');
  });

  test('resolution reminders of a second party interleave with the first, each on its own count', () => {
    const driver = new DomainDriver().toCommitment();
    const fired = [driver.fire(), driver.fire(), driver.fire(), driver.fire()];
    expect(fired.map((e) => e.emails[0]!.key)).toEqual([
      'resolution-reminder:participation-resolution:maple:1',
      'resolution-reminder:participation-resolution:riverside:1',
      'resolution-reminder:participation-resolution:maple:2',
      'resolution-reminder:participation-resolution:riverside:2',
    ]);
    // Reminders never move the stage on their own.
    expect(stageReady(driver.state, driver.now, driver.options)).toBe(false);
    expect(driver.state.stage).toBe('commitment');
  });

  test('a clerk answering after reminders stops them', () => {
    const driver = new DomainDriver().toCommitment();
    driver.fire();
    driver.send(
      'recordResolution',
      { partyId: 'maple', subject: 'participation', outcome: 'adopted', resolutionNumber: 'P-1', adoptedOn: '2025-02-01' },
      clerkOf('maple'),
    );
    expect(deadlines(driver.state).map((d) => d.partyId)).toEqual(['riverside']);
  });
});
