import type { Queryable } from '../../platform/db.ts';
import { pgCode } from '../../platform/db.ts';

export interface VariantRow {
  id: string;
  product_id: string;
  sku: string;
  barcode: string | null;
  title: string;
  options: Record<string, string>;
  position: number;
  weight_grams: number | null;
  created_at: Date;
  updated_at: Date;
}

export const VARIANT_COLS =
  'id, product_id, sku, barcode, title, options, position, weight_grams, created_at, updated_at';

/** The unique constraint a statement violated (23505), if that is why it failed. */
export const violatedUnique = (e: unknown): string | undefined => {
  if (pgCode(e) !== '23505') return undefined;
  const c = (e as { constraint?: unknown }).constraint;
  return typeof c === 'string' ? c : 'unknown';
};

/** Inserts variants in one statement. */
export const insertVariants = async (q: Queryable, rows: readonly VariantRow[]): Promise<VariantRow[]> => {
  if (rows.length === 0) return [];
  const { rows: out } = await q.query<VariantRow>(
    `INSERT INTO variants (${VARIANT_COLS})
     SELECT ${VARIANT_COLS} FROM jsonb_to_recordset($1::jsonb) AS x(id text, product_id text, sku text,
       barcode text, title text, options jsonb, position int, weight_grams int, created_at timestamptz,
       updated_at timestamptz)
     RETURNING ${VARIANT_COLS}`,
    [JSON.stringify(rows)],
  );
  return out;
};

export const saveVariant = async (q: Queryable, r: VariantRow): Promise<VariantRow> =>
  (
    await q.query<VariantRow>(
      `UPDATE variants SET sku = $2, barcode = $3, title = $4, options = $5::jsonb, position = $6,
         weight_grams = $7, updated_at = $8
       WHERE id = $1 RETURNING ${VARIANT_COLS}`,
      [r.id, r.sku, r.barcode, r.title, JSON.stringify(r.options), r.position, r.weight_grams, r.updated_at],
    )
  ).rows[0] as VariantRow;

export const getVariant = async (
  q: Queryable,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<VariantRow | undefined> =>
  (
    await q.query<VariantRow>(
      `SELECT ${VARIANT_COLS} FROM variants WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [id],
    )
  ).rows[0];

/** Variants of the products, by product, then position, then id. */
export const variantsOf = async (q: Queryable, productIds: readonly string[]): Promise<VariantRow[]> =>
  productIds.length === 0
    ? []
    : (
        await q.query<VariantRow>(
          `SELECT ${VARIANT_COLS} FROM variants WHERE product_id = ANY($1::text[])
           ORDER BY product_id, position, id`,
          [productIds],
        )
      ).rows;

export const deleteVariant = async (q: Queryable, id: string): Promise<void> => {
  await q.query('DELETE FROM variants WHERE id = $1', [id]);
};

export const nextPosition = async (q: Queryable, productId: string): Promise<number> =>
  (
    await q.query<{ n: number }>(
      'SELECT coalesce(max(position) + 1, 0)::int AS n FROM variants WHERE product_id = $1',
      [productId],
    )
  ).rows[0]?.n ?? 0;

/** Existing variants holding any of these SKUs. */
export const variantsBySku = async (q: Queryable, skus: readonly string[]): Promise<VariantRow[]> =>
  skus.length === 0
    ? []
    : (await q.query<VariantRow>(`SELECT ${VARIANT_COLS} FROM variants WHERE sku = ANY($1::text[])`, [skus]))
        .rows;

/** Existing variants holding any of these barcodes (compared as GTINs: UPC-A = EAN-13 with a leading 0). */
export const variantsByBarcode = async (q: Queryable, barcodes: readonly string[]): Promise<VariantRow[]> =>
  barcodes.length === 0
    ? []
    : (
        await q.query<VariantRow>(
          `SELECT ${VARIANT_COLS} FROM variants
           WHERE lpad(barcode, 14, '0') = ANY(SELECT lpad(b, 14, '0') FROM unnest($1::text[]) AS b)`,
          [barcodes],
        )
      ).rows;

/** A 14-digit GTIN key for comparing barcodes of different lengths. */
export const gtinKey = (barcode: string): string => barcode.padStart(14, '0');
