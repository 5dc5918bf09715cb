/**
 * The mission's story, end to end through the HTTP API: a shopper fills a cart on the phone (app
 * channel) without an account, logs in on the laptop (web channel) and finds the same cart there,
 * removes a line on the laptop while the phone's live stream shows it, cancels a first order before
 * paying, then checks the cart out for pickup in a store, and sees the orders from both channels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { watchAnswers } from './support/contract.ts';
import { createShop, type Shop } from './support/shop.ts';
import { openSse } from './support/sse.ts';

let t: TestApp;
/** Answers that differ from the OpenAPI document (status, content type or body). */
let answers: { violations: string[]; seen: Set<string> };
let shop: Shop;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  answers = await watchAnswers(t.app);
  shop = await createShop(t);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

interface Cart {
  id: string;
  channel_id: string;
  version: number;
  status: string;
  lines: { id: string; sku: string; quantity: number; unit_price: number }[];
}
interface Order {
  id: string;
  status: string;
  channel_id: string;
  payment_status: string;
  fulfillment_type: string;
}

describe('one customer, one cart, one order history, every channel', () => {
  it('follows the shopper from phone to laptop to store', async () => {
    const email = 'mina@example.com';
    const password = 'a long password';
    expect(
      (await t.call('POST', '/store/customers', { key: shop.web.key, body: { email, password } })).status,
    ).toBe(201);

    // On the phone, without logging in, no time pressure.
    const phone = { key: shop.app.key };
    const created = await t.call<{ cart: Cart; cart_token: string }>('POST', '/store/carts', {
      ...phone,
      body: { items: [{ sku: shop.skus.tee, quantity: 2 }] },
    });
    const cartId = created.body.cart.id;
    const cartToken = created.body.cart_token;
    await t.call('POST', `/store/carts/${cartId}/items`, {
      ...phone,
      headers: { 'x-plaza-cart-token': cartToken },
      body: { sku: shop.skus.hoodie, quantity: 1 },
    });

    // On the laptop: logging in brings the phone's cart along.
    const laptop = await t.call<{ token: string; cart_merge: { cart: Cart } | null }>(
      'POST',
      '/store/auth/token',
      {
        key: shop.web.key,
        headers: { 'x-plaza-cart-token': cartToken },
        body: { email, password },
      },
    );
    expect(laptop.status).toBe(200);
    const onLaptop = await t.call<Cart>('GET', '/store/carts/current', {
      key: shop.web.key,
      token: laptop.body.token,
    });
    expect(onLaptop.body.id).toBe(cartId);
    expect(onLaptop.body.channel_id).toBe(shop.web.id);
    expect(onLaptop.body.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [shop.skus.tee, 2],
      [shop.skus.hoodie, 1],
    ]);
    expect(onLaptop.body.lines[0]?.unit_price).toBe(shop.price.tee); // web prices on the laptop

    // The phone, now logged in too, streams the cart; the laptop removes a line.
    const phoneLogin = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: shop.app.key,
      body: { email, password },
    });
    const stream = openSse(
      `${base}/store/carts/${cartId}/stream?channel_key=${shop.app.key}&access_token=${phoneLogin.body.token}`,
    );
    try {
      const first = await stream.next((m) => m.event === 'cart');
      expect((JSON.parse(first.data) as Cart).lines).toHaveLength(2);
      const hoodie = onLaptop.body.lines.find((l) => l.sku === shop.skus.hoodie) as { id: string };
      const removed = await t.call<Cart>('DELETE', `/store/carts/${cartId}/items/${hoodie.id}`, {
        key: shop.web.key,
        token: laptop.body.token,
      });
      const seen = await stream.next(
        (m) => m.event === 'cart' && (JSON.parse(m.data) as Cart).version === removed.body.version,
        1000,
      );
      const phoneView = JSON.parse(seen.data) as Cart;
      expect(phoneView.lines.map((l) => l.sku)).toEqual([shop.skus.tee]);
      expect(phoneView.channel_id).toBe(shop.app.id);
      expect(phoneView.lines[0]?.unit_price).toBe(Math.round(shop.price.tee * 0.9)); // app prices on the phone
    } finally {
      stream.close();
    }

    // A first order, to pay in the store… cancelled before paying: the cart comes back.
    const web = { key: shop.web.key, token: laptop.body.token };
    await t.call('PUT', `/store/carts/${cartId}/fulfillment`, {
      ...web,
      body: { type: 'pickup', location_id: shop.storeA },
    });
    const first = await t.call<{ order: Order }>('POST', `/store/carts/${cartId}/checkout`, {
      ...web,
      headers: { 'idempotency-key': 'story-1' },
      body: { payment: { provider: 'pay-in-store' } },
    });
    expect(first.status).toBe(201);
    const cancelled = await t.call<Order>('POST', `/store/orders/${first.body.order.id}/cancel`, web);
    expect(cancelled.body.status).toBe('cancelled');
    const back = await t.call<Cart>('GET', '/store/carts/current', web);
    expect(back.body).toMatchObject({ id: cartId, status: 'active' });

    // Checked out for pickup, paid by card.
    const second = await t.call<{ order: Order }>('POST', `/store/carts/${cartId}/checkout`, {
      ...web,
      headers: { 'idempotency-key': 'story-2' },
      body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
    });
    expect(second.status).toBe(201);
    expect(second.body.order).toMatchObject({
      status: 'confirmed',
      fulfillment_type: 'pickup',
      payment_status: 'authorized',
    });

    // The same order history from both channels.
    for (const key of [shop.web.key, shop.app.key]) {
      const token = key === shop.web.key ? laptop.body.token : phoneLogin.body.token;
      const history = await t.call<{ data: Order[] }>('GET', '/store/orders', { key, token });
      expect(history.body.data.map((o) => [o.id, o.status])).toEqual([
        [second.body.order.id, 'confirmed'],
        [first.body.order.id, 'cancelled'],
      ]);
    }
  }, 60_000);
});

describe('the OpenAPI document', () => {
  it('declares every answer of this journey: status, content type and body', () => {
    expect(answers.violations).toEqual([]);
    expect(answers.seen.size).toBeGreaterThan(10);
  });
});
