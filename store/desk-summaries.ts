import type { Kysely } from 'kysely';
import type { DeskSummary } from '../domain/view';
import type { RegisterSchema } from './database';

/** How many ids (or rows) one query names: well under SQLite's and PostgreSQL's limits on parameters. */
const CHUNK = 500;

/**
 * Keeps a partnership's desk summary unless the one kept is newer: writes of one partnership may
 * land out of order (two commands in flight, an activity retried after a later one).
 */
export async function keepDeskSummary(
  db: Kysely<RegisterSchema>,
  partnershipId: string,
  desk: { version: number; summary: DeskSummary },
  now: Date,
): Promise<void> {
  await db
    .insertInto('desk_summaries')
    .values({ partnership_id: partnershipId, version: desk.version, summary: JSON.stringify(desk.summary), updated_at: now.toISOString() })
    .onConflict((oc) =>
      oc
        .column('partnership_id')
        .doUpdateSet((eb) => ({ version: eb.ref('excluded.version'), summary: eb.ref('excluded.summary'), updated_at: eb.ref('excluded.updated_at') }))
        .where('desk_summaries.version', '<', (eb) => eb.ref('excluded.version')),
    )
    .execute();
}

/**
 * Keeps the summaries the desk read with state queries, for partnerships that had none (begun
 * before summaries were kept): at version 0, so only where none is kept yet, and any the workflow
 * writes replaces it. The next desk reads them from here.
 */
export async function keepQueriedSummaries(db: Kysely<RegisterSchema>, summaries: readonly DeskSummary[], now: Date): Promise<void> {
  for (let i = 0; i < summaries.length; i += CHUNK) {
    const rows = summaries
      .slice(i, i + CHUNK)
      .map((summary) => ({ partnership_id: summary.id, version: 0, summary: JSON.stringify(summary), updated_at: now.toISOString() }));
    await db
      .insertInto('desk_summaries')
      .values(rows)
      .onConflict((oc) => oc.column('partnership_id').doNothing())
      .execute();
  }
}

/** The desk summaries kept for these partnerships; a partnership with none is absent from the map. */
export async function deskSummariesOf(db: Kysely<RegisterSchema>, partnershipIds: readonly string[]): Promise<Map<string, DeskSummary>> {
  const found = new Map<string, DeskSummary>();
  for (let i = 0; i < partnershipIds.length; i += CHUNK) {
    const ids = partnershipIds.slice(i, i + CHUNK);
    const rows = await db.selectFrom('desk_summaries').select(['partnership_id', 'summary']).where('partnership_id', 'in', ids).execute();
    for (const row of rows) found.set(row.partnership_id, JSON.parse(row.summary) as DeskSummary);
  }
  return found;
}
