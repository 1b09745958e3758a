import { rawValueTypeInfo, type RawValue } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, AgreementInputData, CommandName, Language, PartnershipView, ReceivedCommand, StoredContent } from '../domain';

/** What every command update carries: the validated body and who sent it. */
export interface CommandInput<N extends CommandName> {
  actor: Actor;
  /** Texts as references (the API's claim check); plain texts in histories recorded before it. */
  command: ReceivedCommand<N>;
  /**
   * The short texts those references name (INLINE_TEXT_BYTES), carried along for the worker to
   * store with the command's row; longer ones are in the register before the command is sent.
   */
  texts?: StoredContent[];
}

/**
 * What a worker's identity says it understands beyond what the first workers did, as
 * `entente-features:<name>,…`, so that the API sends only what every polling worker handles:
 * `texts`, a command's short texts carried along (CommandInput.texts), which a worker from before
 * would not store; `reads`, the read update (readUpdate), which a worker from before would refuse as
 * unknown. While any worker polling lacks a feature, the API does without it.
 */
export const WORKER_FEATURES = ['texts', 'reads'] as const;
export type WorkerFeature = (typeof WORKER_FEATURES)[number];
export const workerIdentity = (base: string): string => `${base} entente-features:${WORKER_FEATURES.join(',')}`;
export const featuresOf = (identity: string | null | undefined): string[] => /(?:^| )entente-features:(\S+)/.exec(identity ?? '')?.[1]?.split(',') ?? [];

/** The update's argument: the command as the claim check left it, and the short texts it names. */
export const commandInput = <N extends CommandName>(actor: Actor, command: ReceivedCommand<N>, texts: StoredContent[] = []): CommandInput<N> => ({
  actor,
  command,
  ...(texts.length > 0 ? { texts } : {}),
});

/**
 * What a command's update answers, the same for a repeat of the request: the state after it, so
 * that the API answers without a second round trip (and a command that was applied never answers
 * an error because a later read failed).
 */
export interface CommandResult {
  requestId: string;
  command: CommandName;
  state: PartnershipView;
}

export const stateQuery = defineQuery<PartnershipView>('state');

/** The data of the agreement document, in one language; rendering happens outside the workflow. */
export const agreementQuery = defineQuery<AgreementInputData, [Language]>('agreement');

/**
 * What a read asks for: the state view, or the agreement's data in one language.
 */
export type ReadRequest = { what: 'state' } | { what: 'agreement'; language: Language };

/**
 * A read of a running partnership, as an update that its validator always refuses, the answer in
 * the refusal's details (READ_ANSWER_TYPE). Unlike a query, it reaches the workflow inside a real
 * workflow task, with whatever events wait for one: a query that reaches a worker which has evicted
 * the partnership (or restarted) lets SDK 1.24 apply those events early, and a command that follows
 * is then recorded in an order that replay does not reproduce (README, "Known issues"). A refused
 * update writes nothing to the history. Closed partnerships are queried: nothing waits in them.
 */
export const readUpdate = defineUpdate<never, [ReadRequest]>('read');

/** The type of the refusal that carries a read's answer (its first detail). */
export const READ_ANSWER_TYPE = 'ReadAnswer';

export const commandUpdate = <N extends CommandName>(name: N) => defineUpdate<CommandResult, [CommandInput<N>]>(name);

/**
 * The same update, its result left by the client as the payload it received (decrypted by the
 * codec, not converted): the SDK's RawValue (`rawValueTypeInfo`, experimental in the SDK 1.24 that
 * package.json pins), so that the API passes the state on as the workflow wrote it.
 */
export const rawCommandUpdate = <N extends CommandName>(name: N) =>
  defineUpdate<RawValue, [CommandInput<N>]>(name, { typeInfo: { outputType: rawValueTypeInfo } });

/** Failure types the validators throw; the API maps them onto HTTP statuses. */
export const REFUSAL_TYPE_PREFIX = 'Refused.';
