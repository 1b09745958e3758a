import type { CommandName, ReceivedCommand, WorkflowCommand } from './commands';
import { defaultNoticeDays, normaliseCommand } from './command-rules';
import { duration, requestTrackKey } from './deadlines';
import { addDuration } from './durations';
import { keepLast, keepLastRounds, LIMITS } from './limits';
import { coordinatorRecipient, everyone, partyRecipients, type NotificationEvent, type Recipient } from './notifications';
import type { Actor } from './schemas/commands';
import { obligationsOf } from './obligations';
import { currentDraft, enterStage, findParty, type PartnershipState } from './state';
import { DAY, isoDay } from './time';

/** An email a command causes, before the workflow gives it its idempotency key. */
export interface PlannedNotification {
  event: NotificationEvent;
  recipients: Recipient[];
  data: Record<string, string | number | boolean | undefined>;
}

export interface Applied {
  partyId?: string;
  notifications: PlannedNotification[];
}

const none: Applied = { notifications: [] };

type Appliers = {
  [N in CommandName]: (state: PartnershipState, body: WorkflowCommand<N>, actor: Actor, now: number) => Applied;
};

/**
 * Records the facts a command carries. Stage transitions that follow from them belong to the
 * workflow's story, except abandonment, which is the command itself.
 *
 * The command may hold references (as the API sends them) or, replayed from a history recorded
 * before the claim check, the texts themselves: either way the state keeps references. Lists a
 * person could grow for ever keep their last entries (domain/limits.ts), the register all.
 */
export function applyCommand<N extends CommandName>(state: PartnershipState, name: N, body: ReceivedCommand<N>, actor: Actor, now: number): Applied {
  const apply = APPLIERS[name] as (state: PartnershipState, body: WorkflowCommand<N>, actor: Actor, now: number) => Applied;
  const applied = apply(state, normaliseCommand(name, body), actor, now);
  pruneApplied(state);
  return applied;
}

/**
 * The request ids the state remembers: the last LIMITS.appliedKept. A repeat of an older one is
 * answered by the API from the register (`<partnership>:command:<requestId>`).
 */
export function pruneApplied(state: PartnershipState, keep: number = LIMITS.appliedKept): void {
  const entries = Object.entries(state.applied);
  if (entries.length <= keep) return;
  // By time of application (a stable sort keeps the order of equal times); integer-like ids
  // would not keep their insertion order in an object.
  entries.sort(([, a], [, b]) => a.at - b.at);
  state.applied = Object.fromEntries(entries.slice(-keep));
}

const APPLIERS: Appliers = {
  recordIntakeDecision: (state, b, _a, now) => {
    state.intake = { accepted: b.accepted, interviewedOn: b.interviewedOn, ...(b.notes ? { notes: b.notes } : {}), decidedAt: now };
    state.timeline.push({ at: now, event: b.accepted ? 'intake-accepted' : 'intake-declined' });
    return none;
  },

  recordResolution: (state, b, _a, now) => {
    const draft = b.subject === 'approval' ? currentDraft(state) : undefined;
    state.resolutions.push({
      partyId: b.partyId,
      subject: b.subject,
      outcome: b.outcome,
      resolutionNumber: b.resolutionNumber,
      adoptedOn: b.adoptedOn,
      ...(draft ? { draftVersion: draft.version, draftHash: draft.sha256 } : {}),
      ...(b.documentUrl ? { documentUrl: b.documentUrl } : {}),
      ...(b.reason ? { reason: b.reason.excerpt, reasonRef: b.reason } : {}),
      recordedAt: now,
      requestId: b.requestId,
    });
    keepLastRounds(state.resolutions, (r) => (r.subject === 'approval' ? r.draftVersion : undefined), LIMITS.roundsKept);
    state.timeline.push({ at: now, event: `resolution-${b.subject}-${b.outcome}`, partyId: b.partyId, detail: b.resolutionNumber });
    return {
      partyId: b.partyId,
      notifications: [
        {
          event: 'resolution-recorded',
          recipients: [coordinatorRecipient(state), ...partyRecipients(state, b.partyId, ['champion'])],
          data: {
            partyId: b.partyId,
            subject: b.subject,
            outcome: b.outcome,
            resolutionNumber: b.resolutionNumber,
            adoptedOn: b.adoptedOn,
            // The excerpt the state keeps (the whole text stays in the register): a rejection says why.
            ...(b.reason ? { reason: b.reason.excerpt } : {}),
          },
        },
      ],
    };
  },

  recordMilestone: (state, b, _a, now) => {
    state.milestones.push({
      milestone: b.milestone,
      ...(b.completedOn ? { completedOn: b.completedOn } : {}),
      ...(b.skipped ? { skipped: true, reason: b.reason } : {}),
      ...(b.notes ? { notes: b.notes } : {}),
      recordedAt: now,
    });
    state.timeline.push({ at: now, event: b.skipped ? 'milestone-skipped' : 'milestone-completed', detail: b.milestone });
    return none;
  },

  submitDraft: (state, b, _a, now) => {
    state.drafts.push({
      version: b.version,
      title: b.title,
      // The text's own hash when it is given; otherwise the hash the sender computed of the document.
      sha256: b.text !== undefined ? b.text.sha256 : b.sha256!,
      ...(b.documentUrl ? { documentUrl: b.documentUrl } : {}),
      ...(b.text !== undefined ? { text: b.text } : {}),
      ...(b.summary ? { summary: b.summary } : {}),
      submittedAt: now,
    });
    keepLast(state.drafts, LIMITS.draftsKept);
    state.timeline.push({ at: now, event: 'draft-submitted', detail: `version ${b.version}` });
    return none;
  },

  submitFeedback: (state, b, _a, now) => {
    const version = currentDraft(state)!.version;
    state.feedback.push({
      draftVersion: version,
      ...(b.partyId ? { partyId: b.partyId } : {}),
      ...(b.community ? { community: b.community } : {}),
      author: b.author,
      comments: b.comments,
      receivedAt: now,
    });
    keepLastRounds(state.feedback, (f) => f.draftVersion, LIMITS.feedbackRoundsKept);
    state.timeline.push({ at: now, event: 'feedback-received', ...(b.partyId ? { partyId: b.partyId } : { detail: b.community }) });
    return {
      ...(b.partyId ? { partyId: b.partyId } : {}),
      notifications: [
        { event: 'feedback-received', recipients: [coordinatorRecipient(state)], data: { draftVersion: version, author: b.author, partyId: b.partyId } },
      ],
    };
  },

  sign: (state, b, _a, now) => {
    const draft = currentDraft(state)!;
    state.signatures.push({
      partyId: b.partyId,
      signatoryName: b.signatoryName,
      signatoryTitle: b.signatoryTitle,
      signedOn: b.signedOn,
      draftVersion: draft.version,
      draftHash: draft.sha256,
      recordedAt: now,
    });
    keepLastRounds(state.signatures, (s) => s.draftVersion, LIMITS.roundsKept);
    state.timeline.push({ at: now, event: 'signed', partyId: b.partyId, detail: `version ${draft.version}` });
    return { partyId: b.partyId, notifications: [] };
  },

  recordReview: (state, b, _a, now) => {
    state.reviews.push({ heldOn: b.heldOn, findings: b.findings, recordedAt: now });
    keepLast(state.reviews, LIMITS.reviewsKept);
    state.timeline.push({ at: now, event: 'review-recorded', detail: b.heldOn });
    return none;
  },

  amendTerm: (state, b, _a, now) => {
    state.term!.endsAt = Date.parse(`${b.newEndsOn}T00:00:00Z`);
    state.timeline.push({ at: now, event: 'term-amended', detail: b.newEndsOn });
    return { notifications: [{ event: 'term-amended', recipients: everyone(state), data: { endsOn: b.newEndsOn, reason: b.reason } }] };
  },

  renew: (state, b, _a, now) => {
    const term = state.term!;
    term.endsAt = addDuration(term.endsAt, { months: b.termMonths, ms: 0 });
    term.number += 1;
    state.timeline.push({ at: now, event: 'renewed', detail: `${b.termMonths} months, until ${isoDay(term.endsAt)}` });
    return {
      notifications: [{ event: 'renewed', recipients: everyone(state), data: { endsOn: isoDay(term.endsAt), termMonths: b.termMonths } }],
    };
  },

  giveNotice: (state, b, _a, now) => {
    const noticeDays = b.noticeDays ?? defaultNoticeDays(state);
    state.notice = { partyId: b.partyId, reason: b.reason, noticeDays, givenAt: now, endsAt: now + noticeDays * DAY };
    // The workflow files a notice under pastNotices when it is withdrawn; each new one trims them.
    keepLast(state.pastNotices, LIMITS.pastNoticesKept);
    state.timeline.push({ at: now, event: 'notice-given', partyId: b.partyId, detail: `${noticeDays} days` });
    return { partyId: b.partyId, notifications: [] };
  },

  withdrawNotice: (state, b, _a, now) => {
    state.notice!.withdrawnAt = now;
    state.timeline.push({ at: now, event: 'notice-withdrawn', partyId: b.partyId });
    return { partyId: b.partyId, notifications: [] };
  },

  withdrawParty: (state, b, _a, now) => {
    const party = findParty(state, b.partyId)!;
    const recipients = everyone(state);
    party.withdrawalReason = b.reason;
    if (state.stage === 'in-force') {
      // A party bound by a signed agreement leaves on its own notice, the agreement's period.
      party.status = 'withdrawing';
      party.withdrawsAt = addDuration(now, duration(state, 'noticePeriod'));
    } else {
      party.status = 'withdrawn';
      party.withdrawsAt = now;
    }
    state.timeline.push({ at: now, event: party.status === 'withdrawn' ? 'party-withdrawn' : 'party-withdrawing', partyId: b.partyId });
    return {
      partyId: b.partyId,
      notifications: [{ event: 'party-withdrawal', recipients, data: { partyId: b.partyId, reason: b.reason, effectiveOn: isoDay(party.withdrawsAt) } }],
    };
  },

  abandon: (state, b, _a, now) => {
    state.closedReason = b.reason;
    const recipients = everyone(state);
    enterStage(state, 'abandoned', now, b.reason);
    return { notifications: [{ event: 'process-abandoned', recipients, data: { reason: b.reason } }] };
  },

  replaceContact: (state, b, _a, now) => {
    const party = findParty(state, b.partyId)!;
    party.contacts = { ...party.contacts, [b.role]: b.contact };
    state.timeline.push({ at: now, event: 'contact-replaced', partyId: b.partyId, detail: b.role });
    return {
      partyId: b.partyId,
      notifications: [
        {
          event: 'contact-assigned',
          recipients: [...partyRecipients(state, b.partyId, [b.role]), coordinatorRecipient(state)],
          data: { partyId: b.partyId, role: b.role },
        },
      ],
    };
  },

  setPartyRole: (state, b, _a, now) => {
    findParty(state, b.partyId)!.role = b.role;
    state.timeline.push({ at: now, event: 'party-role-set', partyId: b.partyId, detail: b.role });
    return { partyId: b.partyId, notifications: [] };
  },

  setMeetingCalendar: (state, b, _a, now) => {
    const party = findParty(state, b.partyId)!;
    const requestedAlready = party.meetingSchedule === undefined;
    party.meetingSchedule = b.schedule;
    // A resolution the stage already asked for (a party without a calendar is asked at once) is
    // not asked again: the next reminder is the next meeting's. One whose request waits for a
    // working morning is still asked, by the new calendar.
    for (const o of requestedAlready ? obligationsOf(state, b.partyId) : []) {
      if (o.kind === 'participation-resolution' || o.kind === 'approval-resolution') {
        state.reminders[requestTrackKey(o.key)] ??= { count: 1, lastAt: now, escalated: false };
      }
    }
    const next = b.schedule.meetings.find((m) => m.at > now);
    state.timeline.push({ at: now, event: 'meeting-calendar-set', partyId: b.partyId, ...(next ? { detail: `next meeting ${next.on}` } : {}) });
    return { partyId: b.partyId, notifications: [] };
  },
};
