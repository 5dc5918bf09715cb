/**
 * Read functions for the shopper-facing side (/store/products, POS scanning): what is sold on a
 * channel, and how to find it. Every function takes the queryable first.
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import type { ProductRow } from './repo-products.ts';
import { VARIANT_COLS, type VariantRow, variantsBySku } from './repo-variants.ts';
import { isValidGtin } from './rules.ts';

export interface PublishedProductRef {
  id: string;
  published_at: Date;
}

/**
 * Ids of the products sold on a channel (published to it and with status `published`), in id
 * order, after the `after` id: keyset pagination (fetch limit + 1 to know if there is a next page,
 * then `toPage`). Optionally only those in a category or collection.
 */
export const listPublishedProductIds = async (
  q: Queryable,
  f: { channelId: string; after?: string; limit: number; categoryId?: string; collectionId?: string },
): Promise<PublishedProductRef[]> =>
  (
    await q.query<PublishedProductRef>(
      `SELECT pc.product_id AS id, pc.published_at
       FROM product_channels pc JOIN products p ON p.id = pc.product_id
       WHERE pc.channel_id = $1 AND p.status = 'published'
         AND ($2::text IS NULL OR pc.product_id > $2)
         AND ($3::text IS NULL OR pc.product_id IN (SELECT product_id FROM product_categories WHERE category_id = $3))
         AND ($4::text IS NULL OR pc.product_id IN (SELECT product_id FROM product_collections WHERE collection_id = $4))
       ORDER BY pc.product_id LIMIT $5`,
      [f.channelId, f.after ?? null, f.categoryId ?? null, f.collectionId ?? null, f.limit],
    )
  ).rows;

/** True when the product is sold on the channel now (published to it, status `published`). */
export const isPublishedOn = async (q: Queryable, productId: string, channelId: string): Promise<boolean> =>
  (
    await q.query(
      `SELECT 1 FROM product_channels pc JOIN products p ON p.id = pc.product_id
       WHERE pc.product_id = $1 AND pc.channel_id = $2 AND p.status = 'published'`,
      [productId, channelId],
    )
  ).rows.length > 0;

export type VariantWithProduct = VariantRow & {
  product: Pick<ProductRow, 'id' | 'handle' | 'title' | 'status'>;
};

/**
 * The variant with this SKU or barcode (what a POS scanner reads). A code that is a valid
 * EAN-8/UPC-A/EAN-13 is looked up as a barcode first (UPC-A and its EAN-13 form with a leading 0
 * match each other), then as a SKU; anything else as an exact SKU (trimmed, case-sensitive).
 */
export const findVariantByCode = async (
  q: Queryable,
  code: string,
): Promise<VariantWithProduct | undefined> => {
  const c = code.trim();
  if (c === '' || c.length > 64) return undefined;
  const cols = VARIANT_COLS.split(', ')
    .map((x) => `v.${x}`)
    .join(', ');
  const gtin = isValidGtin(c) ? c.padStart(14, '0') : null;
  const { rows } = await q.query<
    VariantRow & { p_handle: string; p_title: string; p_status: ProductRow['status'] }
  >(
    `SELECT ${cols}, p.handle AS p_handle, p.title AS p_title, p.status AS p_status
     FROM variants v JOIN products p ON p.id = v.product_id
     WHERE ($2::text IS NOT NULL AND lpad(v.barcode, 14, '0') = $2) OR v.sku = $1
     ORDER BY ($2::text IS NOT NULL AND lpad(v.barcode, 14, '0') = $2) DESC
     LIMIT 1`,
    [c, gtin],
  );
  const r = rows[0];
  if (!r) return undefined;
  const { p_handle, p_title, p_status, ...variant } = r;
  return { ...variant, product: { id: r.product_id, handle: p_handle, title: p_title, status: p_status } };
};

/** Words of a search text as a prefix tsquery ("hik boo" → "hik:* & boo:*"), accents removed. */
export const prefixQuery = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
    .slice(0, 8)
    .map((w) => `${w}:*`)
    .join(' & ');

/**
 * Products sold on a channel matching a search text, best first: full-text match on title (A),
 * SKUs, barcodes, category names (B) and description (C) with word prefixes, or a typo-tolerant
 * trigram match on the title ("hikng" finds "Hiking Boot": word similarity ≥ `minSimilarity`,
 * 0.4 by default, served by the trigram index on lower(title)). Takes a transaction because the
 * similarity threshold is set for it alone (SET LOCAL). At most `limit` ids with scores.
 */
export const searchPublishedProducts = async (
  tx: Tx,
  f: { channelId: string; text: string; limit: number; minSimilarity?: number },
): Promise<{ id: string; score: number }[]> => {
  const tsq = prefixQuery(f.text);
  const text = f.text.trim().toLowerCase().slice(0, 100);
  if (text === '') return [];
  const threshold = Math.min(1, Math.max(0.1, f.minSimilarity ?? 0.4));
  await tx.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(threshold)]);
  const { rows } = await tx.query<{ id: string; score: number }>(
    `SELECT p.id,
            (CASE WHEN $2 = '' THEN 0 ELSE ts_rank(p.search_vector, to_tsquery('simple', $2)) END
             + word_similarity($3, lower(p.title)))::float8 AS score
     FROM products p JOIN product_channels pc ON pc.product_id = p.id AND pc.channel_id = $1
     WHERE p.status = 'published'
       AND (($2 <> '' AND p.search_vector @@ to_tsquery('simple', $2)) OR $3 <% lower(p.title))
     ORDER BY score DESC, p.id
     LIMIT $4`,
    [f.channelId, tsq, text, f.limit],
  );
  return rows;
};

/** The variants with these exact SKUs (any order; unknown SKUs are absent). */
export const findVariantsBySku = (q: Queryable, skus: readonly string[]): Promise<VariantRow[]> =>
  variantsBySku(q, skus);
