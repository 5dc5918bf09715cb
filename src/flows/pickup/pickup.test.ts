import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { level, stock } from '../../../test/support/stock.ts';
import { adminOrder, drainOutbox, eventsOf, placeOrder } from '../../../test/support/stores.ts';
import { DAY, HOUR } from '../../platform/clock.ts';
import { expirePickups, sendPickupReminders } from './index.ts';
import type { Pickup } from './schema.ts';

let t: TestApp;
let shop: Shop;
let staffA: string;
let staffB: string;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  await stock(t, shop.skus.tee, shop.storeA, 10); // 12 tees at store A
  staffA = await t.staff([shop.storeA]);
  staffB = await t.staff([shop.storeB]);
});
afterAll(() => t.close());

const ready = (orderId: string, token = staffA) =>
  t.admin<Pickup>('POST', `/orders/${orderId}/pickup/ready`, undefined, token);
const handover = (orderId: string, body: Record<string, unknown>, token = staffA) =>
  t.admin<{ pickup: Pickup; captured_amount: number; collected: { quantity: number; amount: number }[] }>(
    'POST',
    `/orders/${orderId}/pickup/handover`,
    body,
    token,
  );
const codeOf = async (orderId: string) => {
  const [e] = await eventsOf(t, 'pickup.ready', orderId);
  return e?.data as { code: string; qr_payload: string; deadline_at: string };
};

describe('pickup queue, ready and handover', () => {
  it('lists a confirmed pickup order to prepare for its store only, and marks it ready with a code', async () => {
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
      pickupAt: shop.storeA,
    });
    await drainOutbox(t);
    const queue = await t.admin<{ data: Pickup[] }>(
      'GET',
      `/locations/${shop.storeA}/pickups?status=to_prepare`,
      undefined,
      staffA,
    );
    expect(queue.status).toBe(200);
    expect(queue.body.data.map((p) => p.order_id)).toContain(order.id);
    expect(queue.body.data.find((p) => p.order_id === order.id)).toMatchObject({
      can_mark_ready: true,
      awaiting_transfer: false,
    });
    expect(JSON.stringify(queue.body)).not.toMatch(/"code"/);

    expect((await t.admin('GET', `/locations/${shop.storeA}/pickups`, undefined, staffB)).status).toBe(403);
    expect((await ready(order.id, staffB)).status).toBe(404);
    expect((await handover(order.id, { code: 'ABCDEFGH' }, staffB)).status).toBe(404);

    const r = await ready(order.id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ready', order_status: 'ready_for_pickup' });
    const e = await codeOf(order.id);
    expect(e.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(e.qr_payload).toBe(`plaza:pickup:${order.number}:${e.code}`);
    expect(new Date(e.deadline_at).getTime()).toBe(t.clock.now().getTime() + 7 * DAY);
    const [readyEvent] = await eventsOf(t, 'pickup.ready', order.id);
    expect(readyEvent?.data).toMatchObject({
      order_id: order.id,
      channel_id: shop.web.id,
      location_id: shop.storeA,
    });
    expect((await ready(order.id)).status).toBe(200);
    expect(await eventsOf(t, 'pickup.ready', order.id)).toHaveLength(1);
    expect((await handover(order.id, { code: e.code.toLowerCase() })).status).toBe(200);
  });

  it('refuses wrong codes, locks the order after five, and hands over with the right code', async () => {
    const before = await level(t, shop.skus.tee, shop.storeA);
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 2 }], {
      pickupAt: shop.storeA,
    });
    expect((await ready(order.id)).status).toBe(200);
    const { code, qr_payload } = await codeOf(order.id);

    const wrong = await handover(order.id, { code: 'WRONG234' });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: 'PICKUP_CODE_INVALID', attempts_left: 4 });
    const otherOrder = await handover(order.id, { code: `plaza:pickup:1:${code}` });
    expect(otherOrder.body).toMatchObject({ code: 'PICKUP_CODE_INVALID', attempts_left: 3 });
    for (let i = 0; i < 3; i++) await handover(order.id, { code: 'WRONG234' });
    const locked = await handover(order.id, { code });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');

    t.clock.advance(16 * 60_000);
    const done = await handover(order.id, { code: qr_payload });
    expect(done.status).toBe(200);
    expect(done.body.pickup).toMatchObject({
      status: 'collected',
      order_status: 'picked_up',
      payment_status: 'captured',
    });
    expect(done.body.captured_amount).toBe(order.total);
    const after = await adminOrder(t, order.id);
    expect(after.payments[0]).toMatchObject({
      provider: 'pay-in-store',
      status: 'captured',
      captured_amount: order.total,
    });
    expect(after.lines[0]?.fulfilled_quantity).toBe(2);
    expect(await level(t, shop.skus.tee, shop.storeA)).toMatchObject({
      on_hand: (before?.on_hand ?? 0) - 2,
      reserved: before?.reserved,
    });
    expect((await handover(order.id, { code })).status).toBe(409);
  });

  it('hands over some lines and keeps the rest ready, then refunds the rest when it expires', async () => {
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 3 }], {
      pickupAt: shop.storeA,
      pay: 'test-card',
    });
    await ready(order.id);
    const { code } = await codeOf(order.id);
    const line = order.lines[0] as { id: string; total: number };
    const part = await handover(order.id, { code, lines: [{ order_line_id: line.id, quantity: 1 }] });
    expect(part.status).toBe(200);
    expect(part.body.pickup).toMatchObject({ status: 'ready', order_status: 'partially_fulfilled' });
    expect(part.body.pickup.lines[0]).toMatchObject({ collected: 1, remaining: 2 });
    expect(part.body.captured_amount).toBe(order.total); // the whole authorization, rest refunded if not collected
    const reserved = (await level(t, shop.skus.tee, shop.storeA))?.reserved ?? 0;

    t.clock.advance(7 * DAY + HOUR);
    expect(await expirePickups(t.deps)).toBeGreaterThanOrEqual(1);
    const after = await adminOrder(t, order.id);
    expect(after.status).toBe('picked_up');
    const refunded = line.total - Math.round(line.total / 3);
    expect(after.payments[0]).toMatchObject({ status: 'partially_refunded', refunded_amount: refunded });
    expect((await level(t, shop.skus.tee, shop.storeA))?.reserved).toBe(reserved - 2);
    const [expired] = await eventsOf(t, 'pickup.expired', order.id);
    expect(expired?.data).toMatchObject({
      status: 'partially_collected',
      refund_amount: refunded,
      location_id: shop.storeA,
    });
    expect((await eventsOf(t, 'refund.issued', order.id))[0]?.data).toMatchObject({
      amount: refunded,
      customer_id: null,
      channel_id: shop.web.id,
      location_id: shop.storeA,
    });
  });

  it('hands over some lines and cancels the rest: only what was taken is captured', async () => {
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 2 }], {
      pickupAt: shop.storeA,
    });
    await ready(order.id);
    const { code } = await codeOf(order.id);
    const before = await level(t, shop.skus.tee, shop.storeA);
    const line = order.lines[0] as { id: string; total: number };
    const r = await handover(order.id, {
      code,
      lines: [{ order_line_id: line.id, quantity: 1 }],
      remainder: 'cancel',
    });
    expect(r.status).toBe(200);
    expect(r.body.pickup).toMatchObject({ status: 'partially_collected', order_status: 'picked_up' });
    expect(r.body.captured_amount).toBe(line.total / 2);
    expect(await level(t, shop.skus.tee, shop.storeA)).toMatchObject({
      on_hand: (before?.on_hand ?? 0) - 1,
      reserved: (before?.reserved ?? 0) - 2,
    });
  });
});

describe('concurrent handovers', () => {
  it('hands an order over once when two counters try at the same time: one capture, one sale', async () => {
    const staffA2 = await t.staff([shop.storeA]);
    const before = await level(t, shop.skus.tee, shop.storeA);
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
      pickupAt: shop.storeA,
      pay: 'test-card',
    });
    await ready(order.id);
    const { code } = await codeOf(order.id);
    const results = await Promise.all([handover(order.id, { code }), handover(order.id, { code }, staffA2)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await adminOrder(t, order.id);
    expect(after.payments[0]).toMatchObject({ status: 'captured', captured_amount: order.total });
    expect(after.lines[0]?.fulfilled_quantity).toBe(1);
    expect(await eventsOf(t, 'payment.captured', order.id)).toHaveLength(1);
    expect(await level(t, shop.skus.tee, shop.storeA)).toMatchObject({ on_hand: (before?.on_hand ?? 0) - 1 });
  });
});

describe('deadlines', () => {
  it('reminds before the deadline, then expires the order: stock back, authorization voided', async () => {
    const before = await level(t, shop.skus.tee, shop.storeA);
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
      pickupAt: shop.storeA,
      pay: 'test-card',
    });
    expect(
      (await t.admin('PATCH', `/locations/${shop.storeA}/pickup-settings`, { pickup_hold_days: 3 }, staffA))
        .status,
    ).toBe(200);
    await ready(order.id);
    expect((await level(t, shop.skus.tee, shop.storeA))?.reserved).toBe((before?.reserved ?? 0) + 1);
    t.clock.advance(2 * DAY - HOUR); // the reminder is due 24 h before the 3-day deadline
    await sendPickupReminders(t.deps);
    expect(await eventsOf(t, 'pickup.reminder', order.id)).toHaveLength(0);
    t.clock.advance(2 * HOUR);
    await sendPickupReminders(t.deps);
    expect(await eventsOf(t, 'pickup.reminder', order.id)).toHaveLength(1);
    await sendPickupReminders(t.deps);
    expect(await eventsOf(t, 'pickup.reminder', order.id)).toHaveLength(1);

    t.clock.advance(DAY);
    await expirePickups(t.deps);
    const after = await adminOrder(t, order.id);
    expect(after).toMatchObject({ status: 'expired', payment_status: 'voided' });
    expect(after.payments[0]?.status).toBe('voided');
    expect(after.fulfillments[0]?.status).toBe('expired');
    expect(await level(t, shop.skus.tee, shop.storeA)).toMatchObject({
      on_hand: before?.on_hand,
      reserved: before?.reserved,
    });
    const [expired] = await eventsOf(t, 'pickup.expired', order.id);
    expect(expired?.data).toMatchObject({ order_id: order.id, location_id: shop.storeA, status: 'expired' });
    await t.admin('PATCH', `/locations/${shop.storeA}/pickup-settings`, { pickup_hold_days: 7 });
  });
});

describe('ready-time promise', () => {
  it('brings missing stock by transfer: ready only after it is received and held at the store', async () => {
    const staffWarehouse = await t.staff([shop.warehouse]);
    const wBefore = await level(t, shop.skus.hoodie, shop.warehouse);
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.hoodie, quantity: 1 }], {
      pickupAt: shop.storeA,
    });
    expect(order.fulfillments[0]).toMatchObject({
      status: 'awaiting_transfer',
      source_location_id: shop.warehouse,
    });
    await drainOutbox(t);
    const pickup = await t.admin<Pickup>('GET', `/orders/${order.id}/pickup`, undefined, staffA);
    expect(pickup.body).toMatchObject({ awaiting_transfer: true, can_mark_ready: false });
    expect(pickup.body.ready_estimate_at).toBe(order.fulfillments[0]?.ready_estimate_at);
    const transferId = pickup.body.transfers[0]?.transfer_id as string;
    expect(pickup.body.transfers[0]).toMatchObject({ from_location_id: shop.warehouse, status: 'requested' });

    const early = await ready(order.id);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'INVALID_STATE_TRANSITION', transfer_ids: [transferId] });

    const base = `/orders/${order.id}/pickup/transfers/${transferId}`;
    expect((await t.admin('POST', `${base}/ship`, undefined, staffA)).status).toBe(403);
    expect((await t.admin('POST', `${base}/ship`, undefined, staffWarehouse)).status).toBe(200);
    expect(await level(t, shop.skus.hoodie, shop.warehouse)).toMatchObject({
      on_hand: (wBefore?.on_hand ?? 0) - 1,
      reserved: wBefore?.reserved,
    });
    const received = await t.admin<{ pickup: Pickup }>('POST', `${base}/receive`, undefined, staffA);
    expect(received.status).toBe(200);
    expect(received.body.pickup).toMatchObject({ awaiting_transfer: false, can_mark_ready: true });
    expect(await level(t, shop.skus.hoodie, shop.storeA)).toMatchObject({
      on_hand: 1,
      reserved: 1,
      available: 0,
    });
    expect((await eventsOf(t, 'pickup.stock_arrived', order.id))[0]?.data).toMatchObject({
      location_id: shop.storeA,
    });
    expect((await ready(order.id)).status).toBe(200);
    const { code } = await codeOf(order.id);
    expect((await handover(order.id, { code })).status).toBe(200);
    expect(await level(t, shop.skus.hoodie, shop.storeA)).toMatchObject({ on_hand: 0, reserved: 0 });
  });

  it('cancels a transfer not shipped yet when the order is cancelled', async () => {
    const { order, orderToken } = await placeOrder(
      t,
      shop.web.key,
      [{ sku: shop.skus.hoodie, quantity: 1 }],
      {
        pickupAt: shop.storeB,
      },
    );
    await drainOutbox(t);
    const cancel = await t.call('POST', `/store/orders/${order.id}/cancel`, {
      key: shop.web.key,
      headers: { 'x-plaza-order-token': orderToken as string },
      body: {},
    });
    expect(cancel.status).toBe(200);
    await drainOutbox(t);
    const p = await t.admin<Pickup>('GET', `/orders/${order.id}/pickup`);
    expect(p.body.status).toBe('cancelled');
    expect(p.body.transfers[0]?.status).toBe('cancelled');
  });
});

describe('promises and deadlines in the store time zone', () => {
  const tenToEight = [{ open: '10:00', close: '20:00' }];
  const parisHours = { mon: tenToEight, tue: tenToEight, wed: tenToEight, thu: tenToEight, fri: tenToEight };

  it('keeps the 12:00 wall-clock deadline across the spring change, and never promises after closing', async () => {
    const moved = await t.admin('PATCH', `/locations/${shop.storeA}`, {
      timezone: 'Europe/Paris',
      opening_hours: { ...parisHours, sat: tenToEight },
    });
    expect(moved.status).toBe(200);
    try {
      t.clock.set('2026-03-25T11:00:00Z'); // Wednesday 12:00 in Paris, winter time; summer time from 29 March
      const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
        pickupAt: shop.storeA,
      });
      expect((await ready(order.id)).status).toBe(200);
      // 7 hold days later at 12:00 Paris time (10:00 UTC in summer), not 13:00.
      expect((await codeOf(order.id)).deadline_at).toBe('2026-04-01T10:00:00.000Z');

      t.clock.set('2026-06-05T17:50:00Z'); // Friday 19:50 in Paris; 120 minutes to prepare; closes at 20:00
      const late = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
        pickupAt: shop.storeA,
      });
      expect(late.order.fulfillments[0]?.ready_estimate_at).toBe('2026-06-06T08:00:00.000Z'); // Saturday 10:00
    } finally {
      await t.admin('PATCH', `/locations/${shop.storeA}`, {
        timezone: 'America/Los_Angeles',
        opening_hours: {},
      });
    }
  });
});
