/**
 * The demo retailer's two suppliers, so that the replenishment screens suggest purchase orders as
 * well as transfers: every SKU is bought from one of them (preferred), in packs with a minimum order.
 * Idempotent: a supplier of the same name is reused, and a SKU it already sells is left as it is.
 */
import { createSupplier, putSupplierSku } from '../../modules/purchasing/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';

const SUPPLIERS = [
  {
    name: 'Cascade Apparel Co.',
    email: 'orders@cascade-apparel.example',
    lead_time_days: 7,
    pack_size: 6,
    min_order: 12,
  },
  {
    name: 'Northwest Outdoor Supply',
    email: 'po@nw-outdoor.example',
    lead_time_days: 12,
    pack_size: 4,
    min_order: 8,
  },
] as const;

export const seedSuppliers = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  skus: readonly string[],
): Promise<number> => {
  const ids: string[] = [];
  for (const s of SUPPLIERS) {
    const known = await tx.query<{ id: string }>('SELECT id FROM suppliers WHERE name = $1', [s.name]);
    ids.push(
      known.rows[0]?.id ??
        (await createSupplier(tx, deps, { name: s.name, email: s.email, lead_time_days: s.lead_time_days }))
          .id,
    );
  }
  const sold = new Set(
    (
      await tx.query<{ sku: string }>('SELECT sku FROM supplier_skus WHERE supplier_id = ANY($1)', [ids])
    ).rows.map((r) => r.sku),
  );
  let added = 0;
  for (const [i, sku] of [...skus].sort().entries()) {
    if (sold.has(sku)) continue;
    // Alternate by product (variants of one product share a prefix and sit together when sorted).
    const k = Math.floor(i / 5) % SUPPLIERS.length;
    const s = SUPPLIERS[k] as (typeof SUPPLIERS)[number];
    await putSupplierSku(tx, ids[k] as string, sku, { min_order: s.min_order, pack_size: s.pack_size });
    added++;
  }
  return added;
};
