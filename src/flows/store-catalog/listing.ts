/**
 * The product listing of a channel: what it sells, at its current prices, searched (PostgreSQL
 * full-text with prefix matching, plus trigram similarity for typos), filtered and sorted, with a
 * keyset cursor. One statement; it reads catalog and inventory tables together, so it is a flow.
 */

import { prefixQuery } from '../../modules/catalog/index.ts';
import type { Tx } from '../../platform/db.ts';

export type Sort = 'relevance' | 'newest' | 'price_asc' | 'price_desc' | 'title';

export interface ListingFilter {
  channelId: string;
  at: Date;
  q?: string;
  categoryId?: string;
  collectionId?: string;
  /** Only products with a variant available at this store. */
  inStockAt?: string;
  minPrice?: number;
  maxPrice?: number;
  sort: Sort;
  /** Decoded cursor: [sort value, id] of the last row of the previous page. */
  after?: [string | number, string];
  limit: number;
}

export interface ListingRow {
  id: string;
  handle: string;
  title: string;
  image_url: string | null;
  published_at: Date;
  score: number;
  min_price: number;
  max_price: number;
  max_compare_at: number | null;
}

const ORDER: Record<Sort, { key: string; dir: 'ASC' | 'DESC' }> = {
  relevance: { key: 'score', dir: 'DESC' },
  newest: { key: 'published_at', dir: 'DESC' },
  price_asc: { key: 'min_price', dir: 'ASC' },
  price_desc: { key: 'min_price', dir: 'DESC' },
  title: { key: 'lower(title)', dir: 'ASC' },
};

/** The sort value of a row, as stored in the cursor. */
export const sortValue = (sort: Sort, r: ListingRow): string | number =>
  sort === 'relevance'
    ? r.score
    : sort === 'newest'
      ? r.published_at.toISOString()
      : sort === 'title'
        ? r.title.toLowerCase()
        : r.min_price;

export const listProducts = async (tx: Tx, f: ListingFilter): Promise<ListingRow[]> => {
  const text = f.q?.trim().toLowerCase().slice(0, 100) ?? '';
  const tsq = text ? prefixQuery(text) : '';
  if (text) await tx.query(`SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true)`);
  const sort = f.sort === 'relevance' && !text ? 'newest' : f.sort;
  const { key, dir } = ORDER[sort];
  const cmp = dir === 'ASC' ? '>' : '<';
  const cast = sort === 'newest' ? '::timestamptz' : sort === 'title' ? '::text' : '::float8';
  const keyset = f.after ? `AND (${key} ${cmp} $11${cast} OR (${key} = $11${cast} AND id > $12))` : '';
  const { rows } = await tx.query<ListingRow>(
    `WITH chan AS (SELECT currency FROM channels WHERE id = $1),
     cand AS (
       SELECT p.id, p.handle, p.title, p.image_urls[1] AS image_url, pc.published_at,
         (CASE WHEN $4 = '' THEN 0
               ELSE (CASE WHEN $3 = '' THEN 0 ELSE ts_rank(p.search_vector, to_tsquery('simple', $3)) END)
                    + word_similarity($4, lower(p.title)) END)::float8 AS score
       FROM product_channels pc JOIN products p ON p.id = pc.product_id
       WHERE pc.channel_id = $1 AND p.status = 'published'
         AND ($4 = '' OR ($3 <> '' AND p.search_vector @@ to_tsquery('simple', $3)) OR $4 <% lower(p.title))
         AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM product_categories x WHERE x.product_id = p.id AND x.category_id = $5))
         AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM product_collections x WHERE x.product_id = p.id AND x.collection_id = $6))
         AND ($7::text IS NULL OR EXISTS (
               SELECT 1 FROM variants v JOIN inventory_levels l ON l.sku = v.sku AND l.location_id = $7
               WHERE v.product_id = p.id AND l.on_hand - l.reserved - l.safety_stock > 0))
     ),
     priced AS (
       SELECT c.*, pr.min_price, pr.max_price, pr.max_compare_at FROM cand c
       CROSS JOIN LATERAL (
         SELECT min(cur.amount)::float8 AS min_price, max(cur.amount) AS max_price,
                max(cur.compare_at_amount) AS max_compare_at
         FROM variants v CROSS JOIN LATERAL (
           SELECT pr.amount, pr.compare_at_amount FROM prices pr
           WHERE pr.variant_id = v.id AND pr.channel_id = $1 AND pr.currency = (SELECT currency FROM chan)
             AND (pr.starts_at IS NULL OR pr.starts_at <= $2) AND (pr.ends_at IS NULL OR pr.ends_at > $2)
           ORDER BY pr.starts_at DESC NULLS LAST LIMIT 1) cur
         WHERE v.product_id = c.id
       ) pr
       WHERE pr.min_price IS NOT NULL
         AND ($8::float8 IS NULL OR pr.min_price >= $8) AND ($9::float8 IS NULL OR pr.min_price <= $9)
     )
     SELECT id, handle, title, image_url, published_at, score, min_price::int8 AS min_price, max_price, max_compare_at
     FROM priced WHERE true ${keyset}
     ORDER BY ${key} ${dir}, id LIMIT $10`,
    [
      f.channelId,
      f.at,
      tsq,
      text,
      f.categoryId ?? null,
      f.collectionId ?? null,
      f.inStockAt ?? null,
      f.minPrice ?? null,
      f.maxPrice ?? null,
      f.limit,
      ...(f.after ? f.after : []),
    ],
  );
  return rows;
};

/** Which of these products have any unit available on the channel (its fulfilment locations). */
export const inStock = async (
  tx: Tx,
  channelId: string,
  productIds: readonly string[],
): Promise<Set<string>> => {
  if (productIds.length === 0) return new Set();
  const { rows } = await tx.query<{ product_id: string }>(
    `SELECT DISTINCT v.product_id FROM variants v
     JOIN inventory_levels l ON l.sku = v.sku
     JOIN channel_locations cl ON cl.location_id = l.location_id AND cl.channel_id = $1
     JOIN locations loc ON loc.id = l.location_id AND loc.active
     WHERE v.product_id = ANY($2) AND l.on_hand - l.reserved - l.safety_stock > 0`,
    [channelId, [...productIds]],
  );
  return new Set(rows.map((r) => r.product_id));
};
