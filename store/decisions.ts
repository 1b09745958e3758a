import { canonicalJson, sha256Hex } from '../domain/fingerprint';
import type { DecisionRequest } from '../domain';
import { sql, type CompiledQuery, type Selectable, type Transaction } from 'kysely';
import { storeContents } from './contents';
import { keepDeskSummary } from './desk-summaries';
import { dialectOf, type DecisionTable, type RegisterDb, type RegisterSchema } from './database';

export const GENESIS_HASH = '0'.repeat(64);

export interface DecisionRow {
  id: number;
  partnershipId: string;
  seq: number;
  key: string;
  kind: string;
  actor: string;
  partyId: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
  means: string | null;
}

/**
 * The hash covers every field a later edit could change, and the hash of the row before. `means`
 * came later: it is covered only when set, so that rows written before it still verify.
 */
export function rowHash(row: Omit<Selectable<DecisionTable>, 'id' | 'hash' | 'means'> & { means?: string | null }): string {
  return sha256Hex(
    canonicalJson({
      partnershipId: row.partnership_id,
      seq: row.seq,
      key: row.key,
      kind: row.kind,
      actor: row.actor,
      partyId: row.party_id,
      payload: row.payload,
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      prevHash: row.prev_hash,
      ...(row.means != null ? { means: row.means } : {}),
    }),
  );
}

/**
 * A 63-bit number for pg_advisory_xact_lock: the lock space is shared by the whole database,
 * so the partnership id is hashed with a prefix that keeps it apart from other users' locks.
 */
export function chainLockId(partnershipId: string): bigint {
  return BigInt(`0x${sha256Hex(`entente-register:${partnershipId}`).slice(0, 15)}`);
}

/**
 * Appends one decision unless its key is already there; returns the row either way.
 *
 * On PostgreSQL, concurrent appends to one partnership would read the same last row and fork the
 * chain (the unique (partnership, seq) would then reject one of them): a transaction-scoped
 * advisory lock on the partnership makes them take turns, and the key check after the lock makes
 * a concurrent duplicate see the first one's row. SQLite already serialises writers.
 */
/**
 * `alongside` runs in the same transaction when the row is new (a revocation the row decides):
 * both happen, or neither.
 */
export async function appendDecision(
  db: RegisterDb,
  request: DecisionRequest,
  now: () => Date = () => new Date(),
  alongside?: (tx: Transaction<RegisterSchema>) => Promise<unknown>,
): Promise<{ row: DecisionRow; duplicate: boolean }> {
  const postgres = dialectOf(db) === 'postgres';
  return db.transaction().execute(async (tx) => {
    if (postgres) await sql`select pg_advisory_xact_lock(${chainLockId(request.partnershipId).toString()}::bigint)`.execute(tx);
    // Kept even when the row is there already: a retry's summary is left out only if a newer one is kept.
    if (request.desk) await keepDeskSummary(tx, request.partnershipId, request.desk, now());
    const existing = await tx.selectFrom('decisions').selectAll().where('key', '=', request.key).executeTakeFirst();
    if (existing) return { row: toRow(existing), duplicate: true };
    const last = await tx
      .selectFrom('decisions')
      .select(['seq', 'hash'])
      .where('partnership_id', '=', request.partnershipId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const base = {
      partnership_id: request.partnershipId,
      seq: (last?.seq ?? 0) + 1,
      key: request.key,
      kind: request.kind,
      actor: request.actor,
      party_id: request.partyId ?? null,
      payload: canonicalJson(request.payload),
      occurred_at: request.occurredAt,
      recorded_at: now().toISOString(),
      prev_hash: last?.hash ?? GENESIS_HASH,
      means: request.means ?? null,
    };
    // In the row's transaction: the row is never there without the texts it names.
    if (request.contents) await storeContents(tx, request.partnershipId, request.contents, now);
    const inserted = await tx
      .insertInto('decisions')
      .values({ ...base, hash: rowHash(base) })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (alongside) await alongside(tx);
    return { row: toRow(inserted), duplicate: false };
  });
}

const byKeyQueries = new WeakMap<RegisterDb, CompiledQuery<Selectable<DecisionTable>>>();

/**
 * The row recorded under one key, if there is one (a command's key: `<partnership>:command:<requestId>`).
 * Every command asks: the query is built and compiled once per register, in its own dialect,
 * and only its one parameter changes.
 */
export async function decisionByKey(db: RegisterDb, key: string): Promise<DecisionRow | undefined> {
  let query = byKeyQueries.get(db);
  if (!query) byKeyQueries.set(db, (query = db.selectFrom('decisions').selectAll().where('key', '=', '').compile()));
  const compiled: CompiledQuery<Selectable<DecisionTable>> = { ...query, parameters: [key] };
  const { rows } = await db.executeQuery(compiled);
  return rows[0] ? toRow(rows[0]) : undefined;
}

export async function decisionsOf(db: RegisterDb, partnershipId: string): Promise<DecisionRow[]> {
  const rows = await db.selectFrom('decisions').selectAll().where('partnership_id', '=', partnershipId).orderBy('seq').execute();
  return rows.map(toRow);
}

export interface ChainCheck {
  ok: boolean;
  rows: number;
  /** The first row whose content or link does not match; every later row is suspect too. */
  firstBroken?: { seq: number; key: string; reason: string };
}

export async function verifyChain(db: RegisterDb, partnershipId: string): Promise<ChainCheck> {
  const rows = await db.selectFrom('decisions').selectAll().where('partnership_id', '=', partnershipId).orderBy('seq').execute();
  let prev = GENESIS_HASH;
  for (const [index, row] of rows.entries()) {
    const { id: _id, hash, ...rest } = row;
    let reason: string | undefined;
    if (row.seq !== index + 1) reason = `sequence ${row.seq} where ${index + 1} was expected`;
    else if (row.prev_hash !== prev) reason = 'does not link to the row before';
    else if (rowHash(rest) !== hash) reason = 'content does not match its hash';
    if (reason) return { ok: false, rows: rows.length, firstBroken: { seq: row.seq, key: row.key, reason } };
    prev = hash;
  }
  return { ok: true, rows: rows.length };
}

function toRow(row: Selectable<DecisionTable>): DecisionRow {
  return {
    id: row.id,
    partnershipId: row.partnership_id,
    seq: row.seq,
    key: row.key,
    kind: row.kind,
    actor: row.actor,
    partyId: row.party_id,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
    means: row.means,
  };
}
