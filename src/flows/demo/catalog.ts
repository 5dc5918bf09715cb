/**
 * Demo catalog for "Plaza Outfitters": ~200 products and ~1,000 variants in a few categories and
 * collections, published to the given channels with prices. Idempotent: a second run in the same
 * state adds nothing and writes no event.
 */
import {
  addScheduledPricesIfNone,
  type BulkProduct,
  bulkUpsert,
  categoriesByHandle,
  collectionsByHandle,
  createCategory,
  createCollection,
  findVariantsBySku,
  type ScheduledPrice,
} from '../../modules/catalog/index.ts';
import { DAY } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { minorUnitDigits } from '../../platform/money.ts';
import { unwrap } from '../../platform/result.ts';
import { DEMO_CATEGORIES, DEMO_COLLECTIONS, type DemoProduct, demoProducts } from './catalog-data.ts';

export interface SeedChannel {
  id: string;
  currency: string;
  /** `app` channels get a slightly lower price on some products. */
  type?: string;
}

const ensureTaxonomy = async (tx: Tx, deps: Pick<Deps, 'clock'>): Promise<void> => {
  const cats = new Map(
    (
      await categoriesByHandle(
        tx,
        DEMO_CATEGORIES.map((c) => c.handle),
      )
    ).map((c) => [c.handle, c.id]),
  );
  for (const c of DEMO_CATEGORIES) {
    if (cats.has(c.handle)) continue;
    const parent = c.parent ? cats.get(c.parent) : undefined;
    const row = unwrap(
      await createCategory(tx, deps, { name: c.name, handle: c.handle, parent_id: parent ?? null }),
    );
    cats.set(c.handle, row.id);
  }
  const cols = new Set(
    (
      await collectionsByHandle(
        tx,
        DEMO_COLLECTIONS.map((c) => c.handle),
      )
    ).map((c) => c.handle),
  );
  for (const c of DEMO_COLLECTIONS) if (!cols.has(c.handle)) unwrap(await createCollection(tx, deps, c));
};

/** A price in the channel's currency from cents (0-decimal currencies get whole units). */
const inCurrency = (cents: number, currency: string): number =>
  Math.max(0, Math.round(cents * 10 ** (minorUnitDigits(currency) - 2)));

/** `x` lowered by `pct` percent, ending in 99 cents ("…x.99"). */
const off = (cents: number, pct: number): number => Math.round((cents * (100 - pct)) / 10_000) * 100 - 1;

const basePrice = (p: DemoProduct, c: SeedChannel) => {
  const base = p.price - 1;
  const appDeal = c.type === 'app' && p.index % 4 === 0;
  return {
    channel_id: c.id,
    currency: c.currency,
    amount: inCurrency(appDeal ? off(p.price, 5) : base, c.currency),
    compare_at_amount: appDeal ? inCurrency(base, c.currency) : null,
  };
};

const toBulk = (p: DemoProduct, channels: readonly SeedChannel[]): BulkProduct => ({
  handle: p.handle,
  title: p.title,
  description: p.description,
  status: 'published',
  option_names: p.optionNames,
  attributes: p.attributes,
  image_urls: [`https://images.plaza.example/outfitters/${p.handle}.jpg`],
  category_handles: [p.category],
  collection_handles: p.collections,
  channel_ids: channels.map((c) => c.id),
  variants: p.variants.map((v, i) => ({
    line: p.index * 100 + i,
    sku: v.sku,
    barcode: v.barcode,
    options: v.options,
    position: i,
    weight_grams: v.weight,
    prices: channels.map((c) => basePrice(p, c)),
  })),
});

/**
 * A few sales: every 25th product (from the 6th) is on sale now at 20 % off for two weeks, every
 * 25th from the 16th gets a 30 % sale starting in a week. Windows are whole UTC days.
 */
const sales = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  products: readonly DemoProduct[],
  channels: readonly SeedChannel[],
): Promise<ScheduledPrice[]> => {
  const today = Math.floor(deps.clock.now().getTime() / DAY) * DAY;
  const onSale = products.filter((p) => p.index % 25 === 5 || p.index % 25 === 15);
  const variants = new Map(
    (
      await findVariantsBySku(
        tx,
        onSale.flatMap((p) => p.variants.map((v) => v.sku)),
      )
    ).map((v) => [v.sku, v]),
  );
  return onSale.flatMap((p) => {
    const now = p.index % 25 === 5;
    const start = new Date(today + (now ? -2 : 7) * DAY);
    const end = new Date(today + (now ? 12 : 14) * DAY);
    return p.variants.flatMap((v) => {
      const variant = variants.get(v.sku);
      if (!variant) return [];
      return channels.map((c) => ({
        variant,
        channelId: c.id,
        currency: c.currency,
        price: {
          amount: inCurrency(off(p.price, now ? 20 : 30), c.currency),
          compare_at_amount: inCurrency(p.price - 1, c.currency),
          starts_at: start,
          ends_at: end,
        },
      }));
    });
  });
};

/**
 * Creates the demo catalog in the caller's transaction, published to `channels` with prices
 * (POS and web alike, app a little cheaper on some products, a few scheduled sales).
 * Returns the SKUs of all demo variants.
 */
export const seedCatalog = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  channels: readonly SeedChannel[],
): Promise<string[]> => {
  await ensureTaxonomy(tx, deps);
  const products = demoProducts();
  const result = await bulkUpsert(
    tx,
    deps,
    products.map((p) => toBulk(p, channels)),
  );
  const first = result.errors[0];
  if (first) throw new Error(`demo catalog: ${first.sku ?? first.handle}: ${first.message}`);
  await addScheduledPricesIfNone(tx, deps, await sales(tx, deps, products, channels));
  return products.flatMap((p) => p.variants.map((v) => v.sku));
};
