import { activeParties, type PartnershipState, type ResolutionRecord } from './state';
import type { ResolutionSubject } from './schemas/commands';

export type ObligationKind = 'participation-resolution';

/** Something a party still owes at this stage; reminders are counted per obligation key. */
export interface Obligation {
  key: string;
  kind: ObligationKind;
  partyId: string;
  since: number;
}

export function latestResolution(
  state: PartnershipState,
  partyId: string,
  subject: ResolutionSubject,
): ResolutionRecord | undefined {
  for (let i = state.resolutions.length - 1; i >= 0; i--) {
    const r = state.resolutions[i]!;
    if (r.partyId === partyId && r.subject === subject) return r;
  }
  return undefined;
}

export function obligations(state: PartnershipState): Obligation[] {
  if (state.stage === 'commitment') {
    return activeParties(state)
      .filter((party) => latestResolution(state, party.id, 'participation') === undefined)
      .map((party) => ({
        key: `participation-resolution:${party.id}`,
        kind: 'participation-resolution' as const,
        partyId: party.id,
        since: state.stageSince,
      }));
  }
  return [];
}

export const obligationsOf = (state: PartnershipState, partyId: string): Obligation[] =>
  obligations(state).filter((o) => o.partyId === partyId);

/** Commitment is settled once every active party's governing body has decided. */
export function commitmentOutcome(state: PartnershipState): 'pending' | 'adopted' | 'rejected' {
  const decisions = activeParties(state).map((p) => latestResolution(state, p.id, 'participation')?.outcome);
  if (decisions.some((d) => d === 'rejected')) return 'rejected';
  return decisions.every((d) => d === 'adopted') ? 'adopted' : 'pending';
}
