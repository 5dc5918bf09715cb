/**
 * Set-based statements for bulk catalog writes (CSV import, demo seed): each takes whole batches
 * as one JSON parameter expanded with jsonb_to_recordset, so a batch costs a handful of round trips.
 */
import type { Queryable } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import { PRODUCT_COLS, type ProductRow } from './repo-products.ts';
import { VARIANT_COLS, type VariantRow } from './repo-variants.ts';

const json = (rows: unknown): string => JSON.stringify(rows);

const PRODUCT_SET = `jsonb_to_recordset($1::jsonb) AS x(id text, handle text, title text, description text,
  status text, attributes jsonb, image_urls text[], option_names text[], first_published_at timestamptz,
  created_at timestamptz, updated_at timestamptz)`;

export const lockProductsByHandle = async (q: Queryable, handles: readonly string[]): Promise<ProductRow[]> =>
  (
    await q.query<ProductRow>(
      `SELECT ${PRODUCT_COLS} FROM products WHERE handle = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [handles],
    )
  ).rows;

export const variantsWithHandle = async (
  q: Queryable,
  skus: readonly string[],
): Promise<(VariantRow & { handle: string })[]> =>
  (
    await q.query<VariantRow & { handle: string }>(
      `SELECT ${VARIANT_COLS.split(', ')
        .map((c) => `v.${c}`)
        .join(', ')}, p.handle
       FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = ANY($1::text[])`,
      [skus],
    )
  ).rows;

export const insertProducts = async (q: Queryable, rows: readonly ProductRow[]): Promise<void> => {
  if (rows.length === 0) return;
  await q.query(`INSERT INTO products (${PRODUCT_COLS}) SELECT ${PRODUCT_COLS} FROM ${PRODUCT_SET}`, [
    json(rows),
  ]);
};

/** Writes the given products' fields (only rows known to have changed are passed). */
export const updateProducts = async (q: Queryable, rows: readonly ProductRow[]): Promise<void> => {
  if (rows.length === 0) return;
  await q.query(
    `UPDATE products p SET title = x.title, description = x.description, status = x.status,
       attributes = x.attributes, image_urls = x.image_urls, option_names = x.option_names,
       updated_at = x.updated_at
     FROM ${PRODUCT_SET} WHERE p.id = x.id`,
    [json(rows)],
  );
};

/** Bumps updated_at of products whose variants or links changed. */
export const touchProducts = async (q: Queryable, ids: readonly string[], at: Date): Promise<void> => {
  if (ids.length === 0) return;
  await q.query('UPDATE products SET updated_at = $2 WHERE id = ANY($1::text[]) AND updated_at <> $2', [
    ids,
    at,
  ]);
};

/**
 * Inserts new variants and updates existing ones by SKU. A SKU taken meanwhile by another
 * product's variant is left alone (the WHERE guard): its row is simply not returned.
 */
export const upsertVariants = async (q: Queryable, rows: readonly VariantRow[]): Promise<string[]> => {
  if (rows.length === 0) return [];
  const { rows: out } = await q.query<{ sku: string }>(
    `INSERT INTO variants (${VARIANT_COLS})
     SELECT ${VARIANT_COLS} FROM jsonb_to_recordset($1::jsonb) AS x(id text, product_id text, sku text,
       barcode text, title text, options jsonb, position int, weight_grams int, created_at timestamptz,
       updated_at timestamptz)
     ON CONFLICT (sku) DO UPDATE SET barcode = EXCLUDED.barcode, title = EXCLUDED.title,
       options = EXCLUDED.options, position = EXCLUDED.position, weight_grams = EXCLUDED.weight_grams,
       updated_at = EXCLUDED.updated_at
     WHERE variants.product_id = EXCLUDED.product_id
     RETURNING sku`,
    [json(rows)],
  );
  return out.map((r) => r.sku);
};

/**
 * Categories or collections by handle, creating the missing ones (named after the handle:
 * "rain-jackets" → "Rain jackets"). Returns handle → id and the rows it created.
 */
export const ensureTaxa = async (
  q: Queryable,
  kind: 'categories' | 'collections',
  handles: readonly string[],
  at: Date,
): Promise<{ ids: Map<string, string>; created: { id: string; handle: string; name: string }[] }> => {
  const wanted = [...new Set(handles)];
  if (wanted.length === 0) return { ids: new Map(), created: [] };
  const nameCol = kind === 'categories' ? 'name' : 'title';
  const rows = wanted.map((h) => {
    const words = h.replace(/-/g, ' ');
    return {
      id: newId(kind === 'categories' ? 'cat' : 'col'),
      handle: h,
      name: words[0]?.toUpperCase() + words.slice(1),
    };
  });
  const { rows: created } = await q.query<{ id: string; handle: string; name: string }>(
    `INSERT INTO ${kind} (id, ${nameCol}, handle, created_at, updated_at)
     SELECT id, name, handle, $2, $2 FROM jsonb_to_recordset($1::jsonb) AS x(id text, handle text, name text)
     ON CONFLICT (handle) DO NOTHING RETURNING id, handle, ${nameCol} AS name`,
    [json(rows), at],
  );
  const { rows: all } = await q.query<{ id: string; handle: string }>(
    `SELECT id, handle FROM ${kind} WHERE handle = ANY($1::text[])`,
    [wanted],
  );
  return { ids: new Map(all.map((r) => [r.handle, r.id])), created };
};

/**
 * Makes the links of `productIds` exactly `pairs` (product → category or collection).
 * Returns the products whose links changed.
 */
export const syncLinks = async (
  q: Queryable,
  kind: 'categories' | 'collections',
  productIds: readonly string[],
  pairs: readonly { product_id: string; ref: string }[],
): Promise<Set<string>> => {
  if (productIds.length === 0) return new Set();
  const col = kind === 'categories' ? 'category_id' : 'collection_id';
  const table = `product_${kind}`;
  const { rows: removed } = await q.query<{ product_id: string }>(
    `DELETE FROM ${table} t WHERE t.product_id = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS x(product_id text, ref text)
                       WHERE x.product_id = t.product_id AND x.ref = t.${col})
     RETURNING t.product_id`,
    [productIds, json(pairs)],
  );
  const { rows: added } = await q.query<{ product_id: string }>(
    `INSERT INTO ${table} (product_id, ${col})
     SELECT product_id, ref FROM jsonb_to_recordset($1::jsonb) AS x(product_id text, ref text)
     ON CONFLICT DO NOTHING RETURNING product_id`,
    [json(pairs)],
  );
  return new Set([...removed, ...added].map((r) => r.product_id));
};

/**
 * Makes the channels of `productIds` exactly `pairs`. Returns the publications added and removed
 * (for product.published / product.unpublished) and stamps first_published_at.
 */
export const syncPublications = async (
  q: Queryable,
  productIds: readonly string[],
  pairs: readonly { product_id: string; ref: string }[],
  at: Date,
) => {
  if (productIds.length === 0) return { published: [], unpublished: [] };
  const { rows: unpublished } = await q.query<{ product_id: string; channel_id: string }>(
    `DELETE FROM product_channels t WHERE t.product_id = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS x(product_id text, ref text)
                       WHERE x.product_id = t.product_id AND x.ref = t.channel_id)
     RETURNING t.product_id, t.channel_id`,
    [productIds, json(pairs)],
  );
  const { rows: published } = await q.query<{ product_id: string; channel_id: string }>(
    `INSERT INTO product_channels (product_id, channel_id, published_at)
     SELECT product_id, ref, $2 FROM jsonb_to_recordset($1::jsonb) AS x(product_id text, ref text)
     ON CONFLICT DO NOTHING RETURNING product_id, channel_id`,
    [json(pairs), at],
  );
  if (published.length) {
    await q.query(
      'UPDATE products SET first_published_at = $2 WHERE id = ANY($1::text[]) AND first_published_at IS NULL',
      [[...new Set(published.map((r) => r.product_id))], at],
    );
  }
  return { published, unpublished };
};
