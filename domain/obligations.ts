import { activeParties, currentConsultation, currentDraft, milestoneRecord, type PartnershipState, type ResolutionRecord } from './state';
import type { ResolutionSubject } from './schemas/commands';
import { TEMPLATES } from './templates';

export type ObligationKind = 'participation-resolution' | 'approval-resolution' | 'feedback' | 'signature' | 'milestone' | 'draft';

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
}

export function latestResolution(state: PartnershipState, partyId: string, subject: ResolutionSubject, draftVersion?: number): ResolutionRecord | undefined {
  for (let i = state.resolutions.length - 1; i >= 0; i--) {
    const r = state.resolutions[i]!;
    if (r.partyId === partyId && r.subject === subject && (draftVersion === undefined || r.draftVersion === draftVersion)) return r;
  }
  return undefined;
}

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
        .map((p) => ({ key: `feedback:v${round.draftVersion}:${p.id}`, kind: 'feedback' as const, partyId: p.id, since: round.opensAt }));
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
