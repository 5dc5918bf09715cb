import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { createShop, type Shop } from '../../test/support/shop.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

interface CartBody {
  id: string;
  customer_id: string | null;
  channel_id: string;
  status: string;
  merged_into: string | null;
  lines: { sku: string; quantity: number; unit_price: number }[];
}
interface LoginBody {
  token: string;
  customer: { id: string };
  cart_merge: {
    strategy: string;
    cart: CartBody;
    adjustments: Record<string, unknown>[];
    skipped: string | null;
  } | null;
}

let n = 0;
const customer = async () => {
  const email = `shopper${++n}@example.com`;
  await t.call('POST', '/store/customers', {
    key: shop.web.key,
    body: { email, password: 'long password 1' },
  });
  return email;
};
const login = (email: string, cartToken?: string, key = shop.web.key) =>
  t.call<LoginBody>('POST', '/store/auth/token', {
    key,
    headers: cartToken ? { 'x-plaza-cart-token': cartToken } : {},
    body: { email, password: 'long password 1' },
  });
const anonCart = async (items: { sku: string; quantity: number }[], key = shop.app.key) => {
  const r = await t.call<{ cart: CartBody; cart_token: string }>('POST', '/store/carts', {
    key,
    body: { items },
  });
  expect(r.status).toBe(201);
  return { id: r.body.cart.id, token: r.body.cart_token };
};
const customerCart = async (token: string, items: { sku: string; quantity: number }[]) => {
  const r = await t.call<{ cart: CartBody }>('POST', '/store/carts', {
    key: shop.web.key,
    token,
    body: { items },
  });
  expect(r.status).toBe(201);
  return r.body.cart;
};
const current = (token: string, key = shop.web.key) =>
  t.call<CartBody>('GET', '/store/carts/current', { key, token });
const qty = (c: CartBody) => Object.fromEntries(c.lines.map((l) => [l.sku, l.quantity]));
const setStrategy = (s: string) =>
  t.admin('PATCH', `/channels/${shop.web.id}`, { settings: { cart_merge_strategy: s } });

describe('merge at login', () => {
  it('gives the anonymous cart to a customer who has none, and finds it from any channel', async () => {
    const email = await customer();
    const a = await anonCart([{ sku: shop.skus.tee, quantity: 2 }]);
    const s = await login(email, a.token);
    expect(s.status).toBe(200);
    expect(s.body.cart_merge?.cart.id).toBe(a.id);
    expect(s.body.cart_merge?.cart.customer_id).toBe(s.body.customer.id);
    const viaApp = await current(s.body.token, shop.app.key);
    expect(viaApp.body.id).toBe(a.id);
    expect(viaApp.body.channel_id).toBe(shop.app.id);
    expect(viaApp.body.lines[0]?.unit_price).toBe(Math.round(shop.price.tee * 0.9));
  });

  it('merges: sums quantities, caps them by availability and says what it adjusted', async () => {
    await setStrategy('merge');
    const email = await customer();
    const first = await login(email);
    await customerCart(first.body.token, [
      { sku: shop.skus.hoodie, quantity: 4 },
      { sku: shop.skus.tee, quantity: 1 },
    ]);
    const a = await anonCart([
      { sku: shop.skus.hoodie, quantity: 3 },
      { sku: shop.skus.cap, quantity: 1 },
    ]);
    const s = await login(email, a.token);
    const merge = s.body.cart_merge;
    expect(merge?.strategy).toBe('merge');
    expect(qty(merge?.cart as CartBody)).toEqual({
      [shop.skus.hoodie]: 5,
      [shop.skus.tee]: 1,
      [shop.skus.cap]: 1,
    });
    expect(merge?.adjustments).toEqual([
      { sku: shop.skus.hoodie, requested: 7, quantity: 5, reason: 'capped_by_availability' },
    ]);
    const old = await t.call<CartBody>('GET', `/store/carts/${a.id}`, {
      key: shop.web.key,
      headers: { 'x-plaza-cart-token': a.token },
    });
    expect(old.body).toMatchObject({ status: 'merged', merged_into: merge?.cart.id });
    const edit = await t.call('POST', `/store/carts/${a.id}/items`, {
      key: shop.web.key,
      headers: { 'x-plaza-cart-token': a.token },
      body: { sku: shop.skus.tee, quantity: 1 },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.merged_into).toBe(merge?.cart.id);
  });

  it('keep_customer keeps the account cart; keep_latest keeps the cart changed last', async () => {
    const email = await customer();
    const first = await login(email);
    await customerCart(first.body.token, [{ sku: shop.skus.tee, quantity: 1 }]);

    await setStrategy('keep_customer');
    const a = await anonCart([{ sku: shop.skus.hoodie, quantity: 1 }]);
    const kept = await login(email, a.token);
    expect(qty(kept.body.cart_merge?.cart as CartBody)).toEqual({ [shop.skus.tee]: 1 });
    expect(kept.body.cart_merge?.adjustments).toEqual([
      { sku: shop.skus.hoodie, requested: 1, quantity: 0, reason: 'discarded' },
    ]);

    await setStrategy('keep_latest');
    t.clock.advance(60_000);
    const b = await anonCart([{ sku: shop.skus.hoodie, quantity: 2 }]);
    const latest = await login(email, b.token);
    expect(qty(latest.body.cart_merge?.cart as CartBody)).toEqual({ [shop.skus.hoodie]: 2 });
    await setStrategy('merge');
  });

  it("never moves one customer's cart to another who logs in on the same device", async () => {
    const alice = await customer();
    const bob = await customer();
    const device = await anonCart([{ sku: shop.skus.tee, quantity: 3 }]);
    const a = await login(alice, device.token);
    expect(a.body.cart_merge?.cart.id).toBe(device.id);
    await t.call('DELETE', '/store/auth/token', { key: shop.web.key, token: a.body.token });

    const b = await login(bob, device.token);
    expect(b.status).toBe(200);
    expect(b.body.cart_merge?.cart.id ?? null).not.toBe(device.id);
    expect(b.body.cart_merge?.skipped ?? 'not_anonymous').toBe('not_anonymous');
    const bobsCart = await current(b.body.token);
    expect(bobsCart.status).toBe(404); // Bob has no cart; Alice's stayed Alice's

    // The cart token left on the device no longer opens Alice's cart.
    const peek = await t.call('GET', `/store/carts/${device.id}`, {
      key: shop.web.key,
      headers: { 'x-plaza-cart-token': device.token },
    });
    expect(peek.status).toBe(404);
    const aliceAgain = await login(alice);
    expect((await current(aliceAgain.body.token)).body.id).toBe(device.id);
  });

  it('attaches an anonymous cart for a customer already logged in', async () => {
    const email = await customer();
    const s = await login(email);
    const a = await anonCart([{ sku: shop.skus.tee, quantity: 1 }]);
    const r = await t.call<{ cart: CartBody }>('POST', `/store/carts/${a.id}/attach`, {
      key: shop.web.key,
      token: s.body.token,
      headers: { 'x-plaza-cart-token': a.token },
    });
    expect(r.status).toBe(200);
    expect(r.body.cart.customer_id).toBe(s.body.customer.id);
    const other = await anonCart([{ sku: shop.skus.tee, quantity: 1 }]);
    const stranger = await t.call('POST', `/store/carts/${other.id}/attach`, {
      key: shop.web.key,
      token: s.body.token,
    });
    expect(stranger.status).toBe(404);
  });
});
