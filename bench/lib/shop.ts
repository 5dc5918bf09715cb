/** Setting up benchmark data through the admin API (the same path a retailer's integration takes). */
import type { BenchEnv } from './env.ts';

export interface BenchShop {
  channelId: string;
  key: string;
  locationIds: string[];
  skus: string[];
  productIds: string[];
}

/**
 * A web channel fulfilled by `locations` locations (the first a warehouse that ships, the others
 * pickup stores), `products` products of `variants` variants each, priced, with `units` of every
 * SKU at every location.
 */
export const createBenchShop = async (
  env: BenchEnv,
  o: { locations: number; products: number; variants: number; units: number; tag: string },
): Promise<BenchShop> => {
  const channel = await env.admin<{ id: string }>('POST', '/channels', {
    type: 'web',
    name: `Bench ${o.tag}`,
    currency: 'USD',
    locale: 'en-US',
    settings: { checkout_hold_minutes: 15, free_shipping_threshold: 0 },
  });
  const key = (await env.admin<{ key: string }>('POST', `/channels/${channel.id}/keys`, {})).key;
  const locationIds: string[] = [];
  for (let i = 0; i < o.locations; i++) {
    const l = await env.admin<{ id: string }>('POST', '/locations', {
      name: `${o.tag} location ${i}`,
      type: i === 0 ? 'warehouse' : 'store',
      address: {
        line1: `${i} Bench St`,
        city: 'Portland',
        region: 'OR',
        postal_code: '97205',
        country: 'US',
      },
      latitude: 45.5 + i / 1000,
      longitude: -122.6 - i / 1000,
      timezone: 'America/Los_Angeles',
      pickup: i > 0,
      ship_from_store: false,
    });
    locationIds.push(l.id);
  }
  await env.admin('PUT', `/channels/${channel.id}/locations`, { location_ids: locationIds });
  const skus: string[] = [];
  const productIds: string[] = [];
  for (let p = 0; p < o.products; p++) {
    const variants = Array.from({ length: o.variants }, (_, v) => ({
      sku: `${o.tag}-${p}-${v}`,
      title: `Variant ${v}`,
      options: { size: `S${v}` },
      prices: [{ channel_id: channel.id, amount: 1000 + v }],
    }));
    const prod = await env.admin<{ id: string }>('POST', '/products', {
      title: `${o.tag} product ${p}`,
      status: 'published',
      option_names: ['size'],
      variants,
    });
    await env.admin('PUT', `/products/${prod.id}/channels/${channel.id}`);
    productIds.push(prod.id);
    skus.push(...variants.map((v) => v.sku));
  }
  for (const loc of locationIds) {
    for (let i = 0; i < skus.length; i += 200) {
      await env.admin('POST', '/inventory/counts', {
        location_id: loc,
        lines: skus.slice(i, i + 200).map((sku) => ({ sku, counted: o.units })),
        reason: 'bench stock',
      });
    }
  }
  return { channelId: channel.id, key, locationIds, skus, productIds };
};
