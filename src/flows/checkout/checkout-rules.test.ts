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

interface OrderBody {
  order: {
    id: string;
    status: string;
    customer_id: string | null;
    subtotal: number;
    discount_total: number;
    shipping_total: number;
    tax_total: number;
    total: number;
    fulfillments: {
      type: string;
      status: string;
      location_id: string;
      source_location_id: string | null;
      ready_estimate_at: string | null;
    }[];
  };
}

const address = { name: 'Ada', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' };
let n = 0;
const cartWith = async (items: { sku: string; quantity: number }[], key = shop.web.key, token?: string) => {
  const r = await t.call<{ cart: { id: string }; cart_token: string | null }>('POST', '/store/carts', {
    key,
    token,
    body: { items },
  });
  expect(r.status).toBe(201);
  const headers: Record<string, string> = r.body.cart_token
    ? { 'x-plaza-cart-token': r.body.cart_token }
    : {};
  return { id: r.body.cart.id, headers, key, token };
};
type C = Awaited<ReturnType<typeof cartWith>>;
const ship = (c: C) =>
  t.call('PUT', `/store/carts/${c.id}/fulfillment`, {
    key: c.key,
    token: c.token,
    headers: c.headers,
    body: { type: 'shipping', address },
  });
const pay = (c: C, body: Record<string, unknown> = {}, idem = `k-${++n}`) =>
  t.call<OrderBody>('POST', `/store/carts/${c.id}/checkout`, {
    key: c.key,
    token: c.token,
    headers: { ...c.headers, ...(idem ? { 'idempotency-key': idem } : {}) },
    body: {
      email: 'guest@example.com',
      payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
      ...body,
    },
  });

describe('checkout rules', () => {
  it('needs an Idempotency-Key, a non-empty cart, a fulfilment and a guest email', async () => {
    const c = await cartWith([{ sku: shop.skus.tee, quantity: 1 }]);
    const noKey = await pay(c, {}, '');
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors?.[0]?.path).toBe('headers.idempotency-key');
    const noFulfillment = await pay(c);
    expect(noFulfillment.status).toBe(422);
    expect(noFulfillment.body.code).toBe('UNPROCESSABLE');
    await ship(c);
    const noEmail = await pay(c, { email: undefined });
    expect(noEmail.status).toBe(400);
    const empty = await cartWith([]);
    await ship(empty);
    expect((await pay(empty)).body.code).toBe('UNPROCESSABLE');
    const inStore = await pay(c, { payment: { provider: 'pay-in-store' } });
    expect(inStore.status).toBe(422);
    expect(inStore.body.detail).toMatch(/only for pickup/);
  });

  it('answers declines and provider timeouts without charging, keeping the cart and giving stock back', async () => {
    const c = await cartWith([{ sku: shop.skus.hoodie, quantity: 2 }]);
    await ship(c);
    const before = await level(t, shop.skus.hoodie, shop.warehouse);
    const funds = await pay(c, {
      payment: { provider: 'test-card', card_number: TEST_CARDS.insufficientFunds },
    });
    expect(funds.status).toBe(402);
    expect(funds.body).toMatchObject({ code: 'PAYMENT_DECLINED', reason: 'insufficient_funds' });
    const timeout = await pay(c, { payment: { provider: 'test-card', card_number: TEST_CARDS.timeout } });
    expect(timeout.status).toBe(502);
    expect(timeout.body).toMatchObject({ code: 'PAYMENT_FAILED', reason: 'provider_timeout' });
    expect((await level(t, shop.skus.hoodie, shop.warehouse))?.reserved).toBe(before?.reserved);
    const cart = await t.call<{ status: string; lines: unknown[] }>('GET', `/store/carts/${c.id}`, {
      key: c.key,
      headers: c.headers,
    });
    expect(cart.body.status).toBe('active');
    expect(cart.body.lines).toHaveLength(1);
    const paid = await pay(c);
    expect(paid.status).toBe(201);
  });

  it('links a guest order to the customer who has that email, shown in their history on every channel', async () => {
    await t.call('POST', '/store/customers', {
      key: shop.web.key,
      body: { email: 'known@example.com', password: 'long password 1' },
    });
    const c = await cartWith([{ sku: shop.skus.tee, quantity: 1 }], shop.app.key);
    await ship(c);
    const r = await pay(c, { email: 'Known@Example.com' });
    expect(r.status).toBe(201);
    expect(r.body.order.customer_id).toMatch(/^cus_/);
    const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: shop.web.key,
      body: { email: 'known@example.com', password: 'long password 1' },
    });
    const history = await t.call<{ data: { id: string; channel_id: string }[] }>('GET', '/store/orders', {
      key: shop.web.key,
      token: login.body.token,
    });
    expect(history.body.data.map((o) => o.id)).toContain(r.body.order.id);
    expect(history.body.data.find((o) => o.id === r.body.order.id)?.channel_id).toBe(shop.app.id);
  });

  it('routes a pickup order: in-store stock ready soon, the rest by transfer with a later ready time', async () => {
    const c = await cartWith([{ sku: shop.skus.tee, quantity: 3 }]); // store A has 2, the warehouse the rest
    await t.call('PUT', `/store/carts/${c.id}/fulfillment`, {
      key: c.key,
      headers: c.headers,
      body: { type: 'pickup', location_id: shop.storeA },
    });
    const r = await pay(c, { payment: { provider: 'pay-in-store' } });
    expect(r.status).toBe(201);
    const [here, transfer] = r.body.order.fulfillments;
    expect(here).toMatchObject({
      type: 'pickup',
      status: 'pending',
      location_id: shop.storeA,
      source_location_id: null,
    });
    expect(transfer).toMatchObject({
      status: 'awaiting_transfer',
      location_id: shop.storeA,
      source_location_id: shop.warehouse,
    });
    expect(Date.parse(transfer?.ready_estimate_at as string)).toBeGreaterThan(
      Date.parse(here?.ready_estimate_at as string),
    );
    expect((await level(t, shop.skus.tee, shop.storeA))?.reserved).toBe(2);
  });

  it('adds tax on top, or counts it inside the prices, by channel settings', async () => {
    await t.admin('PATCH', `/channels/${shop.web.id}`, {
      settings: { tax_rate_bps: 1000, free_shipping_threshold: 0 },
    });
    const c = await cartWith([{ sku: shop.skus.tee, quantity: 2 }]);
    await ship(c);
    const added = await pay(c);
    expect(added.body.order).toMatchObject({
      subtotal: 5000,
      tax_total: 500,
      shipping_total: 0,
      total: 5500,
    });
    await t.admin('PATCH', `/channels/${shop.web.id}`, { settings: { prices_include_tax: true } });
    const d = await cartWith([{ sku: shop.skus.tee, quantity: 2 }]);
    await ship(d);
    const included = await pay(d);
    expect(included.body.order).toMatchObject({ subtotal: 5000, tax_total: 455, total: 5000 });
    await t.admin('PATCH', `/channels/${shop.web.id}`, {
      settings: { tax_rate_bps: 0, prices_include_tax: false, free_shipping_threshold: 5000 },
    });
  });
});

describe('discount codes', () => {
  const code = async (body: Record<string, unknown>) => {
    const r = await t.admin<{ id: string; code: string }>('POST', '/discounts', body);
    expect(r.status).toBe(201);
    return r.body;
  };
  const apply = (c: C, value: string) =>
    t.call<{ discount: { code: string; amount: number } | null; total: number }>(
      'POST',
      `/store/carts/${c.id}/discount`,
      {
        key: c.key,
        headers: c.headers,
        body: { code: value },
      },
    );

  it('takes a percent or a fixed amount off, on the channels and in the window it is valid for', async () => {
    await code({ code: 'TENOFF', type: 'percent', value: 10 });
    await code({ code: 'FIVEUSD', type: 'fixed', value: 500, currency: 'USD', channel_ids: [shop.app.id] });
    await code({ code: 'LATER', type: 'percent', value: 5, starts_at: '2030-01-01T00:00:00Z' });
    const c = await cartWith([{ sku: shop.skus.hoodie, quantity: 1 }]);
    const ten = await apply(c, 'tenoff');
    expect(ten.body.discount).toMatchObject({ code: 'TENOFF', amount: 600 });
    const wrongChannel = await apply(c, 'FIVEUSD');
    expect(wrongChannel.status).toBe(422);
    expect(wrongChannel.body).toMatchObject({ code: 'DISCOUNT_INVALID', reason: 'not_on_this_channel' });
    expect((await apply(c, 'LATER')).body.reason).toBe('not_started');
    expect((await apply(c, 'NOPE')).body.reason).toBe('unknown_code');
    await ship(c);
    const r = await pay(c);
    expect(r.body.order).toMatchObject({ subtotal: 6000, discount_total: 600 });
  });

  it('never exceeds its usage limit, even with checkouts at the same time', async () => {
    await code({ code: 'ONLYTWO', type: 'fixed', value: 100, currency: 'USD', usage_limit: 2 });
    const carts: C[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await cartWith([{ sku: shop.skus.tee, quantity: 1 }]);
      expect((await apply(c, 'ONLYTWO')).status).toBe(200);
      await ship(c);
      carts.push(c);
    }
    const results = await Promise.all(carts.map((c) => pay(c)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r.body).toMatchObject({ code: 'DISCOUNT_INVALID', reason: 'exhausted' });
    const d = await t.admin<{ data: { code: string; usage_count: number }[] }>('GET', '/discounts?limit=50');
    expect(d.body.data.find((x) => x.code === 'ONLYTWO')?.usage_count).toBe(2);
  });
});
