import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { level } from '../../../test/support/stock.ts';
import { callerOf } from '../../modules/carts/index.ts';
import { expireReservations } from '../../modules/inventory/index.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import { claimKey, requestHash } from '../../platform/idempotency.ts';
import { cancelAbandonedCheckouts } from '../checkout/index.ts';
import { prepareCheckout } from '../checkout/prepare.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

interface Order {
  id: string;
  status: string;
  payment_status: string;
  channel_id: string;
  fulfillments: { id: string; status: string; location_id: string }[];
  payments: { status: string; captured_amount: number }[];
  timeline?: { kind: string; machine?: string; from?: string | null; to?: string; type?: string }[];
}

const address = { name: 'Ada', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' };
let n = 0;
const order = async (
  o: { sku?: string; quantity?: number; key?: string; token?: string; pickup?: string } = {},
) => {
  const key = o.key ?? shop.web.key;
  const c = await t.call<{ cart: { id: string }; cart_token: string | null }>('POST', '/store/carts', {
    key,
    token: o.token,
    body: { items: [{ sku: o.sku ?? shop.skus.tee, quantity: o.quantity ?? 1 }] },
  });
  const headers: Record<string, string> = c.body.cart_token
    ? { 'x-plaza-cart-token': c.body.cart_token }
    : {};
  await t.call('PUT', `/store/carts/${c.body.cart.id}/fulfillment`, {
    key,
    token: o.token,
    headers,
    body: o.pickup ? { type: 'pickup', location_id: o.pickup } : { type: 'shipping', address },
  });
  const r = await t.call<{ order: Order; order_token: string | null }>(
    'POST',
    `/store/carts/${c.body.cart.id}/checkout`,
    {
      key,
      token: o.token,
      headers: { ...headers, 'idempotency-key': `o-${++n}` },
      body: {
        email: 'buyer@example.com',
        payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
      },
    },
  );
  expect(r.status).toBe(201);
  return { ...r.body, cartId: c.body.cart.id, cartToken: c.body.cart_token };
};

describe('cancel before payment is captured', () => {
  it('releases the stock, voids the payment and writes the events; a guest uses the order token', async () => {
    const before = await level(t, shop.skus.hoodie, shop.warehouse);
    const o = await order({ sku: shop.skus.hoodie, quantity: 2 });
    expect((await level(t, shop.skus.hoodie, shop.warehouse))?.reserved).toBe((before?.reserved ?? 0) + 2);
    const stranger = await t.call('POST', `/store/orders/${o.order.id}/cancel`, { key: shop.web.key });
    expect(stranger.status).toBe(404);
    const r = await t.call<Order>('POST', `/store/orders/${o.order.id}/cancel`, {
      key: shop.web.key,
      headers: { 'x-plaza-order-token': o.order_token as string },
      body: { reason: 'changed my mind' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'cancelled', payment_status: 'voided' });
    expect(r.body.payments[0]?.status).toBe('voided');
    expect(r.body.fulfillments.every((f) => f.status === 'cancelled')).toBe(true);
    expect((await level(t, shop.skus.hoodie, shop.warehouse))?.reserved).toBe(before?.reserved);
    const again = await t.call<Order>('POST', `/store/orders/${o.order.id}/cancel`, {
      key: shop.web.key,
      headers: { 'x-plaza-order-token': o.order_token as string },
    });
    expect(again.body.status).toBe('cancelled');
    const { rows } = await t.deps.db.query<{ type: string }>(
      "SELECT type FROM outbox_events WHERE aggregate_id = $1 AND type IN ('order.cancelled', 'payment.voided')",
      [o.order.id],
    );
    expect(rows.map((x) => x.type).sort()).toEqual(['order.cancelled', 'payment.voided']);
  });

  it('refuses once the payment is captured (that is a return)', async () => {
    const o = await order();
    const f = o.order.fulfillments[0] as { id: string };
    const shipped = await t.admin<Order>('POST', `/orders/${o.order.id}/fulfillments/${f.id}/ship`, {
      tracking_number: '1Z999',
    });
    expect(shipped.status).toBe(200);
    const r = await t.call('POST', `/store/orders/${o.order.id}/cancel`, {
      key: shop.web.key,
      headers: { 'x-plaza-order-token': o.order_token as string },
    });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('INVALID_STATE_TRANSITION');
  });
});

describe('fulfilment', () => {
  it('ships (capturing the payment, turning the hold into a sale) and delivers', async () => {
    const before = await level(t, shop.skus.tee, shop.warehouse);
    const o = await order({ quantity: 2 });
    const f = o.order.fulfillments[0] as { id: string };
    const shipped = await t.admin<Order>('POST', `/orders/${o.order.id}/fulfillments/${f.id}/ship`);
    expect(shipped.body).toMatchObject({ status: 'shipped', payment_status: 'captured' });
    expect(shipped.body.payments[0]).toMatchObject({ status: 'captured' });
    const after = await level(t, shop.skus.tee, shop.warehouse);
    expect(after).toMatchObject({ on_hand: (before?.on_hand ?? 0) - 2, reserved: before?.reserved });
    const delivered = await t.admin<Order>('POST', `/orders/${o.order.id}/fulfillments/${f.id}/deliver`);
    expect(delivered.body.status).toBe('delivered');
    const detail = await t.admin<Order>('GET', `/orders/${o.order.id}`);
    const orderSteps = (detail.body.timeline ?? [])
      .filter((x) => x.kind === 'transition' && x.machine === 'order')
      .map((x) => x.to);
    expect(orderSteps).toEqual(['pending_payment', 'confirmed', 'shipped', 'delivered']);
    const paySteps = (detail.body.timeline ?? []).filter((x) => x.machine === 'payment').map((x) => x.to);
    expect(paySteps).toEqual(['pending', 'authorized', 'captured']);
    expect((detail.body.timeline ?? []).some((x) => x.kind === 'event' && x.type === 'order.created')).toBe(
      true,
    );
    const illegal = await t.admin('POST', `/orders/${o.order.id}/fulfillments/${f.id}/ship`);
    expect(illegal.status).toBe(409);
  });
});

describe('order lists', () => {
  it("lists a customer's orders from every channel, and only theirs", async () => {
    const email = 'twochannels@example.com';
    await t.call('POST', '/store/customers', {
      key: shop.web.key,
      body: { email, password: 'long password 1' },
    });
    const s = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: shop.web.key,
      body: { email, password: 'long password 1' },
    });
    const a = await order({ token: s.body.token });
    const b = await order({ token: s.body.token, key: shop.app.key });
    const mine = await t.call<{ data: Order[] }>('GET', '/store/orders', {
      key: shop.app.key,
      token: s.body.token,
    });
    expect(mine.body.data.map((o) => o.id)).toEqual([b.order.id, a.order.id]);
    expect(new Set(mine.body.data.map((o) => o.channel_id))).toEqual(new Set([shop.web.id, shop.app.id]));
    const other = await t.call<{ id: string }>('GET', `/store/orders/${a.order.id}`, { key: shop.web.key });
    expect(other.status).toBe(404);
  });

  it('filters admin lists by channel, status, location and date; staff see only their stores', async () => {
    const pickup = await order({ pickup: shop.storeB, sku: shop.skus.cap, key: shop.app.key });
    const byChannel = await t.admin<{ data: Order[] }>('GET', `/orders?channel_id=${shop.app.id}&limit=200`);
    expect(byChannel.body.data.every((o) => o.channel_id === shop.app.id)).toBe(true);
    const byStatus = await t.admin<{ data: Order[] }>('GET', '/orders?status=delivered&limit=200');
    expect(byStatus.body.data.length).toBeGreaterThan(0);
    expect(byStatus.body.data.every((o) => o.status === 'delivered')).toBe(true);
    const byLocation = await t.admin<{ data: Order[] }>('GET', `/orders?location_id=${shop.storeB}`);
    expect(byLocation.body.data.map((o) => o.id)).toEqual([pickup.order.id]);
    const future = await t.admin<{ data: Order[] }>('GET', '/orders?from=2030-01-01T00:00:00Z');
    expect(future.body.data).toEqual([]);
    const staffB = await t.staff([shop.storeB]);
    const seen = await t.admin<{ data: Order[] }>('GET', '/orders?limit=200', undefined, staffB);
    expect(seen.body.data.map((o) => o.id)).toEqual([pickup.order.id]);
    const staffA = await t.staff([shop.storeA]);
    expect((await t.admin('GET', `/orders/${pickup.order.id}`, undefined, staffA)).status).toBe(404);
    expect((await t.admin('GET', `/orders/${pickup.order.id}`, undefined, staffB)).status).toBe(200);
  });
});

describe('abandoned checkouts', () => {
  const crashAfterPhaseOne = async (cartId: string, cartToken: string, key: string) => {
    const body = {
      email: 'crash@example.com',
      payment: { provider: 'test-card' as const, card_number: TEST_CARDS.approve },
    };
    await claimKey(t.deps.db, t.clock, {
      scope: `checkout:${cartId}`,
      key,
      hash: requestHash('POST', `/store/carts/${cartId}/checkout`, body),
      leaseMs: 1000,
    });
    const req = {
      customer: null,
      headers: { 'x-plaza-cart-token': cartToken },
      query: {},
    } as unknown as Parameters<typeof callerOf>[0];
    const p = await t.deps.db.tx((tx) =>
      prepareCheckout(tx, t.deps, {
        cartId,
        caller: callerOf(req),
        channel: { channelId: shop.web.id, currency: 'USD' },
        body,
        idem: { scope: `checkout:${cartId}`, key },
      }),
    );
    return { orderId: p.order.id, body };
  };
  const cartReady = async () => {
    const c = await t.call<{ cart: { id: string }; cart_token: string }>('POST', '/store/carts', {
      key: shop.web.key,
      body: { items: [{ sku: shop.skus.hoodie, quantity: 1 }] },
    });
    await t.call('PUT', `/store/carts/${c.body.cart.id}/fulfillment`, {
      key: shop.web.key,
      headers: { 'x-plaza-cart-token': c.body.cart_token },
      body: { type: 'shipping', address },
    });
    return { id: c.body.cart.id, token: c.body.cart_token };
  };

  it('gives the stock back when the hold expires and cancels the order; the cart stays as it was', async () => {
    const before = await level(t, shop.skus.hoodie, shop.warehouse);
    const c = await cartReady();
    const { orderId } = await crashAfterPhaseOne(c.id, c.token, 'crash-1');
    expect((await level(t, shop.skus.hoodie, shop.warehouse))?.reserved).toBe((before?.reserved ?? 0) + 1);
    t.clock.advance(16 * 60_000);
    expect(await expireReservations(t.deps)).toBeGreaterThan(0);
    expect(await cancelAbandonedCheckouts(t.deps)).toBe(1);
    expect((await level(t, shop.skus.hoodie, shop.warehouse))?.reserved).toBe(before?.reserved);
    const o = await t.admin<Order>('GET', `/orders/${orderId}`);
    expect(o.body).toMatchObject({ status: 'cancelled', payment_status: 'failed' });
    const cart = await t.call<{ status: string }>('GET', `/store/carts/${c.id}`, {
      key: shop.web.key,
      headers: { 'x-plaza-cart-token': c.token },
    });
    expect(cart.body.status).toBe('active');
  });

  it('finishes an interrupted checkout when the client retries with the same key', async () => {
    const c = await cartReady();
    const { orderId, body } = await crashAfterPhaseOne(c.id, c.token, 'crash-2');
    t.clock.advance(2000); // the first attempt's lease is over
    const replay = await t.call<{ order: Order }>('POST', `/store/carts/${c.id}/checkout`, {
      key: shop.web.key,
      headers: { 'x-plaza-cart-token': c.token, 'idempotency-key': 'crash-2' },
      body,
    });
    expect(replay.status).toBe(201);
    expect(replay.body.order).toMatchObject({ id: orderId, status: 'confirmed' });
  });
});
