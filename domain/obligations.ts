import { activeParties, currentConsultation, currentDraft, milestoneRecord, type PartnershipState, type ResolutionRecord } from './state';
import type { ResolutionSubject } from './schemas/commands';
import { TEMPLATES } from './templates';

/** Who owes something: the coordinator, or a party through one of its contacts. */
export type Owner = 'coordinator' | 'clerk' | 'signatory' | 'champion';

/** Every kind of thing owed, and who owes it (a party's kinds: the contact who acts for it). */
export const OBLIGATION_OWNERS = {
  'intake-decision': 'coordinator',
  'participation-resolution': 'clerk',
  'rejected-participation': 'coordinator',
  milestone: 'coordinator',
  draft: 'coordinator',
  feedback: 'champion',
  'approval-resolution': 'clerk',
  signature: 'signatory',
  review: 'coordinator',
} as const satisfies Record<string, Owner>;
export type ObligationKind = keyof typeof OBLIGATION_OWNERS;
export const OBLIGATION_KINDS = Object.keys(OBLIGATION_OWNERS) as ObligationKind[];

/**
 * Something still owed at this stage: by a party (partyId) or by the coordinator. Reminders are
 * counted per obligation key, which names the round (draft version) so a new round starts afresh.
 */
export interface Obligation {
  key: string;
  kind: ObligationKind;
  partyId?: string;
  detail?: string;
  since: number;
  /** When it is due, where a date says so (the consultation's close, a grace period's end). */
  dueAt?: number;
}

export function latestResolution(state: PartnershipState, partyId: string, subject: ResolutionSubject, draftVersion?: number): ResolutionRecord | undefined {
  for (let i = state.resolutions.length - 1; i >= 0; i--) {
    const r = state.resolutions[i]!;
    if (r.partyId === partyId && r.subject === subject && (draftVersion === undefined || r.draftVersion === draftVersion)) return r;
  }
  return undefined;
}

/**
 * What the stage waits for: the facts that move it on (the workflow's readiness and its reminders
 * are derived from these). What else the coordinator owes is in coordinatorObligations.
 */
export function obligations(state: PartnershipState): Obligation[] {
  const parties = activeParties(state);
  switch (state.stage) {
    case 'commitment':
      return parties
        .filter((p) => latestResolution(state, p.id, 'participation') === undefined)
        .map((p) => ({ key: `participation-resolution:${p.id}`, kind: 'participation-resolution' as const, partyId: p.id, since: state.stageSince }));
    case 'groundwork':
      return missingMilestones(state).map((m) => ({ key: `milestone:${m}`, kind: 'milestone' as const, detail: m, since: state.stageSince }));
    case 'drafting':
      return [{ key: 'draft:1', kind: 'draft', detail: 'version 1', since: state.stageSince }];
    case 'consultation': {
      const round = currentConsultation(state)!;
      return parties
        .filter((p) => !state.feedback.some((f) => f.partyId === p.id && f.draftVersion === round.draftVersion))
        .map((p) => ({
          key: `feedback:v${round.draftVersion}:${p.id}`,
          kind: 'feedback' as const,
          partyId: p.id,
          since: round.opensAt,
          dueAt: round.closesAt,
        }));
    }
    case 'revision': {
      const owed: Obligation[] = [];
      if (TEMPLATES[state.template].reviewWorkshopRequired && !milestoneRecord(state, 'review-workshop')) {
        owed.push({ key: 'milestone:review-workshop', kind: 'milestone', detail: 'review-workshop', since: state.stageSince });
      }
      const base = state.revisionOf ?? currentDraft(state)?.version ?? 0;
      if ((currentDraft(state)?.version ?? 0) <= base) {
        owed.push({ key: `draft:${base + 1}`, kind: 'draft', detail: `version ${base + 1}`, since: state.stageSince });
      }
      return owed;
    }
    case 'approval': {
      const round = state.approvalRound!;
      return parties
        .filter((p) => latestResolution(state, p.id, 'approval', round.draftVersion) === undefined)
        .map((p) => ({
          key: `approval-resolution:v${round.draftVersion}:${p.id}`,
          kind: 'approval-resolution' as const,
          partyId: p.id,
          detail: `version ${round.draftVersion}`,
          since: round.since,
        }));
    }
    case 'signing': {
      const round = state.signingRound!;
      return parties
        .filter((p) => !state.signatures.some((s) => s.partyId === p.id && s.draftVersion === round.draftVersion))
        .map((p) => ({
          key: `signature:v${round.draftVersion}:${p.id}`,
          kind: 'signature' as const,
          partyId: p.id,
          detail: `version ${round.draftVersion}`,
          since: round.since,
        }));
    }
    default:
      return [];
  }
}

/**
 * What the coordinator owes besides the facts a stage waits for: the intake decision, what to do
 * about a party whose council rejected participation (remove it before the grace period ends, or
 * the process is abandoned), and the performance review once it is due. The stage's own
 * obligations without a party (milestones, drafts) are the coordinator's too. Shown to people
 * only: nothing the workflow decides depends on these.
 */
export function coordinatorObligations(state: PartnershipState): Obligation[] {
  switch (state.stage) {
    case 'intake':
      return [{ key: 'intake-decision', kind: 'intake-decision', since: state.stageSince }];
    case 'commitment': {
      if (state.rejectionGraceEndsAt === undefined) return [];
      const bound = new Set(activeParties(state).map((p) => p.id));
      return state.resolutions
        .filter((r) => r.subject === 'participation' && r.outcome === 'rejected' && bound.has(r.partyId))
        .map((r) => ({
          key: `rejected-participation:${r.partyId}`,
          kind: 'rejected-participation' as const,
          partyId: r.partyId,
          detail: r.resolutionNumber,
          since: r.recordedAt,
          dueAt: state.rejectionGraceEndsAt!,
        }));
    }
    case 'in-force':
    case 'notice': {
      // The review-due timer fired and no review was recorded since.
      const due = state.reminders['review'];
      const last = state.reviews[state.reviews.length - 1];
      if (!due || (last && last.recordedAt >= due.lastAt)) return [];
      return [{ key: `review:${due.count}`, kind: 'review', detail: `review ${due.count}`, since: due.lastAt }];
    }
    default:
      return [];
  }
}

/** Everything owed now, each with who owes it: the stage's obligations, then the coordinator's own. */
export function pendingObligations(state: PartnershipState): Array<Obligation & { who: Owner }> {
  return [...obligations(state), ...coordinatorObligations(state)].map((o) => ({ ...o, who: OBLIGATION_OWNERS[o.kind] }));
}

export function missingMilestones(state: PartnershipState): string[] {
  return TEMPLATES[state.template].groundwork.filter((rule) => rule.required && !milestoneRecord(state, rule.id)).map((rule) => rule.id);
}

/**
 * Commitment is settled once every active party's governing body has decided; a rejection holds
 * it until the coordinator removes that party or the grace period ends.
 */
export function commitmentOutcome(state: PartnershipState): 'pending' | 'adopted' | 'rejected' {
  const decisions = activeParties(state).map((p) => latestResolution(state, p.id, 'participation')?.outcome);
  if (decisions.some((d) => d === 'rejected')) return 'rejected';
  return decisions.every((d) => d === 'adopted') ? 'adopted' : 'pending';
}

export function approvalOutcome(state: PartnershipState): 'pending' | 'adopted' | 'rejected' {
  const round = state.approvalRound;
  if (!round) return 'pending';
  const decisions = activeParties(state).map((p) => latestResolution(state, p.id, 'approval', round.draftVersion)?.outcome);
  if (decisions.some((d) => d === 'rejected')) return 'rejected';
  return decisions.every((d) => d === 'adopted') ? 'adopted' : 'pending';
}

export const allSigned = (state: PartnershipState): boolean => state.signingRound !== undefined && obligations(state).length === 0;

export const revisionComplete = (state: PartnershipState): boolean => state.stage === 'revision' && obligations(state).length === 0;

export const allResponded = (state: PartnershipState): boolean => state.stage === 'consultation' && obligations(state).length === 0;

export const obligationsOf = (state: PartnershipState, partyId: string): Obligation[] => obligations(state).filter((o) => o.partyId === partyId);
