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
export const DEVELOPMENT_STAGES: readonly Stage[] = [
  'intake',
  'commitment',
  'groundwork',
  'drafting',
  'consultation',
  'revision',
  'approval',
  'signing',
];

export const isFinal = (stage: Stage): boolean => FINAL_STAGES.includes(stage);

export const STAGE_LABELS: Record<Stage, { fr: string; en: string }> = {
  intake: { fr: 'Demande', en: 'Intake' },
  commitment: { fr: 'Engagement des conseils', en: 'Commitment' },
  groundwork: { fr: 'Travaux préparatoires', en: 'Groundwork' },
  drafting: { fr: 'Rédaction', en: 'Drafting' },
  consultation: { fr: 'Consultation', en: 'Consultation' },
  revision: { fr: 'Révision', en: 'Revision' },
  approval: { fr: 'Approbation', en: 'Approval' },
  signing: { fr: 'Signature', en: 'Signing' },
  'in-force': { fr: 'En vigueur', en: 'In force' },
  notice: { fr: 'Préavis', en: 'Notice' },
  declined: { fr: 'Refusée', en: 'Declined' },
  abandoned: { fr: 'Abandonnée', en: 'Abandoned' },
  dissolved: { fr: 'Dissoute', en: 'Dissolved' },
  expired: { fr: 'Expirée', en: 'Expired' },
};
