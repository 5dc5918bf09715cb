/** The store counter: a customer's active offers with the products in stock at THIS store; shown once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { findVariantByCode } from '../../modules/catalog/index.ts';
import { displayCode } from './offers.ts';
import {
  newCampaign,
  newCustomer,
  newDiscount,
  newSend,
  sendStatus,
  stat,
  touchEvents,
} from './offers-fixture.ts';

let t: TestApp;
let shop: Shop;
let campaign: string;
let customer: string;
let send: string;
let held: string;
let staffA: string;
let staffB: string;

interface Offers {
  location_id: string;
  data: {
    send_id: string;
    shown: boolean;
    title: string;
    body: string;
    code: string | null;
    products: { title: string; available_here: number; in_stock_here: boolean }[];
  }[];
}

beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t);
  const products = [];
  for (const sku of [shop.skus.tee, shop.skus.cap])
    products.push((await findVariantByCode(t.deps.db, sku))?.product_id as string);
  campaign = await newCampaign(t, {
    media: ['pos'],
    productIds: products,
    offer: { discount_id: await newDiscount(t, 20), codes: 'per_recipient' },
    variants: [
      {
        key: 'a',
        content: {
          pos: {
            title: '20 % off for {{ customer.first_name }}',
            body: '{% for p in products %}{{ p.title }}: {% if p.in_stock_at_store %}in stock here{% else %}not here{% endif %}. {% endfor %}',
          },
        },
      },
    ],
  });
  customer = await newCustomer(t, { first: 'Ada' });
  send = await newSend(t, { campaignId: campaign, customerId: customer, medium: 'pos' });
  held = await newCustomer(t);
  await newSend(t, { campaignId: campaign, customerId: held, medium: 'pos', status: 'holdout' });
  [staffA, staffB] = [await t.staff([shop.storeA]), await t.staff([shop.storeB])];
});
afterAll(() => t.close());

const offers = (id: string, token: string, location?: string) =>
  t.admin<Offers>(
    'GET',
    `/pos/customers/${id}/offers${location ? `?location_id=${location}` : ''}`,
    undefined,
    token,
  );

describe('the store counter', () => {
  it("shows the customer's offer with their code and the products in stock at this store", async () => {
    const a = await offers(customer, staffA);
    expect(a.status).toBe(200);
    expect(a.body.location_id).toBe(shop.storeA);
    expect(a.body.data).toHaveLength(1);
    const offer = a.body.data[0];
    const code = (
      await t.deps.db.query<{ code: string }>('SELECT code FROM offer_codes WHERE customer_id = $1', [
        customer,
      ])
    ).rows[0]?.code as string;
    expect(offer).toMatchObject({
      send_id: send,
      shown: false,
      title: '20 % off for Ada',
      code: displayCode(code),
    });
    expect(offer?.products).toEqual([
      { id: expect.any(String), title: 'Plaza tee', available_here: 2, in_stock_here: true },
      { id: expect.any(String), title: 'Plaza cap', available_here: 0, in_stock_here: false },
    ]);
    expect(offer?.body).toBe('Plaza tee: in stock here. Plaza cap: not here.');

    const b = await offers(customer, staffB);
    expect(b.body.data[0]?.products.map((p) => p.in_stock_here)).toEqual([false, true]);
    expect(b.body.data[0]?.body).toBe('Plaza tee: not here. Plaza cap: in stock here.');
    expect((await offers(customer, staffA, shop.storeB)).status).toBe(403);
    expect((await offers(customer, t.adminToken)).status).toBe(400);
    expect((await offers(customer, t.adminToken, shop.storeB)).body.data).toHaveLength(1);
  });

  it('shows a holdout nothing, and an unknown customer is not found', async () => {
    expect((await offers(held, staffA)).body.data).toEqual([]);
    expect((await offers('cus_01ARZ3NDEKTSV4RRFFQ69G5FAV', staffA)).status).toBe(404);
  });

  it('records showing the offer once (the touch that counts for the cap)', async () => {
    const shown = () => t.admin('POST', `/pos/offers/${send}/shown`, undefined, staffA);
    const first = await shown();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ send_id: send, status: 'sent', first: true });
    expect((await shown()).body).toEqual({ send_id: send, status: 'sent', first: false });
    expect((await sendStatus(t, send)).status).toBe('sent');
    expect(await stat(t, campaign, 'pos', 'sent')).toBe(1);
    const events = await touchEvents(t, campaign, 'Offer Shown');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ send_id: send, medium: 'pos' });
    expect((await offers(customer, staffA)).body.data[0]?.shown).toBe(true);
    expect((await t.admin('POST', `/pos/offers/${send}/shown`, undefined, staffB)).status).toBe(200);
  });
});
