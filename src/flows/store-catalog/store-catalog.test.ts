import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { seedDemo } from '../demo/index.ts';

let t: TestApp;
let web: string;
let pos: string;
let downtown: string;
beforeAll(async () => {
  t = await createTestApp({});
  t.clock.set(new Date('2026-03-04T18:00:00Z')); // a Wednesday, 10:00 in Portland
  const demo = await seedDemo(t.deps);
  web = demo.channels.find((c) => c.type === 'web')?.key as string;
  pos = demo.channels.find((c) => c.name.startsWith('Downtown'))?.key as string;
  downtown = demo.locations.find((l) => l.name === 'Downtown Store')?.id as string;
}, 120_000);
afterAll(() => t.close());

interface Card {
  id: string;
  handle: string;
  title: string;
  price_min: number;
  price_max: number;
  in_stock: boolean;
  on_sale: boolean;
}
interface Page {
  data: Card[];
  next_cursor: string | null;
}

const list = (query: string, key = web) => t.call<Page>('GET', `/store/products?${query}`, { key });

describe('store catalog', () => {
  it('pages through everything the channel sells without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: Page } = await list(`limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((c) => c.id));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen.length).toBe(200);
    expect(new Set(seen).size).toBe(200);
  });

  it('sorts by price across pages', async () => {
    const prices: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r: { body: Page } = await list(`sort=price_asc&limit=20${cursor ? `&cursor=${cursor}` : ''}`);
      prices.push(...r.body.data.map((c) => c.price_min));
      cursor = r.body.next_cursor;
    }
    expect(prices).toHaveLength(80);
    expect([...prices].sort((a, b) => a - b)).toEqual(prices);
    const desc = await list('sort=price_desc&limit=5');
    expect(desc.body.data[0]?.price_min).toBeGreaterThanOrEqual(prices.at(-1) as number);
  });

  it('searches with prefixes and tolerates typos, ranked', async () => {
    const exact = await list('q=hiking%20boot');
    expect(exact.body.data[0]?.title).toMatch(/Hiking Boot/);
    const prefix = await list('q=hik');
    expect(prefix.body.data.length).toBeGreaterThan(0);
    expect(prefix.body.data.every((c) => /hik/i.test(c.title))).toBe(true);
    const typo = await list('q=hikng%20boot');
    expect(typo.body.data.some((c) => /Hiking Boot/.test(c.title))).toBe(true);
    const none = await list('q=zzzzqqq');
    expect(none.body.data).toEqual([]);
  });

  it('filters by price range and by stock at a store', async () => {
    const r = await list('min_price=5000&max_price=8000&limit=100');
    expect(r.body.data.length).toBeGreaterThan(0);
    for (const c of r.body.data) expect(c.price_min).toBeGreaterThanOrEqual(5000);
    for (const c of r.body.data) expect(c.price_min).toBeLessThanOrEqual(8000);
    const atStore = await list(`in_stock_at=${downtown}&limit=100`);
    const all = await list('limit=100');
    expect(atStore.body.data.length).toBeGreaterThan(0);
    expect(atStore.body.data.length).toBeLessThanOrEqual(all.body.data.length);
  });

  it('shows a product with channel prices and availability per store, by id or handle', async () => {
    const card = (await list('q=hiking%20boot')).body.data[0] as Card;
    const byId = await t.call<{
      handle: string;
      pickup_locations: { location_id: string; name: string; open_now: boolean; open_later_today: boolean }[];
      variants: {
        sku: string;
        price: { amount: number } | null;
        available: number;
        pickup_units: number[];
        pickup_today: boolean;
      }[];
    }>('GET', `/store/products/${card.id}`, { key: web });
    expect(byId.status).toBe(200);
    expect(byId.body.variants.length).toBeGreaterThan(1);
    expect(byId.body.pickup_locations.map((s) => s.name).sort()).toEqual([
      'Downtown Store',
      'Hawthorne Store',
      'Riverside Store',
    ]);
    // Wednesday 10:00 in Portland: the demo stores are open.
    expect(byId.body.pickup_locations.every((s) => s.open_now && s.open_later_today)).toBe(true);
    for (const v of byId.body.variants) {
      expect(v.pickup_units).toHaveLength(byId.body.pickup_locations.length);
      expect(v.pickup_today).toBe(v.pickup_units.some((n) => n > 0));
    }
    expect(byId.body.variants.some((v) => v.pickup_units.some((n) => n > 0))).toBe(true);
    // The units at a store are that store's level.
    const store = byId.body.pickup_locations[0] as { location_id: string };
    const first = byId.body.variants[0] as { sku: string; pickup_units: number[] };
    const lvl = await t.admin<{ data: { available: number }[] }>(
      'GET',
      `/inventory/levels?sku=${encodeURIComponent(first.sku)}&location_id=${store.location_id}`,
    );
    expect(first.pickup_units[0]).toBe(lvl.body.data[0]?.available ?? 0);
    const v = byId.body.variants[0];
    expect(v?.price?.amount).toBeGreaterThan(0);
    const levels = await t.admin<{ data: { available: number }[] }>(
      'GET',
      `/inventory/levels?sku=${encodeURIComponent(v?.sku as string)}&limit=50`,
    );
    expect(v?.available).toBe(levels.body.data.reduce((n, l) => n + l.available, 0));
    const byHandle = await t.call<{ handle: string }>('GET', `/store/products/${byId.body.handle}`, {
      key: web,
    });
    expect(byHandle.body.handle).toBe(byId.body.handle);
    const posView = await t.call<{ pickup_locations: { name: string }[] }>(
      'GET',
      `/store/products/${card.id}`,
      {
        key: pos,
      },
    );
    expect(posView.body.pickup_locations.map((s) => s.name)).toEqual(['Downtown Store']);
  });

  it('hides what the channel does not sell', async () => {
    expect((await t.call('GET', '/store/products/no-such-thing', { key: web })).status).toBe(404);
    const card = (await list('limit=1')).body.data[0] as Card;
    await t.admin(
      'DELETE',
      `/products/${card.id}/channels/${(await t.call<{ id: string }>('GET', '/store/channel', { key: web })).body.id}`,
    );
    expect((await t.call('GET', `/store/products/${card.id}`, { key: web })).status).toBe(404);
    expect((await t.call('GET', `/store/products/${card.id}`, { key: pos })).status).toBe(200);
  });

  it('refuses a cursor from another sort', async () => {
    const first = await list('sort=price_asc&limit=2');
    const r = await list(`sort=title&cursor=${first.body.next_cursor}`);
    expect(r.status).toBe(400);
  });
});

describe("a shop's menus", () => {
  it('lists the categories and collections of what the channel sells, with counts that match the listing', async () => {
    const cats = await t.call<{ data: { id: string; name: string; products: number }[] }>(
      'GET',
      '/store/categories',
      {
        key: web,
      },
    );
    expect(cats.status).toBe(200);
    expect(cats.body.data.length).toBeGreaterThan(1);
    const names = cats.body.data.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const first = cats.body.data[0];
    let counted = 0;
    let cursor: string | null = null;
    do {
      const page: Page = (
        await list(
          `category_id=${first?.id}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )
      ).body;
      counted += page.data.length;
      cursor = page.next_cursor;
    } while (cursor);
    expect(counted).toBe(first?.products);
    const cols = await t.call<{ data: { title: string; products: number }[] }>('GET', '/store/collections', {
      key: web,
    });
    expect(cols.status).toBe(200);
    expect(cols.body.data.every((c) => c.products > 0)).toBe(true);
    const noKey = await t.call('GET', '/store/categories');
    expect(noKey.status).toBe(401);
  });
});
