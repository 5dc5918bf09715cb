import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

interface Line {
  id: string;
  sku: string;
  quantity: number;
  unit_price: number | null;
  available: number;
  availability: string;
  ready?: string;
}
interface CartBody {
  id: string;
  channel_id: string;
  currency: string;
  lines: Line[];
  subtotal: number;
  discount_total: number;
  shipping_total: number;
  total: number;
  version: number;
  prices_changed_at: string | null;
  fulfillment: Record<string, unknown> | null;
  customer_id: string | null;
  status: string;
}

const anon = async (key = shop.web.key) => {
  const r = await t.call<{ cart: CartBody; cart_token: string }>('POST', '/store/carts', { key });
  expect(r.status).toBe(201);
  return { id: r.body.cart.id, token: r.body.cart_token };
};
const as = (c: { token: string }) => ({ 'x-plaza-cart-token': c.token });
const add = (c: { id: string; token: string }, sku: string, quantity: number, key = shop.web.key) =>
  t.call<CartBody>('POST', `/store/carts/${c.id}/items`, { key, headers: as(c), body: { sku, quantity } });

describe('cart access', () => {
  it('opens an anonymous cart only with its secret token, never by id alone', async () => {
    const c = await anon();
    expect(c.token).toMatch(/^plz_cart_/);
    expect((await t.call('GET', `/store/carts/${c.id}`, { key: shop.web.key, headers: as(c) })).status).toBe(
      200,
    );
    const byId = await t.call('GET', `/store/carts/${c.id}`, { key: shop.web.key });
    expect(byId.status).toBe(404);
    const wrong = await t.call('GET', `/store/carts/${c.id}`, {
      key: shop.web.key,
      headers: { 'x-plaza-cart-token': 'plz_cart_wrong' },
    });
    expect(wrong.status).toBe(404);
    expect((await add({ id: c.id, token: 'plz_cart_wrong' }, shop.skus.tee, 1)).status).toBe(404);
  });
});

describe('cart lines', () => {
  it('adds, merges the same SKU into one line, updates and removes', async () => {
    const c = await anon();
    await add(c, shop.skus.tee, 1);
    const twice = await add(c, shop.skus.tee, 2);
    expect(twice.status).toBe(200);
    expect(twice.body.lines).toHaveLength(1);
    expect(twice.body.lines[0]).toMatchObject({
      sku: shop.skus.tee,
      quantity: 3,
      unit_price: shop.price.tee,
    });
    expect(twice.body.subtotal).toBe(3 * shop.price.tee);
    const lineId = twice.body.lines[0]?.id as string;
    const patched = await t.call<CartBody>('PATCH', `/store/carts/${c.id}/items/${lineId}`, {
      key: shop.web.key,
      headers: as(c),
      body: { quantity: 1 },
    });
    expect(patched.body.lines[0]?.quantity).toBe(1);
    const removed = await t.call<CartBody>('DELETE', `/store/carts/${c.id}/items/${lineId}`, {
      key: shop.web.key,
      headers: as(c),
    });
    expect(removed.body.lines).toEqual([]);
    expect(removed.body.version).toBeGreaterThan(twice.body.version);
  });

  it('answers INSUFFICIENT_STOCK with what is available, counting what the cart holds', async () => {
    const c = await anon();
    expect((await add(c, shop.skus.hoodie, 4)).status).toBe(200);
    const more = await add(c, shop.skus.hoodie, 2);
    expect(more.status).toBe(409);
    expect(more.body).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      sku: shop.skus.hoodie,
      requested: 6,
      available: 5,
    });
  });

  it('refuses SKUs the channel does not sell', async () => {
    const c = await anon();
    const r = await add(c, 'NOPE-1', 1);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('NOT_FOUND');
  });

  it('prices the same cart for the channel it is read through', async () => {
    const c = await anon();
    await add(c, shop.skus.tee, 2);
    const viaApp = await t.call<CartBody>('GET', `/store/carts/${c.id}`, {
      key: shop.app.key,
      headers: as(c),
    });
    expect(viaApp.body.channel_id).toBe(shop.app.id);
    expect(viaApp.body.lines[0]?.unit_price).toBe(Math.round(shop.price.tee * 0.9));
    expect(viaApp.body.prices_changed_at).not.toBeNull();
  });

  it('shows availability for the chosen fulfilment', async () => {
    const c = await anon();
    await add(c, shop.skus.cap, 1); // 1 cap, in store B only
    const ship = await t.call<CartBody>('PUT', `/store/carts/${c.id}/fulfillment`, {
      key: shop.web.key,
      headers: as(c),
      body: {
        type: 'shipping',
        address: { name: 'A', line1: '1 St', city: 'Portland', postal_code: '97205', country: 'US' },
      },
    });
    expect(ship.body.lines[0]).toMatchObject({ available: 0, availability: 'out_of_stock' });
    expect((ship.body.fulfillment as { problem: string }).problem).toContain('Not enough');
    const pickupA = await t.call<CartBody>('PUT', `/store/carts/${c.id}/fulfillment`, {
      key: shop.web.key,
      headers: as(c),
      body: { type: 'pickup', location_id: shop.storeA },
    });
    expect(pickupA.body.lines[0]).toMatchObject({ available: 1, ready: 'by_transfer' });
    expect(pickupA.body.fulfillment).toMatchObject({ type: 'pickup', needs_transfer: true });
    const pickupB = await t.call<CartBody>('PUT', `/store/carts/${c.id}/fulfillment`, {
      key: shop.web.key,
      headers: as(c),
      body: { type: 'pickup', location_id: shop.storeB },
    });
    expect(pickupB.body.lines[0]).toMatchObject({ ready: 'in_store' });
    expect(pickupB.body.fulfillment).toMatchObject({ needs_transfer: false });
    const notPickup = await t.call('PUT', `/store/carts/${c.id}/fulfillment`, {
      key: shop.web.key,
      headers: as(c),
      body: { type: 'pickup', location_id: shop.warehouse },
    });
    expect(notPickup.status).toBe(400);
  });

  it('charges flat shipping below the threshold and none above it', async () => {
    const c = await anon();
    await add(c, shop.skus.tee, 1); // 2500 < 5000
    const address = { name: 'A', line1: '1 St', city: 'Portland', postal_code: '97205', country: 'US' };
    const low = await t.call<CartBody>('PUT', `/store/carts/${c.id}/fulfillment`, {
      key: shop.web.key,
      headers: as(c),
      body: { type: 'shipping', address },
    });
    expect(low.body).toMatchObject({ shipping_total: 500, total: 3000 });
    const high = await add(c, shop.skus.tee, 1); // 5000
    expect(high.body).toMatchObject({ shipping_total: 0, total: 5000 });
  });
});

describe('cart prices follow the catalog at once', () => {
  const variantOf = async (sku: string) => {
    const r = await t.admin<{ data: { id: string }[] }>('GET', `/products?sku=${sku}`);
    const p = await t.admin<{ variants: { id: string; sku: string }[] }>(
      'GET',
      `/products/${r.body.data[0]?.id}`,
    );
    return p.body.variants.find((v) => v.sku === sku)?.id as string;
  };

  it('shows a new price right after it is set, and a scheduled sale from the moment it starts', async () => {
    const c = await anon();
    await add(c, shop.skus.cap, 1);
    const variant = await variantOf(shop.skus.cap);
    const starts = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const set = await t.admin('PUT', `/variants/${variant}/prices`, {
      channel_id: shop.web.id,
      prices: [{ amount: 1700 }, { amount: 1200, compare_at_amount: 1700, starts_at: starts }],
    });
    expect(set.status).toBe(200);
    const read = () => t.call<CartBody>('GET', `/store/carts/${c.id}`, { key: shop.web.key, headers: as(c) });
    expect((await read()).body.lines[0]?.unit_price).toBe(1700);
    t.clock.advance(3_600_000);
    const onSale = await read();
    expect(onSale.body.lines[0]?.unit_price).toBe(1200);
    expect(onSale.body.prices_changed_at).toBe(starts);
  });
});
