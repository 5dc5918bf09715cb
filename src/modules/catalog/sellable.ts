import type { Queryable } from '../../platform/db.ts';

/** What a cart or checkout needs to know about a SKU on a channel, at a moment. */
export interface SellableSku {
  sku: string;
  variant_id: string;
  product_id: string;
  product_title: string;
  variant_title: string;
  image_url: string | null;
  /** The product is published and published to this channel. */
  published: boolean;
  /** The price in force (null: no price on this channel, so not sellable). */
  price: { amount: number; compare_at_amount: number | null; currency: string } | null;
  /** When this SKU's price on the channel last changed (a new price, a sale starting or ending). */
  price_changed_at: Date | null;
}

/** A sellable SKU as read, with the moment its channel price may next change by itself. */
export interface SellableRow {
  sku: string;
  variant_id: string;
  product_id: string;
  product_title: string;
  variant_title: string;
  image_url: string | null;
  published: boolean;
  amount: number | null;
  compare_at_amount: number | null;
  currency: string | null;
  price_changed_at: Date | null;
  /** The next price boundary on the channel after `at` (a sale starting or ending), if any. */
  next_change_at: Date | null;
}

export const toSellable = (r: SellableRow): SellableSku => ({
  sku: r.sku,
  variant_id: r.variant_id,
  product_id: r.product_id,
  product_title: r.product_title,
  variant_title: r.variant_title,
  image_url: r.image_url,
  published: r.published,
  price:
    r.amount === null || r.currency === null
      ? null
      : { amount: r.amount, compare_at_amount: r.compare_at_amount, currency: r.currency },
  price_changed_at: r.price_changed_at,
});

/** SKUs with their product, channel assortment and channel price in force at `at`, in one query. */
export const sellableRows = async (
  q: Queryable,
  channelId: string,
  skus: readonly string[],
  at: Date,
): Promise<SellableRow[]> =>
  (
    await q.query<SellableRow>(
      `SELECT v.sku, v.id AS variant_id, v.product_id, p.title AS product_title, v.title AS variant_title,
         p.image_urls[1] AS image_url,
         (p.status = 'published' AND pc.product_id IS NOT NULL) AS published,
         cur.amount, cur.compare_at_amount, cur.currency,
         greatest(cur.since, (SELECT max(e.ends_at) FROM prices e
                              WHERE e.variant_id = v.id AND e.channel_id = $1 AND e.ends_at <= $3)) AS price_changed_at,
         (SELECT min(b) FROM (
            SELECT x.starts_at AS b FROM prices x WHERE x.variant_id = v.id AND x.channel_id = $1 AND x.starts_at > $3
            UNION ALL
            SELECT x.ends_at FROM prices x WHERE x.variant_id = v.id AND x.channel_id = $1 AND x.ends_at > $3) bounds
         ) AS next_change_at
       FROM variants v
       JOIN products p ON p.id = v.product_id
       LEFT JOIN product_channels pc ON pc.product_id = p.id AND pc.channel_id = $1
       LEFT JOIN LATERAL (
         SELECT pr.amount, pr.compare_at_amount, pr.currency, greatest(pr.created_at, pr.starts_at) AS since
         FROM prices pr
         WHERE pr.variant_id = v.id AND pr.channel_id = $1
           AND (pr.starts_at IS NULL OR pr.starts_at <= $3) AND (pr.ends_at IS NULL OR pr.ends_at > $3)
           AND pr.currency = (SELECT c.currency FROM channels c WHERE c.id = $1)
         ORDER BY pr.starts_at DESC NULLS LAST LIMIT 1
       ) cur ON true
       WHERE v.sku = ANY($2::text[])`,
      [channelId, [...new Set(skus)], at],
    )
  ).rows;

/**
 * SKUs with their product, channel assortment and current channel price, in one query. Unknown SKUs
 * are absent. A SKU is sellable on the channel when `published` and `price` is set.
 */
export const sellableSkus = async (
  q: Queryable,
  channelId: string,
  skus: readonly string[],
  at: Date,
): Promise<Map<string, SellableSku>> => {
  if (skus.length === 0) return new Map();
  const rows = await sellableRows(q, channelId, skus, at);
  return new Map(rows.map((r) => [r.sku, toSellable(r)]));
};
