/**
 * Profile traits from `identify` calls: one row per (customer, key), each with the timestamp of the
 * message that set it. A message older than the stored value never overwrites it, so messages may be
 * processed in any order (late, retried, replayed) and the newest value still wins.
 */
import type { Queryable } from '../../platform/db.ts';

/** Keys longer than this, and more than MAX_TRAITS keys per message, are ignored. */
const MAX_KEY = 100;
const MAX_TRAITS = 200;

export interface TraitValues {
  traits: Record<string, unknown>;
  observedAt: Date;
  sourceId: string | null;
}

/** The trait pairs kept from a message's `traits` object (undefined values dropped). */
export const traitEntries = (traits: Record<string, unknown>): [string, unknown][] =>
  Object.entries(traits)
    .filter(([k, v]) => k.length > 0 && k.length <= MAX_KEY && v !== undefined)
    .slice(0, MAX_TRAITS);

/**
 * Upserts traits (one statement): a key is written when it is new or when this message is at least
 * as recent as the stored value. Returns how many keys changed.
 */
export const upsertTraits = async (
  q: Queryable,
  customerId: string,
  t: TraitValues,
  now: Date,
): Promise<number> => {
  const entries = traitEntries(t.traits);
  if (entries.length === 0) return 0;
  const { rows } = await q.query(
    `INSERT INTO customer_traits (customer_id, key, value, observed_at, source_id, updated_at)
     SELECT $1, k, v, $4, $5, $6 FROM unnest($2::text[], $3::jsonb[]) AS x(k, v)
     ON CONFLICT (customer_id, key) DO UPDATE
       SET value = EXCLUDED.value, observed_at = EXCLUDED.observed_at, source_id = EXCLUDED.source_id,
           updated_at = EXCLUDED.updated_at
       WHERE EXCLUDED.observed_at >= customer_traits.observed_at
     RETURNING key`,
    [
      customerId,
      entries.map(([k]) => k),
      entries.map(([, v]) => JSON.stringify(v)),
      t.observedAt,
      t.sourceId,
      now,
    ],
  );
  return rows.length;
};

/** Moves every trait of `fromId` to `toId`; for a key both have, the newest observation wins. */
export const moveTraits = async (q: Queryable, fromId: string, toId: string, now: Date): Promise<void> => {
  await q.query(
    `INSERT INTO customer_traits (customer_id, key, value, observed_at, source_id, updated_at)
     SELECT $2, key, value, observed_at, source_id, $3 FROM customer_traits WHERE customer_id = $1
     ON CONFLICT (customer_id, key) DO UPDATE
       SET value = EXCLUDED.value, observed_at = EXCLUDED.observed_at, source_id = EXCLUDED.source_id,
           updated_at = EXCLUDED.updated_at
       WHERE EXCLUDED.observed_at > customer_traits.observed_at`,
    [fromId, toId, now],
  );
  await q.query('DELETE FROM customer_traits WHERE customer_id = $1', [fromId]);
};

/**
 * Rebuilds a customer's traits from the identify events attributed to them (newest value per key).
 * Used after a merge is undone: each profile gets back what its own messages said.
 */
export const rebuildTraits = async (q: Queryable, customerId: string, now: Date): Promise<void> => {
  await q.query('DELETE FROM customer_traits WHERE customer_id = $1', [customerId]);
  await q.query(
    `INSERT INTO customer_traits (customer_id, key, value, observed_at, source_id, updated_at)
     SELECT DISTINCT ON (t.key) $1, t.key, t.value, e."timestamp", e.source_id, $2
     FROM events e CROSS JOIN LATERAL jsonb_each(e.traits) AS t(key, value)
     WHERE e.customer_id = $1 AND e.type = 'identify' AND length(t.key) BETWEEN 1 AND ${MAX_KEY}
     ORDER BY t.key, e."timestamp" DESC, e.id DESC`,
    [customerId, now],
  );
};

export interface TraitRow {
  key: string;
  value: unknown;
  observed_at: Date;
  source_id: string | null;
  updated_at: Date;
}

export const traitsOf = async (q: Queryable, customerId: string): Promise<TraitRow[]> =>
  (
    await q.query<TraitRow>(
      `SELECT key, value, observed_at, source_id, updated_at FROM customer_traits
       WHERE customer_id = $1 ORDER BY key`,
      [customerId],
    )
  ).rows;

export interface ComputedTraitRow {
  trait_id: string;
  key: string;
  name: string;
  value: unknown;
  computed_at: Date;
}

/** The customer's computed trait values (definitions that are not archived). */
export const computedTraitsOf = async (q: Queryable, customerId: string): Promise<ComputedTraitRow[]> =>
  (
    await q.query<ComputedTraitRow>(
      `SELECT v.trait_id, d.key, d.name, v.value, v.computed_at
       FROM customer_computed_traits v JOIN computed_traits d ON d.id = v.trait_id
       WHERE v.customer_id = $1 AND d.archived_at IS NULL ORDER BY d.key`,
      [customerId],
    )
  ).rows;
