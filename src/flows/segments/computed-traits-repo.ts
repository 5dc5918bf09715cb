/** Computed trait definitions (rows of computed_traits) and the computation of their values. */
import { pgCode, type Queryable, type Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { LAST_FORECAST_AT } from './compile-stock-risk.ts';
import { type ComputedTraitDefinition, refreshTraitSql } from './computed-traits.ts';

export interface ComputedTraitRow {
  id: string;
  key: string;
  name: string;
  description: string | null;
  definition: ComputedTraitDefinition;
  created_at: Date;
  updated_at: Date;
  last_full_at: Date | null;
  archived_at: Date | null;
}

const COLS = 'id, key, name, description, definition, created_at, updated_at, last_full_at, archived_at';

export const getTrait = async (q: Queryable, id: string): Promise<ComputedTraitRow | undefined> =>
  (await q.query<ComputedTraitRow>(`SELECT ${COLS} FROM computed_traits WHERE id = $1`, [id])).rows[0];

export const listTraits = async (q: Queryable, archived: boolean): Promise<ComputedTraitRow[]> =>
  (
    await q.query<ComputedTraitRow>(
      `SELECT ${COLS} FROM computed_traits WHERE (archived_at IS NOT NULL) = $1 ORDER BY key, id`,
      [archived],
    )
  ).rows;

/** The live (not archived) traits, for the incremental computation. */
export const liveTraits = async (q: Queryable): Promise<ComputedTraitRow[]> =>
  (
    await q.query<ComputedTraitRow>(
      `SELECT ${COLS} FROM computed_traits WHERE archived_at IS NULL ORDER BY id`,
    )
  ).rows;

export const insertTrait = async (tx: Tx, r: ComputedTraitRow): Promise<ComputedTraitRow> => {
  try {
    return (
      await tx.query<ComputedTraitRow>(
        `INSERT INTO computed_traits (${COLS}) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, NULL, NULL) RETURNING ${COLS}`,
        [r.id, r.key, r.name, r.description, JSON.stringify(r.definition), r.created_at, r.updated_at],
      )
    ).rows[0] as ComputedTraitRow;
  } catch (e) {
    if (pgCode(e) === '23505')
      throw new PlazaError('ALREADY_EXISTS', `A computed trait with the key ${r.key} exists`, { key: r.key });
    throw e;
  }
};

/** Changes name, description or definition; a new definition waits for its full computation. */
export const updateTrait = async (
  tx: Tx,
  id: string,
  patch: { name?: string; description?: string | null; definition?: ComputedTraitDefinition },
  now: Date,
): Promise<ComputedTraitRow | undefined> =>
  (
    await tx.query<ComputedTraitRow>(
      `UPDATE computed_traits SET name = COALESCE($2, name),
         description = CASE WHEN $3::boolean THEN $4 ELSE description END,
         definition = COALESCE($5::jsonb, definition),
         last_full_at = CASE WHEN $5::jsonb IS NULL OR $5::jsonb = definition THEN last_full_at END,
         updated_at = $6
       WHERE id = $1 AND archived_at IS NULL RETURNING ${COLS}`,
      [
        id,
        patch.name ?? null,
        patch.description !== undefined,
        patch.description ?? null,
        patch.definition ? JSON.stringify(patch.definition) : null,
        now,
      ],
    )
  ).rows[0];

/** Archives a trait and forgets its values (its key becomes free again). */
export const archiveTrait = async (tx: Tx, id: string, now: Date): Promise<ComputedTraitRow | undefined> => {
  const row = (
    await tx.query<ComputedTraitRow>(
      `UPDATE computed_traits SET archived_at = $2, updated_at = $2 WHERE id = $1 AND archived_at IS NULL
       RETURNING ${COLS}`,
      [id, now],
    )
  ).rows[0];
  if (row) await tx.query('DELETE FROM customer_computed_traits WHERE trait_id = $1', [id]);
  return row;
};

/** Recomputes one trait for these customers (or everyone); returns how many stored values changed. */
export const refreshTrait = async (
  q: Queryable,
  t: Pick<ComputedTraitRow, 'id' | 'definition'>,
  now: Date,
  customerIds?: readonly string[],
): Promise<number> => {
  const { sql, params } = refreshTraitSql(t.id, t.definition, now, customerIds);
  return (await q.query<{ changed: number }>(sql, params)).rows[0]?.changed ?? 0;
};

/** Every live trait for these customers (the incremental path). */
export const refreshTraitsFor = async (
  q: Queryable,
  customerIds: readonly string[],
  now: Date,
): Promise<number> => {
  let changed = 0;
  for (const t of await liveTraits(q)) changed += await refreshTrait(q, t, now, customerIds);
  return changed;
};

/** Minutes between two full computations of a trait (its time windows move). */
export const TRAIT_REFRESH_MINUTES = 60;

/**
 * Computes the trait that is most overdue for everyone (new definition first, then older than an
 * hour, or an `items_at_risk` trait older than the last completed forecasting run), claimed with
 * SKIP LOCKED so that two workers take different traits, and marks the segments that mention it due
 * for a full evaluation when values changed. 0 when none is due.
 */
export const refreshDueTrait = async (tx: Tx, now: Date): Promise<number> => {
  const due = (
    await tx.query<ComputedTraitRow>(
      `SELECT ${COLS} FROM computed_traits
       WHERE archived_at IS NULL AND (last_full_at IS NULL OR last_full_at <= $1::timestamptz - make_interval(mins => $2)
         OR (definition ->> 'kind' = 'items_at_risk' AND last_full_at < ${LAST_FORECAST_AT}))
       ORDER BY last_full_at NULLS FIRST, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now, TRAIT_REFRESH_MINUTES],
    )
  ).rows[0];
  if (!due) return 0;
  const changed = await refreshTrait(tx, due, now);
  await tx.query('UPDATE computed_traits SET last_full_at = $2 WHERE id = $1', [due.id, now]);
  // Segments whose rules may read this trait are evaluated again soon (a mention of the key is enough).
  if (changed > 0)
    await tx.query(
      `UPDATE segments SET full_due_at = $2
       WHERE archived_at IS NULL AND full_due_at IS NULL AND position($1::text in rules::text) > 0`,
      [`"${due.key}"`, now],
    );
  return 1;
};
