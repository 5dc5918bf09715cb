/**
 * The hot reads of every cart request. What the catalog says about a SKU on a channel (assortment,
 * current price) is cached per process: each entry is valid until that SKU's next price boundary on
 * the channel (a sale starting or ending), and every process forgets them all when the catalog
 * changes (database triggers NOTIFY on any write to products, variants, prices or assortments). Stock
 * is never cached: it is read with the cart, in the same query. These queries read catalog and
 * inventory tables directly, deliberately, to keep a cart operation at two round trips;
 * `read-model.test.ts` checks they agree with the modules' own definitions (`sellableSkus`,
 * `availability`).
 */
import { registerCache, TtlCache } from '../../platform/cache.ts';
import type { Queryable } from '../../platform/db.ts';
import type { SellableSku } from '../catalog/index.ts';

export interface SkuFacts extends SellableSku {
  /** Units available (on hand − reserved − safety stock, > 0) per location id. */
  stock: Map<string, number>;
}

interface Row {
  sku: string;
  variant_id: string;
  product_id: string;
  product_title: string;
  variant_title: string;
  image_url: string | null;
  published: boolean;
  amount: number | null;
  compare_at_amount: number | null;
  currency: string | null;
  price_changed_at: Date | null;
  next_change_at: Date | null;
}

const toFacts = (r: Row): SellableSku => ({
  sku: r.sku,
  variant_id: r.variant_id,
  product_id: r.product_id,
  product_title: r.product_title,
  variant_title: r.variant_title,
  image_url: r.image_url,
  published: r.published,
  price:
    r.amount === null || r.currency === null
      ? null
      : { amount: r.amount, compare_at_amount: r.compare_at_amount, currency: r.currency },
  price_changed_at: r.price_changed_at,
});

/** Catalog facts of SKUs on a channel at `at`, read now, with when each may next change by itself. */
const readCatalogFacts = async (q: Queryable, channelId: string, skus: readonly string[], at: Date) =>
  (
    await q.query<Row>(
      `SELECT v.sku, v.id AS variant_id, v.product_id, p.title AS product_title, v.title AS variant_title,
         p.image_urls[1] AS image_url,
         (p.status = 'published' AND EXISTS (
            SELECT 1 FROM product_channels pc WHERE pc.product_id = p.id AND pc.channel_id = $1)) AS published,
         cur.amount, cur.compare_at_amount, cur.currency,
         greatest(cur.since, (SELECT max(e.ends_at) FROM prices e
                              WHERE e.variant_id = v.id AND e.channel_id = $1 AND e.ends_at <= $3)) AS price_changed_at,
         (SELECT min(b) FROM (
            SELECT x.starts_at AS b FROM prices x WHERE x.variant_id = v.id AND x.channel_id = $1 AND x.starts_at > $3
            UNION ALL
            SELECT x.ends_at FROM prices x WHERE x.variant_id = v.id AND x.channel_id = $1 AND x.ends_at > $3) bounds
         ) AS next_change_at
       FROM variants v
       JOIN products p ON p.id = v.product_id
       LEFT JOIN LATERAL (
         SELECT pr.amount, pr.compare_at_amount, pr.currency, greatest(pr.created_at, pr.starts_at) AS since
         FROM prices pr
         WHERE pr.variant_id = v.id AND pr.channel_id = $1
           AND (pr.starts_at IS NULL OR pr.starts_at <= $3) AND (pr.ends_at IS NULL OR pr.ends_at > $3)
           AND pr.currency = (SELECT c.currency FROM channels c WHERE c.id = $1)
         ORDER BY pr.starts_at DESC NULLS LAST LIMIT 1
       ) cur ON true
       WHERE v.sku = ANY($2::text[])`,
      [channelId, [...new Set(skus)], at],
    )
  ).rows;

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
  const rows = await readCatalogFacts(q, channelId, missing, at);
  const store = !('inTransaction' in q);
  const found = new Set<string>();
  for (const r of rows) {
    const facts = toFacts(r);
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
