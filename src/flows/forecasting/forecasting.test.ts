import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { newLocation, stock } from '../../../test/support/stock.ts';
import { adminOrder, eventsOf, placeOrder } from '../../../test/support/stores.ts';
import { DAY, TestClock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db.ts';
import { rebuildDemand } from './history.ts';

let t: TestApp;
let shop: Shop;
let staffA: string;
// A Monday, 18:00 UTC: 10:00 in Portland, where the test locations are.
const START = '2026-01-05T18:00:00Z';
const DAYS = 42;
/** Tees sold a day, Monday to Sunday. */
const WEEK = [1, 2, 1, 2, 1, 3, 3];

interface DemandRow {
  location_id: string;
  day: string;
  sold: number;
  returned: number;
  stockout: boolean;
}
const demand = async (sku: string): Promise<DemandRow[]> =>
  (
    await t.deps.db.query<DemandRow>(
      `SELECT location_id, to_char(day, 'YYYY-MM-DD') AS day, sold, returned, stockout FROM demand_days
        WHERE sku = $1 ORDER BY day, location_id`,
      [sku],
    )
  ).rows;

interface SeriesView {
  model: string;
  history: { day: string; quantity: number; stockout: boolean }[];
  forecast: { day: string; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }[];
}

beforeAll(async () => {
  t = await createTestApp({ clock: new TestClock(START) });
  shop = await createShop(t, { stockTee: 400 });
  staffA = await t.staff([shop.storeA]);
  // Six weeks of tee sales shipped from the warehouse: 1 to 3 a day, more at the weekend.
  for (let d = 0; d < DAYS; d++) {
    await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: WEEK[d % 7] ?? 1 }], {
      pay: 'test-card',
    });
    t.clock.advance(DAY);
  }
}, 120_000);
afterAll(() => t.close());

describe('demand history', () => {
  it('counts sales at the fulfilling location on the local day, leaves out cancelled orders, marks stock-outs and returns', async () => {
    // The cap has 1 unit in store B: a pickup there takes it to zero (a stock-out day).
    await placeOrder(t, shop.web.key, [{ sku: shop.skus.cap, quantity: 1 }], { pickupAt: shop.storeB });
    // A pickup at store A, collected and returned there the same day.
    await stock(t, shop.skus.hoodie, shop.storeA, 3);
    const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.hoodie, quantity: 2 }], {
      pickupAt: shop.storeA,
    });
    expect((await t.admin('POST', `/orders/${order.id}/pickup/ready`, undefined, staffA)).status).toBe(200);
    const [ready] = await eventsOf(t, 'pickup.ready', order.id);
    expect(
      (await t.admin('POST', `/orders/${order.id}/pickup/handover`, { code: ready?.data.code }, staffA))
        .status,
    ).toBe(200);
    const line = (await adminOrder(t, order.id)).lines[0];
    const ret = await t.admin('POST', '/returns', {
      order_id: order.id,
      location_id: shop.storeA,
      lines: [{ order_line_id: line?.id, quantity: 1, condition: 'resellable' }],
    });
    expect(ret.status).toBe(201);
    // A cancelled hoodie order does not count.
    const { order: cancelled, orderToken } = await placeOrder(
      t,
      shop.web.key,
      [{ sku: shop.skus.hoodie, quantity: 1 }],
      {
        pickupAt: shop.storeA,
      },
    );
    const c = await t.call('POST', `/store/orders/${cancelled.id}/cancel`, {
      key: shop.web.key,
      headers: orderToken ? { 'x-plaza-order-token': orderToken } : {},
      body: {},
    });
    expect(c.status).toBe(200);

    const run = await t.admin<{ status: string; series: number }>('POST', '/forecasts/runs', {
      sku: shop.skus.hoodie,
    });
    expect(run.status).toBe(201);
    expect(run.body.status).toBe('completed');
    const today = '2026-02-16'; // START + 42 days, 10:00 in Portland
    expect(await demand(shop.skus.hoodie)).toEqual([
      { location_id: shop.storeA, day: today, sold: 2, returned: 1, stockout: false },
    ]);
    expect((await t.admin('POST', '/forecasts/runs', { sku: shop.skus.cap })).status).toBe(201);
    expect(await demand(shop.skus.cap)).toEqual([
      { location_id: shop.storeB, day: today, sold: 1, returned: 0, stockout: true },
    ]);
  });

  it('counts a sale on the local day of the location that fulfils it, whatever the UTC date', async () => {
    // 18:00 UTC on 16 February is 10:00 on the 16th in Portland and 03:00 on the 17th in Seoul.
    const seoul = await newLocation(t, { timezone: 'Asia/Seoul', name: `Seoul ${shop.web.id}` });
    const put = await t.admin('PUT', `/channels/${shop.web.id}/locations`, {
      location_ids: [shop.warehouse, shop.storeA, shop.storeB, seoul],
    });
    expect(put.status).toBe(200);
    await stock(t, shop.skus.cap, seoul, 5);
    // All five: the cap is out of stock there too (the shop test below needs it out everywhere).
    await placeOrder(t, shop.web.key, [{ sku: shop.skus.cap, quantity: 5 }], { pickupAt: seoul });
    expect((await t.admin('POST', '/forecasts/runs', { sku: shop.skus.cap })).status).toBe(201);
    expect((await demand(shop.skus.cap)).filter((r) => r.location_id === seoul)).toEqual([
      { location_id: seoul, day: '2026-02-17', sold: 5, returned: 0, stockout: true },
    ]);
  });

  it('rebuilds the last days as a full rebuild would, a stock-out that began before them included', async () => {
    // The cap is out in store B since today; three days on, a rebuild of the last two days reads only
    // their movements and counts back from the current level: it must agree with a full rebuild.
    const later = new Date(t.clock.now().getTime() + 3 * DAY);
    const rows = (tx: Tx) =>
      tx
        .query<DemandRow>(
          `SELECT location_id, to_char(day, 'YYYY-MM-DD') AS day, sold, returned, stockout FROM demand_days
            WHERE sku = $1 AND day >= '2026-02-18' ORDER BY day, location_id`,
          [shop.skus.cap],
        )
        .then((r) => r.rows);
    const rollback = new Error('rollback');
    await t.deps.db
      .tx(async (tx) => {
        await rebuildDemand(tx, '2025-01-01', later, shop.skus.cap);
        const full = await rows(tx);
        await rebuildDemand(tx, '2026-02-18', later, shop.skus.cap);
        expect(await rows(tx)).toEqual(full);
        expect(full.filter((r) => r.location_id === shop.storeB).map((r) => [r.day, r.stockout])).toEqual([
          ['2026-02-18', true],
          ['2026-02-19', true],
        ]);
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
  });

  it('keeps each day of the tee in the warehouse with its quantity', async () => {
    expect((await t.admin('POST', '/forecasts/runs', { sku: shop.skus.tee })).status).toBe(201);
    const rows = (await demand(shop.skus.tee)).filter((r) => r.location_id === shop.warehouse);
    expect(rows).toHaveLength(DAYS);
    expect(rows[0]).toEqual({
      location_id: shop.warehouse,
      day: '2026-01-05',
      sold: 1,
      returned: 0,
      stockout: false,
    });
    expect(rows[5]).toMatchObject({ day: '2026-01-10', sold: 3 });
    expect(rows.map((r) => r.sold)).toEqual(Array.from({ length: DAYS }, (_, d) => WEEK[d % 7]));
  });
});

describe('forecasts', () => {
  it('answers a series with its history and a forecast whose intervals nest, and locations that add up to the SKU', async () => {
    const r = await t.admin<SeriesView>(
      'GET',
      `/forecasts/series?sku=${shop.skus.tee}&location_id=${shop.warehouse}&history_days=28`,
    );
    expect(r.status).toBe(200);
    expect(r.body.history).toHaveLength(28);
    expect(r.body.forecast).toHaveLength(28);
    expect(r.body.forecast[0]?.day).toBe('2026-02-16');
    for (const f of r.body.forecast) {
      for (const v of [f.mean, f.lo80, f.hi80, f.lo95, f.hi95]) expect(Number.isFinite(v)).toBe(true);
      expect(f.lo95).toBeLessThanOrEqual(f.lo80 + 1e-3);
      expect(f.lo80).toBeLessThanOrEqual(f.mean + 1e-3);
      expect(f.mean).toBeLessThanOrEqual(f.hi80 + 1e-3);
      expect(f.hi80).toBeLessThanOrEqual(f.hi95 + 1e-3);
    }
    // Around two units a day: the weekly pattern (1, 2, 1, 2, 1, 3, 3) averages 13 / 7.
    const week = r.body.forecast.slice(0, 7).reduce((s, f) => s + f.mean, 0);
    expect(week).toBeGreaterThan(13 * 0.6);
    expect(week).toBeLessThan(13 * 1.4);

    const list = await t.admin<{ data: { location_id: string }[] }>('GET', `/forecasts?sku=${shop.skus.tee}`);
    const parts = await Promise.all(
      list.body.data.map((p) =>
        t.admin<SeriesView>('GET', `/forecasts/series?sku=${shop.skus.tee}&location_id=${p.location_id}`),
      ),
    );
    const total = await t.admin<SeriesView>('GET', `/forecasts/series?sku=${shop.skus.tee}`);
    for (let i = 0; i < 28; i++) {
      const sum = parts.reduce((s, p) => s + (p.body.forecast[i]?.mean ?? 0), 0);
      expect(sum).toBeCloseTo(total.body.forecast[i]?.mean ?? -1, 2);
    }
  });

  it('answers a location total: the sum of every SKU forecast there', async () => {
    const list = await t.admin<{ data: { sku: string }[] }>(
      'GET',
      `/forecasts?location_id=${shop.warehouse}`,
    );
    const each = await Promise.all(
      list.body.data.map((f) =>
        t.admin<SeriesView>(
          'GET',
          `/forecasts/series?sku=${f.sku}&location_id=${shop.warehouse}&history_days=7`,
        ),
      ),
    );
    const total = await t.admin<SeriesView & { level: string }>(
      'GET',
      `/forecasts/series?location_id=${shop.warehouse}&history_days=7`,
    );
    expect(total.body.level).toBe('location');
    expect(total.body.history).toHaveLength(7);
    expect(total.body.forecast[0]?.mean).toBeCloseTo(
      each.reduce((s, e) => s + (e.body.forecast[0]?.mean ?? 0), 0),
      2,
    );
    const empty = await newLocation(t);
    expect((await t.admin('GET', `/forecasts/series?location_id=${empty}`)).body).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses what it cannot answer with a problem', async () => {
    expect((await t.admin('GET', '/forecasts/series')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await t.admin('GET', '/forecasts/series?sku=NOPE-1')).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.admin('POST', '/forecasts/runs', { sku: 'NOPE-1' })).body).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await t.admin('PATCH', '/forecasts/settings', { time_zone: 'Mars/Base' })).body).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await t.admin('PATCH', '/forecasts/settings', { service_level: 1.5 })).status).toBe(400);
    expect((await t.admin('PATCH', '/forecasts/settings', {})).status).toBe(400);
    const s = await t.admin<{ service_level: number; horizon_days: number }>('PATCH', '/forecasts/settings', {
      service_level: 0.9,
    });
    expect(s.body).toMatchObject({ service_level: 0.9, horizon_days: 28 });
    expect((await t.admin('PATCH', '/forecasts/settings', { service_level: null })).body).toMatchObject({
      service_level: 0.95,
    });
  });

  it('asks the worker for a run over everything, which the nightly job then does', async () => {
    const r = await t.admin('POST', '/forecasts/runs', {});
    expect(r.status).toBe(202);
    const { nightlyStep } = await import('./run.ts');
    expect(await nightlyStep(t.deps)).toBe(1);
    expect(await nightlyStep(t.deps)).toBe(0);
    const runs = await t.admin<{
      data: { scope: string; status: string; series: number; summary: { models: Record<string, number> } }[];
    }>('GET', '/forecasts/runs?limit=1');
    expect(runs.body.data[0]).toMatchObject({ scope: 'all', status: 'completed' });
    expect(runs.body.data[0]?.series).toBeGreaterThanOrEqual(5);
  });
});

describe('the shop', () => {
  it('says when an item out of stock is usually back: the first purchase order or transfer on its way', async () => {
    const product = (
      await t.deps.db.query<{ product_id: string }>('SELECT product_id FROM variants WHERE sku = $1', [
        shop.skus.cap,
      ])
    ).rows[0]?.product_id;
    const view = async () =>
      (
        await t.call<{ variants: { sku: string; available: number; back_in_days: number | null }[] }>(
          'GET',
          `/store/products/${product}`,
          { key: shop.web.key },
        )
      ).body.variants[0];
    expect(await view()).toMatchObject({ available: 0, back_in_days: null });
    const sup = await t.admin<{ id: string }>('POST', '/suppliers', { name: 'Caps & Co', lead_time_days: 5 });
    const po = await t.admin<{ id: string }>('POST', '/purchase-orders', {
      supplier_id: sup.body.id,
      location_id: shop.warehouse,
      expected_on: '2026-02-25',
      lines: [{ sku: shop.skus.cap, quantity: 12 }],
    });
    expect(po.status).toBe(201);
    // A draft is not on its way yet.
    expect((await view())?.back_in_days).toBeNull();
    expect((await t.admin('POST', `/purchase-orders/${po.body.id}/order`)).status).toBe(200);
    expect((await view())?.back_in_days).toBe(9); // 2026-02-16 → 2026-02-25
    // A transfer requested today arrives after the transfer lead time (2 days): sooner.
    await stock(t, shop.skus.cap, shop.storeA, 2);
    expect((await view())?.back_in_days).toBeNull(); // in stock again
  });
});
