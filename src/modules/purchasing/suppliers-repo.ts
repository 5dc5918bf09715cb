/** SQL for suppliers and the SKUs they sell. */
import { pgCode, type Queryable } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';

export interface SupplierRow {
  id: string;
  name: string;
  email: string | null;
  lead_time_days: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface SupplierSkuRow {
  supplier_id: string;
  sku: string;
  lead_time_days: number | null;
  /** lead_time_days, or the supplier's. */
  effective_lead_time_days: number;
  min_order: number;
  pack_size: number;
  preferred: boolean;
}

const SUPPLIER = 'id, name, email, lead_time_days, active, created_at, updated_at';
const SUPPLIER_SKU = `ss.supplier_id, ss.sku, ss.lead_time_days,
  coalesce(ss.lead_time_days, s.lead_time_days) AS effective_lead_time_days, ss.min_order, ss.pack_size, ss.preferred`;

const nameTaken = (e: unknown, name: string): never => {
  if (pgCode(e) === '23505') {
    throw new PlazaError('ALREADY_EXISTS', `A supplier named "${name}" already exists`, { name });
  }
  throw e;
};

export const insertSupplier = async (q: Queryable, r: SupplierRow): Promise<SupplierRow> => {
  try {
    const { rows } = await q.query<SupplierRow>(
      `INSERT INTO suppliers (${SUPPLIER}) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${SUPPLIER}`,
      [r.id, r.name, r.email, r.lead_time_days, r.active, r.created_at, r.updated_at],
    );
    return rows[0] as SupplierRow;
  } catch (e) {
    return nameTaken(e, r.name);
  }
};

export const getSupplier = async (q: Queryable, id: string): Promise<SupplierRow | undefined> =>
  (await q.query<SupplierRow>(`SELECT ${SUPPLIER} FROM suppliers WHERE id = $1`, [id])).rows[0];

export interface SupplierPatch {
  name?: string;
  /** null removes it. */
  email?: string | null;
  lead_time_days?: number;
  active?: boolean;
}

/** Changes the given fields; undefined when there is no such supplier. */
export const updateSupplier = async (
  q: Queryable,
  id: string,
  p: SupplierPatch,
  at: Date,
): Promise<SupplierRow | undefined> => {
  try {
    const { rows } = await q.query<SupplierRow>(
      `UPDATE suppliers SET name = coalesce($2, name),
         email = CASE WHEN $3::boolean THEN $4 ELSE email END,
         lead_time_days = coalesce($5, lead_time_days), active = coalesce($6, active), updated_at = $7
       WHERE id = $1 RETURNING ${SUPPLIER}`,
      [
        id,
        p.name ?? null,
        p.email !== undefined,
        p.email ?? null,
        p.lead_time_days ?? null,
        p.active ?? null,
        at,
      ],
    );
    return rows[0];
  } catch (e) {
    return nameTaken(e, p.name ?? '');
  }
};

export const listSuppliers = async (
  q: Queryable,
  f: { active?: boolean; sku?: string; after?: string; limit: number },
): Promise<SupplierRow[]> =>
  (
    await q.query<SupplierRow>(
      `SELECT ${SUPPLIER} FROM suppliers s
       WHERE ($1::boolean IS NULL OR s.active = $1)
         AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM supplier_skus ss WHERE ss.supplier_id = s.id AND ss.sku = $2))
         AND ($3::text IS NULL OR s.id > $3)
       ORDER BY s.id LIMIT $4`,
      [f.active ?? null, f.sku ?? null, f.after ?? null, f.limit],
    )
  ).rows;

/**
 * Takes the SKU's supplier rows for this transaction (an advisory lock per SKU), so that two
 * concurrent changes of its preferred supplier cannot both win.
 */
export const lockSku = async (q: Queryable, sku: string): Promise<void> => {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`supplier_sku:${sku}`]);
};

export const getSupplierSku = async (
  q: Queryable,
  supplierId: string,
  sku: string,
): Promise<SupplierSkuRow | undefined> =>
  (
    await q.query<SupplierSkuRow>(
      `SELECT ${SUPPLIER_SKU} FROM supplier_skus ss JOIN suppliers s ON s.id = ss.supplier_id
       WHERE ss.supplier_id = $1 AND ss.sku = $2`,
      [supplierId, sku],
    )
  ).rows[0];

/** True when another supplier is the SKU's preferred one. */
export const otherPreferred = async (q: Queryable, sku: string, supplierId: string): Promise<boolean> =>
  (
    await q.query('SELECT 1 FROM supplier_skus WHERE sku = $1 AND supplier_id <> $2 AND preferred LIMIT 1', [
      sku,
      supplierId,
    ])
  ).rowCount > 0;

/** The SKU's other suppliers stop being preferred. */
export const clearOtherPreferred = async (q: Queryable, sku: string, supplierId: string): Promise<void> => {
  await q.query(
    'UPDATE supplier_skus SET preferred = false WHERE sku = $1 AND supplier_id <> $2 AND preferred',
    [sku, supplierId],
  );
};

export const upsertSupplierSku = async (
  q: Queryable,
  r: Omit<SupplierSkuRow, 'effective_lead_time_days'>,
): Promise<void> => {
  await q.query(
    `INSERT INTO supplier_skus (supplier_id, sku, lead_time_days, min_order, pack_size, preferred)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (supplier_id, sku) DO UPDATE SET lead_time_days = EXCLUDED.lead_time_days,
       min_order = EXCLUDED.min_order, pack_size = EXCLUDED.pack_size, preferred = EXCLUDED.preferred`,
    [r.supplier_id, r.sku, r.lead_time_days, r.min_order, r.pack_size, r.preferred],
  );
};

export const deleteSupplierSku = async (q: Queryable, supplierId: string, sku: string): Promise<boolean> =>
  (await q.query('DELETE FROM supplier_skus WHERE supplier_id = $1 AND sku = $2', [supplierId, sku]))
    .rowCount > 0;

export const listSupplierSkus = async (
  q: Queryable,
  supplierId: string,
  f: { skus?: readonly string[]; after?: string; limit?: number },
): Promise<SupplierSkuRow[]> =>
  (
    await q.query<SupplierSkuRow>(
      `SELECT ${SUPPLIER_SKU} FROM supplier_skus ss JOIN suppliers s ON s.id = ss.supplier_id
       WHERE ss.supplier_id = $1 AND ($2::text[] IS NULL OR ss.sku = ANY($2::text[]))
         AND ($3::text IS NULL OR ss.sku > $3)
       ORDER BY ss.sku LIMIT $4`,
      [supplierId, f.skus ?? null, f.after ?? null, f.limit ?? null],
    )
  ).rows;

/**
 * Per SKU, the supplier to buy from: the preferred one when it is active, else the active supplier
 * with the shortest effective lead time (then the lowest id). SKUs no active supplier sells are absent.
 */
export const bestSupplierRows = async (q: Queryable, skus: readonly string[]): Promise<SupplierSkuRow[]> =>
  (
    await q.query<SupplierSkuRow>(
      `SELECT DISTINCT ON (ss.sku) ${SUPPLIER_SKU}
       FROM supplier_skus ss JOIN suppliers s ON s.id = ss.supplier_id
       WHERE ss.sku = ANY($1::text[]) AND s.active
       ORDER BY ss.sku, ss.preferred DESC, coalesce(ss.lead_time_days, s.lead_time_days), ss.supplier_id`,
      [skus],
    )
  ).rows;
