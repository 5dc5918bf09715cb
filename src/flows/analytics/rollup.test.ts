import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { stock } from '../../../test/support/stock.ts';
import { drainOutbox, eventsOf, type PlacedOrder, placeOrder } from '../../../test/support/stores.ts';
import { NOT_SALES } from '../../modules/orders/index.ts';
import { prng } from '../demo/history-plan.ts';
import { catchUp as fixtureCatchUp, login as fixtureLogin, register as fixtureRegister } from './fixture.ts';
import { markAllDays, ROLLUPS, rebuildStep } from './rollup.ts';

let t: TestApp;
let shop: Shop;
beforeAll(async () => {
  t = await createTestApp();
  shop = await createShop(t, { stockTee: 500 });
  await stock(t, shop.skus.tee, shop.storeA, 500);
});
afterAll(() => t.close());

/** Every rollup row, as sorted text: two snapshots are equal when the rollups are. */
const snapshot = async (): Promise<string[]> => {
  const out: string[] = [];
  for (const table of ROLLUPS) {
    const { rows } = await t.deps.db.query(`SELECT * FROM ${table}`);
    for (const r of rows)
      out.push(`${table} ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}`);
  }
  return out.sort();
};

const catchUp = () => fixtureCatchUp(t);

/** Truncates the rollups and rebuilds every day from scratch. */
const recomputeAll = async () => {
  for (const table of ROLLUPS) await t.deps.db.query(`DELETE FROM ${table}`);
  await markAllDays(t.deps.db, t.clock.now());
  while ((await rebuildStep(t.deps)) > 0);
};

const login = (email: string) => fixtureLogin(t, shop.web.key, email);
const register = (email: string) => fixtureRegister(t, shop.web.key, email);

describe('analytics rollups', () => {
  const orders: { order: PlacedOrder; pickup: boolean }[] = [];
  let customers: { email: string; id: string }[] = [];

  beforeAll(async () => {
    customers = await Promise.all(['ana1@example.com', 'ana2@example.com', 'ana3@example.com'].map(register));
    const rnd = prng(20261207);
    const start = Date.parse('2026-03-01T00:00:00Z');
    for (let i = 0; i < 36; i++) {
      // 6 days, at any hour (late evenings fall on another local day in Seoul)
      t.clock.set(
        new Date(start + Math.floor((i / 36) * 6 * 86_400_000 + rnd() * 3_600_000 * 3)).toISOString(),
      );
      const r = rnd();
      const who = customers[Math.floor(rnd() * 4)];
      if (r < 0.45) {
        const o = await placeOrder(
          t,
          rnd() < 0.5 ? shop.web.key : shop.app.key,
          [{ sku: shop.skus.tee, quantity: 1 + Math.floor(rnd() * 3) }],
          {
            pay: 'test-card',
            ...(who ? { customerToken: await login(who.email) } : {}),
          },
        );
        orders.push({ order: o.order, pickup: false });
      } else if (r < 0.65) {
        const o = await placeOrder(t, shop.app.key, [{ sku: shop.skus.tee, quantity: 1 }], {
          pickupAt: shop.storeA,
          ...(who ? { customerToken: await login(who.email) } : {}),
        });
        orders.push({ order: o.order, pickup: true });
      } else if (r < 0.75) {
        // an order paid at pickup, not collected yet, is cancelled (a card captured at checkout is not)
        const open = orders.filter((x) => x.pickup && !('done' in x));
        const o = open[Math.floor(rnd() * open.length)];
        if (o) {
          expect((await t.admin('POST', `/orders/${o.order.id}/cancel`)).status).toBe(200);
          Object.assign(o, { done: true });
        }
      } else if (r < 0.87) {
        const o = orders.find((x) => x.pickup && !('done' in x));
        if (o) {
          await drainOutbox(t);
          await t.admin('POST', `/orders/${o.order.id}/pickup/ready`);
          await drainOutbox(t);
          const [e] = await eventsOf(t, 'pickup.ready', o.order.id);
          const code = (e?.data as { code?: string } | undefined)?.code;
          if (code && rnd() < 0.7) await t.admin('POST', `/orders/${o.order.id}/pickup/handover`, { code });
          Object.assign(o, { done: true });
        }
      } else {
        const o = orders.find((x) => !x.pickup && !('returned' in x));
        if (o) {
          const ful = o.order.fulfillments[0]?.id;
          const shipped = await t.admin('POST', `/orders/${o.order.id}/fulfillments/${ful}/ship`);
          if (shipped.status === 200) {
            await t.admin('POST', '/returns', {
              order_id: o.order.id,
              location_id: rnd() < 0.5 ? shop.warehouse : shop.storeB,
              lines: [{ order_line_id: o.order.lines[0]?.id, quantity: 1, condition: 'resellable' }],
            });
          }
          Object.assign(o, { returned: true });
        }
      }
      if (rnd() < 0.3) await catchUp();
    }
    // a merge (the survivor's new/returning orders change) and an erasure
    const [a, b, c] = customers;
    expect(
      (await t.admin('POST', '/customers/merge', { survivor_id: a?.id, merged_id: b?.id, reason: 'dup' }))
        .status,
    ).toBe(201);
    const request = await t.admin<{ id: string }>('POST', '/privacy/requests', {
      customer_id: c?.id,
      kind: 'erase',
    });
    await t.admin('POST', `/privacy/requests/${request.body.id}/process`, { balances: 'forfeit' });
    await catchUp();
  }, 120_000);

  it('kept from the outbox, equal a recomputation from scratch', async () => {
    const kept = await snapshot();
    // the history has every kind of fact on several days
    const { rows } = await t.deps.db.query<Record<string, number>>(
      `SELECT (SELECT count(DISTINCT day) FROM analytics_sales_daily)::int AS sale_days,
         (SELECT coalesce(sum(cancelled), 0) FROM analytics_sales_daily)::int AS cancelled,
         (SELECT coalesce(sum(orders_returning), 0) FROM analytics_sales_daily)::int AS returning,
         (SELECT coalesce(sum(refunds), 0) FROM analytics_refunds_daily)::int AS refunds,
         (SELECT coalesce(sum(returns), 0) FROM analytics_returns_daily)::int AS returns,
         (SELECT coalesce(sum(ready), 0) FROM analytics_pickups_daily)::int AS ready,
         (SELECT coalesce(sum(collected), 0) FROM analytics_pickups_daily)::int AS collected`,
    );
    for (const [k, v] of Object.entries(rows[0] ?? {})) expect(v, k).toBeGreaterThan(0);
    expect(rows[0]?.sale_days).toBeGreaterThanOrEqual(5);
    await recomputeAll();
    expect(await snapshot()).toEqual(kept);
  });

  it('agree with the orders and refunds themselves, and with the report', async () => {
    const sql = await t.deps.db.query<{ channel_id: string; orders: number; gross: number }>(
      `SELECT channel_id, count(*)::int AS orders, sum(total)::bigint AS gross FROM orders
       WHERE status <> ALL($1::text[]) GROUP BY 1`,
      [NOT_SALES],
    );
    const refunds = await t.deps.db.query<{ channel_id: string; amount: number }>(
      `SELECT o.channel_id, sum(r.amount)::bigint AS amount FROM refunds r JOIN orders o ON o.id = r.order_id
       WHERE r.status = 'succeeded' GROUP BY 1`,
    );
    const report = await t.admin<{
      rows: { channel_id: string; orders: number; gross: number; refunded: number; customers: number }[];
    }>('GET', '/analytics/channels?from=2026-02-20&to=2026-03-10');
    expect(report.status).toBe(200);
    for (const row of sql.rows) {
      const got = report.body.rows.filter((r) => r.channel_id === row.channel_id);
      expect(got.reduce((s, r) => s + r.orders, 0)).toBe(row.orders);
      expect(got.reduce((s, r) => s + r.gross, 0)).toBe(Number(row.gross));
      const refunded = Number(refunds.rows.find((r) => r.channel_id === row.channel_id)?.amount ?? 0);
      expect(got.reduce((s, r) => s + r.refunded, 0)).toBe(refunded);
    }
    expect(sql.rows.length).toBe(2);
  });

  it('count distinct buyers per channel and store over any period as SQL over the orders does', async () => {
    // two customers come back a month later (their previous buyer day is in an earlier month)
    t.clock.set('2026-04-02T10:00:00Z');
    for (const who of customers.slice(0, 2))
      await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
        pay: 'test-card',
        customerToken: await login(who.email),
      });
    await catchUp();
    const periods = [
      ['2026-02-20', '2026-03-10'],
      ['2026-03-02', '2026-03-04'],
      ['2026-03-04', '2026-03-04'],
      ['2026-03-03', '2026-04-05'],
      ['2026-04-01', '2026-04-30'],
    ];
    for (const [from, to] of periods) {
      for (const byLocation of [false, true]) {
        const sql = await t.deps.db.query<{ channel_id: string; location_id: string | null; n: number }>(
          `SELECT channel_id, ${byLocation ? 'coalesce(selling_location_id, pickup_location_id)' : 'NULL::text'} AS location_id,
             count(DISTINCT customer_id)::int AS n
           FROM orders WHERE status <> ALL($1::text[]) AND customer_id IS NOT NULL
             AND (placed_at AT TIME ZONE 'UTC')::date BETWEEN $2::date AND $3::date
           GROUP BY 1, 2`,
          [NOT_SALES, from, to],
        );
        const report = await t.admin<{
          rows: { channel_id: string; location_id: string | null; customers: number }[];
          series: { date: string; channel_id: string; currency: string }[];
        }>('GET', `/analytics/channels?from=${from}&to=${to}${byLocation ? '&group_by=location' : ''}`);
        expect(report.status, report.text).toBe(200);
        // one point per day, channel and currency, grouped by location or not
        const points = report.body.series.map((p) => `${p.date} ${p.channel_id} ${p.currency}`);
        expect(new Set(points).size).toBe(points.length);
        const got = (channel: string, location: string | null) =>
          report.body.rows
            .filter((r) => r.channel_id === channel && (!byLocation || r.location_id === location))
            .reduce((m, r) => Math.max(m, r.customers), 0);
        for (const row of sql.rows)
          expect(
            got(row.channel_id, row.location_id),
            `${from}…${to} ${row.channel_id} ${row.location_id}`,
          ).toBe(row.n);
        expect(sql.rows.length).toBeGreaterThan(0);
      }
    }
    // over some stores only, per channel: the links do not apply, a DISTINCT counts
    const inStore = await t.admin<{ rows: { channel_id: string; customers: number }[] }>(
      'GET',
      `/analytics/channels?from=2026-02-20&to=2026-03-10&location_id=${shop.storeA}`,
    );
    const storeSql = await t.deps.db.query<{ channel_id: string; n: number }>(
      `SELECT channel_id, count(DISTINCT customer_id)::int AS n FROM orders
       WHERE status <> ALL($1::text[]) AND customer_id IS NOT NULL
         AND coalesce(selling_location_id, pickup_location_id) = $2 GROUP BY 1`,
      [NOT_SALES, shop.storeA],
    );
    for (const row of storeSql.rows)
      expect(inStore.body.rows.find((r) => r.channel_id === row.channel_id)?.customers).toBe(row.n);
  });

  it('re-bucket every day when the time zone changes, still equal a recomputation', async () => {
    const before = await t.admin<{ rows: { orders: number }[] }>(
      'GET',
      '/analytics/channels?from=2026-02-20&to=2026-03-10',
    );
    const changed = await t.admin('PATCH', '/analytics/settings', { time_zone: 'Asia/Seoul' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ time_zone: 'Asia/Seoul' });
    await catchUp();
    const kept = await snapshot();
    await recomputeAll();
    expect(await snapshot()).toEqual(kept);
    const after = await t.admin<{ rows: { orders: number }[]; time_zone: string }>(
      'GET',
      '/analytics/channels?from=2026-02-20&to=2026-03-10',
    );
    expect(after.body.time_zone).toBe('Asia/Seoul');
    const total = (rows: { orders: number }[]) => rows.reduce((s, r) => s + r.orders, 0);
    expect(total(after.body.rows)).toBe(total(before.body.rows));
    const zero = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders WHERE (placed_at AT TIME ZONE 'Asia/Seoul')::date
         <> (placed_at AT TIME ZONE 'UTC')::date`,
    );
    // the history has evening orders, so the zone really moved some of them to another day
    expect(zero.rows[0]?.n).toBeGreaterThan(0);
  });
});
