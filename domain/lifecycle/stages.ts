import { addDuration } from '../durations';
import { duration, type TimerRules } from '../deadlines';
import { championsAndCoordinator, coordinatorRecipient, everyone, partyRecipients } from '../notifications';
import { allResponded, allSigned, approvalOutcome, commitmentOutcome, missingMilestones, revisionComplete } from '../obligations';
import { activeParties, currentConsultation, currentDraft, type PartnershipState } from '../state';
import type { Stage } from '../stages';
import { isoDay } from '../time';
import { email, noEffects, type Effects } from './effects';
import { moveTo } from './transitions';

export interface StageOptions extends TimerRules {
  /**
   * A rejected participation waits one reminder period for the coordinator to remove that party
   * before the process is abandoned. Runs started before that rule abandon at once.
   */
  rejectionGrace: boolean;
}

/** What a stage does once its facts are in: the next stage and whom to tell. */
export interface StageStep extends Effects {
  /** The stage is not over: wait again for the rest of it (the grace period after a rejection). */
  continueStage?: boolean;
}

interface StageRule {
  /** The facts this stage waits for are in (or, for a final stage, never). */
  ready(state: PartnershipState, now: number, options: StageOptions): boolean;
  /** Takes the step those facts call for. Called only when `ready` holds. */
  step(state: PartnershipState, now: number, options: StageOptions): StageStep;
}

const never: StageRule = { ready: () => false, step: () => noEffects() };

const graceOver = (state: PartnershipState, now: number) => state.rejectionGraceEndsAt !== undefined && now >= state.rejectionGraceEndsAt;

const allChampions = (state: PartnershipState) => activeParties(state).flatMap((p) => partyRecipients(state, p.id, ['champion']));

/** The draft was submitted: councils and the community may respond until the window closes. */
function openConsultation(state: PartnershipState, now: number): StageStep {
  const draft = currentDraft(state)!;
  state.consultations.push({ draftVersion: draft.version, opensAt: now, closesAt: addDuration(now, duration(state, 'consultationWindow')) });
  const moved = moveTo(state, 'consultation', now, `version ${draft.version}`);
  return {
    ...moved,
    emails: email('draft-open-for-feedback', `draft-open-for-feedback:v${draft.version}`, everyone(state), {
      draftVersion: draft.version,
      draftTitle: draft.title,
      closesAt: new Date(currentConsultation(state)!.closesAt).toISOString(),
    }),
  };
}

/** A version goes to every governing body for approval; a newer one asks anew. */
/**
 * The parties asked for a resolution when a stage opens: those without a calendar at once; a
 * council with one is asked on the first working morning, naming its meeting (a timer).
 */
const askedAtOnce = (state: PartnershipState, options: TimerRules) =>
  activeParties(state).filter((party) => !options.councilCalendars || party.meetingSchedule === undefined);

function openApproval(state: PartnershipState, now: number, options: StageOptions): StageStep {
  const draft = currentDraft(state)!;
  state.approvalRound = { draftVersion: draft.version, since: now };
  state.signingRound = undefined;
  const moved = moveTo(state, 'approval', now, `version ${draft.version}`);
  return {
    ...moved,
    emails: askedAtOnce(state, options).flatMap((party) =>
      email('resolution-requested', `resolution-requested:approval:v${draft.version}:${party.id}`, partyRecipients(state, party.id, ['clerk', 'champion']), {
        partyId: party.id,
        subject: 'approval',
        draftVersion: draft.version,
        draftHash: draft.sha256,
      }),
    ),
  };
}

function abandonAfterRejection(state: PartnershipState, now: number): StageStep {
  // The rejection that stands: that of a party still bound (a party removed during a grace period takes its own with it).
  const bound = new Set(activeParties(state).map((p) => p.id));
  const rejected = state.resolutions.find((r) => r.subject === 'participation' && r.outcome === 'rejected' && bound.has(r.partyId))!;
  state.closedReason = `the governing body of ${rejected.partyId} rejected participation (${rejected.resolutionNumber})`;
  const moved = moveTo(state, 'abandoned', now, state.closedReason);
  return { ...moved, emails: email('process-abandoned', 'process-abandoned', championsAndCoordinator(state), { reason: state.closedReason }) };
}

const STAGE_RULES: Record<Stage, StageRule> = {
  /** Application received; the coordinator interviews and decides. */
  intake: {
    ready: (state) => state.intake !== undefined,
    step: (state, now, options) => {
      if (!state.intake!.accepted) {
        const moved = moveTo(state, 'declined', now);
        return { ...moved, emails: email('intake-declined', 'intake-declined', [coordinatorRecipient(state), ...allChampions(state)]) };
      }
      const moved = moveTo(state, 'commitment', now);
      return {
        ...moved,
        emails: [
          ...email('intake-accepted', 'intake-accepted', championsAndCoordinator(state)),
          ...askedAtOnce(state, options).flatMap((party) =>
            email('resolution-requested', `resolution-requested:participation:${party.id}`, partyRecipients(state, party.id, ['clerk', 'champion']), {
              partyId: party.id,
              subject: 'participation',
            }),
          ),
        ],
      };
    },
  },

  /** Every party's governing body resolves to participate; a rejection may be mended by removing that party. */
  commitment: {
    ready: (state, now) =>
      state.rejectionGraceEndsAt === undefined ? commitmentOutcome(state) !== 'pending' : commitmentOutcome(state) !== 'rejected' || graceOver(state, now),
    step: (state, now, options) => {
      const outcome = commitmentOutcome(state);
      if (state.rejectionGraceEndsAt !== undefined) {
        if (outcome === 'rejected') return abandonAfterRejection(state, now);
        state.rejectionGraceEndsAt = undefined; // the rejecting party was removed: commitment goes on with the others
        return noEffects();
      }
      if (outcome === 'rejected') {
        if (!options.rejectionGrace) return abandonAfterRejection(state, now);
        state.rejectionGraceEndsAt = addDuration(now, duration(state, 'resolutionReminderEvery'));
        return { ...noEffects(), continueStage: true };
      }
      const moved = moveTo(state, 'groundwork', now);
      return { ...moved, emails: email('commitment-complete', 'commitment-complete', championsAndCoordinator(state)) };
    },
  },

  /** Launch workshop, communication protocol, studies: in any order, the template's required ones. */
  groundwork: {
    ready: (state) => missingMilestones(state).length === 0,
    step: (state, now) => ({ ...moveTo(state, 'drafting', now), emails: email('groundwork-complete', 'groundwork-complete', championsAndCoordinator(state)) }),
  },

  /** The coordinator writes the first version of the agreement. */
  drafting: {
    ready: (state) => state.drafts.length > 0,
    step: openConsultation,
  },

  /** Councils and the community respond to the draft until the window closes or all have. */
  consultation: {
    ready: (state) => allResponded(state) || currentConsultation(state)!.closedAt !== undefined,
    step: (state, now) => {
      const round = currentConsultation(state)!;
      if (round.closedAt === undefined) {
        round.closedAt = now;
        round.closedEarly = true;
      }
      state.revisionOf = round.draftVersion;
      const moved = moveTo(state, 'revision', now);
      return {
        ...moved,
        emails: email('consultation-closed', `consultation-closed:v${round.draftVersion}`, championsAndCoordinator(state), {
          draftVersion: round.draftVersion,
          responses: state.feedback.filter((f) => f.draftVersion === round.draftVersion).length,
          closedEarly: round.closedEarly === true,
        }),
      };
    },
  },

  /** The review workshop, then a new version of the draft. */
  revision: {
    ready: (state) => revisionComplete(state),
    step: openApproval,
  },

  /** Every governing body approves the named version; one rejection sends it back to revision. */
  approval: {
    ready: (state) => approvalOutcome(state) !== 'pending' || currentDraft(state)!.version !== state.approvalRound!.draftVersion,
    step: (state, now, options) => {
      const round = state.approvalRound!;
      if (currentDraft(state)!.version !== round.draftVersion) return openApproval(state, now, options);
      if (approvalOutcome(state) === 'rejected') {
        const rejection = state.resolutions.find((r) => r.subject === 'approval' && r.draftVersion === round.draftVersion && r.outcome === 'rejected')!;
        state.revisionOf = round.draftVersion;
        const moved = moveTo(state, 'revision', now, `version ${round.draftVersion} rejected by ${rejection.partyId}`);
        return {
          ...moved,
          emails: email('approval-rejected', `approval-rejected:v${round.draftVersion}`, everyone(state), {
            draftVersion: round.draftVersion,
            partyId: rejection.partyId,
            reason: rejection.reason ?? rejection.resolutionNumber,
          }),
        };
      }
      state.signingRound = { draftVersion: round.draftVersion, since: now };
      const moved = moveTo(state, 'signing', now);
      const draft = currentDraft(state)!;
      return {
        ...moved,
        emails: activeParties(state).flatMap((party) =>
          email('signature-requested', `signature-requested:v${draft.version}:${party.id}`, partyRecipients(state, party.id, ['signatory']), {
            partyId: party.id,
            draftVersion: draft.version,
            draftHash: draft.sha256,
          }),
        ),
      };
    },
  },

  /** Each signatory signs the approved version; the last signature puts the agreement in force. */
  signing: {
    ready: (state) => allSigned(state) || currentDraft(state)!.version !== state.signingRound!.draftVersion,
    step: (state, now, options) => {
      const round = state.signingRound!;
      if (currentDraft(state)!.version !== round.draftVersion) return openApproval(state, now, options);
      const signed = state.signatures.filter((s) => s.draftVersion === round.draftVersion);
      const effectiveOn = signed
        .map((s) => s.signedOn)
        .sort()
        .at(-1)!;
      state.term = { effectiveAt: now, effectiveOn, endsAt: addDuration(now, duration(state, 'term')), number: 1 };
      const moved = moveTo(state, 'in-force', now);
      return { ...moved, emails: email('signed', 'signed', everyone(state), { effectiveOn, endsOn: isoDay(state.term.endsAt) }) };
    },
  },

  /** Reviews, the renewal meeting and renewals are timers and commands; written notice ends this stage. */
  'in-force': {
    ready: (state) => state.notice !== undefined && state.notice.withdrawnAt === undefined,
    step: (state, now) => {
      const notice = state.notice!;
      const moved = moveTo(state, 'notice', now, `given by ${notice.partyId}`);
      return {
        ...moved,
        emails: email('notice-received', `notice-received:${notice.givenAt}`, everyone(state), {
          partyId: notice.partyId,
          reason: notice.reason,
          noticeDays: notice.noticeDays,
          endsOn: isoDay(notice.endsAt),
        }),
      };
    },
  },

  /** The notice period runs to dissolution (a timer) unless the party withdraws its notice. */
  notice: {
    ready: (state) => state.notice?.withdrawnAt !== undefined,
    step: (state, now) => {
      const notice = state.notice!;
      state.pastNotices.push(notice);
      state.notice = undefined;
      const moved = moveTo(state, 'in-force', now, `notice of ${notice.partyId} withdrawn`);
      return { ...moved, emails: email('notice-withdrawn', `notice-withdrawn:${notice.givenAt}`, everyone(state), { partyId: notice.partyId }) };
    },
  },

  declined: never,
  abandoned: never,
  dissolved: never,
  expired: never,
};

/** Whether the current stage has what it waits for. Pure: the state does not change. */
export const stageReady = (state: PartnershipState, now: number, options: StageOptions): boolean => STAGE_RULES[state.stage].ready(state, now, options);

/** The step the current stage takes now that it is ready: changes the state, returns the effects. */
export const stageStep = (state: PartnershipState, now: number, options: StageOptions): StageStep => STAGE_RULES[state.stage].step(state, now, options);
