import type { z } from 'zod';
import { COMMAND_INFO, type CommandName } from './command-catalogue';
import type { Actor } from './schemas/commands';
import {
  Abandon,
  AmendTerm,
  GiveNotice,
  RecordIntakeDecision,
  RecordIntakeDecisionCommand,
  RecordMilestone,
  RecordMilestoneCommand,
  RecordResolution,
  RecordResolutionCommand,
  RecordReview,
  RecordReviewCommand,
  Renew,
  ReplaceContact,
  SetMeetingCalendar,
  SetMeetingCalendarCommand,
  SetPartyRole,
  Sign,
  SubmitDraft,
  SubmitDraftCommand,
  SubmitFeedback,
  SubmitFeedbackCommand,
  WithdrawNotice,
  WithdrawParty,
} from './schemas/commands';

export { COMMAND_INFO, COMMAND_NAMES, type CommandName } from './command-catalogue';
export * from './command-rules';

/**
 * The catalogue of commands with their shapes (zod), for the API, OpenAPI and the page. For each: `schema`, the body a person sends (the API validates it,
 * OpenAPI and the web page's forms are generated from it); `command`, what the workflow receives
 * and its update validator parses (the body with each of the `contents` fields replaced by a
 * reference to the text, stored by the API in the register: the claim check, domain/content.ts);
 * the route that carries it, who may send it, and what people call it (the web page's labels,
 * through OpenAPI). A party role may act only for its own party.
 */
export const COMMANDS = {
  recordIntakeDecision: { ...COMMAND_INFO.recordIntakeDecision, schema: RecordIntakeDecision, command: RecordIntakeDecisionCommand },
  recordResolution: { ...COMMAND_INFO.recordResolution, schema: RecordResolution, command: RecordResolutionCommand },
  recordMilestone: { ...COMMAND_INFO.recordMilestone, schema: RecordMilestone, command: RecordMilestoneCommand },
  submitDraft: { ...COMMAND_INFO.submitDraft, schema: SubmitDraft, command: SubmitDraftCommand },
  submitFeedback: { ...COMMAND_INFO.submitFeedback, schema: SubmitFeedback, command: SubmitFeedbackCommand },
  sign: { ...COMMAND_INFO.sign, schema: Sign, command: Sign },
  recordReview: { ...COMMAND_INFO.recordReview, schema: RecordReview, command: RecordReviewCommand },
  amendTerm: { ...COMMAND_INFO.amendTerm, schema: AmendTerm, command: AmendTerm },
  renew: { ...COMMAND_INFO.renew, schema: Renew, command: Renew },
  giveNotice: { ...COMMAND_INFO.giveNotice, schema: GiveNotice, command: GiveNotice },
  withdrawNotice: { ...COMMAND_INFO.withdrawNotice, schema: WithdrawNotice, command: WithdrawNotice },
  withdrawParty: { ...COMMAND_INFO.withdrawParty, schema: WithdrawParty, command: WithdrawParty },
  abandon: { ...COMMAND_INFO.abandon, schema: Abandon, command: Abandon },
  replaceContact: { ...COMMAND_INFO.replaceContact, schema: ReplaceContact, command: ReplaceContact },
  setPartyRole: { ...COMMAND_INFO.setPartyRole, schema: SetPartyRole, command: SetPartyRole },
  setMeetingCalendar: { ...COMMAND_INFO.setMeetingCalendar, schema: SetMeetingCalendar, command: SetMeetingCalendarCommand },
} as const satisfies Record<
  string,
  {
    schema: z.ZodType;
    command: z.ZodType;
    contents: readonly string[];
    route: string;
    roles: readonly Actor['role'][];
    title: { en: string; fr: string };
  }
>;

/** The body a person sends to the API: texts in full. */
export type CommandBody<N extends CommandName> = z.infer<(typeof COMMANDS)[N]['schema']>;
/** What the workflow receives: each content field a reference. */
export type WorkflowCommand<N extends CommandName> = z.infer<(typeof COMMANDS)[N]['command']>;
/**
 * What the workflow may hold for a command: a reference, or, in histories recorded before the
 * claim check (replayed without the validator), the text itself. The appliers normalise it.
 */
export type ReceivedCommand<N extends CommandName> = CommandBody<N> | WorkflowCommand<N>;
