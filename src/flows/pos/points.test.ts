import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { stock } from '../../../test/support/stock.ts';
import { addPosChannel, adminOrder } from '../../../test/support/stores.ts';
import type { PosSale, Receipt } from './schema.ts';

let t: TestApp;
let shop: Shop;
let pos: { id: string; key: string; barcode: string };
let staff: string;
const TEE = 2400;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  await stock(t, shop.skus.tee, shop.storeB, 5);
  // Tax added on top (8.25 %), as in the US.
  pos = await addPosChannel(t, shop.storeB, { [shop.skus.tee]: TEE }, 825);
  staff = await t.staff([shop.storeB]);
});
afterAll(() => t.close());

describe('loyalty points at the counter', () => {
  it('takes no more points than the price before tax, like checkout, so every point redeemed comes off', async () => {
    const email = 'points-counter@example.com';
    const c = await t.call<{ id: string }>('POST', '/store/customers', {
      key: shop.web.key,
      body: { email, password: 'long password 1' },
    });
    expect(c.status).toBe(201);
    expect((await t.admin('POST', `/customers/${c.body.id}/loyalty/enroll`)).status).toBeLessThan(300);
    const gift = await t.admin('POST', `/customers/${c.body.id}/loyalty/adjustments`, {
      points: 5000,
      note: 'gift',
    });
    expect(gift.status, gift.text).toBeLessThan(300);

    const sale = await t.admin<PosSale>(
      'POST',
      '/pos/sales',
      { channel_id: pos.id, customer_id: c.body.id, items: [{ code: pos.barcode }] },
      staff,
    );
    expect(sale.body).toMatchObject({ subtotal: TEE, total: TEE + Math.round((TEE * 825) / 10_000) });
    const paid = await t.call<Receipt>('POST', `/admin/pos/sales/${sale.body.id}/pay`, {
      token: staff,
      headers: { 'idempotency-key': 'points-counter-1' },
      body: { payment: { provider: 'cash', tendered: 0 }, loyalty_points: 5000 },
    });
    expect(paid.status, paid.text).toBe(200);
    const order = await adminOrder(t, paid.body.order_id);
    // The points pay the tee itself (a discount before tax), so no tax is left and nothing is due.
    expect(order).toMatchObject({ subtotal: TEE, discount_total: TEE, tax_total: 0, total: 0 });
    const account = await t.admin<{ balance: number }>('GET', `/customers/${c.body.id}/loyalty`);
    // Before: the points were redeemed up to the total with tax (2,598), 198 more than came off.
    expect(account.body.balance).toBe(5000 - TEE);
  });
});
