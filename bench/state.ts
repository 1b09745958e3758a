import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  StartPartnership,
  addDuration,
  applyCommand,
  commandRefusal,
  enterStage,
  initialState,
  nextDeadline,
  partnershipView,
  type Actor,
  type PartnershipState,
} from '../domain';
import { interleaved, type Comparison } from './measure';

const COORDINATOR: Actor = { role: 'coordinator' };
const YEAR_MS = 365 * 86_400_000;

/** A partnership just in force, from the example start request of the README. */
function inForce(): PartnershipState {
  const request = StartPartnership.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'start-partnership.json'), 'utf8')));
  const t0 = Date.UTC(2026, 0, 5, 9);
  const state = initialState('bench', request, t0);
  enterStage(state, 'in-force', t0);
  state.term = { effectiveAt: t0, effectiveOn: '2026-01-05', endsAt: addDuration(t0, { months: 24, ms: 0 }), number: 1 };
  return state;
}

/** `years` in force: two reviews a year and a renewal every second year, applied as the workflow would. */
function grown(years: number): PartnershipState {
  const state = inForce();
  let now = state.term!.effectiveAt;
  for (let half = 1; half <= years * 2; half++) {
    now += YEAR_MS / 2;
    const review = { requestId: `review-${half}`, heldOn: new Date(now).toISOString().slice(0, 10), findings: `Review ${half}: targets met.` };
    applyCommand(state, 'recordReview', review, COORDINATOR, now);
    state.applied[review.requestId] = { command: 'recordReview', fingerprint: 'f'.repeat(64), at: now };
    if (half % 4 === 0) {
      const renewal = { requestId: `renew-${half}`, termMonths: 24, decidedOn: review.heldOn };
      applyCommand(state, 'renew', renewal, COORDINATOR, now);
      state.applied[renewal.requestId] = { command: 'renew', fingerprint: 'f'.repeat(64), at: now };
    }
  }
  return state;
}

/**
 * What every workflow step does with the state (the validator's refusal check, the next deadline,
 * the query's view, the continue-as-new payload), on a state grown by years in force against one
 * just in force: the state is carried whole, so its growth is the workflow's growth.
 */
export async function stateComparisons(perRound: number): Promise<Comparison[]> {
  const step = (state: PartnershipState) => (i: number) => {
    const command = { requestId: `bench-${i}`, heldOn: '2027-01-05', findings: 'ok' };
    commandRefusal(state, 'recordReview', command, COORDINATOR, state.stageSince);
    nextDeadline(state);
    partnershipView(state);
    return JSON.stringify(state).length;
  };
  const fresh = inForce();
  const olds = [10, 50].map((years) => ({ years, state: grown(years) }));
  const [baseline, ...candidates] = await interleaved(
    [
      { name: 'just in force', op: step(fresh) },
      ...olds.map(({ years, state }) => ({ name: `${years} years in force (${JSON.stringify(state).length} bytes)`, op: step(state) })),
    ],
    { perRound },
  );
  return olds.map(({ years }, i) => ({ what: `workflow step on a state ${years} years old`, baseline: baseline!, candidate: candidates[i]! }));
}
