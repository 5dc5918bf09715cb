/**
 * The console's dashboard: sales, orders and buyers per channel and day, today's and the period's
 * totals, the pickup queues and low stock, for every location or some. Three statements run side
 * by side whatever the size of the shop: sales (this flow), pickup counts (pickups module) and low
 * stock (inventory module, its one low-stock rule).
 */
import { levelToApi, lowStockSummary } from '../../modules/inventory/index.ts';
import { queueCounts } from '../../modules/pickups/index.ts';
import type { Deps } from '../../platform/module.ts';
import { localDays, type SalesRow, salesByDay } from './sales.ts';
import type { Dashboard, DashboardPoint, ReportTotals } from './schema.ts';

export interface DashboardInput {
  days: number;
  timeZone: string;
  /** The locations to report on; undefined: all of them (and orders that touch none, such as web orders shipped by a carrier). */
  locationIds: readonly string[] | undefined;
  lowStockLimit: number;
}

const totalsOf = (points: readonly DashboardPoint[], buyers: SalesRow | undefined): ReportTotals => {
  const revenue = new Map<
    string,
    { currency: string; orders: number; gross: number; refunds: number; net: number }
  >();
  for (const p of points) {
    const r = revenue.get(p.currency) ?? { currency: p.currency, orders: 0, gross: 0, refunds: 0, net: 0 };
    r.orders += p.orders;
    r.gross += p.gross;
    r.refunds += p.refunds;
    r.net += p.net;
    revenue.set(p.currency, r);
  }
  return {
    orders: points.reduce((n, p) => n + p.orders, 0),
    guest_orders: points.reduce((n, p) => n + p.guest_orders, 0),
    customers_new: buyers?.customers_new ?? 0,
    customers_returning: buyers?.customers_returning ?? 0,
    revenue: [...revenue.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
};

/** The dashboard's figures; the caller has checked which locations the principal may see. */
export const dashboard = async (deps: Deps, input: DashboardInput): Promise<Dashboard> => {
  const now = deps.clock.now();
  const days = localDays(now, input.timeZone, input.days);
  const [rows, pickups, low] = await Promise.all([
    salesByDay(deps.db, days, input.locationIds),
    queueCounts(deps.db, { locationIds: input.locationIds, now }),
    lowStockSummary(deps.db, { locationIds: input.locationIds, limit: input.lowStockLimit }),
  ]);
  const series: DashboardPoint[] = rows
    .filter((r) => r.kind === 'day')
    .map((r) => ({
      date: r.date ?? '',
      channel_id: r.channel_id ?? '',
      currency: r.currency ?? '',
      orders: r.orders,
      guest_orders: r.guest_orders,
      gross: r.gross,
      refunds: r.refunds,
      net: r.gross - r.refunds,
      customers_new: r.customers_new,
      customers_returning: r.customers_returning,
    }));
  const today = days.at(-1)?.date ?? '';
  return {
    from: days[0]?.date ?? today,
    to: today,
    days: input.days,
    time_zone: input.timeZone,
    location_ids: input.locationIds ? [...input.locationIds] : null,
    generated_at: now.toISOString(),
    today: totalsOf(
      series.filter((p) => p.date === today),
      rows.find((r) => r.kind === 'today'),
    ),
    period: totalsOf(
      series,
      rows.find((r) => r.kind === 'period'),
    ),
    series,
    pickups,
    low_stock: { count: low.count, levels: low.levels.map(levelToApi) },
  };
};
