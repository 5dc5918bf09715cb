/** One product as a channel sells it: its variants at the channel's prices, with availability. */

import { currentPrices, loadProducts } from '../../modules/catalog/index.ts';
import { channelStockSummary } from '../../modules/inventory/index.ts';
import { fulfilmentLocations, openingStatuses } from '../../modules/locations/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { restockDays } from '../replenishment/restock.ts';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** The product by id or handle, if the channel sells it (published, and published to the channel). */
export const findSoldProduct = async (q: Queryable, channelId: string, idOrHandle: string) => {
  const { rows } = await q.query<{ id: string }>(
    `SELECT p.id FROM products p JOIN product_channels pc ON pc.product_id = p.id AND pc.channel_id = $2
     WHERE (p.id = $1 OR p.handle = $1) AND p.status = 'published' LIMIT 1`,
    [idOrHandle, channelId],
  );
  const id = rows[0]?.id;
  return id ? (await loadProducts(q, [id]))[0] : undefined;
};

/**
 * Availability of every variant of a product for a channel: in total over its fulfilment locations,
 * what can ship, and the pickup stores that have it ("pick up today at Downtown"). The channel's
 * pickup stores (with whether they are open) are listed once; each variant lists the stores with
 * stock. Three indexed queries whatever the number of variants and locations.
 */
export const productAvailability = async (
  q: Queryable,
  channelId: string,
  skus: readonly string[],
  at: Date,
) => {
  const loading = fulfilmentLocations(q, channelId);
  const [locations, stock] = await Promise.all([loading, channelStockSummary(q, channelId, skus, loading)]);
  const pickupLocations = locations.filter((l) => l.active && l.pickup);
  const out = [...stock.values()].filter((s) => s.available <= 0).map((s) => s.sku);
  const missing = skus.filter((sku) => !stock.has(sku));
  const backIn = await restockDays(
    q,
    locations.filter((l) => l.active).map((l) => l.id),
    [...out, ...missing],
    at,
  );
  const hours = openingStatuses(pickupLocations, at);
  const pickup = pickupLocations.map((l) => ({
    location_id: l.id,
    name: l.name,
    ...(hours.get(l.id) as { open_now: boolean; open_later_today: boolean }),
  }));
  const column = new Map(pickup.map((p, i) => [p.location_id, i]));
  const bySku = new Map(
    [...stock.values()].map((s) => {
      const units = new Array<number>(pickup.length).fill(0);
      for (const [id, n] of s.pickup) {
        const i = column.get(id);
        if (i !== undefined) units[i] = n;
      }
      return [
        s.sku,
        {
          available: s.available,
          available_to_ship: s.available_to_ship,
          pickup_units: units,
          pickup_today: units.some((n, i) => n > 0 && pickup[i]?.open_later_today),
        },
      ];
    }),
  );
  return { pickup, bySku, backIn };
};

export const productForChannel = async (
  q: Queryable,
  channel: { channelId: string; currency: string },
  idOrHandle: string,
  at: Date,
) => {
  const p = await findSoldProduct(q, channel.channelId, idOrHandle);
  if (!p) return undefined;
  const [prices, stock] = await Promise.all([
    currentPrices(
      q,
      channel.channelId,
      p.variants.map((v) => v.id),
      at,
    ),
    productAvailability(
      q,
      channel.channelId,
      p.variants.map((v) => v.sku),
      at,
    ),
  ]);
  return {
    id: p.id,
    handle: p.handle,
    pickup_locations: stock.pickup,
    title: p.title,
    description: p.description,
    image_urls: p.image_urls,
    attributes: p.attributes,
    option_names: p.option_names,
    category_ids: p.category_ids,
    collection_ids: p.collection_ids,
    currency: channel.currency,
    variants: p.variants.map((v) => {
      const price = prices.get(v.id);
      const s = stock.bySku.get(v.sku);
      return {
        id: v.id,
        sku: v.sku,
        barcode: v.barcode,
        title: v.title,
        options: v.options,
        price: price
          ? { amount: price.amount, compare_at_amount: price.compare_at_amount, ends_at: iso(price.ends_at) }
          : null,
        available: s?.available ?? 0,
        available_to_ship: s?.available_to_ship ?? 0,
        pickup_units: s?.pickup_units ?? new Array<number>(stock.pickup.length).fill(0),
        pickup_today: s?.pickup_today ?? false,
        back_in_days: (s?.available ?? 0) > 0 ? null : (stock.backIn.get(v.sku) ?? null),
      };
    }),
  };
};
