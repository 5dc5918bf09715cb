import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { DAY } from '../../platform/clock.ts';
import { getSetting } from '../../platform/settings.ts';
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
