import type { Queryable } from '../../platform/db.ts';
import type { Discount } from './schema.ts';

export interface DiscountRow {
  id: string;
  code: string;
  type: 'percent' | 'fixed';
  value: number;
  currency: string | null;
  channel_ids: string[];
  starts_at: Date | null;
  ends_at: Date | null;
  usage_limit: number | null;
  usage_count: number;
  min_subtotal: number | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLS = `id, code, type, value, currency, channel_ids, starts_at, ends_at, usage_limit, usage_count, min_subtotal,
  active, created_at, updated_at`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const discountToApi = (r: DiscountRow): Discount => ({
  ...r,
  starts_at: iso(r.starts_at),
  ends_at: iso(r.ends_at),
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const insertDiscount = async (q: Queryable, d: DiscountRow): Promise<DiscountRow> =>
  (
    await q.query<DiscountRow>(
      `INSERT INTO discounts (${COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       RETURNING ${COLS}`,
      [
        d.id,
        d.code,
        d.type,
        d.value,
        d.currency,
        d.channel_ids,
        d.starts_at,
        d.ends_at,
        d.usage_limit,
        d.usage_count,
        d.min_subtotal,
        d.active,
        d.created_at,
        d.updated_at,
      ],
    )
  ).rows[0] as DiscountRow;

export const getDiscount = async (q: Queryable, id: string): Promise<DiscountRow | undefined> =>
  (await q.query<DiscountRow>(`SELECT ${COLS} FROM discounts WHERE id = $1`, [id])).rows[0];

export const findByCode = async (q: Queryable, code: string): Promise<DiscountRow | undefined> =>
  (await q.query<DiscountRow>(`SELECT ${COLS} FROM discounts WHERE upper(code) = upper($1)`, [code])).rows[0];

export const listDiscounts = async (
  q: Queryable,
  f: { active?: boolean; after?: string; limit: number },
): Promise<DiscountRow[]> =>
  (
    await q.query<DiscountRow>(
      `SELECT ${COLS} FROM discounts WHERE ($1::boolean IS NULL OR active = $1) AND ($2::text IS NULL OR id > $2)
       ORDER BY id LIMIT $3`,
      [f.active ?? null, f.after ?? null, f.limit],
    )
  ).rows;

export const updateDiscount = async (
  q: Queryable,
  id: string,
  p: {
    channel_ids?: string[];
    starts_at?: Date | null;
    ends_at?: Date | null;
    usage_limit?: number | null;
    min_subtotal?: number | null;
    active?: boolean;
  },
  at: Date,
): Promise<DiscountRow | undefined> => {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    params.push(v);
    sets.push(`${k} = $${params.length}`);
  }
  params.push(at);
  sets.push(`updated_at = $${params.length}`);
  return (
    await q.query<DiscountRow>(
      `UPDATE discounts SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLS}`,
      params,
    )
  ).rows[0];
};

/** Takes one use of a code if any are left: a single conditional UPDATE, safe under concurrency. */
export const takeUse = async (q: Queryable, id: string): Promise<boolean> =>
  (
    await q.query(
      `UPDATE discounts SET usage_count = usage_count + 1
       WHERE id = $1 AND (usage_limit IS NULL OR usage_count < usage_limit)`,
      [id],
    )
  ).rowCount === 1;

export const giveBackUse = (q: Queryable, id: string) =>
  q.query('UPDATE discounts SET usage_count = usage_count - 1 WHERE id = $1 AND usage_count > 0', [id]);
