export const STAGES = [
  'intake',
  'commitment',
  'groundwork',
  'drafting',
  'consultation',
  'revision',
  'approval',
  'signing',
  'in-force',
  'notice',
  'declined',
  'abandoned',
  'dissolved',
  'expired',
] as const;
export type Stage = (typeof STAGES)[number];

export const FINAL_STAGES: readonly Stage[] = ['declined', 'abandoned', 'dissolved', 'expired'];
/** Stages of a process still in development, which the coordinator may abandon. */
export const DEVELOPMENT_STAGES: readonly Stage[] = ['intake', 'commitment', 'groundwork', 'drafting', 'consultation', 'revision', 'approval', 'signing'];

export const isFinal = (stage: Stage): boolean => FINAL_STAGES.includes(stage);
