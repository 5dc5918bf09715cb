import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { level } from '../../../test/support/stock.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

interface CartBody {
  id: string;
  lines: { id: string; sku: string; quantity: number; unit_price: number }[];
  total: number;
  status: string;
}
interface OrderBody {
  order: {
    id: string;
    status: string;
    total: number;
    payment_status: string;
    fulfillments: { id: string }[];
  };
  order_token: string | null;
}

const newCart = async (items: { sku: string; quantity: number }[], key = shop.web.key) => {
  const r = await t.call<{ cart: CartBody; cart_token: string }>('POST', '/store/carts', {
    key,
    body: { items },
  });
  expect(r.status).toBe(201);
  return { id: r.body.cart.id, token: r.body.cart_token, cart: r.body.cart };
};

const shipTo = (cart: { id: string; token: string }) =>
  t.call('PUT', `/store/carts/${cart.id}/fulfillment`, {
    key: shop.web.key,
    headers: { 'x-plaza-cart-token': cart.token },
    body: {
      type: 'shipping',
      address: { name: 'Ada', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
    },
  });

const checkout = (
  cart: { id: string; token: string },
  key: string,
  card: string = TEST_CARDS.approve,
  email = 'g@example.com',
) =>
  t.call<OrderBody>('POST', `/store/carts/${cart.id}/checkout`, {
    key: shop.web.key,
    headers: { 'x-plaza-cart-token': cart.token, 'idempotency-key': key },
    body: { email, payment: { provider: 'test-card', card_number: card } },
  });

describe('checkout', () => {
  it('turns a cart into a confirmed order with its stock held, exactly once per key', async () => {
    const cart = await newCart([{ sku: shop.skus.hoodie, quantity: 2 }]);
    expect((await shipTo(cart)).status).toBe(200);
    const first = await checkout(cart, 'key-1');
    expect(first.status).toBe(201);
    expect(first.body.order).toMatchObject({ status: 'confirmed', payment_status: 'authorized' });
    expect(first.body.order_token).toMatch(/^plz_ot_/);
    const lvl = await level(t, shop.skus.hoodie, shop.warehouse);
    expect(lvl).toMatchObject({ on_hand: 5, reserved: 2 });

    const replay = await checkout(cart, 'key-1');
    expect(replay.status).toBe(201);
    expect(replay.body.order.id).toBe(first.body.order.id);
    expect((await level(t, shop.skus.hoodie, shop.warehouse))?.reserved).toBe(2);

    const mismatch = await checkout(cart, 'key-1', TEST_CARDS.approve, 'other@example.com');
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('IDEMPOTENCY_MISMATCH');

    const guestView = await t.call<{ id: string }>('GET', `/store/orders/${first.body.order.id}`, {
      key: shop.web.key,
      headers: { 'x-plaza-order-token': first.body.order_token as string },
    });
    expect(guestView.status).toBe(200);
    expect((await t.call('GET', `/store/orders/${first.body.order.id}`, { key: shop.web.key })).status).toBe(
      404,
    );
  });

  it('releases the stock and leaves the cart as it was when the card is declined', async () => {
    const cart = await newCart([{ sku: shop.skus.hoodie, quantity: 1 }]);
    await shipTo(cart);
    const before = await level(t, shop.skus.hoodie, shop.warehouse);
    const declined = await checkout(cart, 'key-declined', TEST_CARDS.decline);
    expect(declined.status).toBe(402);
    expect(declined.body.code).toBe('PAYMENT_DECLINED');
    expect(await level(t, shop.skus.hoodie, shop.warehouse)).toMatchObject({ reserved: before?.reserved });
    const again = await t.call<CartBody>('GET', `/store/carts/${cart.id}`, {
      key: shop.web.key,
      headers: { 'x-plaza-cart-token': cart.token },
    });
    expect(again.body.status).toBe('active');
    expect(again.body.lines.map((l) => l.quantity)).toEqual([1]);
    const paid = await checkout(cart, 'key-approved');
    expect(paid.status).toBe(201);
  });
});
