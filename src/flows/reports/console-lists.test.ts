/**
 * The list filters the console's screens read (issue 10.4), added beside the dashboard: customers by
 * part of a name or e-mail, orders by number, returns by status/channel/customer/date, and the counts
 * of a store's pickup queues.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { drainOutbox } from '../../../test/support/stores.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
interface OrderBody {
  id: string;
  number: number;
  lines: { id: string }[];
  fulfillments: { id: string }[];
}

const guestOrder = async (fulfillment: Record<string, unknown>, sku: string): Promise<OrderBody> => {
  const cart = await t.call<{ cart: { id: string }; cart_token: string }>('POST', '/store/carts', {
    key: shop.web.key,
    body: { items: [{ sku, quantity: 1 }] },
  });
  const headers = { 'x-plaza-cart-token': cart.body.cart_token };
  const id = cart.body.cart.id;
  await t.call('PUT', `/store/carts/${id}/fulfillment`, { key: shop.web.key, headers, body: fulfillment });
  const r = await t.call<{ order: OrderBody }>('POST', `/store/carts/${id}/checkout`, {
    key: shop.web.key,
    headers: { ...headers, 'idempotency-key': `cl-${id}` },
    body: { email: 'lists@example.com', payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.order;
};
const ADDRESS = { name: 'T', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' };

describe('GET /admin/customers?q=', () => {
  it('finds customers by part of a name or e-mail, case-insensitively, wildcards taken literally', async () => {
    const make = (body: Record<string, unknown>) => t.admin<{ id: string }>('POST', '/customers', body);
    const ada = (await make({ email: 'ada.l@analytical.example', first_name: 'Ada', last_name: 'Lovelace' }))
      .body;
    const grace = (await make({ email: 'grace@navy.example', first_name: 'Grace', last_name: 'Hopper' }))
      .body;
    const pct = (await make({ email: 'fifty%off@deals.example' })).body;
    const ids = async (q: string) =>
      (await t.admin<Page<{ id: string }>>('GET', `/customers?q=${encodeURIComponent(q)}`)).body.data.map(
        (c) => c.id,
      );
    expect(await ids('LOVEL')).toEqual([ada.id]);
    expect(await ids('ada lovelace')).toEqual([ada.id]);
    expect(await ids('navy.example')).toEqual([grace.id]);
    expect(await ids('.example')).toEqual([pct.id, grace.id, ada.id]);
    expect(await ids('%off')).toEqual([pct.id]);
    expect(await ids('a_l')).toEqual([]);
    const page = await t.admin<Page<{ id: string }>>('GET', '/customers?q=.example&limit=2');
    expect(page.body.data.map((c) => c.id)).toEqual([pct.id, grace.id]);
    const next = await t.admin<Page<{ id: string }>>(
      'GET',
      `/customers?q=.example&limit=2&cursor=${page.body.next_cursor}`,
    );
    expect(next.body.data.map((c) => c.id)).toEqual([ada.id]);
    // Staff still look customers up by identity only.
    const staff = await t.staff([shop.storeA]);
    expect((await t.admin('GET', '/customers?q=ada', undefined, staff)).status).toBe(403);
    expect((await t.admin('GET', '/customers?q=a')).status).toBe(400);
  });
});

describe('orders, returns and pickup counts', () => {
  let shipped: OrderBody;
  let other: OrderBody;
  beforeAll(async () => {
    shipped = await guestOrder({ type: 'shipping', address: ADDRESS }, shop.skus.hoodie);
    other = await guestOrder({ type: 'pickup', location_id: shop.storeA }, shop.skus.tee);
    await drainOutbox(t);
  });

  it('GET /admin/orders?number= finds one order by its number', async () => {
    const r = await t.admin<Page<{ id: string }>>('GET', `/orders?number=${other.number}`);
    expect(r.body.data.map((o) => o.id)).toEqual([other.id]);
    expect((await t.admin<Page<{ id: string }>>('GET', '/orders?number=1')).body.data).toEqual([]);
  });

  it('GET /admin/returns filters by status, channel, customer and date', async () => {
    await t.admin('POST', `/orders/${shipped.id}/fulfillments/${shipped.fulfillments[0]?.id}/ship`);
    t.clock.advance(3600_000);
    const at = t.clock.now().toISOString();
    const ret = await t.admin<{ id: string; status: string }>('POST', '/returns', {
      order_id: shipped.id,
      location_id: shop.warehouse,
      lines: [{ order_line_id: shipped.lines[0]?.id, quantity: 1 }],
    });
    expect(ret.status).toBe(201);
    expect(ret.body.status).toBe('requested');
    const ids = async (query: string) =>
      (await t.admin<Page<{ id: string }>>('GET', `/returns?${query}`)).body.data.map((r) => r.id);
    expect(await ids('status=requested')).toEqual([ret.body.id]);
    expect(await ids('status=completed')).toEqual([]);
    expect(await ids(`channel_id=${shop.web.id}`)).toEqual([ret.body.id]);
    expect(await ids(`channel_id=${shop.app.id}`)).toEqual([]);
    expect(await ids(`from=${encodeURIComponent(at)}`)).toEqual([ret.body.id]);
    expect(await ids(`to=${encodeURIComponent(at)}`)).toEqual([]);
    expect(await ids('customer_id=cus_01JZZZZZZZZZZZZZZZZZZZZZZZ')).toEqual([]);
  });

  it('GET /admin/locations/:id/pickups/counts counts the open queues as the queue lists them', async () => {
    const counts = await t.admin('GET', `/locations/${shop.storeA}/pickups/counts`);
    expect(counts.body).toEqual({ to_prepare: 1, overdue: 0, ready: 0 });
    const queue = await t.admin<Page<{ order_id: string }>>(
      'GET',
      `/locations/${shop.storeA}/pickups?status=to_prepare`,
    );
    expect(queue.body.data.map((p) => p.order_id)).toEqual([other.id]);
    t.clock.advance(5 * 24 * 3600_000);
    expect((await t.admin('GET', `/locations/${shop.storeA}/pickups/counts`)).body).toEqual({
      to_prepare: 1,
      overdue: 1,
      ready: 0,
    });
    expect((await t.admin('GET', `/locations/${shop.storeB}/pickups/counts`)).body).toEqual({
      to_prepare: 0,
      overdue: 0,
      ready: 0,
    });
    const staffB = await t.staff([shop.storeB]);
    expect((await t.admin('GET', `/locations/${shop.storeA}/pickups/counts`, undefined, staffB)).status).toBe(
      403,
    );
    expect((await t.admin('GET', `/locations/${shop.storeB}/pickups/counts`, undefined, staffB)).status).toBe(
      200,
    );
    expect((await t.admin('GET', '/locations/loc_01JZZZZZZZZZZZZZZZZZZZZZZZ/pickups/counts')).status).toBe(
      404,
    );
  });
});
