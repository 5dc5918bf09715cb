/**
 * Channel performance (docs/analytics.md, "Channels and stores"): sales, refunds, customers, click &
 * collect, carts continued across channels, cancellations, returns and pickups per sales channel (or
 * per channel and location) over a period of local days, read from the daily rollups (rollup.ts),
 * never from the orders. Money is per currency in minor units; with a report currency each row and
 * day also carries its net converted with the daily rates (fx.ts).
 */
import type { Queryable } from '../../platform/db.ts';
import { convertDaily, type DailyAmount } from './fx.ts';

export interface ChannelFilter {
  from: string;
  to: string;
  channelIds?: readonly string[] | undefined;
  locationIds?: readonly string[] | undefined;
  byLocation: boolean;
  reportCurrency?: string | undefined;
}

export interface ChannelRow {
  channel_id: string;
  location_id: string | null;
  currency: string;
  orders: number;
  guest_orders: number;
  units: number;
  gross: number;
  discounts: number;
  refunds: number;
  refunded: number;
  net: number;
  aov: number | null;
  net_report: number | null;
  customers: number;
  customers_new: number;
  customers_returning: number;
  orders_returning: number;
  click_collect_orders: number;
  click_collect_share: number | null;
  cross_channel_orders: number;
  cancelled: number;
  cancelled_total: number;
  sessions: number | null;
  conversion_rate: number | null;
}

export interface PickupRow {
  channel_id: string;
  location_id: string;
  ready: number;
  ready_on_time: number;
  on_time_rate: number | null;
  collected: number;
  expired: number;
}

export interface ReturnRow {
  channel_id: string;
  location_id: string | null;
  return_location_id: string;
  currency: string;
  returns: number;
  total: number;
  elsewhere: boolean;
}

export interface SeriesPoint {
  date: string;
  channel_id: string;
  currency: string;
  orders: number;
  gross: number;
  refunded: number;
  net: number;
  net_report: number | null;
}

export interface ChannelReport {
  rows: ChannelRow[];
  pickups: PickupRow[];
  returns: ReturnRow[];
  series: SeriesPoint[];
  missing_rates: string[];
}

const FILTER = `day BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR channel_id = ANY($3))
  AND ($4::text[] IS NULL OR location_id = ANY($4))`;

/**
 * Distinct buyers per channel (and location) over the period: each buyer's first buyer day in the
 * period is the one whose previous buyer day is before it (rollup.ts, linkBuyerDays). Those are
 * counted from analytics_buyer_counts (per day and month of the previous day) for the previous
 * months before the period's first month, plus the buyer days whose previous day is in that month
 * before the period (an index range). Per channel over some locations only, the links (per
 * channel, across locations) do not apply: a DISTINCT then.
 */
const buyersSql = (f: { byLocation: boolean; locationIds?: readonly string[] | undefined }): string => {
  if (!f.byLocation && f.locationIds)
    return `SELECT channel_id, location_id, count(*)::int AS customers FROM (
      SELECT DISTINCT channel_id, NULL::text AS location_id, customer_id FROM analytics_buyer_days
      WHERE ${FILTER}) b GROUP BY 1, 2`;
  const prev = f.byLocation ? 'prev_day_location' : 'prev_day_channel';
  const loc = f.byLocation ? 'location_id' : 'NULL::text';
  return `SELECT channel_id, location_id, sum(n)::int AS customers FROM (
      SELECT channel_id, location_id, buyers AS n FROM analytics_buyer_counts
      WHERE ${FILTER} AND by_location = ${f.byLocation}
        AND (prev_month IS NULL OR prev_month < date_trunc('month', $1::timestamp)::date)
      UNION ALL
      SELECT channel_id, ${loc}, 1 FROM analytics_buyer_days
      WHERE ${prev} >= date_trunc('month', $1::timestamp)::date AND ${prev} < $1::date AND ${FILTER}) x
    GROUP BY 1, 2`;
};

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

const keyOf = (channel: string, location: string | null, byLocation: boolean) =>
  byLocation ? `${channel}\u0000${location ?? ''}` : channel;

type SalesAgg = Pick<
  ChannelRow,
  | 'channel_id'
  | 'location_id'
  | 'currency'
  | 'orders'
  | 'guest_orders'
  | 'units'
  | 'gross'
  | 'discounts'
  | 'customers_new'
  | 'orders_returning'
  | 'click_collect_orders'
  | 'cross_channel_orders'
  | 'cancelled'
  | 'cancelled_total'
>;

/** The report over local days `from`…`to` (inclusive) of the analytics time zone. */
export const channelReport = async (q: Queryable, f: ChannelFilter): Promise<ChannelReport> => {
  const loc = f.byLocation ? 'location_id' : 'NULL::text AS location_id';
  const group = f.byLocation ? '1, 2, 3' : '1, 3';
  const p = [f.from, f.to, f.channelIds ?? null, f.locationIds ?? null];
  const [sales, refunds, buyers, pickups, returns, daily, sessions] = await Promise.all([
    q.query<SalesAgg>(
      `SELECT channel_id, ${loc}, currency::text AS currency, sum(orders)::int AS orders,
         sum(guest_orders)::int AS guest_orders, sum(units)::bigint AS units, sum(gross)::bigint AS gross,
         sum(discounts)::bigint AS discounts, sum(customers_new)::int AS customers_new,
         sum(orders_returning)::int AS orders_returning,
         (sum(orders) FILTER (WHERE fulfillment_type = 'pickup'))::int AS click_collect_orders,
         sum(cross_channel_orders)::int AS cross_channel_orders, sum(cancelled)::int AS cancelled,
         sum(cancelled_total)::bigint AS cancelled_total
       FROM analytics_sales_daily WHERE ${FILTER} GROUP BY ${group} ORDER BY ${group}`,
      p,
    ),
    q.query<{
      channel_id: string;
      location_id: string | null;
      currency: string;
      refunds: number;
      amount: number;
    }>(
      `SELECT channel_id, ${loc}, currency::text AS currency, sum(refunds)::int AS refunds, sum(amount)::bigint AS amount
       FROM analytics_refunds_daily WHERE ${FILTER} GROUP BY ${group}`,
      p,
    ),
    q.query<{ channel_id: string; location_id: string | null; customers: number }>(buyersSql(f), p),
    q.query<PickupRow>(
      `SELECT channel_id, location_id, sum(ready)::int AS ready, sum(ready_on_time)::int AS ready_on_time,
         sum(collected)::int AS collected, sum(expired)::int AS expired
       FROM analytics_pickups_daily WHERE ${FILTER} GROUP BY 1, 2 ORDER BY 1, 2`,
      p,
    ),
    q.query<ReturnRow>(
      `SELECT channel_id, location_id, return_location_id, currency::text AS currency,
         sum(returns)::int AS returns, sum(total)::bigint AS total,
         location_id IS DISTINCT FROM return_location_id AS elsewhere
       FROM analytics_returns_daily WHERE ${FILTER} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      p,
    ),
    q.query<{
      date: string;
      channel_id: string;
      location_id: string | null;
      currency: string;
      orders: number;
      gross: number;
      refunded: number;
    }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS date, channel_id, ${loc}, currency, sum(orders)::int AS orders,
         sum(gross)::bigint AS gross, sum(refunded)::bigint AS refunded
       FROM (
         SELECT day, channel_id, location_id, currency::text AS currency, orders, gross, 0 AS refunded
         FROM analytics_sales_daily WHERE ${FILTER}
         UNION ALL
         SELECT day, channel_id, location_id, currency::text, 0, 0, amount FROM analytics_refunds_daily WHERE ${FILTER}) x
       GROUP BY 1, 2, ${f.byLocation ? '3, 4' : '4'} ORDER BY 1, 2, ${f.byLocation ? '3, 4' : '4'}`,
      p,
    ),
    // sessions are a channel's, not a location's
    f.byLocation || f.locationIds
      ? Promise.resolve({ rows: [] })
      : q.query<{ channel_id: string; sessions: number }>(
          `SELECT channel_id, sum(sessions)::int AS sessions FROM analytics_sessions_daily
           WHERE day BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR channel_id = ANY($3)) GROUP BY 1`,
          [f.from, f.to, f.channelIds ?? null],
        ),
  ]);
  const sessionsOf = new Map(sessions.rows.map((x) => [x.channel_id, x.sessions]));
  const amounts: DailyAmount[] = daily.rows.map((d) => ({
    date: d.date,
    currency: d.currency,
    amount: Number(d.gross) - Number(d.refunded),
  }));
  const converted = f.reportCurrency ? await convertDaily(q, amounts, f.reportCurrency) : undefined;
  const customersOf = new Map(
    buyers.rows.map((b) => [keyOf(b.channel_id, b.location_id, f.byLocation), b.customers]),
  );
  const customersNew = new Map<string, number>();
  for (const s of sales.rows) {
    const k = keyOf(s.channel_id, s.location_id, f.byLocation);
    customersNew.set(k, (customersNew.get(k) ?? 0) + s.customers_new);
  }
  const refundOf = new Map(
    refunds.rows.map((r) => [`${keyOf(r.channel_id, r.location_id, f.byLocation)}\u0001${r.currency}`, r]),
  );
  const netReport = new Map<string, number | null>();
  daily.rows.forEach((d, i) => {
    const k = `${keyOf(d.channel_id, d.location_id, f.byLocation)}\u0001${d.currency}`;
    const v = converted ? (converted.amounts[i] ?? null) : null;
    const cur = netReport.has(k) ? (netReport.get(k) ?? null) : 0;
    netReport.set(k, cur === null || v === null ? null : cur + v);
  });
  const seen = new Set<string>();
  const rows: ChannelRow[] = sales.rows.map((s) => {
    const k = keyOf(s.channel_id, s.location_id, f.byLocation);
    const r = refundOf.get(`${k}\u0001${s.currency}`);
    seen.add(`${k}\u0001${s.currency}`);
    return toRow(
      s,
      r,
      customersOf.get(k) ?? 0,
      customersNew.get(k) ?? 0,
      netReport.get(`${k}\u0001${s.currency}`),
    );
  });
  // refunds in a period without sales of that channel and currency still make a row
  for (const row of rows) {
    const n = sessionsOf.get(row.channel_id);
    row.sessions = n ?? null;
    row.conversion_rate = n ? ratio(row.orders, n) : null;
  }
  for (const r of refunds.rows) {
    const k = keyOf(r.channel_id, r.location_id, f.byLocation);
    if (seen.has(`${k}\u0001${r.currency}`)) continue;
    const empty: SalesAgg = {
      ...ZERO,
      channel_id: r.channel_id,
      location_id: r.location_id,
      currency: r.currency,
    };
    rows.push(
      toRow(
        empty,
        r,
        customersOf.get(k) ?? 0,
        customersNew.get(k) ?? 0,
        netReport.get(`${k}\u0001${r.currency}`),
      ),
    );
  }
  return {
    rows,
    pickups: pickups.rows.map((x) => ({ ...x, on_time_rate: ratio(x.ready_on_time, x.ready) })),
    returns: returns.rows.map((x) => ({ ...x, total: Number(x.total) })),
    series: channelSeries(daily.rows, converted?.amounts),
    missing_rates: converted?.missing ?? [],
  };
};

/**
 * The chart's series: per day, channel and currency, whatever the rows are grouped by (the daily
 * query has a row per location when the report is by location; they are summed here).
 */
const channelSeries = (
  daily: readonly {
    date: string;
    channel_id: string;
    currency: string;
    orders: number;
    gross: number;
    refunded: number;
  }[],
  converted: readonly (number | null)[] | undefined,
): SeriesPoint[] => {
  const points = new Map<string, SeriesPoint>();
  daily.forEach((d, i) => {
    const k = `${d.date}\u0000${d.channel_id}\u0000${d.currency}`;
    const v = converted ? (converted[i] ?? null) : null;
    const p = points.get(k);
    const gross = Number(d.gross);
    const refunded = Number(d.refunded);
    if (!p) {
      points.set(k, {
        date: d.date,
        channel_id: d.channel_id,
        currency: d.currency,
        orders: d.orders,
        gross,
        refunded,
        net: gross - refunded,
        net_report: v,
      });
      return;
    }
    p.orders += d.orders;
    p.gross += gross;
    p.refunded += refunded;
    p.net += gross - refunded;
    p.net_report = p.net_report === null || v === null ? null : p.net_report + v;
  });
  return [...points.values()];
};

const ZERO: Omit<SalesAgg, 'channel_id' | 'location_id' | 'currency'> = {
  orders: 0,
  guest_orders: 0,
  units: 0,
  gross: 0,
  discounts: 0,
  customers_new: 0,
  orders_returning: 0,
  click_collect_orders: 0,
  cross_channel_orders: 0,
  cancelled: 0,
  cancelled_total: 0,
};

const toRow = (
  s: SalesAgg,
  r: { refunds: number; amount: number } | undefined,
  customers: number,
  customersNew: number,
  netReport: number | null | undefined,
): ChannelRow => {
  const gross = Number(s.gross);
  const refunded = Number(r?.amount ?? 0);
  return {
    channel_id: s.channel_id,
    location_id: s.location_id,
    currency: s.currency,
    orders: s.orders,
    guest_orders: s.guest_orders,
    units: Number(s.units),
    gross,
    discounts: Number(s.discounts),
    refunds: r?.refunds ?? 0,
    refunded,
    net: gross - refunded,
    aov: s.orders > 0 ? Math.round(gross / s.orders) : null,
    net_report: netReport ?? null,
    customers,
    customers_new: customersNew,
    customers_returning: Math.max(0, customers - customersNew),
    orders_returning: s.orders_returning,
    click_collect_orders: s.click_collect_orders ?? 0,
    click_collect_share: ratio(s.click_collect_orders ?? 0, s.orders),
    cross_channel_orders: s.cross_channel_orders,
    cancelled: s.cancelled,
    cancelled_total: Number(s.cancelled_total),
    sessions: null,
    conversion_rate: null,
  };
};
