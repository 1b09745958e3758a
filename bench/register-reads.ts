/**
 * What the benchmark reads of a worker's register to know where its partnerships are, on either
 * engine (a SQLite file beside the dev server, a PostgreSQL database beside the team's): only
 * reads, through the register's own opening (its migrations are a no-op on a worker's register).
 */
import { openRegister, type RegisterDb } from '../store/database';

export interface RegisterRow {
  id: string;
  kind: string;
  occurredAt: string;
  recordedAt: string;
  payload: string;
}

export interface RegisterReads {
  /** How many partnerships whose id starts with `prefix` have their `partnership-started` row. */
  started(prefix: string): Promise<number>;
  /** The rows of these kinds of the partnerships whose id starts with `prefix`. */
  rows(prefix: string, kinds: string[]): Promise<RegisterRow[]>;
  close(): Promise<void>;
}

export async function registerReads(databaseUrl: string): Promise<RegisterReads> {
  const db: RegisterDb = await openRegister(databaseUrl);
  // The benchmark's prefixes are letters, digits and dashes (services.ts, unique): nothing LIKE reads as a wildcard.
  const like = (prefix: string) => `${prefix}%`;
  return {
    async started(prefix) {
      const { n } = await db
        .selectFrom('decisions')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('kind', '=', 'partnership-started')
        .where('partnership_id', 'like', like(prefix))
        .executeTakeFirstOrThrow();
      return Number(n);
    },
    rows: (prefix, kinds) =>
      db
        .selectFrom('decisions')
        .select(['partnership_id as id', 'kind', 'occurred_at as occurredAt', 'recorded_at as recordedAt', 'payload'])
        .where('partnership_id', 'like', like(prefix))
        .where('kind', 'in', kinds)
        .execute(),
    close: () => db.destroy(),
  };
}
