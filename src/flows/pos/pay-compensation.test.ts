/**
 * No money kept for a failed counter sale: when the sale fails after the provider captured — the
 * provider's answer is lost, or Plaza's own transaction fails afterwards — the payment is refunded
 * with the provider and recorded, the order cancelled, the stock given back and the sale open again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { moneyKeptForFailedSales } from '../../../test/support/payments-audit.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { level, stock } from '../../../test/support/stock.ts';
import { addPosChannel } from '../../../test/support/stores.ts';
import { releaseReservation } from '../../modules/inventory/index.ts';
import { getProvider, replaceProviderForTest, TEST_CARDS } from '../../modules/payments/index.ts';
import type { PosSale, Receipt } from './schema.ts';

let t: TestApp;
let shop: Shop;
let pos: { id: string };
let staff: string;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  await stock(t, shop.skus.tee, shop.storeB, 5);
  pos = await addPosChannel(t, shop.storeB, { [shop.skus.tee]: 2400 });
  staff = await t.staff([shop.storeB]);
});
afterAll(() => t.close());

let n = 0;
const openSale = async () => {
  const s = await t.admin<PosSale>(
    'POST',
    '/pos/sales',
    { channel_id: pos.id, items: [{ code: shop.skus.tee, quantity: 2 }] },
    staff,
  );
  expect(s.status).toBe(201);
  return s.body.id;
};
const pay = (saleId: string, card: string) =>
  t.call<Receipt>('POST', `/admin/pos/sales/${saleId}/pay`, {
    token: staff,
    body: { payment: { provider: 'test-card', card_number: card } },
    headers: { 'idempotency-key': `comp-${++n}` },
  });

const stateOf = async (saleId: string) => {
  const sale = await t.admin<PosSale>('GET', `/pos/sales/${saleId}`, undefined, staff);
  const { rows } = await t.deps.db.query<{
    order_status: string;
    payment_status: string;
    order_payment_status: string;
    provider_action: string | null;
    captured: number;
    refunded: number;
  }>(
    `SELECT o.status AS order_status, o.payment_status AS order_payment_status, p.status AS payment_status,
            p.provider_action, l.captured_amount::int AS captured, l.refunded_amount::int AS refunded
     FROM pos_sales s JOIN orders o ON o.id = s.order_id JOIN payments p ON p.order_id = o.id
     LEFT JOIN sandbox_card_payments l ON l.payment_id = p.id WHERE s.id = $1`,
    [saleId],
  );
  return { sale: sale.body.status, ...rows[0] };
};

describe('a counter sale that fails after the provider captured', () => {
  it('refunds when the provider captured but its answer was lost', async () => {
    const before = await level(t, shop.skus.tee, shop.storeB);
    const saleId = await openSale();
    const r = await pay(saleId, TEST_CARDS.captureLost);
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ code: 'PAYMENT_FAILED', payment_status: 'refunded' });
    expect(await stateOf(saleId)).toMatchObject({
      sale: 'open',
      order_status: 'cancelled',
      payment_status: 'refunded',
      order_payment_status: 'refunded',
      provider_action: null,
      captured: 2 * 2400,
      refunded: 2 * 2400,
    });
    expect(await level(t, shop.skus.tee, shop.storeB)).toEqual(before);
    expect(await moneyKeptForFailedSales(t.deps.db)).toEqual([]);
  });

  it('refunds when the sale transaction fails after the capture, and the sale can be paid again', async () => {
    const before = await level(t, shop.skus.tee, shop.storeB);
    const real = getProvider('test-card');
    // a test-only provider: captures like the sandbox, then the sale's stock hold lapses before
    // Plaza commits the sale (its transaction fails after the money was taken)
    const restore = replaceProviderForTest({
      ...real,
      async capture(input, ctx) {
        const out = await real.capture(input, ctx);
        const { rows } = await t.deps.db.query<{ reservation_id: string }>(
          `SELECT f.reservation_id FROM payments p JOIN fulfillments f ON f.order_id = p.order_id
           WHERE p.id = $1`,
          [input.paymentId],
        );
        await t.deps.db.tx((tx) =>
          releaseReservation(tx, t.deps, rows[0]?.reservation_id as string, {
            reason: 'test',
            actor: 'test',
          }),
        );
        return out;
      },
    });
    const saleId = await openSale();
    let r: Awaited<ReturnType<typeof pay>>;
    try {
      r = await pay(saleId, TEST_CARDS.approve);
    } finally {
      restore();
    }
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'CONFLICT', payment_status: 'refunded' });
    const after = await stateOf(saleId);
    expect(after).toMatchObject({
      sale: 'open',
      order_status: 'cancelled',
      payment_status: 'refunded',
      provider_action: null,
    });
    expect(after.captured).toBeGreaterThan(0);
    expect(after.refunded).toBe(after.captured);
    expect(await level(t, shop.skus.tee, shop.storeB)).toEqual(before);
    expect(await moneyKeptForFailedSales(t.deps.db)).toEqual([]);

    const again = await pay(saleId, TEST_CARDS.approve);
    expect(again.status).toBe(200);
    expect(await stateOf(saleId)).toMatchObject({
      sale: 'completed',
      order_status: 'completed',
      payment_status: 'captured',
      provider_action: null,
    });
    expect(await moneyKeptForFailedSales(t.deps.db)).toEqual([]);
  });
});
