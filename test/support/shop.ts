/** A small shop for commerce tests: channels, a warehouse and two stores, products with prices and stock. */
import type { TestApp } from './app.ts';
import { newLocation, newSku, stock } from './stock.ts';

export interface Shop {
  web: { id: string; key: string };
  app: { id: string; key: string };
  warehouse: string;
  storeA: string;
  storeB: string;
  /** SKU → unit price on web and app (app 10 % cheaper). */
  skus: { tee: string; hoodie: string; cap: string };
  price: { tee: number; hoodie: number; cap: number };
}

const ok = <T>(r: { status: number; body: T }, what: string): T => {
  if (r.status >= 300) throw new Error(`${what} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

/**
 * Creates a web and an app channel fulfilled by a warehouse (ships) and two pickup stores,
 * and three products with stock: tee 20 in the warehouse and 2 in store A, hoodie 5 in the
 * warehouse, cap 1 in store B only.
 */
export const createShop = async (t: TestApp, opts: { stockTee?: number } = {}): Promise<Shop> => {
  const web = await t.channel('web');
  const app = await t.channel('app');
  const warehouse = await newLocation(t, { type: 'warehouse', pickup: false, name: `Warehouse ${web.id}` });
  const storeA = await newLocation(t, { name: `Store A ${web.id}`, latitude: 45.52, longitude: -122.68 });
  const storeB = await newLocation(t, { name: `Store B ${web.id}`, latitude: 45.53, longitude: -122.66 });
  for (const c of [web, app]) {
    ok(
      await t.admin('PUT', `/channels/${c.id}/locations`, { location_ids: [warehouse, storeA, storeB] }),
      'locations',
    );
  }
  const skus = { tee: newSku('TEE'), hoodie: newSku('HOOD'), cap: newSku('CAP') };
  const price = { tee: 2500, hoodie: 6000, cap: 1800 };
  for (const [name, sku] of Object.entries(skus) as [keyof Shop['skus'], string][]) {
    const p = ok(
      await t.admin<{ id: string }>('POST', '/products', {
        title: `Plaza ${name}`,
        status: 'published',
        variants: [
          {
            sku,
            title: 'One size',
            prices: [
              { channel_id: web.id, amount: price[name] },
              { channel_id: app.id, amount: Math.round(price[name] * 0.9) },
            ],
          },
        ],
      }),
      'product',
    );
    for (const c of [web, app]) ok(await t.admin('PUT', `/products/${p.id}/channels/${c.id}`), 'publish');
  }
  await stock(t, skus.tee, warehouse, opts.stockTee ?? 20);
  await stock(t, skus.tee, storeA, 2);
  await stock(t, skus.hoodie, warehouse, 5);
  await stock(t, skus.cap, storeB, 1);
  return { web, app, warehouse, storeA, storeB, skus, price };
};
