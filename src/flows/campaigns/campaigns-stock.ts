/**
 * `require_in_stock`: a campaign that advertises products only reaches recipients whose preferred
 * store has at least one of them available (on hand − reserved − safety stock, as the templates see
 * it). A recipient without a preferred store is not held back (they buy online).
 */
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { productFacts, stockAt } from './templates-context.ts';

/** The customers among `customerIds` whose preferred store has none of the products available. */
export const outOfStockAmong = async (
  q: Queryable,
  deps: Pick<Deps, 'config' | 'clock'>,
  productIds: readonly string[],
  customerIds: readonly string[],
): Promise<Set<string>> => {
  if (productIds.length === 0 || customerIds.length === 0) return new Set();
  const stores = await q.query<{ id: string; loc: string }>(
    `SELECT id, preferred_location_id AS loc FROM customers
     WHERE id = ANY($1::text[]) AND preferred_location_id IS NOT NULL`,
    [customerIds],
  );
  if (stores.rows.length === 0) return new Set();
  const { products } = await productFacts(q, deps, productIds);
  const locations = [...new Set(stores.rows.map((s) => s.loc))];
  const stock = await stockAt(q, products, locations);
  const inStock = new Set(
    locations.filter((l) => products.some((p) => (stock.get(`${p.id}|${l}`) ?? 0) > 0)),
  );
  return new Set(stores.rows.filter((s) => !inStock.has(s.loc)).map((s) => s.id));
};
