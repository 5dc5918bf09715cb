/**
 * Recipient contexts for templates, many customers at once: one query per kind of data (profiles,
 * traits, computed traits, stores, products, prices, stock), whatever the number of recipients.
 */
import { currentPrices, loadProducts } from '../../modules/catalog/index.ts';
import { getChannel, listChannels } from '../../modules/channels/index.ts';
import { getCustomers } from '../../modules/customers/index.ts';
import { availability } from '../../modules/inventory/index.ts';
import { getLocations, listLocations } from '../../modules/locations/index.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { formatMoney } from '../../platform/money.ts';
import { publicBaseUrl } from './links.ts';
import type { RecipientContext } from './templates.ts';

export interface ContextOptions {
  productIds: readonly string[];
  campaign?: { id: string; name: string } | null;
  /** The channel whose prices and currency the products show (default: the first web channel). */
  channelId?: string;
}

/** A campaign product before it is placed at a recipient's store. */
export interface ProductFacts {
  id: string;
  title: string;
  url: string;
  image_url: string | null;
  amount: number | null;
  currency: string | null;
  skus: string[];
}

const groupBy = <R, K extends keyof R>(rows: readonly R[], key: K): Map<R[K], R[]> => {
  const out = new Map<R[K], R[]>();
  for (const r of rows) {
    const list = out.get(r[key]) ?? [];
    list.push(r);
    out.set(r[key], list);
  }
  return out;
};

/** The channel of prices: the given one, else the first web channel, else the first channel. */
const priceChannel = async (q: Queryable, channelId: string | undefined) => {
  if (channelId) return getChannel(q, channelId);
  return (await listChannels(q, { type: 'web', limit: 1 }))[0] ?? (await listChannels(q, { limit: 1 }))[0];
};

/** The campaign's products (unknown and archived ones left out) with their lowest current price. */
export const productFacts = async (
  q: Queryable,
  deps: Pick<Deps, 'config' | 'clock'>,
  productIds: readonly string[],
  channelId?: string,
): Promise<{ products: ProductFacts[]; locale: string }> => {
  const products = (await loadProducts(q, productIds)).filter((p) => p.status !== 'archived');
  const channel = products.length ? await priceChannel(q, channelId) : undefined;
  const variantIds = products.flatMap((p) => p.variants.map((v) => v.id));
  const prices = channel ? await currentPrices(q, channel.id, variantIds, deps.clock.now()) : new Map();
  const shop = `${publicBaseUrl(deps)}/shop`;
  return {
    locale: channel?.locale ?? 'en',
    products: products.map((p) => {
      const amounts = p.variants.flatMap((v) => {
        const price = prices.get(v.id);
        return price ? [price.amount] : [];
      });
      return {
        id: p.id,
        title: p.title,
        url: `${shop}/p/${encodeURIComponent(p.handle)}`,
        image_url: p.image_urls[0] ?? null,
        amount: amounts.length ? Math.min(...amounts) : null,
        currency: channel?.currency ?? null,
        skus: p.variants.map((v) => v.sku),
      };
    }),
  };
};

/** Formats prices, remembering each (amount, currency, locale): thousands of recipients share a few. */
const priceFormatter = (fallbackLocale: string) => {
  const memo = new Map<string, string>();
  return (amount: number | null, currency: string | null, locale: string | null): string => {
    if (amount === null || currency === null) return '';
    const key = `${amount}|${currency}|${locale ?? ''}`;
    let s = memo.get(key);
    if (s === undefined) {
      try {
        s = formatMoney(amount, currency, locale ?? fallbackLocale);
      } catch {
        s = formatMoney(amount, currency, fallbackLocale);
      }
      memo.set(key, s);
    }
    return s;
  };
};

/** Units available (on hand − reserved − safety stock) of each product at each location: "product|location". */
export const stockAt = async (
  q: Queryable,
  products: readonly ProductFacts[],
  locationIds: readonly string[],
): Promise<Map<string, number>> => {
  const productOf = new Map(products.flatMap((p) => p.skus.map((s) => [s, p.id] as const)));
  const rows = await availability(q, { skus: [...productOf.keys()], locationIds });
  const out = new Map<string, number>();
  for (const r of rows) {
    const key = `${productOf.get(r.sku)}|${r.location_id}`;
    out.set(key, (out.get(key) ?? 0) + r.available);
  }
  return out;
};

/** The products as a recipient sees them, placed at their store (no store: nothing available there). */
export const placeProducts = (
  products: readonly ProductFacts[],
  stock: ReadonlyMap<string, number>,
  locationId: string | null,
  locale: string | null,
  format: (amount: number | null, currency: string | null, locale: string | null) => string,
): RecipientContext['products'] =>
  products.map((p) => {
    const available = locationId ? (stock.get(`${p.id}|${locationId}`) ?? 0) : 0;
    return {
      id: p.id,
      title: p.title,
      price: format(p.amount, p.currency, locale),
      url: p.url,
      image_url: p.image_url,
      in_stock_at_store: available > 0,
      available_at_store: available,
    };
  });

const keyed = (rows: readonly { key: string; value: unknown }[] | undefined): Record<string, unknown> =>
  Object.fromEntries((rows ?? []).map((r) => [r.key, r.value]));

/**
 * Contexts of many recipients (customers that do not exist are absent from the map). `links.unsubscribe`
 * and `offer` are null: the sender fills them per send.
 */
export const buildContexts = async (
  q: Queryable,
  deps: Pick<Deps, 'config' | 'clock'>,
  customerIds: readonly string[],
  opts: ContextOptions,
): Promise<Map<string, RecipientContext>> => {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return new Map();
  const [customers, traits, computed, facts] = await Promise.all([
    getCustomers(q, ids),
    q.query<{ customer_id: string; key: string; value: unknown }>(
      'SELECT customer_id, key, value FROM customer_traits WHERE customer_id = ANY($1::text[])',
      [ids],
    ),
    q.query<{ customer_id: string; key: string; value: unknown }>(
      `SELECT v.customer_id, d.key, v.value
       FROM customer_computed_traits v JOIN computed_traits d ON d.id = v.trait_id
       WHERE v.customer_id = ANY($1::text[]) AND d.archived_at IS NULL`,
      [ids],
    ),
    productFacts(q, deps, opts.productIds, opts.channelId),
  ]);
  const storeIds = [
    ...new Set(customers.flatMap((c) => (c.preferred_location_id ? [c.preferred_location_id] : []))),
  ];
  const [stores, stock] = await Promise.all([
    getLocations(q, storeIds),
    facts.products.length && storeIds.length
      ? stockAt(q, facts.products, storeIds)
      : new Map<string, number>(),
  ]);
  const storeById = new Map(stores.map((s) => [s.id, s]));
  const traitsBy = groupBy(traits.rows, 'customer_id');
  const computedBy = groupBy(computed.rows, 'customer_id');
  const format = priceFormatter(facts.locale);
  const shop = `${publicBaseUrl(deps)}/shop`;
  const out = new Map<string, RecipientContext>();
  for (const c of customers) {
    const store = c.preferred_location_id ? storeById.get(c.preferred_location_id) : undefined;
    out.set(c.id, {
      customer: {
        id: c.id,
        first_name: c.first_name,
        last_name: c.last_name,
        email: c.email,
        locale: c.language,
        traits: keyed(traitsBy.get(c.id)),
        computed: keyed(computedBy.get(c.id)),
      },
      store: store ? { id: store.id, name: store.name, city: store.city } : null,
      products: placeProducts(facts.products, stock, store?.id ?? null, c.language, format),
      offer: null,
      campaign: opts.campaign ?? null,
      links: { unsubscribe: null, shop },
    });
  }
  return out;
};

/**
 * The sample recipient of a preview without a customer: Ada Lovelace (ada@example.com, locale en),
 * with every trait and computed trait the content uses set to "‹key›", the first active store as
 * her store, the given products (or one "Sample product" at 19.99 in stock) and the offer code SAMPLE-CODE.
 */
export const sampleContext = async (
  q: Queryable,
  deps: Pick<Deps, 'config' | 'clock'>,
  used: { traits: readonly string[]; computed: readonly string[] },
  productIds: readonly string[],
): Promise<RecipientContext> => {
  const placeholder = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, `‹${k}›`]));
  const store = (await listLocations(q, { type: 'store', active: true, limit: 1 }))[0] ?? null;
  const base = publicBaseUrl(deps);
  let products: RecipientContext['products'];
  if (productIds.length) {
    const facts = await productFacts(q, deps, productIds);
    const stock = store ? await stockAt(q, facts.products, [store.id]) : new Map<string, number>();
    products = placeProducts(facts.products, stock, store?.id ?? null, 'en', priceFormatter(facts.locale));
  } else {
    products = [
      {
        id: 'prod_sample',
        title: 'Sample product',
        price: formatMoney(1999, 'USD', 'en'),
        url: `${base}/shop`,
        image_url: null,
        in_stock_at_store: true,
        available_at_store: 3,
      },
    ];
  }
  return {
    customer: {
      id: 'cus_sample',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      locale: 'en',
      traits: placeholder(used.traits),
      computed: placeholder(used.computed),
    },
    store: store ? { id: store.id, name: store.name, city: store.city } : null,
    products,
    offer: { code: 'SAMPLE-CODE', description: 'Sample offer' },
    campaign: { id: 'cmp_sample', name: 'Sample campaign' },
    links: { unsubscribe: `${base}/shop/unsubscribe/preview`, shop: `${base}/shop` },
  };
};
