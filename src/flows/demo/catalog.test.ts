import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { currentPrices, findVariantByCode, isValidGtin } from '../../modules/catalog/index.ts';
import { seedCatalog } from './catalog.ts';

let t: TestApp;
let channels: { id: string; currency: string; type: string }[];
beforeAll(async () => {
  t = await createTestApp();
  channels = [];
  for (const type of ['web', 'app', 'pos', 'pos'])
    channels.push({ ...(await t.channel(type)), currency: 'USD', type });
});
afterAll(() => t.close());

const count = async (sql: string): Promise<number> =>
  Number((await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]?.n);

describe('demo catalog seed', () => {
  let skus: string[] = [];

  it('creates ~200 products and ~1,000 variants, published everywhere with prices', async () => {
    const started = Date.now();
    skus = await t.deps.db.tx((tx) => seedCatalog(tx, t.deps, channels));
    const ms = Date.now() - started;
    console.log(`seedCatalog on ${t.testDb.backend}: ${ms} ms`);
    expect(await count('products')).toBe(200);
    const variants = await count('variants');
    expect(variants).toBeGreaterThanOrEqual(900);
    expect(variants).toBeLessThanOrEqual(1100);
    expect(skus).toHaveLength(variants);
    expect(new Set(skus).size).toBe(skus.length);
    expect(await count('product_channels')).toBe(200 * channels.length);
    expect(await count('prices WHERE starts_at IS NULL')).toBe(variants * channels.length);
    expect(await count('prices WHERE starts_at IS NOT NULL')).toBeGreaterThan(0);
    expect(await count('categories')).toBeGreaterThanOrEqual(8);
    expect(await count('collections')).toBe(4);
    const { rows } = await t.deps.db.query<{ barcode: string }>('SELECT barcode FROM variants');
    expect(rows.every((r) => isValidGtin(r.barcode) && r.barcode.length === 13)).toBe(true);
  });

  it('prices POS like web, the app sometimes lower, and some products on sale now', async () => {
    const [web, app, pos] = channels as [(typeof channels)[0], (typeof channels)[0], (typeof channels)[0]];
    const ids = (await t.deps.db.query<{ id: string }>('SELECT id FROM variants')).rows.map((r) => r.id);
    const now = t.clock.now();
    const w = await currentPrices(t.deps.db, web.id, ids, now);
    const a = await currentPrices(t.deps.db, app.id, ids, now);
    const p = await currentPrices(t.deps.db, pos.id, ids, now);
    expect(w.size).toBe(ids.length);
    let cheaperOnApp = 0;
    let onSale = 0;
    for (const id of ids) {
      expect(p.get(id)?.amount).toBe(w.get(id)?.amount);
      const wa = w.get(id)?.amount as number;
      if ((a.get(id)?.amount as number) < wa) cheaperOnApp++;
      expect(a.get(id)?.amount).toBeLessThanOrEqual(wa);
      if (w.get(id)?.starts_at) onSale++;
    }
    expect(cheaperOnApp).toBeGreaterThan(0);
    expect(cheaperOnApp).toBeLessThan(ids.length / 2);
    expect(onSale).toBeGreaterThan(0);
    const scanned = await findVariantByCode(t.deps.db, skus[0] as string);
    expect(scanned?.sku).toBe(skus[0]);
  });

  it('adds nothing and writes no event when run again', async () => {
    const before = {
      products: await count('products'),
      variants: await count('variants'),
      prices: await count('prices'),
      events: await count('outbox_events'),
      categories: await count('categories'),
    };
    t.clock.advance(60_000);
    const again = await t.deps.db.tx((tx) => seedCatalog(tx, t.deps, channels));
    expect(again).toEqual(skus);
    expect({
      products: await count('products'),
      variants: await count('variants'),
      prices: await count('prices'),
      events: await count('outbox_events'),
      categories: await count('categories'),
    }).toEqual(before);
  });
});
