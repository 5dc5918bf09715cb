/** Loading products with their variants and links, and their API shapes. */
import type { Queryable } from '../../platform/db.ts';
import { getChannel } from '../channels/index.ts';
import { type PriceRow, pricesOf } from './repo-prices.ts';
import { getProductsByIds, linksOf, type ProductLinks, type ProductRow } from './repo-products.ts';
import { type VariantRow, variantsOf } from './repo-variants.ts';
import { currentOf } from './rules.ts';
import type { Price, Product, ProductSummary, Variant } from './schema.ts';

/** A product with its variants (by position), categories, collections and channel publications. */
export type CatalogProduct = ProductRow & ProductLinks & { variants: VariantRow[] };

/** Loads products with variants and links, in the order of `ids`; unknown ids are skipped. */
export const loadProducts = async (q: Queryable, ids: readonly string[]): Promise<CatalogProduct[]> => {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const [rows, links, variants] = await Promise.all([
    getProductsByIds(q, unique),
    linksOf(q, unique),
    variantsOf(q, unique),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const variantsBy = new Map<string, VariantRow[]>();
  for (const v of variants) {
    const list = variantsBy.get(v.product_id) ?? [];
    list.push(v);
    variantsBy.set(v.product_id, list);
  }
  return unique.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const l = links.get(id) ?? { category_ids: [], collection_ids: [], channels: [] };
    return [{ ...row, ...l, variants: variantsBy.get(id) ?? [] }];
  });
};

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

const baseToApi = (p: ProductRow & ProductLinks) => ({
  id: p.id,
  handle: p.handle,
  title: p.title,
  description: p.description,
  status: p.status,
  attributes: p.attributes,
  image_urls: p.image_urls,
  option_names: p.option_names,
  category_ids: p.category_ids,
  collection_ids: p.collection_ids,
  channels: p.channels.map((c) => ({ channel_id: c.channel_id, published_at: c.published_at.toISOString() })),
  created_at: p.created_at.toISOString(),
  updated_at: p.updated_at.toISOString(),
});

export const summaryToApi = (p: ProductRow & ProductLinks & { variant_count: number }): ProductSummary => ({
  ...baseToApi(p),
  variant_count: p.variant_count,
});

export const priceToApi = (r: PriceRow, current: boolean): Price => ({
  id: r.id,
  channel_id: r.channel_id,
  currency: r.currency,
  amount: r.amount,
  compare_at_amount: r.compare_at_amount,
  starts_at: iso(r.starts_at),
  ends_at: iso(r.ends_at),
  current,
});

/** A channel's prices with the one in force at `at` marked (prices in another currency never are). */
export const pricesToApi = (rows: readonly PriceRow[], channelCurrency: string | undefined, at: Date) => {
  const current = currentOf(
    rows.filter((r) => r.currency === channelCurrency),
    at,
  );
  return rows.map((r) => priceToApi(r, r === current));
};

const variantToApi = (
  v: VariantRow,
  prices: readonly PriceRow[],
  currencies: ReadonlyMap<string, string>,
  at: Date,
): Variant => {
  const byChannel = new Map<string, PriceRow[]>();
  for (const p of prices) byChannel.set(p.channel_id, [...(byChannel.get(p.channel_id) ?? []), p]);
  return {
    id: v.id,
    product_id: v.product_id,
    sku: v.sku,
    barcode: v.barcode,
    title: v.title,
    options: v.options,
    position: v.position,
    weight_grams: v.weight_grams,
    prices: [...byChannel].flatMap(([channelId, rows]) => pricesToApi(rows, currencies.get(channelId), at)),
    created_at: v.created_at.toISOString(),
    updated_at: v.updated_at.toISOString(),
  };
};

/** Currencies of the channels, by id. */
export const channelCurrencies = async (
  q: Queryable,
  channelIds: readonly string[],
): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  for (const id of new Set(channelIds)) {
    const c = await getChannel(q, id);
    if (c) out.set(id, c.currency);
  }
  return out;
};

/** The admin view of one product: variants with all their prices, the current ones marked at `at`. */
export const adminProduct = async (q: Queryable, id: string, at: Date): Promise<Product | undefined> => {
  const [p] = await loadProducts(q, [id]);
  if (!p) return undefined;
  const prices = await pricesOf(
    q,
    p.variants.map((v) => v.id),
  );
  const currencies = await channelCurrencies(
    q,
    prices.map((r) => r.channel_id),
  );
  const byVariant = new Map<string, PriceRow[]>();
  for (const r of prices) byVariant.set(r.variant_id, [...(byVariant.get(r.variant_id) ?? []), r]);
  return {
    ...baseToApi(p),
    variants: p.variants.map((v) => variantToApi(v, byVariant.get(v.id) ?? [], currencies, at)),
  };
};

/** The admin view of a product that must exist (it was just read or written in this transaction). */
export const productView = async (q: Queryable, id: string, at: Date): Promise<Product> => {
  const p = await adminProduct(q, id, at);
  if (!p) throw new Error(`product ${id} vanished`);
  return p;
};
