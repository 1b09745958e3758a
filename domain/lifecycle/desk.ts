import type { PartnershipState } from '../state';
import { deskSummary, type DeskSummary } from '../view';
import { stageReady, stageStep, type StageOptions } from './stages';

/**
 * The desk summary a register row carries: of the state once the stage steps ready at `now` are
 * taken, as the workflow takes them next. A step may change what is owed without a row of its
 * own (a rejection's grace period begins, or ends when the party is removed): the row of the
 * command or timer that made it ready is the last to carry a summary before it. On a copy: the
 * state itself steps only when the workflow takes the step.
 */
export function settledDeskSummary(state: PartnershipState, now: number, options: StageOptions): DeskSummary {
  if (!stageReady(state, now, options)) return deskSummary(state, options);
  const settled = JSON.parse(JSON.stringify(state)) as PartnershipState;
  for (let i = 0; i < 20 && stageReady(settled, now, options); i++) stageStep(settled, now, options);
  return deskSummary(settled, options);
}
