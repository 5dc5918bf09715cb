import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { level, stock } from '../../../test/support/stock.ts';
import { adminOrder, eventsOf, type PlacedOrder, placeOrder } from '../../../test/support/stores.ts';
import { DAY } from '../../platform/clock.ts';
import type { Return } from './schema.ts';

let t: TestApp;
let shop: Shop;
let staffA: string;
let staffB: string;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  await stock(t, shop.skus.tee, shop.storeA, 10);
  await stock(t, shop.skus.cap, shop.storeB, 3);
  staffA = await t.staff([shop.storeA]);
  staffB = await t.staff([shop.storeB]);
});
afterAll(() => t.close());

/** An order picked up (paid) at store A. */
const collected = async (quantity: number, opts: { customerToken?: string } = {}): Promise<PlacedOrder> => {
  const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity }], {
    pickupAt: shop.storeA,
    ...opts,
  });
  expect((await t.admin('POST', `/orders/${order.id}/pickup/ready`, undefined, staffA)).status).toBe(200);
  const [ready] = await eventsOf(t, 'pickup.ready', order.id);
  const done = await t.admin(
    'POST',
    `/orders/${order.id}/pickup/handover`,
    { code: ready?.data.code },
    staffA,
  );
  expect(done.status).toBe(200);
  return adminOrder(t, order.id);
};

const returns = (body: Record<string, unknown>, token = staffB, key?: string) =>
  t.call<Return>('POST', '/admin/returns', { body, token, headers: key ? { 'idempotency-key': key } : {} });

const customerToken = async (): Promise<{ token: string; id: string }> => {
  const email = `returns${Date.now()}@example.com`;
  await t.call('POST', '/store/customers', {
    key: shop.web.key,
    body: { email, password: 'long password 1' },
  });
  const r = await t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
    key: shop.web.key,
    body: { email, password: 'long password 1' },
  });
  return { token: r.body.token, id: r.body.customer.id };
};

describe('returns anywhere', () => {
  it('returns one item of a store A pickup at store B: restocked there, refunded to the original payment', async () => {
    const order = await collected(2);
    const line = order.lines[0] as PlacedOrder['lines'][number];
    const before = await level(t, shop.skus.tee, shop.storeB);
    const body = {
      order_id: order.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: line.id, quantity: 1, condition: 'resellable' }],
    };
    expect((await returns(body, staffA)).status).toBe(403);
    const r = await returns(body, staffB, 'ret-1');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'completed',
      total: line.total / 2,
      refund_total: line.total / 2,
    });
    expect(r.body.refunds[0]).toMatchObject({
      method: 'original',
      status: 'succeeded',
      amount: line.total / 2,
    });
    const replay = await returns(body, staffB, 'ret-1');
    expect(replay.body.id).toBe(r.body.id);

    expect(await level(t, shop.skus.tee, shop.storeB)).toMatchObject({ on_hand: (before?.on_hand ?? 0) + 1 });
    const moves = await t.admin<{ data: { kind: string; on_hand_delta: number }[] }>(
      'GET',
      `/inventory/movements?sku=${shop.skus.tee}&location_id=${shop.storeB}&reference_id=${r.body.id}`,
    );
    expect(moves.body.data.map((m) => [m.kind, m.on_hand_delta])).toEqual([['return', 1]]);

    const after = await adminOrder(t, order.id);
    expect(after.lines[0]?.returned_quantity).toBe(1);
    expect(after.payments[0]).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: line.total / 2,
    });
    const [received] = await eventsOf(t, 'return.received', order.id);
    expect(received?.data).toMatchObject({
      order_id: order.id,
      customer_id: null,
      channel_id: shop.web.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: line.id, sku: shop.skus.tee, quantity: 1, amount: line.total / 2 }],
    });
    expect(await eventsOf(t, 'return.created', order.id)).toHaveLength(1);
    expect((await eventsOf(t, 'refund.issued', order.id))[0]?.data).toMatchObject({
      amount: line.total / 2,
      location_id: shop.storeB,
      return_id: r.body.id,
    });
    expect((await t.admin('GET', `/returns/${r.body.id}`, undefined, staffA)).status).toBe(404);

    const tooMany = await returns({
      ...body,
      lines: [{ order_line_id: line.id, quantity: 2, condition: 'resellable' }],
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ code: 'UNPROCESSABLE', returnable: 1 });
  });

  it('never returns a unit twice, even from two counters at once', async () => {
    const order = await collected(1);
    const body = {
      order_id: order.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: order.lines[0]?.id, quantity: 1, condition: 'resellable' }],
    };
    const results = await Promise.all([returns(body), returns(body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    const after = await adminOrder(t, order.id);
    expect(after.lines[0]?.returned_quantity).toBe(1);
    expect(after.payments[0]).toMatchObject({ status: 'refunded', refunded_amount: order.total });
    expect(after.payment_status).toBe('refunded');
  });

  it('refuses returns outside the channel return window', async () => {
    const order = await collected(1);
    t.clock.advance(31 * DAY);
    const r = await returns({
      order_id: order.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: order.lines[0]?.id, quantity: 1, condition: 'resellable' }],
    });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'RETURN_WINDOW_CLOSED', window_days: 30 });
  });

  it('receives a parcel by mail at the warehouse later, writing damaged units off', async () => {
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.hoodie, quantity: 2 }], {
      pay: 'test-card',
    });
    const ful = order.fulfillments[0] as { id: string };
    expect((await t.admin('POST', `/orders/${order.id}/fulfillments/${ful.id}/ship`, {})).status).toBe(200);
    const before = await level(t, shop.skus.hoodie, shop.warehouse);
    const lineId = order.lines[0]?.id as string;
    const r = await t.admin<Return>('POST', '/returns', {
      order_id: order.id,
      location_id: shop.warehouse,
      lines: [{ order_line_id: lineId, quantity: 2 }],
      reason: 'too small',
    });
    expect(r.body).toMatchObject({ status: 'requested', refunds: [] });
    const [l] = r.body.lines;
    const received = await t.admin<Return>('POST', `/returns/${r.body.id}/receive`, {
      lines: [{ return_line_id: l?.id, condition: 'damaged' }],
    });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ status: 'completed', refunded_amount: order.lines[0]?.total });
    expect(await level(t, shop.skus.hoodie, shop.warehouse)).toMatchObject({ on_hand: before?.on_hand });
    const moves = await t.admin<{ data: { kind: string; on_hand_delta: number }[] }>(
      'GET',
      `/inventory/movements?sku=${shop.skus.hoodie}&location_id=${shop.warehouse}&reference_id=${r.body.id}`,
    );
    expect(moves.body.data.map((m) => [m.kind, m.on_hand_delta]).sort()).toEqual([
      ['return', 2],
      ['write_off', -2],
    ]);
    expect((await adminOrder(t, order.id)).payments[0]?.status).toBe('refunded');
  });

  it('refunds as store credit, and exchanges a size in the same transaction', async () => {
    const customer = await customerToken();
    const order = await collected(2, { customerToken: customer.token });
    const line = order.lines[0] as PlacedOrder['lines'][number];
    const credit = await returns({
      order_id: order.id,
      location_id: shop.storeB,
      refund_method: 'store_credit',
      lines: [{ order_line_id: line.id, quantity: 1, condition: 'resellable' }],
    });
    expect(credit.body).toMatchObject({ status: 'completed', refund_method: 'store_credit' });
    const balance = await t.admin<{ balances: { currency: string; balance: number }[] }>(
      'GET',
      `/customers/${customer.id}/store-credit`,
      undefined,
      staffB,
    );
    expect(balance.body.balances).toEqual([{ currency: 'USD', balance: line.total / 2 }]);

    const capsBefore = await level(t, shop.skus.cap, shop.storeB);
    const exchange = await returns({
      order_id: order.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: line.id, quantity: 1, condition: 'resellable' }],
      exchange: [{ code: shop.skus.cap, quantity: 1 }],
    });
    expect(exchange.status).toBe(201);
    expect(exchange.body).toMatchObject({
      status: 'completed',
      exchange_total: shop.price.cap,
      refund_total: line.total / 2 - shop.price.cap,
    });
    expect(await level(t, shop.skus.cap, shop.storeB)).toMatchObject({
      on_hand: (capsBefore?.on_hand ?? 0) - 1,
    });
    const swapped = await adminOrder(t, exchange.body.exchange_order_id as string);
    expect(swapped).toMatchObject({ status: 'completed', total: shop.price.cap });
    expect(swapped.payments[0]).toMatchObject({ provider: 'exchange', status: 'captured' });

    const other = await collected(1);
    const otherLine = other.lines[0] as PlacedOrder['lines'][number];
    const tooDear = await returns({
      order_id: other.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: otherLine.id, quantity: 1, condition: 'resellable' }],
      exchange: [{ code: shop.skus.cap, quantity: 2 }],
    });
    expect(tooDear.status).toBe(422);
    expect(tooDear.body).toMatchObject({
      reason: 'exchange_exceeds_return',
      difference: 2 * shop.price.cap - otherLine.total,
    });
    expect((await adminOrder(t, other.id)).lines[0]?.returned_quantity).toBe(0); // nothing happened

    const foreign = await returns({
      order_id: other.id,
      location_id: shop.storeB,
      lines: [{ order_line_id: line.id, quantity: 1, condition: 'resellable' }],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('VALIDATION_FAILED');
  });
});
