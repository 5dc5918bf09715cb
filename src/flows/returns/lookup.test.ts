import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { newLocation, stock } from '../../../test/support/stock.ts';
import { addPosChannel, eventsOf, placeOrder } from '../../../test/support/stores.ts';
import { DAY } from '../../platform/clock.ts';
import type { Receipt } from '../pos/schema.ts';
import type { Return, ReturnableOrder } from './schema.ts';

let t: TestApp;
let shop: Shop;
let staffA: string;
let staffB: string;
let pos: { id: string; key: string };
const person = {
  email: 'Grace.Hopper@Example.com',
  phone: '+1 (503) 555-0188',
  first_name: 'Grace',
  last_name: 'Hopper',
};
let customer: { id: string; token: string; card: string };
let online: { id: string; number: number };
let counter: { id: string; number: number; sale: string };
let guest: { id: string; number: number };

type Found = { data: ReturnableOrder[]; next_cursor: string | null };
const lookup = (body: Record<string, unknown>, token = staffB) =>
  t.call<Found>('POST', '/admin/returns/lookup', { body, token });

/** Hands an order waiting at store A over to its shopper (staff of store A). */
const handOver = async (orderId: string) => {
  expect((await t.admin('POST', `/orders/${orderId}/pickup/ready`, undefined, staffA)).status).toBe(200);
  const [ready] = await eventsOf(t, 'pickup.ready', orderId);
  const done = await t.admin(
    'POST',
    `/orders/${orderId}/pickup/handover`,
    { code: ready?.data.code },
    staffA,
  );
  expect(done.status).toBe(200);
};

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  await stock(t, shop.skus.tee, shop.storeA, 20);
  pos = await addPosChannel(t, shop.storeA, { [shop.skus.tee]: 2400, [shop.skus.hoodie]: 5800 });
  await stock(t, shop.skus.hoodie, shop.storeA, 5);
  staffA = await t.staff([shop.storeA]);
  staffB = await t.staff([shop.storeB]);

  const reg = await t.call<{ id: string }>('POST', '/store/customers', {
    key: shop.web.key,
    body: { ...person, password: 'long password 1' },
  });
  expect(reg.status).toBe(201);
  const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
    key: shop.web.key,
    body: { email: person.email, password: 'long password 1' },
  });
  const card = await t.admin<{ card_number: string }>('POST', `/customers/${reg.body.id}/loyalty/enroll`, {});
  expect(card.status).toBe(200);
  customer = { id: reg.body.id, token: login.body.token, card: card.body.card_number };

  // Sold online, picked up (and paid) at store A.
  const web = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 2 }], {
    pickupAt: shop.storeA,
    customerToken: customer.token,
  });
  await handOver(web.order.id);
  online = { id: web.order.id, number: web.order.number };

  // Sold at store A's counter, paid by card.
  const sale = await t.admin<{ id: string }>(
    'POST',
    '/pos/sales',
    { channel_id: pos.id, customer_id: customer.id, items: [{ code: shop.skus.hoodie, quantity: 1 }] },
    staffA,
  );
  expect(sale.status).toBe(201);
  const paid = await t.call<Receipt>('POST', `/admin/pos/sales/${sale.body.id}/pay`, {
    token: staffA,
    body: { payment: { provider: 'cash', tendered: 10_000 } },
    headers: { 'idempotency-key': 'lookup-sale' },
  });
  expect(paid.status).toBe(200);
  counter = { id: paid.body.order_id, number: paid.body.receipt_number, sale: sale.body.id };

  // A guest order placed online with an e-mail no account has, picked up at store A.
  const g = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
    pickupAt: shop.storeA,
    email: 'walk.in@example.org',
  });
  await handOver(g.order.id);
  guest = { id: g.order.id, number: g.order.number };
  const owner = await t.deps.db.query('SELECT customer_id FROM orders WHERE id = $1', [guest.id]);
  expect(owner.rows).toEqual([{ customer_id: null }]);
});
afterAll(() => t.close());

/** Nothing that identifies the person: no e-mail, phone, name or address in the answer. */
const expectNoPersonalData = (body: unknown) => {
  // Ids are random letters and digits: leave them out so they cannot spell a value by chance.
  const text = JSON.stringify(body)
    .toLowerCase()
    .replace(/[a-z]+_[0-9a-z]{26}/g, 'id');
  for (const v of ['grace', 'hopper', 'example.', 'walk.in', '555', '0188', 'portland', 'main st', '97205']) {
    expect(text).not.toContain(v);
  }
  for (const key of ['email', 'phone', 'address', 'shipping_address', 'customer_id', 'first_name']) {
    expect(text).not.toContain(`"${key}`);
  }
};

describe('returns lookup at any store', () => {
  it('finds an online pickup and a counter sale of store A from store B by every key, with no personal data', async () => {
    const byKey: [Record<string, unknown>, string[]][] = [
      [{ order_number: online.number }, [online.id]],
      [{ order_number: counter.number }, [counter.id]],
      [{ receipt: counter.id }, [counter.id]],
      [{ receipt: String(counter.number) }, [counter.id]],
      [{ phone: '(503) 555-0188' }, [counter.id, online.id]],
      [{ phone: '+1 503 555 0188', location_id: shop.storeB }, [counter.id, online.id]],
      [{ email: person.email.toUpperCase() }, [counter.id, online.id]],
      [{ email: 'Walk.In@example.org' }, [guest.id]],
      [{ card: customer.card.replace(/(.{4})(?=.)/g, '$1 ').toLowerCase() }, [counter.id, online.id]],
    ];
    for (const [body, ids] of byKey) {
      const r = await lookup(body);
      expect(r.status, JSON.stringify(body)).toBe(200);
      expect(
        r.body.data.map((o) => o.order_id),
        JSON.stringify(body),
      ).toEqual(ids);
      expectNoPersonalData(r.body);
    }

    const first = await lookup({ card: customer.card, limit: 1 });
    expect(first.body.data.map((o) => o.order_id)).toEqual([counter.id]);
    const next = await lookup({ card: customer.card, limit: 1, cursor: first.body.next_cursor });
    expect(next.body).toMatchObject({ data: [{ order_id: online.id }], next_cursor: null });

    const [web] = (await lookup({ order_number: online.number })).body.data;
    expect(web).toMatchObject({
      order_id: online.id,
      order_number: online.number,
      channel: { id: shop.web.id, type: 'web' },
      currency: 'USD',
      returnable: true,
      return_window: { days: 30, open: true },
      refund_methods: ['original', 'store_credit'],
      payments: [{ provider: 'pay-in-store', captured_amount: 2 * shop.price.tee, refunded_amount: 0 }],
      lines: [
        {
          sku: shop.skus.tee,
          title: expect.stringContaining('Plaza tee'),
          quantity: 2,
          fulfilled_quantity: 2,
          returned_quantity: 0,
          returnable_quantity: 2,
          unit_price: shop.price.tee,
          unit_amount: shop.price.tee,
          returnable_amount: 2 * shop.price.tee,
        },
      ],
    });
    const [sold] = (await lookup({ receipt: counter.id })).body.data;
    expect(sold).toMatchObject({
      channel: { id: pos.id, type: 'pos' },
      selling_location_id: shop.storeA,
      payments: [{ provider: 'cash', captured_amount: 5800 }],
      lines: [{ sku: shop.skus.hoodie, quantity: 1, returnable_quantity: 1, unit_amount: 5800 }],
    });
  });

  it('lets staff of store B return what they found, and shows what is left', async () => {
    for (const id of [online.id, counter.id]) {
      const [found] = (await lookup({ phone: '503-555-0188' })).body.data.filter((o) => o.order_id === id);
      const line = found?.lines[0];
      expect(line?.returnable_quantity).toBeGreaterThan(0);
      const r = await t.call<Return>('POST', '/admin/returns', {
        token: staffB,
        body: {
          order_id: id,
          location_id: shop.storeB,
          lines: [{ order_line_id: line?.order_line_id, quantity: 1, condition: 'resellable' }],
        },
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ status: 'completed', refund_total: line?.unit_amount });
    }
    const after = (await lookup({ card: customer.card })).body.data;
    const web = after.find((o) => o.order_id === online.id);
    expect(web?.lines[0]).toMatchObject({ quantity: 2, returned_quantity: 1, returnable_quantity: 1 });
    expect(web?.payments[0]).toMatchObject({ refunded_amount: shop.price.tee });
    const sold = after.find((o) => o.order_id === counter.id);
    expect(sold).toMatchObject({ returnable: false });
    expect(sold?.lines[0]).toMatchObject({
      returned_quantity: 1,
      returnable_quantity: 0,
      returnable_amount: 0,
    });
  });

  it('shows staff of other stores only the return view: the order itself stays hidden', async () => {
    for (const id of [online.id, counter.id]) {
      expect((await t.admin('GET', `/orders/${id}`, undefined, staffB)).status).toBe(404);
      expect((await t.admin('GET', `/orders/${id}`, undefined, staffA)).status).toBe(200);
    }
    expect((await t.admin('GET', `/pos/sales/${counter.sale}/receipt`, undefined, staffB)).status).toBe(404);
    const asStaff = await lookup({ email: person.email });
    const asAdmin = await lookup({ email: person.email }, t.adminToken);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toEqual(asStaff.body);
    const asStoreA = await lookup({ email: person.email }, staffA);
    expect(asStoreA.body).toEqual(asStaff.body);
  });

  it('refuses bad input with 400 and answers unknown values with an empty list', async () => {
    const bad = [
      {},
      { location_id: shop.storeB },
      { order_number: online.number, email: person.email },
      { phone: 'call me maybe' },
      { phone: '12' },
      { email: 'a@example..com' },
      { receipt: 'not a receipt' },
      { card: '!' },
      { order_number: 0 },
      { order_number: online.number, shipping: true },
    ];
    for (const body of bad) {
      const r = await lookup(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
    }
    const unknown = [
      { order_number: 999_999_999 },
      { receipt: 'ord_01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      { phone: '+1 503 555 0999' },
      { email: 'nobody@example.com' },
      { card: 'K7QM 4XRT 9CHD' },
    ];
    for (const body of unknown) {
      const r = await lookup(body);
      expect(r.status, JSON.stringify(body)).toBe(200);
      expect(r.body).toEqual({ data: [], next_cursor: null });
    }
    const elsewhere = await lookup({ phone: '5035550188', location_id: shop.storeA });
    expect(elsewhere.status).toBe(403); // the counter's country comes from the caller's own store
    const noToken = await t.call('POST', '/admin/returns/lookup', { body: { order_number: online.number } });
    expect(noToken.status).toBe(401);
  });

  it('reads a phone number without country code in the country of the counter', async () => {
    const manila = await newLocation(t, {
      name: 'Manila',
      address: { line1: '1 Ayala Ave', city: 'Makati', postal_code: '1226', country: 'PH' },
      timezone: 'Asia/Manila',
    });
    const staffM = await t.staff([manila]);
    const email = 'counter.ph@example.com';
    const reg = await t.call('POST', '/store/customers', {
      key: shop.web.key,
      body: { email, password: 'long password 1', phone: '+63 917 123 4567' },
    });
    expect(reg.status).toBe(201);
    const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: shop.web.key,
      body: { email, password: 'long password 1' },
    });
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
      pickupAt: shop.storeA,
      customerToken: login.body.token,
    });
    const local = await lookup({ phone: '0917 123 4567' }, staffM);
    expect(local.body.data.map((o) => o.order_id)).toEqual([order.id]);
    // The same digits at a Portland counter are not a valid number there.
    expect((await lookup({ phone: '0917 123 4567' }, staffB)).status).toBe(400);
  });

  it('lists an order with nothing returnable yet, and closes the window after it ends', async () => {
    const waiting = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
      pickupAt: shop.storeA,
      customerToken: customer.token,
    });
    const [notYet] = (await lookup({ order_number: waiting.order.number })).body.data;
    expect(notYet).toMatchObject({
      returnable: false,
      lines: [{ fulfilled_quantity: 0, returnable_quantity: 0 }],
    });

    t.clock.advance(31 * DAY);
    const [late] = (await lookup({ order_number: online.number })).body.data;
    expect(late).toMatchObject({
      returnable: false,
      return_window: { open: false },
      lines: [{ returned_quantity: 1, returnable_quantity: 0 }],
    });
  });
});
