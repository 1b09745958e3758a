import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegister, type RegisterDb } from '../store/database';
import { GENESIS_HASH, appendDecision, decisionsOf, verifyChain } from '../store/decisions';
import type { DecisionRequest } from '../domain';
import { interleaved, type Comparison } from './measure';

const PARTNERSHIPS = 20;

const request = (i: number, prefix: string): DecisionRequest => ({
  key: `${prefix}-${i}`,
  partnershipId: `${prefix}-p${i % PARTNERSHIPS}`,
  kind: 'recordMilestone',
  actor: 'coordinator',
  payload: { milestone: 'feasibility-study', completedOn: '2026-03-01', notes: `study ${i}` },
  occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
});

/**
 * The decision register on a SQLite file. What the hash chain and the idempotency key cost:
 * an append reads the key and the partnership's last row, hashes, then inserts, against the same
 * insert alone in its own transaction; verifying a chain against reading the same rows.
 */
export async function registerComparisons(perRound: number): Promise<Comparison[]> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-'));
  let db: RegisterDb | undefined;
  try {
    db = await openRegister(`sqlite:${join(dir, 'register.db')}`);
    const register = db;
    const insertAlone = (i: number) =>
      register.transaction().execute((tx) => {
        const r = request(i, 'plain');
        return tx
          .insertInto('decisions')
          .values({
            partnership_id: r.partnershipId,
            seq: i,
            key: r.key,
            kind: r.kind,
            actor: r.actor,
            party_id: null,
            payload: JSON.stringify(r.payload),
            occurred_at: r.occurredAt,
            recorded_at: r.occurredAt,
            prev_hash: GENESIS_HASH,
            hash: GENESIS_HASH,
          })
          .execute();
      });
    // A retried append finds keys the appends of the same round (or the warm-up) wrote.
    const [baseline, chained, repeated] = await interleaved(
      [
        { name: 'insert alone', op: insertAlone },
        { name: 'appendDecision', op: (i) => appendDecision(register, request(i, 'chained')) },
        { name: 'appendDecision, key seen', op: (i) => appendDecision(register, request(i % perRound, 'chained')) },
      ],
      { perRound },
    );

    const rowsPerChain = (await decisionsOf(register, 'chained-p0')).length;
    const [read, verify] = await interleaved(
      [
        { name: `read ${rowsPerChain} rows`, op: () => decisionsOf(register, 'chained-p0') },
        { name: `verify ${rowsPerChain} rows`, op: () => verifyChain(register, 'chained-p0') },
      ],
      { perRound: 20 },
    );
    return [
      { what: 'append one decision', baseline: baseline!, candidate: chained! },
      { what: 'a retried append (duplicate key)', baseline: baseline!, candidate: repeated! },
      { what: 'chain check of a partnership', baseline: read!, candidate: verify! },
    ];
  } finally {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
