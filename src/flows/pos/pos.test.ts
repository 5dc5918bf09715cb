import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { level, stock } from '../../../test/support/stock.ts';
import { addPosChannel, adminOrder, eventsOf } from '../../../test/support/stores.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import type { Pickup } from '../pickup/schema.ts';
import type { PosSale, Receipt } from './schema.ts';

let t: TestApp;
let shop: Shop;
let pos: { id: string; key: string; barcode: string };
let staffA: string;
let staffB: string;
const price = { tee: 2400, cap: 1700, hoodie: 5800 };

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  await stock(t, shop.skus.tee, shop.storeB, 5);
  pos = await addPosChannel(
    t,
    shop.storeB,
    { [shop.skus.tee]: price.tee, [shop.skus.cap]: price.cap, [shop.skus.hoodie]: price.hoodie },
    825,
  );
  staffA = await t.staff([shop.storeA]);
  staffB = await t.staff([shop.storeB]);
});
afterAll(() => t.close());

const sale = (body: Record<string, unknown>, token = staffB) =>
  t.admin<PosSale>('POST', '/pos/sales', { channel_id: pos.id, ...body }, token);
const pay = (id: string, payment: Record<string, unknown>, key?: string) =>
  t.call<Receipt>('POST', `/admin/pos/sales/${id}/pay`, {
    token: staffB,
    body: { payment },
    headers: key ? { 'idempotency-key': key } : {},
  });

let n = 0;
const register = async (phone: string) => {
  const email = `counter${++n}@example.com`;
  const r = await t.call<{ id: string }>('POST', '/store/customers', {
    key: shop.web.key,
    body: { email, password: 'long password 1', first_name: 'Rosa', last_name: 'Parks', phone },
  });
  expect(r.status).toBe(201);
  const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
    key: shop.web.key,
    body: { email, password: 'long password 1' },
  });
  return { id: r.body.id, email, token: login.body.token };
};

describe('a sale at the counter', () => {
  it('scans by barcode and SKU, finds the customer by phone, takes cash and sells the store stock at once', async () => {
    expect((await sale({}, staffA)).status).toBe(403);
    const customer = await register('+1 (503) 555-0142');
    const teeBefore = await level(t, shop.skus.tee, shop.storeB);
    const capBefore = await level(t, shop.skus.cap, shop.storeB);

    const s = await sale({ items: [{ code: pos.barcode, quantity: 2 }] });
    expect(s.status).toBe(201);
    expect(s.body.lines[0]).toMatchObject({ sku: shop.skus.tee, quantity: 2, unit_price: price.tee });
    const scanned = await t.admin<PosSale>(
      'POST',
      `/pos/sales/${s.body.id}/items`,
      { code: shop.skus.cap },
      staffB,
    );
    expect(scanned.body.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [shop.skus.tee, 2],
      [shop.skus.cap, 1],
    ]);
    const tax = Math.round((2 * price.tee * 825) / 10_000) + Math.round((price.cap * 825) / 10_000);
    expect(scanned.body).toMatchObject({ subtotal: 2 * price.tee + price.cap, tax_total: tax });
    const total = 2 * price.tee + price.cap + tax;
    expect(scanned.body.total).toBe(total);

    const missing = await t.admin(
      'POST',
      `/pos/sales/${s.body.id}/items`,
      { code: shop.skus.hoodie },
      staffB,
    );
    expect(missing.status).toBe(409);
    expect(missing.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 0, endless_aisle: true });
    expect((await t.admin('GET', `/pos/sales/${s.body.id}`, undefined, staffA)).status).toBe(404);

    const found = await t.admin<{ data: { id: string; name: string }[] }>(
      'GET',
      '/pos/customers?phone=15035550142',
      undefined,
      staffB,
    );
    expect(found.body.data).toEqual([expect.objectContaining({ id: customer.id, name: 'Rosa Parks' })]);
    await t.admin('PUT', `/pos/sales/${s.body.id}/customer`, { customer_id: customer.id }, staffB);

    expect((await pay(s.body.id, { provider: 'cash', tendered: 10_000 })).status).toBe(400); // no Idempotency-Key
    const paid = await pay(s.body.id, { provider: 'cash', tendered: 10_000 }, 'pay-1');
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      total,
      tax_total: tax,
      tax_rate_bps: 825,
      store: { id: shop.storeB },
      staff: { name: 'test staff' },
      customer: { id: customer.id },
      payments: [{ provider: 'cash', amount: total, tendered: 10_000, change: 10_000 - total }],
    });
    expect((await pay(s.body.id, { provider: 'cash', tendered: 10_000 }, 'pay-1')).body).toEqual(paid.body);
    expect(await level(t, shop.skus.tee, shop.storeB)).toMatchObject({
      on_hand: (teeBefore?.on_hand ?? 0) - 2,
      reserved: 0,
    });
    expect(await level(t, shop.skus.cap, shop.storeB)).toMatchObject({
      on_hand: (capBefore?.on_hand ?? 0) - 1,
    });

    const order = await adminOrder(t, paid.body.order_id);
    expect(order).toMatchObject({
      status: 'completed',
      channel_id: pos.id,
      selling_location_id: shop.storeB,
      customer_id: customer.id,
    });
    expect(order.lines.map((l) => l.fulfilled_quantity)).toEqual([2, 1]);
    expect((await eventsOf(t, 'pos.sale_completed', order.id))[0]?.data).toMatchObject({
      order_id: order.id,
      customer_id: customer.id,
      channel_id: pos.id,
      location_id: shop.storeB,
    });

    const html = await t.call('GET', `/admin/pos/sales/${s.body.id}/receipt.html`, { token: staffB });
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain(`Receipt ${order.number}`);
    expect(html.text).toContain('Tendered');
    expect(html.text).toContain('Rosa Parks');
  });

  it('leaves the sale open when the card is declined, then takes another card', async () => {
    const before = await level(t, shop.skus.tee, shop.storeB);
    const s = await sale({ items: [{ code: shop.skus.tee }] });
    const declined = await pay(s.body.id, { provider: 'test-card', card_number: TEST_CARDS.decline }, 'd-1');
    expect(declined.status).toBe(402);
    expect(declined.body.code).toBe('PAYMENT_DECLINED');
    expect(await level(t, shop.skus.tee, shop.storeB)).toMatchObject({
      on_hand: before?.on_hand,
      reserved: 0,
    });
    expect((await t.admin<PosSale>('GET', `/pos/sales/${s.body.id}`, undefined, staffB)).body.status).toBe(
      'open',
    );
    const ok = await pay(s.body.id, { provider: 'test-card', card_number: TEST_CARDS.approve }, 'd-2');
    expect(ok.status).toBe(200);
    expect(ok.body.payments[0]).toMatchObject({ provider: 'test-card', display: 'card •••• 4242' });
  });

  it("checks out the customer's own online cart in the store", async () => {
    const customer = await register('503 555 0199');
    const cart = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
      key: shop.web.key,
      token: customer.token,
      body: { items: [{ sku: shop.skus.tee, quantity: 1 }] },
    });
    const found = await t.admin<{ data: { online_cart: { id: string; item_count: number } | null }[] }>(
      'GET',
      `/pos/customers?email=${encodeURIComponent(customer.email)}`,
      undefined,
      staffB,
    );
    expect(found.body.data[0]?.online_cart).toMatchObject({ id: cart.body.cart.id, item_count: 1 });
    const s = await sale({ customer_id: customer.id });
    const pulled = await t.admin<PosSale>('POST', `/pos/sales/${s.body.id}/online-cart`, undefined, staffB);
    expect(pulled.body).toMatchObject({
      cart_id: cart.body.cart.id,
      lines: [{ sku: shop.skus.tee, quantity: 1, unit_price: price.tee }],
    });
    const paid = await pay(s.body.id, { provider: 'cash', tendered: 5000 }, 'cart-1');
    expect(paid.status).toBe(200);
    const after = await t.call<{ status: string; order_id: string }>(
      'GET',
      `/store/carts/${cart.body.cart.id}`,
      {
        key: shop.web.key,
        token: customer.token,
      },
    );
    expect(after.body).toMatchObject({ status: 'checked_out', order_id: paid.body.order_id });
  });

  it('takes store credit, never below zero', async () => {
    const customer = await register('503 555 0177');
    await stock(t, shop.skus.cap, shop.storeB, 2);
    await t.admin('POST', `/customers/${customer.id}/store-credit/adjustments`, {
      amount: 2000,
      currency: 'USD',
      reason: 'goodwill',
    });
    const first = await sale({ customer_id: customer.id, items: [{ code: shop.skus.cap }] });
    expect(first.status).toBe(201);
    expect((await pay(first.body.id, { provider: 'store-credit' }, 'sc-1')).status).toBe(200);
    const capTotal = price.cap + Math.round((price.cap * 825) / 10_000);
    const credit = await t.admin<{ balances: { balance: number }[] }>(
      'GET',
      `/customers/${customer.id}/store-credit`,
    );
    expect(credit.body.balances[0]?.balance).toBe(2000 - capTotal);
    const receipt = await t.admin<Receipt>('GET', `/pos/sales/${first.body.id}/receipt`, undefined, staffB);
    const order = await adminOrder(t, receipt.body.order_id);
    const back = await t.admin('POST', '/returns', {
      order_id: order.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: order.lines[0]?.id, quantity: 1, condition: 'resellable' }],
    });
    expect(back.status).toBe(201);
    const restored = await t.admin<{ balances: { balance: number }[] }>(
      'GET',
      `/customers/${customer.id}/store-credit`,
    );
    expect(restored.body.balances[0]?.balance).toBe(2000); // refunded to where it came from
    await t.admin('POST', `/customers/${customer.id}/store-credit/adjustments`, {
      amount: -capTotal,
      currency: 'USD',
      reason: 'spent elsewhere',
    });
    const second = await sale({ customer_id: customer.id, items: [{ code: shop.skus.cap }] });
    const refused = await pay(second.body.id, { provider: 'store-credit' }, 'sc-2');
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ code: 'PAYMENT_DECLINED', reason: 'insufficient_store_credit' });
    expect(
      (await t.admin<{ balances: { balance: number }[] }>('GET', `/customers/${customer.id}/store-credit`))
        .body.balances[0]?.balance,
    ).toBe(2000 - capTotal);
  });
});

describe('the tills a caller may work', () => {
  it("lists the POS channels of the caller's stores: staff their own store only, admins all", async () => {
    type Counters = { data: { channel_id: string; location_id: string; currency: string }[] };
    const mine = await t.admin<Counters>('GET', '/pos/counters', undefined, staffB);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toContainEqual(
      expect.objectContaining({ channel_id: pos.id, location_id: shop.storeB }),
    );
    expect(mine.body.data.every((c) => c.location_id === shop.storeB)).toBe(true);
    const other = await t.admin<Counters>('GET', '/pos/counters', undefined, staffA);
    expect(other.body.data.map((c) => c.channel_id)).not.toContain(pos.id);
    const all = await t.admin<Counters>('GET', '/pos/counters');
    expect(all.body.data.map((c) => c.channel_id)).toContain(pos.id);
  });
});

describe('endless aisle', () => {
  it('orders what the store lacks for home delivery from the warehouse, tagged with the POS channel and store', async () => {
    const before = await level(t, shop.skus.hoodie, shop.warehouse);
    const r = await t.call<{
      order: {
        id: string;
        channel_id: string;
        selling_location_id: string;
        status: string;
        fulfillments: { location_id: string; type: string }[];
      };
    }>('POST', '/admin/pos/endless-aisle', {
      token: staffB,
      headers: { 'idempotency-key': 'ea-1' },
      body: {
        channel_id: pos.id,
        email: 'walkin@example.com',
        items: [{ code: shop.skus.hoodie }],
        fulfillment: {
          type: 'shipping',
          address: { name: 'Ada', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
        },
        payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.order).toMatchObject({
      status: 'confirmed',
      channel_id: pos.id,
      selling_location_id: shop.storeB,
    });
    expect(r.body.order.fulfillments).toEqual([
      expect.objectContaining({ type: 'shipping', location_id: shop.warehouse }),
    ]);
    expect((await level(t, shop.skus.hoodie, shop.warehouse))?.reserved).toBe((before?.reserved ?? 0) + 1);
  });

  it('orders for a later pickup at the store: a pickup order with a transfer from the warehouse', async () => {
    const r = await t.call<{ order: { id: string; fulfillments: { status: string }[] } }>(
      'POST',
      '/admin/pos/endless-aisle',
      {
        token: staffB,
        headers: { 'idempotency-key': 'ea-2' },
        body: {
          channel_id: pos.id,
          email: 'later@example.com',
          items: [{ code: shop.skus.hoodie }],
          fulfillment: { type: 'pickup', location_id: shop.storeB },
          payment: { provider: 'pay-in-store' },
        },
      },
    );
    expect(r.status).toBe(201);
    expect(r.body.order.fulfillments[0]?.status).toBe('awaiting_transfer');
    const p = await t.admin<Pickup>('GET', `/orders/${r.body.order.id}/pickup`, undefined, staffB);
    expect(p.body).toMatchObject({ status: 'to_prepare', awaiting_transfer: true, location_id: shop.storeB });
    expect(p.body.transfers).toHaveLength(1);
  });
});
