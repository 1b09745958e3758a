import { enterStage, type PartnershipState } from '../state';
import { isFinal, type Stage } from '../stages';
import type { Effects } from './effects';

/** Entries ever written to the timeline, including those the state no longer keeps. */
export const timelineCount = (state: PartnershipState): number => state.timeline.length + (state.timelineDropped ?? 0);

/**
 * The partnership enters a stage: its timeline says so and the register records it. Entering a
 * final stage ends every link, session and key of the partnership.
 */
export function moveTo(state: PartnershipState, stage: Stage, now: number, detail?: string): Effects {
  enterStage(state, stage, now, detail);
  return {
    records: [
      {
        kind: `stage:${stage}`,
        actor: 'workflow',
        payload: detail ? { detail } : {},
        key: `stage:${stage}:${timelineCount(state)}`,
        ...(isFinal(stage) ? { revokeAccess: { reason: 'partnership-ended' as const } } : {}),
      },
    ],
    emails: [],
    stageChanged: true,
  };
}
