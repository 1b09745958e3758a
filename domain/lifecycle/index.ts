/**
 * The lifecycle's rules as pure functions: what a command, a timer or a stage's step changes in
 * the state, and which register rows and emails follow. The workflow only carries them out.
 */
export { decisionRequest, notificationRequest, type Effects, type PlannedEmail, type PlannedRecord } from './effects';
export { commandEffects, actorLabel, meansOf } from './commands';
export { fireDeadline } from './timers';
export { stageReady, stageStep, type StageOptions, type StageStep } from './stages';
export { settledDeskSummary } from './desk';
export { boundState, freshRunAt, OUTBOX_LIMITS, outboxBatch, RUN_LIMITS, sendsEmailsFirst, STATE_LIMITS } from './bounds';
export { timelineCount } from './transitions';
