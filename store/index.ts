/**
 * The data-access module: the register (decisions and the texts they carry), party keys, action
 * links and sessions, on SQLite or PostgreSQL. The API and the activities both use it; neither
 * reaches into the other for it.
 */
export { openRegister, dialectOf, isPostgresUrl, type RegisterDb, type RegisterDialect, type RegisterSchema } from './database';
export { appendDecision, decisionByKey, decisionsOf, verifyChain, rowHash, chainLockId, GENESIS_HASH, type DecisionRow, type ChainCheck } from './decisions';
export { storeContents, storeContent, contentOf } from './contents';
export { keepDeskSummary, keepQueriedSummaries, deskSummariesOf } from './desk-summaries';
export { recordBeat, recordStop, heartbeatsOf, forgetHeartbeats, type WorkerHeartbeat } from './worker-heartbeats';
export { committedBeforeDurable } from './sqlite';
export { issueAccessKey, accessKeysOf, revokeAccessKey, principalForKey, hashKey, keyIdOf, type AccessKeyInfo, type KeyHolder } from './access-keys';
export {
  issueActionLink,
  exchangeActionLink,
  actionLinksOf,
  revokeActionLink,
  SESSION_LIFETIME_MS,
  type ActionLinkInfo,
  type ExchangedLink,
  type LinkRefusal,
  type LinkRecipient,
} from './action-links';
export { principalForSession, type SessionHolder } from './sessions';
export { revokeAccess, type RevocationScope, type RevocationCount } from './revocations';
