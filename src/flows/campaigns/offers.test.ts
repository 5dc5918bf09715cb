/** Offer codes: created once per recipient, redeemed online once, never over-redeemed, given back, at the POS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { addPosChannel } from '../../../test/support/stores.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import { batchCodesFor, displayCode, offerCodesFor } from './offers.ts';
import { drainOffers, newCampaign, newCustomer, newDiscount, stat, touchEvents } from './offers-fixture.ts';
import { type CampaignFacts, campaignFacts } from './offers-ledger.ts';

let t: TestApp;
let shop: Shop;
let discountId: string;
let campaignId: string;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 50 });
  discountId = await newDiscount(t, 20);
  campaignId = await newCampaign(t, {
    media: ['email', 'print', 'pos'],
    variants: [{ key: 'a', content: { print: { title: 'Hi', body: 'Come by' } } }],
    offer: { discount_id: discountId, codes: 'per_recipient' },
  });
});
afterAll(() => t.close());

const cartWith = async (code: string | null, token?: string) => {
  const auth = token ? { token } : {};
  const cart = await t.call<{ cart: { id: string }; cart_token: string | null }>('POST', '/store/carts', {
    key: shop.web.key,
    ...auth,
    body: { items: [{ sku: shop.skus.tee, quantity: 1 }] },
  });
  const headers: Record<string, string> = cart.body.cart_token
    ? { 'x-plaza-cart-token': cart.body.cart_token }
    : {};
  const id = cart.body.cart.id;
  await t.call('PUT', `/store/carts/${id}/fulfillment`, {
    key: shop.web.key,
    ...auth,
    headers,
    body: {
      type: 'shipping',
      address: { name: 'Ada', line1: '1 Main St', city: 'Portland', postal_code: '97205', country: 'US' },
    },
  });
  const applied = code
    ? await t.call<{ discount: { code: string; amount: number } | null }>(
        'POST',
        `/store/carts/${id}/discount`,
        {
          key: shop.web.key,
          ...auth,
          headers,
          body: { code },
        },
      )
    : undefined;
  const checkout = (card: string = TEST_CARDS.approve) =>
    t.call<{ order: { id: string; discount_total: number; total: number; status: string } }>(
      'POST',
      `/store/carts/${id}/checkout`,
      {
        key: shop.web.key,
        ...auth,
        headers: { ...headers, 'idempotency-key': `offer-${++n}` },
        body: {
          ...(token ? {} : { email: `guest${n}@example.com` }),
          payment: { provider: 'test-card', card_number: card },
        },
      },
    );
  return { id, applied, checkout };
};

const register = async () => {
  const email = `offer${++n}@example.com`;
  const r = await t.call<{ id: string }>('POST', '/store/customers', {
    key: shop.web.key,
    body: { email, password: 'long password 1', first_name: 'Rosa', last_name: 'Parks' },
  });
  const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
    key: shop.web.key,
    body: { email, password: 'long password 1' },
  });
  return { id: r.body.id, token: login.body.token };
};

describe('offer codes', () => {
  it('gives each recipient one unguessable, typable code, the same one every time', async () => {
    const a = await newCustomer(t);
    const b = await newCustomer(t);
    const first = await offerCodesFor(t.deps.db, t.deps, campaignId, [a, b]);
    const again = await offerCodesFor(t.deps.db, t.deps, campaignId, [b, a]);
    expect(first.size).toBe(2);
    expect([...again.entries()].sort()).toEqual([...first.entries()].sort());
    for (const code of first.values()) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(first.get(a)).not.toBe(first.get(b));
  });

  it('is redeemed online once, typed in any case with the dash; a second use is refused offer_used', async () => {
    const owner = await newCustomer(t);
    const code = (await offerCodesFor(t.deps.db, t.deps, campaignId, [owner])).get(owner) as string;
    const typed = displayCode(code).toLowerCase();
    const first = await cartWith(typed);
    expect(first.applied?.status).toBe(200);
    expect(first.applied?.body.discount).toMatchObject({ code, amount: 500 });
    const order = await first.checkout();
    expect(order.status).toBe(201);
    expect(order.body.order.discount_total).toBe(500);
    const row = await t.deps.db.query<{ redemptions: number }>(
      'SELECT redemptions FROM offer_codes WHERE code = $1',
      [code],
    );
    expect(row.rows[0]?.redemptions).toBe(1);

    const second = await cartWith(code);
    expect(second.applied?.status).toBe(422);
    expect(second.applied?.body).toMatchObject({ code: 'DISCOUNT_INVALID', reason: 'offer_used' });

    await drainOffers(t);
    await drainOffers(t); // a redelivery counts nothing twice
    expect(await stat(t, campaignId, 'email', 'redeemed')).toBe(1);
    const events = await touchEvents(t, campaignId, 'Coupon Applied');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ coupon: code, order_id: order.body.order.id, medium: 'email' });
  });

  it("refuses a personal code to another logged-in customer, and gives a declined order's use back", async () => {
    const owner = await newCustomer(t);
    const code = (await offerCodesFor(t.deps.db, t.deps, campaignId, [owner])).get(owner) as string;
    const other = await register();
    const theirs = await cartWith(code, other.token);
    const refused = theirs.applied?.status === 200 ? await theirs.checkout() : theirs.applied;
    expect(refused?.status).toBe(422);
    expect(refused?.body).toMatchObject({ code: 'DISCOUNT_INVALID', reason: 'not_your_code' });

    const declined = await cartWith(code);
    const r = await declined.checkout(TEST_CARDS.decline);
    expect(r.status).toBe(402);
    const uses = await t.deps.db.query<{ redemptions: number }>(
      'SELECT redemptions FROM offer_codes WHERE code = $1',
      [code],
    );
    expect(uses.rows[0]?.redemptions).toBe(0);
    const again = await cartWith(code);
    expect((await again.checkout()).status).toBe(201);
  });

  it('is never redeemed more often than allowed by parallel checkouts', async () => {
    const c = (await campaignFacts(t.deps.db, campaignId)) as CampaignFacts;
    const [code] = await batchCodesFor(t.deps.db, t.deps, c, 'prn_parallel', [2]);
    const carts = await Promise.all(Array.from({ length: 6 }, () => cartWith(code as string)));
    for (const cart of carts) expect(cart.applied?.status).toBe(200);
    const results = await Promise.all(carts.map((cart) => cart.checkout()));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 422, 422, 422, 422]);
    for (const r of results.filter((x) => x.status === 422)) expect(r.body.code).toBe('DISCOUNT_INVALID');
    const row = await t.deps.db.query<{ redemptions: number; n: string }>(
      `SELECT o.redemptions, (SELECT count(*) FROM offer_redemptions r WHERE r.code = o.code)::text AS n
       FROM offer_codes o WHERE o.code = $1`,
      [code],
    );
    expect(row.rows[0]).toEqual({ redemptions: 2, n: '2' });
  });

  it('is redeemed at the POS as the sale discount_code, a touch of the campaign at the counter', async () => {
    const pos = await addPosChannel(t, shop.storeA, { [shop.skus.tee]: 3000 });
    const staff = await t.staff([shop.storeA]);
    const owner = await newCustomer(t);
    const code = (await offerCodesFor(t.deps.db, t.deps, campaignId, [owner])).get(owner) as string;
    const sale = await t.admin<{ id: string }>(
      'POST',
      '/pos/sales',
      { channel_id: pos.id, customer_id: owner, items: [{ code: shop.skus.tee }] },
      staff,
    );
    expect(sale.status).toBe(201);
    const pay = (discount_code: string, key: string) =>
      t.call<{ total: number; discount_total: number }>('POST', `/admin/pos/sales/${sale.body.id}/pay`, {
        token: staff,
        headers: { 'idempotency-key': key },
        body: { payment: { provider: 'cash', tendered: 5000 }, discount_code },
      });
    const wrong = await pay('ZZZZZ-ZZZZZ', 'pos-offer-0');
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: 'DISCOUNT_INVALID', reason: 'unknown_code' });
    const paid = await pay(displayCode(code), 'pos-offer-1');
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ discount_total: 600, total: 2400 });
    const red = await t.deps.db.query<{ location_id: string; customer_id: string }>(
      'SELECT location_id, customer_id FROM offer_redemptions WHERE code = $1',
      [code],
    );
    expect(red.rows).toEqual([{ location_id: shop.storeA, customer_id: owner }]);
    await drainOffers(t);
    expect(await stat(t, campaignId, 'pos', 'redeemed')).toBe(1);
  });
});
