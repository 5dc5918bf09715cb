import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { stock } from '../../../test/support/stock.ts';
import { placeOrder } from '../../../test/support/stores.ts';
import { insertEvents, PLAZA_SOURCE_ID } from '../../modules/events/index.ts';
import { TEST_CARDS } from '../../modules/payments/index.ts';
import { MEASURE_KEYS, Measure } from '../../modules/strategy/schema.ts';
import { catchUp, login, register } from '../analytics/fixture.ts';
import { bumpStats } from '../campaigns/stats.ts';
import { upsertTraits } from '../customer-data/index.ts';
import { measureShop, THIN_BELOW } from './measures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const TODAY = '2026-06-30';
const measure = (o: { today?: string; currency?: string; days?: number } = {}) =>
  measureShop(t.deps, { today: o.today ?? TODAY, currency: o.currency ?? 'USD', days: o.days });

/** Every measure is valid against the contract and carries no NaN or Infinity anywhere. */
const expectWellFormed = (all: Awaited<ReturnType<typeof measure>>) => {
  expect(Object.keys(all).sort()).toEqual([...MEASURE_KEYS].sort());
  for (const key of MEASURE_KEYS) {
    const m = all[key];
    expect(m.key).toBe(key);
    expect(
      [...Value.Errors(Measure, m)].map((e) => `${e.path} ${e.message}`),
      key,
    ).toEqual([]);
    expect(JSON.stringify(m)).not.toMatch(/NaN|Infinity/);
    expect(m.method.length, key).toBeGreaterThan(40);
  }
};

describe('an empty shop', () => {
  it('gives every measure, each missing, without a crash or a NaN', async () => {
    const all = await measure();
    expectWellFormed(all);
    for (const key of MEASURE_KEYS) {
      expect(all[key], key).toMatchObject({ value: null, status: 'missing', sample: 0, breakdown: [] });
    }
    expect(all.annual_sales.period).toEqual({ from: '2025-07-01', to: TODAY });
    expect(all.forecast_accuracy.period).toBeNull();
    expect(all.forecast_accuracy.method).toContain('No completed forecasting run');
  });

  it('refuses options it cannot measure with', async () => {
    await expect(measure({ today: '2026-02-30' })).rejects.toThrow(RangeError);
    await expect(measure({ currency: 'usd' })).rejects.toThrow(RangeError);
    await expect(measure({ days: 0 })).rejects.toThrow(RangeError);
  });
});

describe('a shop with sales on two channels', () => {
  let shop: Shop;
  const totals: Record<string, number> = {};
  const v = (k: string): number => totals[k] ?? 0;
  const STORE_A = { lat: 45.52, lng: -122.68 };
  /** Along a meridian the great-circle distance is R·Δφ. */
  const kmNorth = (deg: number) => (6371 * deg * Math.PI) / 180;

  const at = (iso: string) => t.clock.set(iso);
  const tee = (quantity = 1) => [{ sku: shop.skus.tee, quantity }];
  const ship = (lat?: number) => ({
    type: 'shipping',
    address: {
      name: 'Ada',
      line1: '1 Main St',
      city: 'Portland',
      postal_code: '97205',
      country: 'US',
      ...(lat === undefined ? {} : { latitude: lat, longitude: STORE_A.lng }),
    },
  });

  /** A cart filled on one channel and checked out on another (with a shipping position, if given). */
  const order = async (
    o: { cart: string; checkout: string; token?: string; fulfillment: Record<string, unknown> },
    quantity = 1,
  ): Promise<number> => {
    const auth = o.token ? { token: o.token } : {};
    const cart = await t.call<{ cart: { id: string }; cart_token: string | null }>('POST', '/store/carts', {
      key: o.cart,
      ...auth,
      body: { items: tee(quantity) },
    });
    expect(cart.status, cart.text).toBe(201);
    const headers: Record<string, string> = cart.body.cart_token
      ? { 'x-plaza-cart-token': cart.body.cart_token }
      : {};
    const url = `/store/carts/${cart.body.cart.id}`;
    const f = await t.call('PUT', `${url}/fulfillment`, {
      key: o.checkout,
      ...auth,
      headers,
      body: o.fulfillment,
    });
    expect(f.status, f.text).toBe(200);
    const r = await t.call<{ order: { total: number } }>('POST', `${url}/checkout`, {
      key: o.checkout,
      ...auth,
      headers: { ...headers, 'idempotency-key': `strategy-${Math.random()}` },
      body: {
        ...(o.token ? {} : { email: 'guest@example.com' }),
        payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
      },
    });
    expect(r.status, r.text).toBe(201);
    return r.body.order.total;
  };

  beforeAll(async () => {
    at('2025-01-01T09:00:00Z');
    shop = await createShop(t, { stockTee: 500 });
    await stock(t, shop.skus.tee, shop.storeA, 50);
    // 30 guest web orders, one a day from 1 to 30 January 2025 (the thin / measured boundary)
    for (let d = 1; d <= 30; d++) {
      at(`2025-01-${String(d).padStart(2, '0')}T12:00:00Z`);
      await placeOrder(t, shop.web.key, tee(), { pay: 'test-card' });
    }
    at('2026-01-10T09:00:00Z');
    const [a, b, c, d] = await Promise.all(
      ['a', 'b', 'c', 'd'].map((x) => register(t, shop.web.key, `strategy-${x}@example.com`)),
    );
    if (!a || !b || !c || !d) throw new Error('customers');
    const web = (email: string) => login(t, shop.web.key, email);
    const app = (email: string) => login(t, shop.app.key, email);
    const webOrder = async (email: string, quantity = 1) =>
      order(
        { cart: shop.web.key, checkout: shop.web.key, token: await web(email), fulfillment: ship() },
        quantity,
      );
    // D: an app order shipped to a known position (0.2° south of store A), in the 90 days before the last 90
    at('2026-03-01T12:00:00Z');
    totals.d1 = await order({
      cart: shop.app.key,
      checkout: shop.app.key,
      token: await app(d.email),
      fulfillment: ship(STORE_A.lat - 0.2),
    });
    // A: web then app (multichannel); B: web twice; C: one pickup; D: then a pickup on the app
    at('2026-05-10T12:00:00Z');
    totals.a1 = await webOrder(a.email);
    at('2026-05-12T12:00:00Z');
    totals.b1 = await webOrder(b.email);
    // an e-mail click of A the day before A's app order: last-touch credit to the campaign
    at('2026-06-09T12:00:00Z');
    await insertEvents(t.deps.db, [
      {
        sourceId: PLAZA_SOURCE_ID,
        channelId: null,
        origin: 'plaza',
        messageId: 'strategy-touch-1',
        type: 'track',
        event: 'Email Link Clicked',
        customerId: a.id,
        userId: a.id,
        properties: { campaign_id: 'cmp_strategy_mail', medium: 'email', holdout: false },
        timestamp: new Date('2026-06-09T12:00:00Z'),
        receivedAt: new Date('2026-06-09T12:00:00Z'),
        retentionMonths: 0,
      },
    ]);
    await catchUp(t);
    at('2026-06-10T12:00:00Z');
    totals.a2 = await order({
      cart: shop.app.key,
      checkout: shop.app.key,
      token: await app(a.email),
      fulfillment: ship(),
    });
    at('2026-06-12T12:00:00Z');
    totals.b2 = await webOrder(b.email, 2);
    at('2026-06-15T12:00:00Z');
    await upsertTraits(
      t.deps.db,
      c.id,
      {
        traits: { latitude: STORE_A.lat + 0.1, longitude: STORE_A.lng },
        observedAt: t.clock.now(),
        sourceId: null,
      },
      t.clock.now(),
    );
    totals.c1 = await order({
      cart: shop.web.key,
      checkout: shop.web.key,
      token: await web(c.email),
      fulfillment: { type: 'pickup', location_id: shop.storeA },
    });
    at('2026-06-16T12:00:00Z');
    totals.d2 = await order({
      cart: shop.app.key,
      checkout: shop.app.key,
      token: await app(d.email),
      fulfillment: { type: 'pickup', location_id: shop.storeA },
    });
    // a guest's cart filled on the web and checked out on the app: a cross-device sale
    at('2026-06-18T12:00:00Z');
    totals.guest = await order({ cart: shop.web.key, checkout: shop.app.key, fulfillment: ship() });
    // loyalty: A and B enrolled, only A with a transaction (an adjustment) in the last 90 days
    at('2026-06-20T12:00:00Z');
    for (const x of [a, b])
      expect((await t.admin('POST', `/customers/${x.id}/loyalty/enroll`)).status).toBe(200);
    const adjusted = await t.admin('POST', `/customers/${a.id}/loyalty/adjustments`, {
      points: 50,
      note: 'welcome',
    });
    expect(adjusted.status, adjusted.text).toBe(201);
    // campaigns: an e-mail to 200 (10 bought) and a brochure to 50 (5 bought); 1000 spent on the e-mail
    await t.deps.db.query(
      `INSERT INTO campaigns (id, name, status, kind, media, variants, created_at, updated_at)
       VALUES ('cmp_strategy_mail', 'Strategy mail', 'completed', 'marketing', '{email,print}', '[]', now(), now())`,
    );
    const bump = (medium: string, metric: string, by: number) => ({
      campaignId: 'cmp_strategy_mail',
      variant: null,
      medium,
      metric,
      by,
    });
    await bumpStats(t.deps.db, [
      bump('email', 'sent', 200),
      bump('email', 'converted', 10),
      bump('print', 'sent', 50),
      bump('print', 'converted', 5),
    ]);
    const cost = await t.admin('POST', '/analytics/costs', {
      campaign_id: 'cmp_strategy_mail',
      medium: 'email',
      kind: 'messages',
      amount: 1000,
      currency: 'USD',
      incurred_on: '2026-06-01',
    });
    expect(cost.status, cost.text).toBe(201);
    // forecasting: the last completed run over everything counts, not a later SKU run nor a failed one
    await t.deps.db.query(
      `INSERT INTO forecast_runs (id, scope, sku, status, first_day, horizon, summary, started_at, finished_at) VALUES
        ('fcr_strategy_1', 'all', NULL, 'completed', '2026-06-29', 28, '{"relative_mae": 0.81234, "backtest_points": 150}', $1, $1),
        ('fcr_strategy_2', 'sku', 'X', 'completed', '2026-06-30', 28, '{"relative_mae": 2, "backtest_points": 10}', $2, $2),
        ('fcr_strategy_3', 'all', NULL, 'failed', '2026-06-30', 28, '{}', $2, $2)`,
      ['2026-06-29T02:00:00Z', '2026-06-30T02:00:00Z'],
    );
    await catchUp(t);
  }, 60_000);

  it('measures repeat purchases, multichannel customers and their value, by hand', async () => {
    const all = await measure();
    expectWellFormed(all);
    // customers A (web + app, 2 sales), B (web, 2), C (web, 1), D (app, 2); the guest is not a customer
    expect(all.repeat_purchase_rate).toMatchObject({ value: 0.75, sample: 4, status: 'thin' });
    expect(all.multichannel_customer_share).toMatchObject({ value: 0.25, sample: 4, status: 'thin' });
    const multi = v('a1') + v('a2');
    const single = (v('b1') + v('b2') + v('c1') + v('d1') + v('d2')) / 3;
    expect(all.multichannel_value_ratio).toMatchObject({
      value: Math.round((multi / single) * 10_000) / 10_000,
      sample: 4,
      status: 'thin',
      breakdown: [
        { label: 'multichannel', value: multi, sample: 1 },
        { label: 'single_channel', value: Math.round(single), sample: 3 },
      ],
    });
    expect(all.loyalty_membership_rate).toMatchObject({ value: 0.5, sample: 4, status: 'thin' });
    expect(all.loyalty_active_rate).toMatchObject({ value: 0.5, sample: 2, status: 'thin' });
    expect(all.loyalty_active_rate.period).toEqual({ from: '2026-04-02', to: TODAY });
  });

  it('measures sales, trend, click & collect and cross-device carts per channel', async () => {
    const all = await measure();
    const web = v('a1') + v('b1') + v('b2') + v('c1');
    const app = v('a2') + v('d1') + v('d2') + v('guest');
    const name = async (id: string) => (await t.admin<{ name: string }>('GET', `/channels/${id}`)).body.name;
    const [webName, appName] = [await name(shop.web.id), await name(shop.app.id)];
    expect(all.annual_sales).toMatchObject({ value: web + app, unit: 'minor', sample: 8, status: 'thin' });
    expect(all.annual_sales.breakdown).toEqual(
      expect.arrayContaining([
        { label: webName, value: web, sample: 4 },
        { label: appName, value: app, sample: 4 },
      ]),
    );
    // the last 90 days (2 April – 30 June) against the 90 before (2 January – 1 April): only D's first order
    const growth = (now: number, before: number) => Math.round(((now - before) / before) * 10_000) / 10_000;
    expect(all.sales_trend).toMatchObject({
      value: growth(web + app - v('d1'), v('d1')),
      sample: 8,
      status: 'thin',
    });
    expect(all.sales_trend.period).toEqual({ from: '2026-01-02', to: TODAY });
    expect(all.sales_trend.breakdown).toEqual(
      expect.arrayContaining([
        { label: webName, value: null, sample: 4 },
        { label: appName, value: growth(app - v('d1'), v('d1')), sample: 4 },
      ]),
    );
    // 8 sales: C's and D's pickups; the guest's cart moved from the web to the app
    expect(all.click_collect_share).toMatchObject({ value: 0.25, sample: 8, status: 'thin' });
    expect(all.click_collect_share.breakdown).toEqual(
      expect.arrayContaining([
        { label: webName, value: 0.25, sample: 4 },
        { label: appName, value: 0.25, sample: 4 },
      ]),
    );
    expect(all.cross_device_cart_share).toMatchObject({ value: 0.125, sample: 8 });
    expect(all.cross_device_cart_share.breakdown).toEqual(
      expect.arrayContaining([{ label: appName, value: 0.25, sample: 4 }]),
    );
    // no rate from USD into EUR: the sales are left out and the method says so
    const eur = await measure({ currency: 'EUR' });
    expect(eur.annual_sales).toMatchObject({ value: null, status: 'missing', sample: 0 });
    expect(eur.annual_sales.method).toContain('USD');
    expect(eur.click_collect_share.value).toBe(0.25);
  });

  it('measures pickup distances, media, stock spread and forecast accuracy', async () => {
    const all = await measure();
    // C by their position traits (0.1° north of store A), D by their shipping address (0.2° south)
    const median = Math.round(((kmNorth(0.1) + kmNorth(0.2)) / 2) * 100) / 100;
    expect(all.pickup_distance_km).toMatchObject({ value: median, unit: 'km', sample: 2, status: 'thin' });
    expect(all.pickup_distance_km.breakdown).toEqual([
      { label: expect.any(String), value: median, sample: 2 },
    ]);
    // reach 250, 15 bought; e-mail 10 / 200, print 5 / 50
    expect(all.media_response_rate).toMatchObject({
      value: 0.06,
      sample: 250,
      status: 'measured',
      breakdown: [
        { label: 'email', value: 0.05, sample: 200 },
        { label: 'print', value: 0.1, sample: 50 },
      ],
    });
    // A's app order is credited to the e-mail (last touch); 1000 spent on it
    const roi = Math.round(((v('a2') - 1000) / 1000) * 10_000) / 10_000;
    expect(all.media_roi).toMatchObject({ value: roi, sample: 1, status: 'thin' });
    expect(all.media_roi.breakdown).toEqual([{ label: 'email', value: roi, sample: 1 }]);
    // tee (warehouse, store A), hoodie (warehouse), cap (store B): 2 of 3 SKUs at a pickup store
    expect(all.stock_spread).toMatchObject({ value: 0.6667, sample: 3, status: 'thin' });
    expect(all.stock_spread.breakdown).toEqual([
      { label: 'store', value: 0.6667, sample: 2 },
      { label: 'warehouse', value: 0.6667, sample: 1 },
    ]);
    expect(all.forecast_accuracy).toMatchObject({
      value: 0.8123,
      sample: 150,
      status: 'measured',
      period: { from: '2026-03-30', to: '2026-06-28' },
    });
    expect(all.forecast_accuracy.method).toContain('fcr_strategy_1');
  });

  it('is thin below the threshold and measured at it', async () => {
    expect(THIN_BELOW.click_collect_share).toBe(30);
    // one guest order a day, 1–30 January 2025
    const at30 = await measure({ today: '2025-01-30', days: 30 });
    expect(at30.click_collect_share).toMatchObject({ value: 0, sample: 30, status: 'measured' });
    expect(at30.cross_device_cart_share).toMatchObject({ value: 0, sample: 30, status: 'measured' });
    const at29 = await measure({ today: '2025-01-29', days: 29 });
    expect(at29.click_collect_share).toMatchObject({ value: 0, sample: 29, status: 'thin' });
    expect(at29.click_collect_share.period).toEqual({ from: '2025-01-01', to: '2025-01-29' });
    // guests are not customers: no customer measure
    expect(at30.repeat_purchase_rate).toMatchObject({ value: null, status: 'missing', sample: 0 });
  });
});
