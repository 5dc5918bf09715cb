import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { DAY } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { getSetting } from '../../platform/settings.ts';
import { catchUp } from '../analytics/fixture.ts';
import type { Dashboard } from '../reports/schema.ts';
import { HISTORY_SETTING, type HistorySummary, seedDemoHistory } from './history.ts';
import { demoPeople, planHistory } from './history-plan.ts';
import { type DemoSummary, seedDemo } from './index.ts';

let t: TestApp;
let demo: DemoSummary;
let summary: HistorySummary | undefined;
let seconds = 0;

beforeAll(async () => {
  t = await createTestApp();
  demo = await seedDemo(t.deps);
  const started = Date.now();
  summary = await seedDemoHistory(t.deps, demo);
  seconds = (Date.now() - started) / 1000;
  console.log(`demo history on ${t.testDb.backend}: ${seconds.toFixed(1)} s`, summary);
}, 180_000);
afterAll(() => t.close());

const count = async (sql: string, params: unknown[] = []): Promise<number> =>
  Number((await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]?.n);

const channelOf = (type: string) => demo.channels.filter((c) => c.type === type).map((c) => c.id);
const storeId = (name: string) => demo.locations.find((l) => l.name === name)?.id ?? '';

describe('the demo shop history', () => {
  it('fills the dashboard: sales on web, app and both counters over 30 days, new and returning buyers', async () => {
    const r = await t.admin<Dashboard>('GET', '/reports/dashboard?days=30');
    expect(r.status).toBe(200);
    const gross = new Map<string, number>();
    for (const p of r.body.series) gross.set(p.channel_id, (gross.get(p.channel_id) ?? 0) + p.gross);
    for (const c of demo.channels) expect(gross.get(c.id) ?? 0, c.name).toBeGreaterThan(0);
    expect(r.body.period.orders).toBeGreaterThan(60);
    expect(r.body.period.customers_returning).toBeGreaterThan(5);
    expect(r.body.period.revenue[0]?.refunds).toBeGreaterThan(0);
    const days = new Set(r.body.series.filter((p) => p.orders > 0).map((p) => p.date));
    expect(days.size).toBeGreaterThan(20);
  });

  it('made its orders in the past on web, app and POS, paid, through the flows', async () => {
    expect(summary).toMatchObject({ days: 60, refused: 0 });
    expect(summary?.orders).toBeGreaterThan(80);
    expect(summary?.counter_sales).toBeGreaterThan(40);
    const now = t.clock.now();
    expect(
      await count('orders WHERE placed_at > $1 OR placed_at < $2', [now, new Date(now.getTime() - 61 * DAY)]),
    ).toBe(0);
    for (const type of ['web', 'app', 'pos']) {
      const captured = await count(
        `orders o JOIN payments p ON p.order_id = o.id
         WHERE o.channel_id = ANY($1) AND p.status IN ('captured', 'partially_refunded', 'refunded')`,
        [channelOf(type)],
      );
      expect(captured, type).toBeGreaterThan(10);
    }
    const byStatus = Object.fromEntries(
      (
        await t.deps.db.query<{ status: string; n: number }>(
          'SELECT status, count(*)::int AS n FROM orders GROUP BY 1',
        )
      ).rows.map((r) => [r.status, r.n]),
    );
    for (const s of ['delivered', 'picked_up', 'completed', 'cancelled'])
      expect(byStatus[s], s).toBeGreaterThan(0);
    expect(await count("returns WHERE status = 'completed'")).toBeGreaterThan(0);
    expect(await count("carts WHERE status = 'active'")).toBeGreaterThan(0);
    // Customers with e-mail and phone identities, some in loyalty, some paying with points at the counter.
    expect(await count("customer_identities WHERE kind = 'phone'")).toBeGreaterThan(20);
    expect(await count('loyalty_accounts WHERE card_number IS NOT NULL')).toBeGreaterThan(5);
    expect(await count("loyalty_ledger WHERE kind = 'earn'")).toBeGreaterThan(20);
    expect(await count("loyalty_ledger WHERE kind = 'redeem'")).toBeGreaterThan(0);
    // Every event of the history was dispatched as it was made (subscribers ran at the right time);
    // the catalog's events, written now, wait for the worker.
    const historyEnd = new Date(now.getTime() - 60_000);
    expect(await count("outbox_events WHERE status = 'pending' AND occurred_at <= $1", [historyEnd])).toBe(0);
    expect(await count('outbox_events WHERE occurred_at <= $1', [historyEnd])).toBeGreaterThan(1000);
  });

  it('leaves work in the pickup queues: orders to prepare or ready for collection', async () => {
    let open = 0;
    for (const name of ['Downtown Store', 'Riverside Store', 'Hawthorne Store']) {
      const r = await t.admin<{ to_prepare: number; overdue: number; ready: number }>(
        'GET',
        `/locations/${storeId(name)}/pickups/counts`,
      );
      expect(r.status).toBe(200);
      open += r.body.to_prepare + r.body.ready;
    }
    expect(open).toBeGreaterThanOrEqual(3);
  });

  it('keeps stock consistent: never negative, never more held than on hand, plenty left to sell', async () => {
    expect(await count('inventory_levels WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand')).toBe(0);
    const left = await t.deps.db.query<{ units: number }>(
      'SELECT sum(on_hand - reserved)::int AS units FROM inventory_levels WHERE location_id = $1',
      [demo.locations.find((l) => l.type === 'warehouse')?.id],
    );
    expect(left.rows[0]?.units).toBeGreaterThan(50_000);
  });

  it('leaves nothing for the sweepers to undo when the server starts: no lapsed hold, deadline or payment', async () => {
    const now = t.clock.now();
    expect(await count("reservations WHERE status = 'active' AND expires_at <= $1", [now])).toBe(0);
    expect(await count("pickups WHERE status = 'ready' AND deadline_at <= $1", [now])).toBe(0);
    expect(await count("orders WHERE status = 'pending_payment'")).toBe(0);
    expect(await count('payments WHERE provider_action IS NOT NULL')).toBe(0);
    // Orders still to ship hold their stock until they are shipped.
    expect(
      await count("orders WHERE status = 'confirmed' AND fulfillment_type = 'shipping'"),
    ).toBeGreaterThan(0);
  });

  it('is done once: a second run adds nothing and answers what the first made', async () => {
    const before = await Promise.all(['orders', 'customers', 'outbox_events', 'carts'].map((x) => count(x)));
    expect(await seedDemoHistory(t.deps, demo)).toEqual(summary);
    expect(await getSetting(t.deps.db, HISTORY_SETTING)).toEqual(summary);
    expect(await Promise.all(['orders', 'customers', 'outbox_events', 'carts'].map((x) => count(x)))).toEqual(
      before,
    );
  });

  it('fills the analytics: channels and what customers online, in store and in both are worth', async () => {
    await catchUp(t);
    const channels = await t.admin<{ rows: { orders: number; channel_id: string }[] }>(
      'GET',
      '/analytics/channels?from=2020-01-01',
    );
    expect(channels.status, channels.text).toBe(200);
    expect(channels.body.rows.reduce((s, r) => s + r.orders, 0)).toBe(
      await count("orders WHERE status NOT IN ('cancelled', 'expired', 'pending_payment')"),
    );
    // the demo's shoppers who came from ads: every sale is credited once, to an ad or as direct
    const attr = await t.admin<{
      rows: { key: string; credits: Record<string, { conversions: number }> }[];
      direct: { conversions: number }[];
    }>('GET', '/analytics/attribution?from=2020-01-01');
    expect(attr.status, attr.text).toBe(200);
    expect(attr.body.rows.map((x) => x.key).sort()).toEqual(['cpc', 'referral', 'social', 'store']);
    const credited = (m: string) =>
      attr.body.rows.reduce((s, x) => s + (x.credits[m]?.conversions ?? 0), 0) +
      attr.body.direct.reduce((s, d) => s + d.conversions, 0);
    const sales = await count("orders WHERE status NOT IN ('cancelled', 'expired', 'pending_payment')");
    for (const m of ['first_touch', 'last_touch', 'linear', 'time_decay', 'data_driven'])
      expect(credited(m), m).toBeCloseTo(sales, 1); // rows are rounded to 0.001
    const r = await t.admin<{
      customers: number;
      all: { customers: number; revenue_per_customer: number; retention: (number | null)[] };
      by_mix: { key: string; customers: number }[];
      rfm: { customers: number }[];
    }>('GET', '/analytics/customers');
    expect(r.status, r.text).toBe(200);
    const buyers = (
      await t.deps.db.query<{ n: number; revenue: string }>(
        `SELECT count(DISTINCT customer_id)::int AS n, sum(total)::text AS revenue FROM orders
         WHERE customer_id IS NOT NULL AND status NOT IN ('cancelled', 'expired', 'pending_payment')`,
      )
    ).rows[0];
    expect(r.body.customers).toBe(buyers?.n);
    expect(r.body.all.revenue_per_customer).toBe(Math.round(Number(buyers?.revenue) / (buyers?.n ?? 1)));
    // the demo's people buy online, at the counters, and both
    expect(r.body.by_mix.map((g) => g.key)).toEqual(['both', 'online', 'store']);
    expect(r.body.by_mix.reduce((s, g) => s + g.customers, 0)).toBe(r.body.customers);
    expect(r.body.rfm.reduce((s, g) => s + g.customers, 0)).toBe(r.body.customers);
    expect(r.body.all.retention[0]).toBe(1);
    // a segment of the customers who bought in both: its report has exactly those
    const seg = newId('seg');
    await t.deps.db.query(
      `INSERT INTO segments (id, name, rules, created_at, updated_at) VALUES ($1, 'Both', '{}'::jsonb, now(), now())`,
      [seg],
    );
    await t.deps.db.query(
      `INSERT INTO segment_members (segment_id, customer_id, entered_at)
       SELECT $1, customer_id, now() FROM analytics_buyer_days GROUP BY customer_id
       HAVING bool_or(store) AND bool_or(NOT store)`,
      [seg],
    );
    const both = r.body.by_mix.find((g) => g.key === 'both');
    const inSegment = await t.admin<{ customers: number; by_mix: { key: string; customers: number }[] }>(
      'GET',
      `/analytics/customers?segment_id=${seg}`,
    );
    expect(inSegment.body.by_mix).toEqual([
      expect.objectContaining({ key: 'both', customers: both?.customers }),
    ]);
    expect((await t.admin('GET', `/analytics/customers?segment_id=${newId('seg')}`)).status).toBe(404);
    const csv = await t.call('GET', '/admin/analytics/customers?format=csv', {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'grouping,key,suppressed,customers,orders_per_customer,aov,revenue_per_customer,revenue_3m,revenue_6m,revenue_12m,retention_1m,retention_3m,predicted_12m,probability_alive',
    );
  });

  it('plans the same history for the same day, busier on weekends and towards today', () => {
    const now = Date.parse('2026-03-02T18:00:00Z');
    const input = { now, people: demoPeople(), onlinePerDay: 3, counterPerDay: 2 };
    const plan = planHistory(input);
    expect(planHistory(input)).toEqual(plan);
    const weekday = (ms: number) => new Date(ms - 8 * 3_600_000).getUTCDay();
    const weekend = plan.filter((a) => [0, 6].includes(weekday(a.at))).length / 2;
    const week = plan.filter((a) => ![0, 6].includes(weekday(a.at))).length / 5;
    expect(weekend).toBeGreaterThan(week * 1.2);
    const firstHalf = plan.filter((a) => a.at < now - 30 * DAY).length;
    expect(plan.length - firstHalf).toBeGreaterThan(firstHalf);
  });
});
