/**
 * The rules of commands, free of zod so that the workflow can use them: the claim check, which
 * command fits which stage and who may send it, and the notice period a notice defaults to.
 */
import { INLINE_TEXT_BYTES, asContentRef, contentRef, type ContentRef, type StoredContent } from './content';
import { approximateDays } from './durations';
import { CURRENT_RULES, duration, type TimerRules } from './deadlines';
import { LIMITS } from './limits';
import { latestResolution } from './obligations';
import type { Actor } from './schemas/commands';
import { COMMAND_INFO, commandStages, type CommandName } from './command-catalogue';
import type { CommandBody, ReceivedCommand, WorkflowCommand } from './commands';
import { activeParties, currentDraft, findParty, milestoneRecord, type PartnershipState } from './state';
import { isFinal, type Stage } from './stages';
import { TEMPLATES } from './templates';

/**
 * The claim check of one validated body: the command the workflow receives (each content field
 * a reference), the short texts it carries along (`texts`, stored by the worker with its row) and
 * the longer ones to store before it is sent (`contents`). `refOf` makes each reference: the pure
 * `contentRef` by default; the API passes the same made with node:crypto, several times faster.
 */
export function claimCheck<N extends CommandName>(
  name: N,
  body: CommandBody<N>,
  refOf: (text: string) => ContentRef = contentRef,
): { command: WorkflowCommand<N>; texts: StoredContent[]; contents: StoredContent[] } {
  const command: Record<string, unknown> = { ...body };
  const texts: StoredContent[] = [];
  const contents: StoredContent[] = [];
  for (const field of COMMAND_INFO[name].contents as readonly string[]) {
    const text = command[field];
    if (typeof text !== 'string') continue;
    const ref = refOf(text);
    command[field] = ref;
    const list = ref.size <= INLINE_TEXT_BYTES ? texts : contents;
    if (!list.some((c) => c.sha256 === ref.sha256)) list.push({ sha256: ref.sha256, size: ref.size, body: text });
  }
  return { command: command as WorkflowCommand<N>, texts, contents };
}

/** A received command as it is carried today: plain texts (legacy histories) become references. */
export function normaliseCommand<N extends CommandName>(name: N, received: ReceivedCommand<N>): WorkflowCommand<N> {
  const fields = COMMAND_INFO[name].contents as readonly string[];
  if (!fields.some((f) => typeof (received as Record<string, unknown>)[f] === 'string')) return received as WorkflowCommand<N>;
  const command: Record<string, unknown> = { ...received };
  for (const field of fields) {
    if (command[field] !== undefined) command[field] = asContentRef(command[field] as string | ContentRef);
  }
  return command as WorkflowCommand<N>;
}

/**
 * Why a command is refused. `stage` and `conflict` mean it does not fit the partnership as it is
 * now (HTTP 409); `invalid` and `unknown-party` mean its content is wrong (422); `forbidden`
 * means the sender may not send it (403).
 */
export interface Refusal {
  code: 'stage' | 'conflict' | 'invalid' | 'unknown-party' | 'forbidden';
  message: string;
}

const refuse = (code: Refusal['code'], message: string): Refusal => ({ code, message });

/** Role and party checks: the API applies them before touching the workflow, the workflow again. */
export function authorisationRefusal(name: CommandName, body: { partyId?: string }, actor: Actor): Refusal | undefined {
  const roles: readonly string[] = COMMAND_INFO[name].roles;
  if (!roles.includes(actor.role)) return refuse('forbidden', `a ${actor.role} may not send ${name}`);
  if (actor.role !== 'coordinator') {
    if (body.partyId === undefined) return refuse('forbidden', `a ${actor.role} acts only for their own party: give partyId`);
    if (body.partyId !== actor.partyId) {
      return refuse('forbidden', `a ${actor.role} of another party may not act for party "${body.partyId}"`);
    }
  }
  return undefined;
}

const outside = (state: PartnershipState, stages: readonly Stage[], what: string): Refusal =>
  refuse('stage', `${what} during ${stages.join(' or ')}; the partnership is in ${state.stage}`);

/**
 * Whether the command fits the stage, from the catalogue's `stages` (the same data the page's
 * offered actions come from): checked first by every rule, so that a command out of its stage is
 * always refused with code `stage`, and anything else it is refused for means it fits the stage.
 */
const fits = (state: PartnershipState, name: CommandName, body: object): boolean => commandStages(name, body as Record<string, unknown>).includes(state.stage);

/** The stage check with the usual message: `what` happens during these stages. */
const onlyIn = (state: PartnershipState, name: CommandName, body: object, what: string): Refusal | undefined =>
  fits(state, name, body) ? undefined : outside(state, commandStages(name, body as Record<string, unknown>), what);

export function commandRefusal<N extends CommandName>(
  state: PartnershipState,
  name: N,
  body: ReceivedCommand<N>,
  actor: Actor,
  now: number,
  rules: TimerRules = CURRENT_RULES,
): Refusal | undefined {
  const forbidden = authorisationRefusal(name, body as { partyId?: string }, actor);
  if (forbidden) return forbidden;
  if (isFinal(state.stage)) return refuse('stage', `the partnership is ${state.stage}; it takes no more commands`);
  const partyId = (body as { partyId?: string }).partyId;
  if (partyId !== undefined) {
    const party = findParty(state, partyId);
    if (!party) return refuse('unknown-party', `no party "${partyId}" in this partnership`);
    if (party.status === 'withdrawn') return refuse('conflict', `party "${partyId}" has withdrawn`);
  }
  // A run begun before council calendars would keep the dates and never use them: refused, so nobody believes otherwise.
  if (name === 'setMeetingCalendar' && !rules.councilCalendars) {
    return refuse('conflict', 'this partnership began before council calendars; its reminders stay periodic until its next run');
  }
  const rule = RULES[name] as (state: PartnershipState, body: WorkflowCommand<N>, now: number) => Refusal | undefined;
  return rule(state, normaliseCommand(name, body), now);
}

type Rules = { [N in CommandName]: (state: PartnershipState, body: WorkflowCommand<N>, now: number) => Refusal | undefined };

const RULES: Rules = {
  recordIntakeDecision: (state, d) =>
    fits(state, 'recordIntakeDecision', d) ? undefined : refuse('stage', `the intake decision was already recorded; the partnership is in ${state.stage}`),

  recordResolution: (state, r) => {
    const wrong = onlyIn(state, 'recordResolution', r, `${r.subject} resolutions are recorded`);
    if (wrong) return wrong;
    if (r.subject === 'participation') {
      const previous = latestResolution(state, r.partyId, 'participation');
      return previous
        ? refuse('conflict', `party "${r.partyId}" already has participation resolution ${previous.resolutionNumber} (${previous.outcome})`)
        : undefined;
    }
    const draft = currentDraft(state)!;
    if (r.draftVersion !== draft.version) {
      return refuse('conflict', `the draft under approval is version ${draft.version}; this resolution names version ${r.draftVersion}`);
    }
    if (r.draftHash !== undefined && r.draftHash !== draft.sha256) {
      return refuse('conflict', `the SHA-256 given is not that of version ${draft.version} (${draft.sha256})`);
    }
    const previous = latestResolution(state, r.partyId, 'approval', draft.version);
    return previous
      ? refuse('conflict', `party "${r.partyId}" already has approval resolution ${previous.resolutionNumber} on version ${draft.version}`)
      : undefined;
  },

  recordMilestone: (state, m) => {
    const wrong = onlyIn(
      state,
      'recordMilestone',
      m,
      m.milestone === 'review-workshop' ? 'the review workshop is recorded' : 'groundwork milestones are recorded',
    );
    if (wrong) return wrong;
    if (milestoneRecord(state, m.milestone)) return refuse('conflict', `milestone ${m.milestone} is already recorded`);
    const template = TEMPLATES[state.template];
    const ruleOf = template.groundwork.find((g) => g.id === m.milestone);
    if (m.skipped && ruleOf && !ruleOf.skippable) return refuse('invalid', `milestone ${m.milestone} may not be skipped in ${template.id}`);
    return undefined;
  },

  submitDraft: (state, d) => {
    const wrong = onlyIn(state, 'submitDraft', d, 'drafts are submitted');
    if (wrong) return wrong;
    const expected = (currentDraft(state)?.version ?? 0) + 1;
    return d.version === expected ? undefined : refuse('conflict', `the next draft is version ${expected}, not ${d.version}`);
  },

  submitFeedback: (state, f) => {
    const wrong = onlyIn(state, 'submitFeedback', f, 'feedback is received');
    if (wrong) return wrong;
    // One party's champion cannot flood the state, nor the coordinator's mailbox.
    const version = currentDraft(state)?.version;
    const round = state.feedback.filter((x) => x.draftVersion === version);
    if (f.partyId !== undefined) {
      const sent = round.filter((x) => x.partyId === f.partyId).length;
      return sent >= LIMITS.feedbackPerPartyPerRound
        ? refuse(
            'invalid',
            `party "${f.partyId}" has sent ${sent} feedback entries on version ${version}: the limit is ${LIMITS.feedbackPerPartyPerRound} per party per consultation round`,
          )
        : undefined;
    }
    const community = round.filter((x) => x.partyId === undefined).length;
    return community >= LIMITS.communityFeedbackPerRound
      ? refuse(
          'invalid',
          `${community} community feedback entries were received on version ${version}: the limit is ${LIMITS.communityFeedbackPerRound} per consultation round`,
        )
      : undefined;
  },

  sign: (state, s) => {
    const wrong = onlyIn(state, 'sign', s, 'the agreement is signed');
    if (wrong) {
      return state.stage === 'approval'
        ? refuse(
            'stage',
            `the agreement is signed once every governing body has approved version ${state.approvalRound?.draftVersion}; approvals are still missing`,
          )
        : wrong;
    }
    const round = state.signingRound!;
    const draft = currentDraft(state)!;
    if (s.draftVersion !== round.draftVersion) {
      return refuse('conflict', `the approved version is ${round.draftVersion}; this signature names version ${s.draftVersion}`);
    }
    if (s.draftHash !== undefined && s.draftHash !== draft.sha256) {
      return refuse('conflict', `the SHA-256 given is not that of version ${draft.version} (${draft.sha256})`);
    }
    return state.signatures.some((x) => x.partyId === s.partyId && x.draftVersion === round.draftVersion)
      ? refuse('conflict', `party "${s.partyId}" has already signed version ${round.draftVersion}`)
      : undefined;
  },

  recordReview: (state, r) => onlyIn(state, 'recordReview', r, 'performance reviews are recorded'),

  amendTerm: (state, a, now) => {
    const wrong = onlyIn(state, 'amendTerm', a, 'the term is amended');
    if (wrong) return wrong;
    return Date.parse(`${a.newEndsOn}T00:00:00Z`) <= now ? refuse('invalid', `the new end ${a.newEndsOn} is not in the future`) : undefined;
  },

  renew: (state, r) => {
    if (fits(state, 'renew', r)) return undefined;
    return state.stage === 'notice'
      ? refuse('stage', 'a notice is running; withdraw it before renewing')
      : outside(state, COMMAND_INFO.renew.stages, 'the agreement is renewed');
  },

  giveNotice: (state, g) => {
    if (fits(state, 'giveNotice', g)) return undefined;
    return state.stage === 'notice'
      ? refuse('stage', `party "${state.notice!.partyId}" gave notice already; it ends ${new Date(state.notice!.endsAt).toISOString().slice(0, 10)}`)
      : outside(state, COMMAND_INFO.giveNotice.stages, 'written notice is given');
  },

  withdrawNotice: (state, w) => {
    const wrong = onlyIn(state, 'withdrawNotice', w, 'a notice is withdrawn');
    if (wrong) return wrong;
    return state.notice!.partyId === w.partyId
      ? undefined
      : refuse('conflict', `the notice running was given by "${state.notice!.partyId}", not "${w.partyId}"`);
  },

  withdrawParty: (state, w) => {
    const wrong = onlyIn(state, 'withdrawParty', w, 'a party withdraws');
    if (wrong) return wrong;
    const party = findParty(state, w.partyId)!;
    if (party.status === 'withdrawing') return refuse('conflict', `party "${w.partyId}" is already withdrawing`);
    const remaining = activeParties(state).filter((p) => p.status === 'active' && p.id !== w.partyId).length;
    if (state.stage === 'in-force') {
      return remaining >= 2 ? undefined : refuse('conflict', 'a party may withdraw only from a partnership of three or more; with two, give notice instead');
    }
    return remaining >= 2 ? undefined : refuse('conflict', 'at least two parties must remain; abandon the process instead');
  },

  abandon: (state, a) => onlyIn(state, 'abandon', a, 'a process is abandoned'),

  // A party still bound may change its people at any stage (the party's own checks are common to all).
  replaceContact: (state, c) => onlyIn(state, 'replaceContact', c, 'a contact is replaced'),

  setPartyRole: (state, r) => {
    const wrong = onlyIn(state, 'setPartyRole', r, 'a party’s role is set');
    if (wrong) return wrong;
    return findParty(state, r.partyId)!.role === r.role ? refuse('conflict', `party "${r.partyId}" is already ${r.role}`) : undefined;
  },

  setMeetingCalendar: (state, c, now) => {
    const wrong = onlyIn(state, 'setMeetingCalendar', c, 'a council’s meeting calendar is set');
    if (wrong) return wrong;
    if (!Array.isArray(c.schedule?.meetings)) return refuse('invalid', 'schedule: expected the calendar expanded by the API');
    const ahead = c.schedule.meetings.filter((m) => m.at > now).length;
    return ahead > 0 || c.schedule.source?.kind === 'working-days' ? undefined : refuse('invalid', 'the calendar has no meeting still to come');
  },
};

/** The notice period a party's notice runs for, in days, when it does not say. */
export function defaultNoticeDays(state: PartnershipState): number {
  return Math.round(approximateDays(duration(state, 'noticePeriod')));
}
