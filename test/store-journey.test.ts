/**
 * The store journey end to end, through the HTTP API of the real app (in-process), on PGlite and on
 * PostgreSQL: click & collect at store A with its code, an expiry driven by the clock, a return of
 * one item at store B, and a POS sale at store B with a customer found by loyalty card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pickup } from '../src/flows/pickup/schema.ts';
import type { PosSale, Receipt } from '../src/flows/pos/schema.ts';
import type { Return } from '../src/flows/returns/schema.ts';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { MODULES } from '../src/modules.ts';
import { DAY, HOUR } from '../src/platform/clock.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { watchAnswers } from './support/contract.ts';
import { createShop, type Shop } from './support/shop.ts';
import { level, stock } from './support/stock.ts';
import { addPosChannel, adminOrder, drainOutbox, eventsOf, placeOrder } from './support/stores.ts';

let t: TestApp;
/** Answers that differ from the OpenAPI document (status, content type or body). */
let answers: { violations: string[]; seen: Set<string> };
let shop: Shop;
let staffA: string;
let staffB: string;
let pos: { id: string; barcode: string };

beforeAll(async () => {
  t = await createTestApp();
  answers = await watchAnswers(t.app);
  shop = await createShop(t);
  await stock(t, shop.skus.tee, shop.storeA, 8); // 10 tees at store A
  await stock(t, shop.skus.tee, shop.storeB, 3);
  pos = await addPosChannel(t, shop.storeB, { [shop.skus.tee]: 2400, [shop.skus.cap]: 1700 });
  staffA = await t.staff([shop.storeA]);
  staffB = await t.staff([shop.storeB]);
});
afterAll(() => t.close());

const as = (token: string) => ({
  get: <T>(url: string) => t.admin<T>('GET', url, undefined, token),
  post: <T>(url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.call<T>('POST', `/admin${url}`, { token, body, headers }),
});

describe('the store journey', () => {
  let firstOrderId = '';

  it('collects an online pickup order at store A against its code; store B can neither see nor touch it', async () => {
    const a = as(staffA);
    const b = as(staffB);
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 2 }], {
      pickupAt: shop.storeA,
      pay: 'test-card',
    });
    firstOrderId = order.id;
    expect(order).toMatchObject({ status: 'confirmed', payment_status: 'authorized' });
    await drainOutbox(t); // order.confirmed → the pickup opens with its code

    const queue = await a.get<{ data: Pickup[] }>(`/locations/${shop.storeA}/pickups?status=to_prepare`);
    expect(queue.body.data.map((p) => p.order_id)).toContain(order.id);
    expect((await b.get(`/locations/${shop.storeA}/pickups?status=to_prepare`)).status).toBe(403);
    expect((await b.get(`/orders/${order.id}/pickup`)).status).toBe(404);
    expect((await b.get(`/orders/${order.id}`)).status).toBe(404);
    expect((await b.post(`/orders/${order.id}/pickup/ready`)).status).toBe(404);

    const ready = await a.post<Pickup>(`/orders/${order.id}/pickup/ready`);
    expect(ready.body).toMatchObject({
      status: 'ready',
      deadline_at: new Date(t.clock.now().getTime() + 7 * DAY).toISOString(),
    });
    const [readyEvent] = await eventsOf(t, 'pickup.ready', order.id);
    const code = readyEvent?.data.code as string;
    expect(readyEvent?.data).toMatchObject({
      qr_payload: `plaza:pickup:${order.number}:${code}`,
      location_id: shop.storeA,
    });

    expect((await b.post(`/orders/${order.id}/pickup/handover`, { code })).status).toBe(404);
    const wrong = await a.post(`/orders/${order.id}/pickup/handover`, { code: 'NOTRIGHT' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('PICKUP_CODE_INVALID');

    const before = await level(t, shop.skus.tee, shop.storeA);
    const done = await a.post<{ pickup: Pickup; captured_amount: number }>(
      `/orders/${order.id}/pickup/handover`,
      { code },
    );
    expect(done.status).toBe(200);
    expect(done.body.pickup).toMatchObject({ status: 'collected', order_status: 'picked_up' });
    const after = await adminOrder(t, order.id);
    expect(after.payments[0]).toMatchObject({ status: 'captured', captured_amount: order.total });
    expect(await level(t, shop.skus.tee, shop.storeA)).toMatchObject({
      on_hand: (before?.on_hand ?? 0) - 2,
      reserved: (before?.reserved ?? 0) - 2,
    });
  });

  it('expires a second order at its deadline and puts its stock back at store A', async () => {
    const before = await level(t, shop.skus.tee, shop.storeA);
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
      pickupAt: shop.storeA,
    });
    await drainOutbox(t);
    expect((await as(staffA).post(`/orders/${order.id}/pickup/ready`)).status).toBe(200);
    expect((await level(t, shop.skus.tee, shop.storeA))?.reserved).toBe((before?.reserved ?? 0) + 1);

    const sweeper = MODULES.flatMap((m) => m.jobs?.(t.deps) ?? []).find((j) => j.name === 'pickup-deadlines');
    t.clock.advance(6 * DAY + HOUR);
    await sweeper?.runOnce();
    expect(await eventsOf(t, 'pickup.reminder', order.id)).toHaveLength(1);
    expect((await adminOrder(t, order.id)).status).toBe('ready_for_pickup');
    t.clock.advance(DAY);
    await sweeper?.runOnce();

    const expired = await adminOrder(t, order.id);
    expect(expired).toMatchObject({ status: 'expired', payment_status: 'voided' });
    expect(await level(t, shop.skus.tee, shop.storeA)).toMatchObject({
      on_hand: before?.on_hand,
      reserved: before?.reserved,
    });
    expect((await eventsOf(t, 'pickup.expired', order.id))[0]?.data).toMatchObject({
      location_id: shop.storeA,
    });
  });

  it('returns one item of the first order at store B, restocked there and refunded', async () => {
    const order = await adminOrder(t, firstOrderId);
    const line = order.lines[0] as (typeof order.lines)[number];
    const before = await level(t, shop.skus.tee, shop.storeB);
    const r = await as(staffB).post<Return>(
      '/returns',
      {
        order_id: order.id,
        location_id: shop.storeB,
        lines: [{ order_line_id: line.id, quantity: 1, condition: 'resellable' }],
      },
      { 'idempotency-key': 'journey-return' },
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'completed', refunded_amount: line.total / 2 });
    expect(await level(t, shop.skus.tee, shop.storeB)).toMatchObject({ on_hand: (before?.on_hand ?? 0) + 1 });
    expect((await adminOrder(t, order.id)).payments[0]).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: line.total / 2,
    });
    expect((await eventsOf(t, 'return.received', order.id))[0]?.data).toMatchObject({
      order_id: order.id,
      channel_id: shop.web.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: line.id, sku: shop.skus.tee, quantity: 1, amount: line.total / 2 }],
    });
  });

  it('sells at the store B counter to a customer found by loyalty card, paying partly with points', async () => {
    const b = as(staffB);
    const email = 'journey@example.com';
    const registered = await t.call<{ id: string }>('POST', '/store/customers', {
      key: shop.web.key,
      body: { email, password: 'long password 1', first_name: 'June', phone: '+1 503 555 0123' },
    });
    const customerId = registered.body.id;
    const card = await t.admin<{ card_number: string }>('POST', `/customers/${customerId}/loyalty/enroll`);
    expect(card.body.card_number).toBeTruthy();
    await t.admin('POST', `/customers/${customerId}/loyalty/adjustments`, {
      points: 500,
      note: 'welcome gift',
    });

    // At the counter the customer shows the card (or says the phone number).
    const byCard = await b.get<{ data: { id: string }[] }>(
      `/pos/customers?card=${encodeURIComponent(card.body.card_number)}`,
    );
    expect(byCard.body.data.map((c) => c.id)).toEqual([customerId]);
    const byPhone = await b.get<{ data: { id: string }[] }>('/pos/customers?phone=503-555-0123');
    expect(byPhone.body.data.map((c) => c.id)).toEqual([customerId]);

    const before = await level(t, shop.skus.tee, shop.storeB);
    const sale = await b.post<PosSale>('/pos/sales', {
      channel_id: pos.id,
      customer_id: customerId,
      items: [{ code: pos.barcode }],
    });
    expect(sale.status).toBe(201);
    const receipt = await b.post<Receipt>(
      `/pos/sales/${sale.body.id}/pay`,
      { payment: { provider: 'test-card', card_number: TEST_CARDS.approve }, loyalty_points: 300 },
      { 'idempotency-key': 'journey-sale' },
    );
    expect(receipt.status).toBe(200);
    // 300 points of 1 cent each come off the 24.00 tee.
    expect(receipt.body).toMatchObject({ total: 2100, store: { id: shop.storeB }, customer: { email } });
    expect(await level(t, shop.skus.tee, shop.storeB)).toMatchObject({ on_hand: (before?.on_hand ?? 0) - 1 });
    const order = await adminOrder(t, receipt.body.order_id);
    expect(order).toMatchObject({
      status: 'completed',
      channel_id: pos.id,
      selling_location_id: shop.storeB,
      discount_total: 300,
    });
    // Paid and fulfilled at the counter: points are earned on what was paid.
    await drainOutbox(t);
    const account = await t.admin<{ balance: number }>('GET', `/customers/${customerId}/loyalty`);
    expect(account.body.balance).toBe(500 - 300 + 21);
  });
});

describe('the OpenAPI document', () => {
  it('declares every answer of this journey: status, content type and body', () => {
    expect(answers.violations).toEqual([]);
    expect(answers.seen.size).toBeGreaterThan(10);
  });
});
