import type { Queryable } from '../../platform/db.ts';

export interface PriceRow {
  id: string;
  variant_id: string;
  channel_id: string;
  currency: string;
  amount: number;
  compare_at_amount: number | null;
  starts_at: Date | null;
  ends_at: Date | null;
  created_at: Date;
}

export const PRICE_COLS =
  'id, variant_id, channel_id, currency, amount, compare_at_amount, starts_at, ends_at, created_at';

const RECORDSET = `jsonb_to_recordset($1::jsonb) AS x(id text, variant_id text, channel_id text, currency text,
  amount int8, compare_at_amount int8, starts_at timestamptz, ends_at timestamptz, created_at timestamptz)`;

/** All prices of the variants (optionally on one channel): by variant, channel, base first, then by start. */
export const pricesOf = async (
  q: Queryable,
  variantIds: readonly string[],
  channelId?: string,
): Promise<PriceRow[]> =>
  variantIds.length === 0
    ? []
    : (
        await q.query<PriceRow>(
          `SELECT ${PRICE_COLS} FROM prices
           WHERE variant_id = ANY($1::text[]) AND ($2::text IS NULL OR channel_id = $2)
           ORDER BY variant_id, channel_id, starts_at NULLS FIRST, id`,
          [variantIds, channelId ?? null],
        )
      ).rows;

/** Inserts prices in one statement. */
export const insertPrices = async (q: Queryable, rows: readonly PriceRow[]): Promise<void> => {
  if (rows.length === 0) return;
  await q.query(`INSERT INTO prices (${PRICE_COLS}) SELECT ${PRICE_COLS} FROM ${RECORDSET}`, [
    JSON.stringify(rows),
  ]);
};

export const deletePrices = async (q: Queryable, variantId: string, channelId: string): Promise<void> => {
  await q.query('DELETE FROM prices WHERE variant_id = $1 AND channel_id = $2', [variantId, channelId]);
};

/**
 * Sets base prices (no window) in one statement, keeping scheduled prices. Returns the
 * (variant, channel) pairs whose base price was created or actually changed.
 */
export const upsertBasePrices = async (
  q: Queryable,
  rows: readonly PriceRow[],
): Promise<{ variant_id: string; channel_id: string }[]> => {
  if (rows.length === 0) return [];
  const { rows: changed } = await q.query<{ variant_id: string; channel_id: string }>(
    `INSERT INTO prices (${PRICE_COLS})
     SELECT id, variant_id, channel_id, currency, amount, compare_at_amount, NULL, NULL, created_at FROM ${RECORDSET}
     ON CONFLICT (variant_id, channel_id) WHERE starts_at IS NULL DO UPDATE
       SET currency = EXCLUDED.currency, amount = EXCLUDED.amount,
           compare_at_amount = EXCLUDED.compare_at_amount, ends_at = NULL, created_at = EXCLUDED.created_at
       WHERE (prices.currency, prices.amount, prices.compare_at_amount, prices.ends_at)
             IS DISTINCT FROM (EXCLUDED.currency, EXCLUDED.amount, EXCLUDED.compare_at_amount, NULL::timestamptz)
     RETURNING variant_id, channel_id`,
    [JSON.stringify(rows)],
  );
  return changed;
};

export interface CurrentPrice {
  price_id: string;
  variant_id: string;
  channel_id: string;
  currency: string;
  amount: number;
  compare_at_amount: number | null;
  starts_at: Date | null;
  ends_at: Date | null;
}

/**
 * The price in force at `at` for each variant on a channel. For each variant one index range scan
 * on prices_lookup (variant, channel, starts_at DESC NULLS LAST) stopping at the first row whose
 * window contains `at`: the latest-starting scheduled price wins, the base price (no starts_at)
 * comes last. Prices in a currency other than the channel's current one are ignored (a channel
 * whose currency changed needs new prices). Variants without a price are absent (not sellable).
 */
export const currentPrices = async (
  q: Queryable,
  channelId: string,
  variantIds: readonly string[],
  at: Date,
): Promise<Map<string, CurrentPrice>> => {
  if (variantIds.length === 0) return new Map();
  const { rows } = await q.query<CurrentPrice>(
    `SELECT cur.* FROM unnest($2::text[]) AS v(id)
     CROSS JOIN LATERAL (
       SELECT p.id AS price_id, p.variant_id, p.channel_id, p.currency, p.amount, p.compare_at_amount,
              p.starts_at, p.ends_at
       FROM prices p
       WHERE p.variant_id = v.id AND p.channel_id = $1
         AND (p.starts_at IS NULL OR p.starts_at <= $3)
         AND (p.ends_at IS NULL OR p.ends_at > $3)
         AND p.currency = (SELECT c.currency FROM channels c WHERE c.id = $1)
       ORDER BY p.starts_at DESC NULLS LAST
       LIMIT 1
     ) cur`,
    [channelId, [...new Set(variantIds)], at],
  );
  return new Map(rows.map((r) => [r.variant_id, r]));
};

/** The (variant, channel) pairs among these variants that have at least one scheduled price. */
export const scheduledPairs = async (
  q: Queryable,
  variantIds: readonly string[],
): Promise<{ variant_id: string; channel_id: string }[]> =>
  variantIds.length === 0
    ? []
    : (
        await q.query<{ variant_id: string; channel_id: string }>(
          `SELECT DISTINCT variant_id, channel_id FROM prices
           WHERE variant_id = ANY($1::text[]) AND starts_at IS NOT NULL`,
          [variantIds],
        )
      ).rows;
