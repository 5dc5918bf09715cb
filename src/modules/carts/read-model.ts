/**
 * The hot reads of every cart request. What the catalog says about a SKU on a channel (assortment,
 * current price) is cached per process: each entry is valid until that SKU's next price boundary on
 * the channel (a sale starting or ending), and every process forgets them all when the catalog
 * changes (database triggers NOTIFY on any write to products, variants, prices or assortments). Stock
 * is never cached: it is read with the cart, in the same query. The catalog facts come from the
 * catalog module (`sellableRows`, which also says when a SKU's price next changes by itself); the
 * stock query reads inventory tables directly, deliberately, to keep a cart operation at two round
 * trips, and `read-model.test.ts` checks it agrees with the inventory module's `availability`.
 */
import { registerCache, TtlCache } from '../../platform/cache.ts';
import type { Queryable } from '../../platform/db.ts';
import { type SellableSku, sellableRows, toSellable } from '../catalog/index.ts';

export interface SkuFacts extends SellableSku {
  /** Units available (on hand − reserved − safety stock, > 0) per location id. */
  stock: Map<string, number>;
}

interface Cached {
  facts: SellableSku | null;
  /** Business time (ms) until which the facts hold; null: until the catalog changes. */
  until: number | null;
  /** The business time they were read at (a test clock may go back). */
  from: number;
}

const cache = registerCache('catalog_facts', new TtlCache<Cached>(60_000, 50_000));

/**
 * What the catalog says about SKUs on a channel at `at` (unknown SKUs are absent): from the cache
 * when it holds valid facts for that moment, else read in one query (and cached, outside
 * transactions).
 */
export const catalogFacts = async (
  q: Queryable,
  channelId: string,
  skus: readonly string[],
  at: Date,
): Promise<Map<string, SellableSku>> => {
  const t = at.getTime();
  const out = new Map<string, SellableSku>();
  const missing: string[] = [];
  for (const sku of new Set(skus)) {
    const hit = await cache.peek(`${channelId}|${sku}`);
    if (hit && hit.from <= t && (hit.until === null || t < hit.until)) {
      if (hit.facts) out.set(sku, hit.facts);
    } else missing.push(sku);
  }
  if (missing.length === 0) return out;
  const rows = await sellableRows(q, channelId, missing, at);
  const store = !('inTransaction' in q);
  const found = new Set<string>();
  for (const r of rows) {
    const facts = toSellable(r);
    out.set(r.sku, facts);
    found.add(r.sku);
    if (store)
      cache.set(`${channelId}|${r.sku}`, { facts, until: r.next_change_at?.getTime() ?? null, from: t });
  }
  if (store)
    for (const sku of missing)
      if (!found.has(sku)) cache.set(`${channelId}|${sku}`, { facts: null, until: null, from: t });
  return out;
};

/** Parses "sku|location|units,…" rows of live stock. */
export const parseStock = (s: string | null): { sku: string; locationId: string; available: number }[] =>
  (s ?? '')
    .split(',')
    .filter(Boolean)
    .map((x) => {
      const [sku = '', locationId = '', n = '0'] = x.split('|');
      return { sku, locationId, available: Number(n) };
    });

/** Live stock (> 0) of SKUs at locations, in one query. */
export const stockOf = async (
  q: Queryable,
  skus: readonly string[],
  locationIds: readonly string[],
): Promise<{ sku: string; locationId: string; available: number }[]> => {
  if (skus.length === 0 || locationIds.length === 0) return [];
  const { rows } = await q.query<{ stock: string | null }>(
    `SELECT string_agg(l.sku || '|' || l.location_id || '|' || (l.on_hand - l.reserved - l.safety_stock), ',') AS stock
     FROM inventory_levels l
     WHERE l.sku = ANY($1::text[]) AND l.location_id = ANY($2::text[]) AND l.on_hand - l.reserved - l.safety_stock > 0`,
    [[...new Set(skus)], [...locationIds]],
  );
  return parseStock(rows[0]?.stock ?? null);
};

/** Catalog facts and live stock together (for tests and callers that want both). */
export const skuFacts = async (
  q: Queryable,
  channelId: string,
  skus: readonly string[],
  locationIds: readonly string[],
  at: Date,
): Promise<Map<string, SkuFacts>> => {
  const [facts, stock] = await Promise.all([
    catalogFacts(q, channelId, skus, at),
    stockOf(q, skus, locationIds),
  ]);
  const out = new Map<string, SkuFacts>();
  for (const [sku, f] of facts) {
    out.set(sku, {
      ...f,
      stock: new Map(stock.filter((s) => s.sku === sku).map((s) => [s.locationId, s.available])),
    });
  }
  return out;
};
