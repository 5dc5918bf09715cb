/**
 * Suppliers and what they sell. A SKU has at most one preferred supplier: making one preferred
 * clears the flag of the others in the same transaction, under a per-SKU lock.
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './suppliers-repo.ts';

export interface CreateSupplierInput {
  name: string;
  email?: string | null;
  lead_time_days?: number;
  active?: boolean;
}

/** Creates a supplier; a name already taken (ignoring case) is ALREADY_EXISTS. */
export const createSupplier = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: CreateSupplierInput,
): Promise<repo.SupplierRow> => {
  const at = deps.clock.now();
  return repo.insertSupplier(tx, {
    id: newId('sup'),
    name: input.name,
    email: input.email ?? null,
    lead_time_days: input.lead_time_days ?? 7,
    active: input.active ?? true,
    created_at: at,
    updated_at: at,
  });
};

/** The supplier, or NOT_FOUND. */
export const getSupplierOrThrow = async (q: Queryable, id: string): Promise<repo.SupplierRow> => {
  const s = await repo.getSupplier(q, id);
  if (!s) throw notFound('Supplier', id);
  return s;
};

/** Changes the given fields (NOT_FOUND, or ALREADY_EXISTS for a name taken by another supplier). */
export const updateSupplier = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  patch: repo.SupplierPatch,
): Promise<repo.SupplierRow> => {
  const s = await repo.updateSupplier(tx, id, patch, deps.clock.now());
  if (!s) throw notFound('Supplier', id);
  return s;
};

export interface SupplierSkuInput {
  /** null or absent: the supplier's lead time. */
  lead_time_days?: number | null;
  min_order?: number;
  pack_size?: number;
  /** Absent: unchanged, or for a new row true when no other supplier of the SKU is preferred. */
  preferred?: boolean;
}

/**
 * Sets what a supplier sells of a SKU (absent fields take their defaults, except `preferred`).
 * Preferring it makes the SKU's other suppliers not preferred, in the same transaction.
 */
export const putSupplierSku = async (
  tx: Tx,
  supplierId: string,
  sku: string,
  input: SupplierSkuInput,
): Promise<repo.SupplierSkuRow> => {
  await getSupplierOrThrow(tx, supplierId);
  await repo.lockSku(tx, sku);
  const current = await repo.getSupplierSku(tx, supplierId, sku);
  const preferred =
    input.preferred ?? current?.preferred ?? !(await repo.otherPreferred(tx, sku, supplierId));
  if (preferred) await repo.clearOtherPreferred(tx, sku, supplierId);
  await repo.upsertSupplierSku(tx, {
    supplier_id: supplierId,
    sku,
    lead_time_days: input.lead_time_days ?? null,
    min_order: input.min_order ?? 1,
    pack_size: input.pack_size ?? 1,
    preferred,
  });
  return (await repo.getSupplierSku(tx, supplierId, sku)) as repo.SupplierSkuRow;
};

/** Stops a supplier selling a SKU (NOT_FOUND when it did not). Purchase orders keep their lines. */
export const removeSupplierSku = async (tx: Tx, supplierId: string, sku: string): Promise<void> => {
  await getSupplierOrThrow(tx, supplierId);
  await repo.lockSku(tx, sku);
  if (!(await repo.deleteSupplierSku(tx, supplierId, sku))) {
    throw notFound(`SKU ${sku} of supplier`, supplierId);
  }
};

/** Where to buy a SKU, as replenishment needs it. */
export interface SupplierChoice {
  supplier_id: string;
  /** The supplier's lead time for this SKU, else the supplier's own. */
  lead_time_days: number;
  min_order: number;
  pack_size: number;
  /** False when the SKU has no active preferred supplier and this is the fallback. */
  preferred: boolean;
}

/**
 * Per SKU, the supplier to buy from: its preferred supplier when that one is active; otherwise the
 * active supplier with the shortest lead time (lowest id on a tie), with `preferred: false`. SKUs
 * that no active supplier sells are absent from the map. One query whatever the number of SKUs.
 */
export const preferredSuppliers = async (
  q: Queryable,
  skus: readonly string[],
): Promise<Map<string, SupplierChoice>> => {
  const out = new Map<string, SupplierChoice>();
  if (skus.length === 0) return out;
  for (const r of await repo.bestSupplierRows(q, [...new Set(skus)])) {
    out.set(r.sku, {
      supplier_id: r.supplier_id,
      lead_time_days: r.effective_lead_time_days,
      min_order: r.min_order,
      pack_size: r.pack_size,
      preferred: r.preferred,
    });
  }
  return out;
};
