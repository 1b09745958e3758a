import { addDuration } from '../durations';
import { countReminder, duration, missedTrackKey, requestTrackKey, targetMeeting, type Deadline, type DeadlineKind } from '../deadlines';
import { TEMPLATES } from '../templates';
import { championsAndCoordinator, coordinatorRecipient, everyone, partyRecipients } from '../notifications';
import { obligations } from '../obligations';
import { currentConsultation, findParty, type PartnershipState } from '../state';
import { isoDay } from '../time';
import { email, type Effects, type PlannedRecord } from './effects';
import { moveTo } from './transitions';

type Firing = (state: PartnershipState, deadline: Deadline, now: number, timerKey: string) => Effects;

const timerRecord = (kind: string, payload: Record<string, unknown>, key: string, partyId?: string): PlannedRecord => ({
  kind,
  actor: 'timer',
  payload,
  key,
  ...(partyId ? { partyId } : {}),
});

/** A draft's version and hash, as the emails asking for a decision on it carry them. */
const draftNamed = (state: PartnershipState, version: number | undefined): { draftVersion?: number; draftHash?: string } => {
  const draft = state.drafts.find((d) => d.version === version);
  return draft ? { draftVersion: draft.version, draftHash: draft.sha256 } : {};
};

const only = (record: PlannedRecord, emails: Effects['emails'] = []): Effects => ({ records: [record], emails, stageChanged: false });

/**
 * What each timer does when it fires: the change to the state, the register row, the emails.
 * Reminders are counted under their obligation's key, so a reminder that fires again after a
 * crash or a replay is the same reminder, and its email the same email.
 */
const FIRINGS: Record<DeadlineKind, Firing> = {
  'resolution-request': (state, deadline, now, timerKey) => {
    const partyId = deadline.partyId!;
    const subject = subjectOf(deadline);
    state.reminders[requestTrackKey(deadline.key)] = { count: 1, lastAt: now, escalated: false };
    const meeting = nextMeetingData(state, deadline);
    const version = subject === 'approval' ? state.approvalRound?.draftVersion : undefined;
    const key = subject === 'approval' ? `resolution-requested:approval:v${version}:${partyId}` : `resolution-requested:participation:${partyId}`;
    return only(timerRecord('resolution-requested', { obligation: deadline.key, ...meeting }, timerKey, partyId), [
      // The same key as the request a party without a calendar gets from the stage: one request either way.
      ...email('resolution-requested', key, partyRecipients(state, partyId, ['clerk', 'champion']), {
        partyId,
        subject,
        ...(subject === 'approval' ? draftNamed(state, version) : {}),
        ...meeting,
      }),
    ]);
  },

  'meeting-follow-up': (state, deadline, now, timerKey) => {
    const partyId = deadline.partyId!;
    const subject = subjectOf(deadline);
    const missed = state.reminders[missedTrackKey(deadline.key)] ?? { count: 0, lastAt: deadline.at, escalated: false };
    missed.count += 1;
    // Anchored on the question's own time: the meeting it follows is no longer the one awaited.
    missed.lastAt = deadline.at;
    const escalate = !missed.escalated && missed.count >= TEMPLATES[state.template].escalateAfterReminders;
    if (escalate) missed.escalated = true;
    state.reminders[missedTrackKey(deadline.key)] = missed;
    if (escalate) state.reminders[deadline.key] = { count: 0, lastAt: now, ...state.reminders[deadline.key], escalated: true };
    const heldOn = deadline.because?.meetingOn;
    const next = nextMeetingData(state, deadline);
    state.timeline.push({ at: now, event: 'meeting-follow-up', partyId, detail: `${subject}, meeting of ${heldOn}, ${missed.count} missed` });
    return only(timerRecord('meeting-follow-up', { obligation: deadline.key, meetingOn: heldOn, missedMeetings: missed.count }, timerKey, partyId), [
      ...email('resolution-follow-up', `resolution-follow-up:${deadline.key}:${missed.count}`, partyRecipients(state, partyId, ['clerk']), {
        partyId,
        subject,
        heldOn,
        missedMeetings: missed.count,
        ...(subject === 'approval' ? draftNamed(state, state.approvalRound?.draftVersion) : {}),
        ...next,
      }),
      ...(escalate
        ? email('resolution-escalation', `resolution-escalation:${deadline.key}`, [coordinatorRecipient(state)], {
            partyId,
            subject,
            count: missed.count,
            missedMeetings: missed.count,
          })
        : []),
    ]);
  },

  'resolution-reminder': (state, deadline, now, timerKey) => {
    if (deadline.because?.reason === 'agenda-closes') return meetingReminder(state, deadline, now, timerKey);
    const partyId = deadline.partyId!;
    const subject = deadline.key.startsWith('approval') ? 'approval' : 'participation';
    const { count, escalate } = countReminder(state, deadline, now);
    state.timeline.push({ at: now, event: 'resolution-reminder', partyId, detail: `${subject}, reminder ${count}` });
    return only(timerRecord('resolution-reminder', { obligation: deadline.key, count }, timerKey, partyId), [
      ...email('resolution-reminder', `resolution-reminder:${deadline.key}:${count}`, partyRecipients(state, partyId, ['clerk', 'champion']), {
        partyId,
        subject,
        count,
        // The draft under approval, for the link's form.
        ...(subject === 'approval' ? draftNamed(state, state.approvalRound?.draftVersion) : {}),
      }),
      ...(escalate ? email('resolution-escalation', `resolution-escalation:${deadline.key}`, [coordinatorRecipient(state)], { partyId, subject, count }) : []),
    ]);
  },

  'signature-reminder': (state, deadline, now, timerKey) => {
    const partyId = deadline.partyId!;
    const { count } = countReminder(state, deadline, now);
    state.timeline.push({ at: now, event: 'signature-reminder', partyId, detail: `reminder ${count}` });
    return only(
      timerRecord('signature-reminder', { obligation: deadline.key, count }, timerKey, partyId),
      email('signature-reminder', `signature-reminder:${deadline.key}:${count}`, partyRecipients(state, partyId, ['signatory']), {
        partyId,
        ...draftNamed(state, state.signingRound?.draftVersion),
        draftVersion: state.signingRound?.draftVersion,
        count,
      }),
    );
  },

  // The commitment stage decides what the end of the grace period means; the timer only marks it.
  'rejection-grace-end': (_state, _deadline, _now, timerKey) => only(timerRecord('rejection-grace-ended', {}, timerKey)),

  'check-in': (state, deadline, now, timerKey) => {
    const { count } = countReminder(state, deadline, now);
    // The next check-in is scheduled from the track (the schedule, unless it fired a day late).
    const nextAt = addDuration(state.reminders[deadline.key]!.lastAt, duration(state, 'checkInEvery'));
    return only(
      timerRecord('check-in', { count }, timerKey),
      email('check-in', `check-in:${count}`, championsAndCoordinator(state), {
        count,
        nextCheckInAt: new Date(nextAt).toISOString(),
      }),
    );
  },

  'consultation-closing': (state, deadline, now, timerKey) => {
    countReminder(state, deadline, now);
    const round = currentConsultation(state)!;
    const silent = obligations(state).flatMap((o) => (o.partyId ? partyRecipients(state, o.partyId, ['champion']) : []));
    return only(
      timerRecord('consultation-closing', { draftVersion: round.draftVersion, silentParties: silent.map((r) => r.partyId) }, timerKey),
      email('consultation-closing', `consultation-closing:v${round.draftVersion}`, silent, {
        draftVersion: round.draftVersion,
        closesAt: new Date(round.closesAt).toISOString(),
      }),
    );
  },

  // Closing the window is a fact; the consultation stage then moves on to revision.
  'consultation-close': (state, _deadline, now, timerKey) => {
    const round = currentConsultation(state)!;
    round.closedAt = now;
    round.closedEarly = false;
    return only(timerRecord('consultation-window-closed', { draftVersion: round.draftVersion }, timerKey));
  },

  'review-due': (state, deadline, now, timerKey) => {
    const { count } = countReminder(state, deadline, now);
    state.timeline.push({ at: now, event: 'review-due', detail: `review ${count}` });
    // Years in force: each review cycle starts a fresh run, so that no history grows for ever.
    state.continueAsNewRequested = true;
    return only(
      timerRecord('review-due', { count }, timerKey),
      email('review-due', `review-due:${count}`, championsAndCoordinator(state), { dueAt: new Date(now).toISOString(), reviewNumber: count }),
    );
  },

  'renewal-meeting': (state, deadline, now, timerKey) => {
    countReminder(state, deadline, now);
    const endsOn = isoDay(state.term!.endsAt);
    state.timeline.push({ at: now, event: 'renewal-meeting-reminder', detail: endsOn });
    return only(
      timerRecord('renewal-meeting', { endsOn }, timerKey),
      email('renewal-meeting', deadline.key, everyone(state), { endsOn, meetingBy: isoDay(addDuration(now, { months: 1, ms: 0 })) }),
    );
  },

  expiry: (state, _deadline, now) => {
    const term = state.term!;
    state.closedReason = `the term ended on ${isoDay(term.endsAt)} without renewal`;
    const moved = moveTo(state, 'expired', now, state.closedReason);
    return { ...moved, emails: email('expired', `expired:${term.number}`, everyone(state), { endedOn: isoDay(term.endsAt) }) };
  },

  'notice-ending': (state, deadline, now, timerKey) => {
    countReminder(state, deadline, now);
    const notice = state.notice!;
    return only(
      timerRecord('notice-ending', { endsOn: isoDay(notice.endsAt) }, timerKey, notice.partyId),
      email('notice-ending', deadline.key, everyone(state), { partyId: notice.partyId, endsOn: isoDay(notice.endsAt) }),
    );
  },

  'notice-end': (state, _deadline, now) => {
    const notice = state.notice!;
    state.pastNotices.push(notice);
    state.closedReason = `dissolved at the end of the notice given by ${notice.partyId}`;
    const moved = moveTo(state, 'dissolved', now, state.closedReason);
    return {
      ...moved,
      emails: email('dissolved', `dissolved:${notice.givenAt}`, everyone(state), { partyId: notice.partyId, endedOn: isoDay(notice.endsAt) }),
    };
  },

  'party-withdrawal': (state, deadline, now, timerKey) => {
    const partyId = deadline.partyId!;
    findParty(state, partyId)!.status = 'withdrawn';
    state.timeline.push({ at: now, event: 'party-withdrawn', partyId });
    return only({ ...timerRecord('party-withdrawn', {}, timerKey, partyId), revokeAccess: { reason: 'party-withdrew', partyId } });
  },
};

const subjectOf = (deadline: Deadline): 'participation' | 'approval' => (deadline.key.startsWith('approval') ? 'approval' : 'participation');

/** The meeting a resolution should now go to, as emails name it; nothing once the calendar runs out. */
function nextMeetingData(state: PartnershipState, deadline: Deadline): { meetingOn?: string; agendaClosesOn?: string; timeZone?: string } {
  const schedule = findParty(state, deadline.partyId!)?.meetingSchedule;
  const meeting = schedule && targetMeeting(state, deadline.key, schedule);
  return meeting ? { meetingOn: meeting.on, agendaClosesOn: meeting.agendaClosesOn, timeZone: schedule.timeZone } : {};
}

/**
 * The reminder before a meeting's agenda closes. Counted under the obligation like a periodic
 * one (the page shows how many were sent), but the coordinator is told by missed meetings, not by
 * reminders (meeting-follow-up).
 */
function meetingReminder(state: PartnershipState, deadline: Deadline, now: number, timerKey: string): Effects {
  const partyId = deadline.partyId!;
  const subject = subjectOf(deadline);
  const track = state.reminders[deadline.key] ?? { count: 0, lastAt: deadline.at, escalated: false };
  track.count += 1;
  track.lastAt = Math.max(deadline.at, now);
  state.reminders[deadline.key] = track;
  const { meetingOn, agendaClosesOn, timeZone } = deadline.because!;
  state.timeline.push({ at: now, event: 'resolution-reminder', partyId, detail: `${subject}, reminder ${track.count}, meeting of ${meetingOn}` });
  return only(timerRecord('resolution-reminder', { obligation: deadline.key, count: track.count, meetingOn, agendaClosesOn }, timerKey, partyId), [
    ...email('resolution-reminder', `resolution-reminder:${deadline.key}:${track.count}`, partyRecipients(state, partyId, ['clerk', 'champion']), {
      partyId,
      subject,
      count: track.count,
      meetingOn,
      agendaClosesOn,
      timeZone,
      ...(subject === 'approval' ? draftNamed(state, state.approvalRound?.draftVersion) : {}),
    }),
  ]);
}

/** A due timer fires: the state changes and the effects to carry out are returned. */
export function fireDeadline(state: PartnershipState, deadline: Deadline, now: number): Effects {
  return FIRINGS[deadline.kind](state, deadline, now, `timer:${deadline.key}:${deadline.at}`);
}
