import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { drainOutbox } from '../../../test/support/stores.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import type { Dashboard } from './schema.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

interface OrderBody {
  id: string;
  total: number;
  lines: { id: string }[];
  fulfillments: { id: string }[];
}
const ADDRESS = { name: 'T', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' };

const order = async (
  key: string,
  token: string | undefined,
  fulfillment: Record<string, unknown>,
  sku: string,
): Promise<OrderBody> => {
  const cart = await t.call<{ cart: { id: string }; cart_token?: string }>('POST', '/store/carts', {
    key,
    ...(token ? { token } : {}),
    body: { items: [{ sku, quantity: 1 }] },
  });
  const id = cart.body.cart.id;
  const auth = token
    ? { key, token }
    : { key, headers: { 'x-plaza-cart-token': cart.body.cart_token ?? '' } };
  await t.call('PUT', `/store/carts/${id}/fulfillment`, { ...auth, body: fulfillment });
  const r = await t.call<{ order: OrderBody }>('POST', `/store/carts/${id}/checkout`, {
    ...auth,
    headers: { ...('headers' in auth ? auth.headers : {}), 'idempotency-key': `rep-${id}` },
    body: {
      ...(token ? {} : { email: 'guest@example.com' }),
      payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.order;
};

const get = (query: string, token?: string) =>
  t.admin<Dashboard>('GET', `/reports/dashboard${query}`, undefined, token);

describe('GET /admin/reports/dashboard', () => {
  let first: OrderBody;
  let pickup: OrderBody;
  let guest: OrderBody;
  let refunded: number;

  beforeAll(async () => {
    // Two days ago: a new customer's first order (web, shipped).
    t.clock.set('2026-01-13T12:00:00Z');
    await t.call('POST', '/store/customers', {
      key: shop.web.key,
      body: { email: 'dashboard@example.com', password: 'long password 1' },
    });
    const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: shop.web.key,
      body: { email: 'dashboard@example.com', password: 'long password 1' },
    });
    const token = login.body.token;
    first = await order(shop.web.key, token, { type: 'shipping', address: ADDRESS }, shop.skus.hoodie);
    // Today (UTC; still yesterday in Los Angeles): a guest order on the web.
    t.clock.set('2026-01-15T07:30:00Z');
    guest = await order(shop.web.key, undefined, { type: 'shipping', address: ADDRESS }, shop.skus.tee);
    // Today: the same customer comes back on the app, for pickup at store A; and an order cancelled.
    t.clock.set('2026-01-15T09:00:00Z');
    pickup = await order(shop.app.key, token, { type: 'pickup', location_id: shop.storeA }, shop.skus.tee);
    await drainOutbox(t); // opens the pickup
    const cancelled = await order(
      shop.web.key,
      undefined,
      { type: 'shipping', address: ADDRESS },
      shop.skus.tee,
    );
    expect((await t.admin('POST', `/orders/${cancelled.id}/cancel`)).status).toBe(200);
    // Today: the first order is shipped and its hoodie returned by mail, refunded to the card.
    const ful = first.fulfillments[0]?.id;
    expect((await t.admin('POST', `/orders/${first.id}/fulfillments/${ful}/ship`)).status).toBe(200);
    const ret = await t.admin<{ refunded_amount: number; refund_total: number }>('POST', '/returns', {
      order_id: first.id,
      location_id: shop.warehouse,
      lines: [{ order_line_id: first.lines[0]?.id, quantity: 1, condition: 'resellable' }],
    });
    expect(ret.status).toBe(201);
    refunded = ret.body.refunded_amount;
    expect(refunded).toBe(ret.body.refund_total);
    expect(refunded).toBeGreaterThan(0);
    // Low stock: the cap (1 unit at store B) is at its threshold; the tee at store A is above its own.
    await t.admin('PATCH', '/inventory/levels', {
      sku: shop.skus.cap,
      location_id: shop.storeB,
      low_stock_threshold: 1,
    });
    await t.admin('PATCH', '/inventory/levels', {
      sku: shop.skus.tee,
      location_id: shop.storeA,
      low_stock_threshold: 0,
    });
  });

  it('answers sales, refunds and buyers per channel and day, with totals, pickups and low stock', async () => {
    const r = await get('?days=3&time_zone=UTC');
    expect(r.status).toBe(200);
    const d = r.body;
    expect(d).toMatchObject({
      from: '2026-01-13',
      to: '2026-01-15',
      days: 3,
      time_zone: 'UTC',
      location_ids: null,
    });
    const point = (date: string, channel: string) =>
      d.series.find((p) => p.date === date && p.channel_id === channel);
    // Every day for each channel with activity, zeros included, oldest first.
    expect(d.series.map((p) => `${p.date} ${p.channel_id === shop.web.id ? 'web' : 'app'}`).sort()).toEqual([
      '2026-01-13 app',
      '2026-01-13 web',
      '2026-01-14 app',
      '2026-01-14 web',
      '2026-01-15 app',
      '2026-01-15 web',
    ]);
    expect(point('2026-01-13', shop.web.id)).toMatchObject({
      currency: 'USD',
      orders: 1,
      guest_orders: 0,
      gross: first.total,
      refunds: 0,
      net: first.total,
      customers_new: 1,
      customers_returning: 0,
    });
    expect(point('2026-01-14', shop.web.id)).toMatchObject({ orders: 0, gross: 0, refunds: 0, net: 0 });
    // The refund counts on the day it was made, against the order's channel; the cancelled order not at all.
    expect(point('2026-01-15', shop.web.id)).toMatchObject({
      orders: 1,
      guest_orders: 1,
      gross: guest.total,
      refunds: refunded,
      net: guest.total - refunded,
      customers_new: 0,
      customers_returning: 0,
    });
    expect(point('2026-01-15', shop.app.id)).toMatchObject({
      orders: 1,
      gross: pickup.total,
      customers_new: 0,
      customers_returning: 1,
    });
    expect(d.today).toEqual({
      orders: 2,
      guest_orders: 1,
      customers_new: 0,
      customers_returning: 1,
      revenue: [
        {
          currency: 'USD',
          orders: 2,
          gross: guest.total + pickup.total,
          refunds: refunded,
          net: guest.total + pickup.total - refunded,
        },
      ],
    });
    // Over the period the customer is new: their first sale ever falls in it.
    expect(d.period).toMatchObject({ orders: 3, guest_orders: 1, customers_new: 1, customers_returning: 0 });
    expect(d.period.revenue[0]?.gross).toBe(first.total + guest.total + pickup.total);
    expect(d.pickups).toEqual({ to_prepare: 1, overdue: 0, ready: 0 });
    expect(d.low_stock.count).toBe(1);
    expect(d.low_stock.levels).toMatchObject([
      { sku: shop.skus.cap, location_id: shop.storeB, available: 1, low_stock: true },
    ]);
  });

  it('counts days in the time zone asked for (or the location’s)', async () => {
    const la = (await get('?days=2&time_zone=America/Los_Angeles')).body;
    expect([la.from, la.to]).toEqual(['2026-01-14', '2026-01-15']);
    // 07:30 UTC on the 15th is 23:30 on the 14th in Los Angeles.
    const web14 = la.series.find((p) => p.date === '2026-01-14' && p.channel_id === shop.web.id);
    expect(web14).toMatchObject({ orders: 1, guest_orders: 1, gross: guest.total });
    const atStore = (await get(`?days=2&location_id=${shop.storeA}`)).body;
    expect(atStore.time_zone).toBe('America/Los_Angeles');
    expect(atStore.location_ids).toEqual([shop.storeA]);
  });

  it("limits a location's figures to the orders that touch it, its pickups and stock", async () => {
    const d = (await get(`?days=3&location_id=${shop.storeA}`)).body;
    expect(d.series.filter((p) => p.orders > 0).map((p) => p.channel_id)).toEqual([shop.app.id]);
    expect(d.today).toMatchObject({ orders: 1, customers_returning: 1 });
    expect(d.period.revenue).toEqual([
      { currency: 'USD', orders: 1, gross: pickup.total, refunds: 0, net: pickup.total },
    ]);
    expect(d.pickups.to_prepare).toBe(1);
    expect(d.low_stock).toEqual({ count: 0, levels: [] });
  });

  it('shows staff their own locations only, and refuses another location', async () => {
    const staffB = await t.staff([shop.storeB]);
    const mine = await get('?days=3', staffB);
    expect(mine.status).toBe(200);
    expect(mine.body.location_ids).toEqual([shop.storeB]);
    expect(mine.body.series).toEqual([]);
    expect(mine.body.pickups.to_prepare).toBe(0);
    expect(mine.body.low_stock.count).toBe(1);
    const other = await get(`?location_id=${shop.storeA}`, staffB);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('FORBIDDEN');
  });

  it('reports overdue pickups once the promised ready time has passed', async () => {
    const before = (await get(`?days=1&location_id=${shop.storeA}`)).body.pickups;
    t.clock.advance(3 * 24 * 3600_000);
    const after = (await get(`?days=1&location_id=${shop.storeA}`)).body.pickups;
    expect(before).toEqual({ to_prepare: 1, overdue: 0, ready: 0 });
    expect(after).toEqual({ to_prepare: 1, overdue: 1, ready: 0 });
    t.clock.set('2026-01-15T09:00:00Z');
  });

  it('refuses what it cannot answer', async () => {
    const tz = await get('?time_zone=Mars/Olympus');
    expect(tz.status).toBe(400);
    expect(tz.body.code).toBe('VALIDATION_FAILED');
    expect((await get('?days=0')).status).toBe(400);
    expect((await get('?days=367')).status).toBe(400);
    const missing = await get('?location_id=loc_01JZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(missing.status).toBe(404);
    expect((await t.call('GET', '/admin/reports/dashboard')).status).toBe(401);
  });
});
