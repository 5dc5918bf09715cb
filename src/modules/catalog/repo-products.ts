import type { Queryable } from '../../platform/db.ts';
import { containsPattern } from '../../platform/like.ts';
import type { ProductStatus } from './schema.ts';

export interface ProductRow {
  id: string;
  handle: string;
  title: string;
  description: string;
  status: ProductStatus;
  attributes: Record<string, string>;
  image_urls: string[];
  option_names: string[];
  first_published_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const PRODUCT_COLS =
  'id, handle, title, description, status, attributes, image_urls, option_names, first_published_at, created_at, updated_at';
const P_COLS = PRODUCT_COLS.split(', ')
  .map((c) => `p.${c}`)
  .join(', ');

export const insertProduct = async (q: Queryable, r: ProductRow): Promise<ProductRow> =>
  (
    await q.query<ProductRow>(
      `INSERT INTO products (${PRODUCT_COLS})
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::text[], $8::text[], $9, $10, $11) RETURNING ${PRODUCT_COLS}`,
      [
        r.id,
        r.handle,
        r.title,
        r.description,
        r.status,
        JSON.stringify(r.attributes),
        r.image_urls,
        r.option_names,
        r.first_published_at,
        r.created_at,
        r.updated_at,
      ],
    )
  ).rows[0] as ProductRow;

/** Writes every field of the row (the service merges a patch into the current row first). */
export const saveProduct = async (q: Queryable, r: ProductRow): Promise<ProductRow> =>
  (
    await q.query<ProductRow>(
      `UPDATE products SET handle = $2, title = $3, description = $4, status = $5, attributes = $6::jsonb,
         image_urls = $7::text[], option_names = $8::text[], first_published_at = $9, updated_at = $10
       WHERE id = $1 RETURNING ${PRODUCT_COLS}`,
      [
        r.id,
        r.handle,
        r.title,
        r.description,
        r.status,
        JSON.stringify(r.attributes),
        r.image_urls,
        r.option_names,
        r.first_published_at,
        r.updated_at,
      ],
    )
  ).rows[0] as ProductRow;

export const getProduct = async (
  q: Queryable,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<ProductRow | undefined> =>
  (
    await q.query<ProductRow>(
      `SELECT ${PRODUCT_COLS} FROM products WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [id],
    )
  ).rows[0];

export const getProductsByIds = async (q: Queryable, ids: readonly string[]): Promise<ProductRow[]> =>
  ids.length === 0
    ? []
    : (await q.query<ProductRow>(`SELECT ${PRODUCT_COLS} FROM products WHERE id = ANY($1::text[])`, [ids]))
        .rows;

export const handleTaken = async (q: Queryable, handle: string, exceptId?: string): Promise<boolean> =>
  (
    await q.query('SELECT 1 FROM products WHERE handle = $1 AND id IS DISTINCT FROM $2', [
      handle,
      exceptId ?? null,
    ])
  ).rows.length > 0;

/** The handle, or the first free `handle-2`, `handle-3` … (for handles derived from titles). */
export const freeHandle = async (q: Queryable, base: string): Promise<string> => {
  const { rows } = await q.query<{ handle: string }>(
    `SELECT handle FROM products WHERE handle = $1 OR handle ~ ('^' || $1 || '-[0-9]+$')`,
    [base],
  );
  const taken = new Set(rows.map((r) => r.handle));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
};

export const deleteProduct = async (q: Queryable, id: string): Promise<void> => {
  await q.query('DELETE FROM products WHERE id = $1', [id]);
};

export interface ProductLinks {
  category_ids: string[];
  collection_ids: string[];
  channels: { channel_id: string; published_at: Date }[];
}

/** Categories, collections and channels of each product (products without any get empty lists). */
export const linksOf = async (q: Queryable, ids: readonly string[]): Promise<Map<string, ProductLinks>> => {
  const out = new Map<string, ProductLinks>(
    ids.map((id) => [id, { category_ids: [], collection_ids: [], channels: [] }]),
  );
  if (ids.length === 0) return out;
  const { rows } = await q.query<{ product_id: string; kind: string; ref: string; at: Date | null }>(
    `SELECT product_id, 'cat' AS kind, category_id AS ref, NULL::timestamptz AS at
       FROM product_categories WHERE product_id = ANY($1::text[])
     UNION ALL
     SELECT product_id, 'col', collection_id, NULL FROM product_collections WHERE product_id = ANY($1::text[])
     UNION ALL
     SELECT product_id, 'chn', channel_id, published_at FROM product_channels WHERE product_id = ANY($1::text[])
     ORDER BY 1, 2, 3`,
    [ids],
  );
  for (const r of rows) {
    const l = out.get(r.product_id);
    if (!l) continue;
    if (r.kind === 'cat') l.category_ids.push(r.ref);
    else if (r.kind === 'col') l.collection_ids.push(r.ref);
    else l.channels.push({ channel_id: r.ref, published_at: r.at as Date });
  }
  return out;
};

/** Replaces a product's categories or collections; returns whether anything changed. */
export const setLinks = async (
  q: Queryable,
  kind: 'categories' | 'collections',
  productId: string,
  ids: readonly string[],
): Promise<boolean> => {
  const col = kind === 'categories' ? 'category_id' : 'collection_id';
  const table = `product_${kind}`;
  const removed = await q.query(
    `DELETE FROM ${table} WHERE product_id = $1 AND NOT (${col} = ANY($2::text[]))`,
    [productId, ids],
  );
  const added = await q.query(
    `INSERT INTO ${table} (product_id, ${col}) SELECT $1, x FROM unnest($2::text[]) AS x
     ON CONFLICT DO NOTHING`,
    [productId, ids],
  );
  return removed.rowCount > 0 || added.rowCount > 0;
};

/** Publishes to a channel; returns the new row, or undefined when it was already published there. */
export const insertPublication = async (
  q: Queryable,
  productId: string,
  channelId: string,
  at: Date,
): Promise<{ published_at: Date } | undefined> =>
  (
    await q.query<{ published_at: Date }>(
      `INSERT INTO product_channels (product_id, channel_id, published_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING published_at`,
      [productId, channelId, at],
    )
  ).rows[0];

/** Unpublishes from the given channels (all when undefined); returns the channels it was removed from. */
export const deletePublications = async (
  q: Queryable,
  productId: string,
  channelIds?: readonly string[],
): Promise<string[]> =>
  (
    await q.query<{ channel_id: string }>(
      `DELETE FROM product_channels WHERE product_id = $1 AND ($2::text[] IS NULL OR channel_id = ANY($2::text[]))
       RETURNING channel_id`,
      [productId, channelIds ?? null],
    )
  ).rows
    .map((r) => r.channel_id)
    .sort();

export interface ProductFilter {
  status?: ProductStatus;
  categoryId?: string;
  collectionId?: string;
  channelId?: string;
  q?: string;
  sku?: string;
  /** Keyset: only products with an id below this one (the list runs newest first). */
  before?: string;
  limit: number;
}

/** Products matching the filter, newest first (ids are time-sortable), with their variant count. */
export const listProducts = async (
  q: Queryable,
  f: ProductFilter,
): Promise<(ProductRow & { variant_count: number })[]> =>
  (
    await q.query<ProductRow & { variant_count: number }>(
      `SELECT ${P_COLS}, (SELECT count(*) FROM variants v WHERE v.product_id = p.id)::int AS variant_count
       FROM products p
       WHERE ($1::text IS NULL OR p.status = $1)
         AND ($2::text IS NULL OR p.id IN (SELECT product_id FROM product_categories WHERE category_id = $2))
         AND ($3::text IS NULL OR p.id IN (SELECT product_id FROM product_collections WHERE collection_id = $3))
         AND ($4::text IS NULL OR p.id IN (SELECT product_id FROM product_channels WHERE channel_id = $4))
         AND ($5::text IS NULL OR lower(p.title) LIKE $5
              OR p.id IN (SELECT product_id FROM variants WHERE lower(sku) LIKE $5))
         AND ($6::text IS NULL OR p.id IN (SELECT product_id FROM variants WHERE sku = $6))
         AND ($7::text IS NULL OR p.id < $7)
       ORDER BY p.id DESC LIMIT $8`,
      [
        f.status ?? null,
        f.categoryId ?? null,
        f.collectionId ?? null,
        f.channelId ?? null,
        f.q ? containsPattern(f.q) : null,
        f.sku?.trim() ?? null,
        f.before ?? null,
        f.limit,
      ],
    )
  ).rows;

/**
 * Recomputes the full-text vector of the given products from their current data: title (weight A),
 * SKUs, barcodes and category names (B), description (C), unaccented, 'simple' configuration.
 */
export const refreshSearch = async (q: Queryable, productIds: readonly string[]): Promise<void> => {
  if (productIds.length === 0) return;
  await q.query(
    `UPDATE products p SET search_vector =
         setweight(to_tsvector('simple', unaccent(p.title)), 'A')
      || setweight(to_tsvector('simple', unaccent(
           coalesce((SELECT string_agg(v.sku || coalesce(' ' || v.barcode, ''), ' ')
                     FROM variants v WHERE v.product_id = p.id), '')
           || ' ' ||
           coalesce((SELECT string_agg(c.name, ' ') FROM product_categories pc
                     JOIN categories c ON c.id = pc.category_id WHERE pc.product_id = p.id), ''))), 'B')
      || setweight(to_tsvector('simple', unaccent(p.description)), 'C')
     WHERE p.id = ANY($1::text[])`,
    [productIds],
  );
};

/** Product ids in id order after `after` (for exports that page through the whole catalog). */
export const productIdsAfter = async (
  q: Queryable,
  f: { status?: ProductStatus; channelId?: string; after?: string; limit: number },
): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      `SELECT p.id FROM products p
       WHERE ($1::text IS NULL OR p.status = $1)
         AND ($2::text IS NULL OR p.id IN (SELECT product_id FROM product_channels WHERE channel_id = $2))
         AND ($3::text IS NULL OR p.id > $3)
       ORDER BY p.id LIMIT $4`,
      [f.status ?? null, f.channelId ?? null, f.after ?? null, f.limit],
    )
  ).rows.map((r) => r.id);
