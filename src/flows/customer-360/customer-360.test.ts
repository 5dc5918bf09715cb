import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import { writeEvent } from '../../platform/outbox/events.ts';

let t: TestApp;
let shop: Shop;
let pos: { id: string; key: string };
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  pos = await t.channel('pos');
});
afterAll(() => t.close());

interface Entry {
  id: string;
  at: string;
  kind: string;
  type: string;
  channel_id: string | null;
  location_id: string | null;
  order_id: string | null;
  data: Record<string, unknown>;
}
const minute = () => t.clock.advance(60_000);

const orderVia = async (token: string, key: string, body: Record<string, unknown>, sku: string) => {
  minute();
  const cart = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
    key,
    token,
    body: { items: [{ sku, quantity: 1 }] },
  });
  await t.call('PUT', `/store/carts/${cart.body.cart.id}/fulfillment`, { key, token, body });
  const r = await t.call<{ order: { id: string; total: number; fulfillments: { id: string }[] } }>(
    'POST',
    `/store/carts/${cart.body.cart.id}/checkout`,
    {
      key,
      token,
      headers: { 'idempotency-key': `tl-${cart.body.cart.id}` },
      body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
    },
  );
  expect(r.status).toBe(201);
  return r.body.order;
};
const event = (type: string, data: Record<string, unknown>) => {
  minute();
  return t.deps.db.tx((tx) =>
    writeEvent(tx, t.clock, { type, aggregateType: type.split('.')[0], aggregateId: 'x', data }),
  );
};

describe('single customer view', () => {
  it('shows one time-ordered feed from every channel with channel and store, paged by keyset', async () => {
    const dev = 'tl-device-7c1e9a52';
    // Browsing anonymously on the app, then registering on the web from the same device.
    const anon = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
      key: shop.app.key,
      headers: { 'x-plaza-anonymous-id': dev },
      body: { items: [{ sku: shop.skus.cap, quantity: 1 }] },
    });
    minute();
    await t.call('POST', '/store/customers', {
      key: shop.web.key,
      headers: { 'x-plaza-anonymous-id': dev },
      body: { email: 'timeline@example.com', password: 'long password 1' },
    });
    const s = await t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
      key: shop.app.key,
      body: { email: 'timeline@example.com', password: 'long password 1' },
    });
    const id = s.body.customer.id;
    const web = await orderVia(
      s.body.token,
      shop.web.key,
      {
        type: 'shipping',
        address: { name: 'T', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
      },
      shop.skus.hoodie,
    );
    minute();
    await t.admin('POST', `/orders/${web.id}/fulfillments/${web.fulfillments[0]?.id}/ship`);
    minute();
    await t.admin('POST', `/orders/${web.id}/fulfillments/${web.fulfillments[0]?.id}/deliver`);
    const pickup = await orderVia(
      s.body.token,
      shop.app.key,
      { type: 'pickup', location_id: shop.storeA },
      shop.skus.tee,
    );
    minute();
    await t.call('PUT', '/store/customers/me/consents', {
      key: shop.app.key,
      token: s.body.token,
      body: { consents: [{ purpose: 'marketing', channel: 'email', granted: true }] },
    });
    // What the stores issue will emit, and an event type nobody planned for.
    await event('pickup.ready', {
      customer_id: id,
      order_id: pickup.id,
      channel_id: shop.app.id,
      location_id: shop.storeA,
    });
    await event('pos.sale_completed', {
      customer_id: id,
      channel_id: pos.id,
      location_id: shop.storeB,
      total: 1800,
    });
    await event('return.received', {
      customer_id: id,
      order_id: web.id,
      channel_id: pos.id,
      location_id: shop.storeB,
      lines: [],
    });
    await event('refund.issued', {
      customer_id: id,
      order_id: web.id,
      amount: 6000,
      location_id: shop.storeB,
    });
    await event('survey.answered', { customer_id: id, channel_id: shop.web.id, score: 9 });
    // Someone else's history never shows up.
    await event('pos.sale_completed', {
      customer_id: 'cus_01JZZZZZZZZZZZZZZZZZZZZZZZ',
      channel_id: pos.id,
      location_id: shop.storeB,
    });

    const all = await t.admin<{ data: Entry[]; next_cursor: string | null }>(
      'GET',
      `/customers/${id}/timeline?limit=200`,
    );
    expect(all.status).toBe(200);
    const feed = all.body.data;
    expect(all.body.next_cursor).toBeNull();
    const times = feed.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    const kinds = new Set(feed.map((e) => e.kind));
    for (const k of [
      'order',
      'payment',
      'cart',
      'pickup',
      'return',
      'in_store_sale',
      'message',
      'consent',
      'profile',
      'identity',
      'other',
    ]) {
      expect(kinds, k).toContain(k);
    }
    const byType = (type: string) => feed.filter((e) => e.type === type);
    expect(byType('pickup.ready')[0]).toMatchObject({
      channel_id: shop.app.id,
      location_id: shop.storeA,
      order_id: pickup.id,
    });
    expect(byType('pos.sale_completed')).toHaveLength(1);
    expect(byType('pos.sale_completed')[0]).toMatchObject({ channel_id: pos.id, location_id: shop.storeB });
    expect(byType('payment.captured')[0]).toMatchObject({ channel_id: shop.web.id, order_id: web.id });
    expect(
      byType('order.created')
        .map((e) => e.channel_id)
        .sort(),
    ).toEqual([shop.web.id, shop.app.id].sort());
    expect(feed.find((e) => e.kind === 'cart' && e.id === anon.body.cart.id)).toMatchObject({
      channel_id: shop.app.id,
      data: expect.objectContaining({ anonymous: true }),
    });
    const message = byType('consent.confirmation_requested')[0];
    expect(message?.kind).toBe('message');
    expect(message?.data).not.toHaveProperty('token');

    // Keyset pages of 4 walk the same feed, without gaps or repeats.
    const paged: Entry[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/customers/${id}/timeline?limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const p: { body: { data: Entry[]; next_cursor: string | null } } = await t.admin('GET', url);
      paged.push(...p.body.data);
      cursor = p.body.next_cursor;
    } while (cursor);
    expect(paged.map((e) => e.id)).toEqual(feed.map((e) => e.id));
  });

  it('sums up channels, orders, revenue, average order value, lifetime value and preferred store', async () => {
    await t.call('POST', '/store/customers', {
      key: shop.web.key,
      body: { email: 'summary@example.com', password: 'long password 1' },
    });
    const s = await t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
      key: shop.app.key,
      body: { email: 'summary@example.com', password: 'long password 1' },
    });
    const id = s.body.customer.id;
    const shipped = await orderVia(
      s.body.token,
      shop.web.key,
      {
        type: 'shipping',
        address: { name: 'S', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
      },
      shop.skus.hoodie,
    );
    await t.admin('POST', `/orders/${shipped.id}/fulfillments/${shipped.fulfillments[0]?.id}/ship`);
    const p1 = await orderVia(
      s.body.token,
      shop.app.key,
      { type: 'pickup', location_id: shop.storeA },
      shop.skus.tee,
    );
    const cancelled = await orderVia(
      s.body.token,
      shop.app.key,
      { type: 'pickup', location_id: shop.storeB },
      shop.skus.cap,
    );
    await t.admin('POST', `/orders/${cancelled.id}/cancel`);

    const r = await t.admin<{
      channels: { channel_id: string; orders: number }[];
      orders: { count: number; cancelled: number };
      money: {
        currency: string;
        orders: number;
        revenue: number;
        average_order_value: number;
        lifetime_value: number;
      }[];
      preferred_store: { location_id: string; source: string } | null;
    }>('GET', `/customers/${id}/summary`);
    expect(r.status).toBe(200);
    expect(r.body.orders).toEqual({ count: 2, cancelled: 1 });
    expect(r.body.channels.map((c) => [c.channel_id, c.orders]).sort()).toEqual(
      [
        [shop.web.id, 1],
        [shop.app.id, 1],
      ].sort(),
    );
    const usd = r.body.money.find((m) => m.currency === 'USD');
    expect(usd).toEqual({
      currency: 'USD',
      orders: 2,
      revenue: shipped.total + p1.total,
      average_order_value: Math.round((shipped.total + p1.total) / 2),
      lifetime_value: shipped.total, // only the shipped order's payment was captured
      refunded: 0,
    });
    expect(r.body.preferred_store).toEqual({ location_id: shop.storeA, source: 'derived' });
    await t.call('PATCH', '/store/customers/me', {
      key: shop.web.key,
      token: s.body.token,
      body: { preferred_location_id: shop.storeB },
    });
    const again = await t.admin<{ preferred_store: unknown }>('GET', `/customers/${id}/summary`);
    expect(again.body.preferred_store).toEqual({ location_id: shop.storeB, source: 'profile' });
  });
});
