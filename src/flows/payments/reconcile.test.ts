/**
 * Shipping captures the payment: when the capture's answer is lost or the process dies between the
 * provider's capture and Plaza's commit, the payment must not stay `authorized` while the provider
 * holds the money. The kill is reproduced exactly here (the capture mark committed, the provider
 * captured, nothing else); test/capture-kill.test.ts does it with a real SIGKILL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { moneyKeptForFailedSales } from '../../../test/support/payments-audit.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { type PlacedOrder, placeOrder } from '../../../test/support/stores.ts';
import {
  getPayment,
  getProvider,
  type PaymentRow,
  replaceProviderForTest,
  setProviderAction,
} from '../../modules/payments/index.ts';
import { reconcileGraceMs, reconcileStalePayments } from './index.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
});
afterAll(() => t.close());

const ordered = async (): Promise<{ order: PlacedOrder; payment: PaymentRow }> => {
  const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
    pay: 'test-card',
  });
  expect(order).toMatchObject({ status: 'confirmed', payment_status: 'authorized' });
  return { order, payment: (await getPayment(t.deps.db, order.payments[0]?.id as string)) as PaymentRow };
};

/** What a ship request does before it is killed: marks the capture, and the provider captures. */
const killedAfterCapture = async (p: PaymentRow) => {
  await setProviderAction(t.deps.db, p.id, 'capture', t.clock.now(), 'authorized');
  const out = await getProvider('test-card').capture(
    { paymentId: p.id, reference: p.reference as string, amount: p.amount, currency: p.currency },
    { db: t.deps.db },
  );
  expect(out.ok).toBe(true);
};

const ship = (o: PlacedOrder) =>
  t.admin<PlacedOrder>('POST', `/orders/${o.id}/fulfillments/${o.fulfillments[0]?.id}/ship`);
const sandbox = async (paymentId: string) =>
  (
    await t.deps.db.query<{ status: string; captured_amount: number; refunded_amount: number }>(
      'SELECT status, captured_amount::int, refunded_amount::int FROM sandbox_card_payments WHERE payment_id = $1',
      [paymentId],
    )
  ).rows;

describe('a capture whose answer Plaza never recorded', () => {
  it('ships when the provider captured but its answer was lost (the provider is asked)', async () => {
    const { order, payment } = await ordered();
    const real = getProvider('test-card');
    const restore = replaceProviderForTest({
      ...real,
      async capture(input, ctx) {
        await real.capture(input, ctx);
        return new Promise<never>(() => undefined); // the answer never comes back
      },
    });
    try {
      const shipped = await ship(order);
      expect(shipped.status).toBe(200);
      expect(shipped.body).toMatchObject({ status: 'shipped', payment_status: 'captured' });
      expect(shipped.body.payments[0]).toMatchObject({ status: 'captured', captured_amount: payment.amount });
    } finally {
      restore();
    }
    expect(await sandbox(payment.id)).toEqual([
      { status: 'captured', captured_amount: payment.amount, refunded_amount: 0 },
    ]);
  });

  it('refuses a cancellation naming the real payment state (captured) after a ship request died', async () => {
    const { order, payment } = await ordered();
    await killedAfterCapture(payment);
    const r = await t.admin('POST', `/orders/${order.id}/cancel`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'INVALID_STATE_TRANSITION', payment_status: 'captured' });
    expect(r.body.detail).toMatch(/payment is captured/);
    expect(await getPayment(t.deps.db, payment.id)).toMatchObject({
      status: 'captured',
      captured_amount: payment.amount,
      provider_action: null,
    });
  });

  it('is recorded by the reconciler once the grace time passed; shipping then captures nothing twice', async () => {
    const { order, payment } = await ordered();
    await killedAfterCapture(payment);
    expect(await reconcileStalePayments(t.deps)).toBe(0); // the request may still be running
    expect(await getPayment(t.deps.db, payment.id)).toMatchObject({ status: 'authorized' });
    t.clock.advance(reconcileGraceMs(t.deps) + 1);
    expect(await reconcileStalePayments(t.deps)).toBe(1);
    expect(await getPayment(t.deps.db, payment.id)).toMatchObject({
      status: 'captured',
      captured_amount: payment.amount,
      provider_action: null,
    });
    const seen = await t.admin<PlacedOrder>('GET', `/orders/${order.id}`);
    expect(seen.body.payment_status).toBe('captured');
    expect((await ship(order)).body).toMatchObject({ status: 'shipped', payment_status: 'captured' });
    expect(await sandbox(payment.id)).toEqual([
      { status: 'captured', captured_amount: payment.amount, refunded_amount: 0 },
    ]);
  });

  it('refunds money the provider holds for an order that was cancelled meanwhile', async () => {
    const { order, payment } = await ordered();
    await killedAfterCapture(payment);
    // the provider cannot be asked while the order is cancelled: the void it refuses stays marked
    const real = getProvider('test-card');
    const restore = replaceProviderForTest({
      ...real,
      lookup: () => Promise.reject(new Error('provider unreachable')),
    });
    try {
      const cancelled = await t.admin('POST', `/orders/${order.id}/cancel`);
      expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    } finally {
      restore();
    }
    expect(await getPayment(t.deps.db, payment.id)).toMatchObject({
      status: 'voided',
      provider_action: 'void',
    });
    expect(await moneyKeptForFailedSales(t.deps.db)).toMatchObject([
      { payment_id: payment.id, held_at_provider: payment.amount },
    ]);

    t.clock.advance(reconcileGraceMs(t.deps) + 1);
    expect(await reconcileStalePayments(t.deps)).toBe(1);
    expect(await getPayment(t.deps.db, payment.id)).toMatchObject({
      status: 'refunded',
      captured_amount: payment.amount,
      refunded_amount: payment.amount,
      provider_action: null,
    });
    expect(await sandbox(payment.id)).toEqual([
      { status: 'refunded', captured_amount: payment.amount, refunded_amount: payment.amount },
    ]);
    expect(await moneyKeptForFailedSales(t.deps.db)).toEqual([]);
  });
});
