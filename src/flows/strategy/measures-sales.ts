/**
 * Sales measures from the analytics channels report (src/flows/analytics/channels.ts, read from the
 * daily rollups): annual net sales and the 90-day trend per channel in one currency (other currencies
 * converted with the analytics daily rates), the click & collect share and the share of sales whose
 * cart moved across channels or devices.
 */
import { getChannel } from '../../modules/channels/index.ts';
import type { Measure } from '../../modules/strategy/schema.ts';
import type { Queryable } from '../../platform/db.ts';
import { type ChannelReport, channelReport } from '../analytics/channels.ts';
import {
  addDays,
  count,
  describePeriod,
  growth,
  leftOut,
  measureOf,
  type Period,
  percent,
  periodEnding,
  ratio,
} from './measures-common.ts';

const SOURCE = 'analytics channels report (daily rollups)';

interface ChannelTotals {
  orders: number;
  /** net in the report currency, rows without a rate left out */
  net: number;
  /** sales of the rows whose net could be converted (the sample of the money measures) */
  netOrders: number;
  /** some row had a converted net (sales or refunds) */
  hasNet: boolean;
  clickCollect: number;
  crossChannel: number;
}

/** Per channel: sales, converted net, click & collect and cross-channel orders of a report. */
const totalsOf = (report: ChannelReport): Map<string, ChannelTotals> => {
  const out = new Map<string, ChannelTotals>();
  for (const r of report.rows) {
    const t = out.get(r.channel_id) ?? {
      orders: 0,
      net: 0,
      netOrders: 0,
      hasNet: false,
      clickCollect: 0,
      crossChannel: 0,
    };
    t.orders += r.orders;
    if (r.net_report !== null) {
      t.net += r.net_report;
      t.netOrders += r.orders;
      t.hasNet = true;
    }
    t.clickCollect += r.click_collect_orders;
    t.crossChannel += r.cross_channel_orders;
    out.set(r.channel_id, t);
  }
  return out;
};

const sum = (m: Map<string, ChannelTotals>, pick: (t: ChannelTotals) => number): number =>
  [...m.values()].reduce((s, t) => s + pick(t), 0);

const report = (q: Queryable, p: Period, currency: string) =>
  channelReport(q, { from: p.from, to: p.to, byLocation: false, reportCurrency: currency });

/** Channel names for the breakdowns (the id when a channel is gone). */
const namesOf = async (q: Queryable, ids: Iterable<string>): Promise<Map<string, string>> => {
  const unique = [...new Set(ids)].sort();
  const rows = await Promise.all(unique.map((id) => getChannel(q, id)));
  return new Map(unique.map((id, i) => [id, rows[i]?.name ?? id]));
};

/**
 * annual_sales, sales_trend, click_collect_share and cross_device_cart_share. `period` is the
 * measurement period (click & collect, cross-device); annual sales are always the 365 days ending
 * `today`, the trend the 90 days ending `today` against the 90 before.
 */
export const salesMeasures = async (
  q: Queryable,
  o: { today: string; currency: string; period: Period },
): Promise<Measure[]> => {
  const year = periodEnding(o.today, 365);
  const last = periodEnding(o.today, 90);
  const before = periodEnding(addDays(o.today, -90), 90);
  const [inPeriod, inYear, inLast, inBefore] = await Promise.all([
    report(q, o.period, o.currency),
    report(q, year, o.currency),
    report(q, last, o.currency),
    report(q, before, o.currency),
  ]);
  const t = {
    period: totalsOf(inPeriod),
    year: totalsOf(inYear),
    last: totalsOf(inLast),
    before: totalsOf(inBefore),
  };
  const names = await namesOf(
    q,
    [t.period, t.year, t.last, t.before].flatMap((m) => [...m.keys()]),
  );
  const name = (id: string) => names.get(id) ?? id;
  return [
    annualSales(t.year, year, o.currency, inYear.missing_rates, name),
    salesTrend(
      t.last,
      t.before,
      { last, before },
      o.currency,
      [...new Set([...inLast.missing_rates, ...inBefore.missing_rates])],
      name,
    ),
    share(
      'click_collect_share',
      t.period,
      o.period,
      (x) => x.clickCollect,
      name,
      'sales for pickup in a store (click & collect: fulfilment type pickup, on any channel)',
    ),
    share(
      'cross_device_cart_share',
      t.period,
      o.period,
      (x) => x.crossChannel,
      name,
      "sales whose cart was started or filled on another channel, or took in another device's cart (cross_channel_orders)",
    ),
  ];
};

const annualSales = (
  year: Map<string, ChannelTotals>,
  p: Period,
  currency: string,
  missing: readonly string[],
  name: (id: string) => string,
): Measure => {
  const orders = sum(year, (x) => x.netOrders);
  const net = sum(year, (x) => x.net);
  const hasNet = [...year.values()].some((x) => x.hasNet);
  return measureOf('annual_sales', 'minor', {
    value: hasNet ? net : null,
    sample: orders,
    period: p,
    method:
      `Net sales (order totals of sales minus refunds made, cancelled and unpaid orders excluded) of the 365 days ` +
      `${describePeriod(p)}, in minor units of ${currency}, summed over every channel from the ${SOURCE}; ` +
      `other currencies converted with the analytics daily rate of each day (else the latest before it). ` +
      `Sample: ${count(orders)} sales.${leftOut(missing, currency, 'sales')}`,
    breakdown: [...year.entries()].map(([id, x]) => ({
      label: name(id),
      value: x.hasNet ? x.net : null,
      sample: x.netOrders,
    })),
  });
};

const salesTrend = (
  last: Map<string, ChannelTotals>,
  before: Map<string, ChannelTotals>,
  p: { last: Period; before: Period },
  currency: string,
  missing: readonly string[],
  name: (id: string) => string,
): Measure => {
  const nowNet = sum(last, (x) => x.net);
  const beforeNet = sum(before, (x) => x.net);
  const nowOrders = sum(last, (x) => x.netOrders);
  const beforeOrders = sum(before, (x) => x.netOrders);
  const value = growth(nowNet, beforeNet);
  const ids = [...new Set([...last.keys(), ...before.keys()])].sort();
  return measureOf('sales_trend', 'ratio', {
    value,
    sample: nowOrders + beforeOrders,
    thin: Math.min(nowOrders, beforeOrders),
    period: { from: p.before.from, to: p.last.to },
    method:
      `Growth of net sales (in ${currency}, ${SOURCE}) of the 90 days ${describePeriod(p.last)} over the 90 days ` +
      `${describePeriod(p.before)}: (last − previous) / previous, so 0.12 is +12 %. ` +
      (value === null
        ? 'No net sales in the previous 90 days: no growth can be computed. '
        : `${count(nowOrders)} sales against ${count(beforeOrders)}; thin when either window has fewer than the threshold. `) +
      `Breakdown: the same growth per channel.${leftOut(missing, currency, 'sales')}`,
    breakdown: ids.map((id) => ({
      label: name(id),
      value: growth(last.get(id)?.net ?? 0, before.get(id)?.net ?? 0),
      sample: (last.get(id)?.netOrders ?? 0) + (before.get(id)?.netOrders ?? 0),
    })),
  });
};

const share = (
  key: 'click_collect_share' | 'cross_device_cart_share',
  totals: Map<string, ChannelTotals>,
  p: Period,
  pick: (t: ChannelTotals) => number,
  name: (id: string) => string,
  what: string,
): Measure => {
  const orders = sum(totals, (x) => x.orders);
  const part = sum(totals, pick);
  const value = ratio(part, orders);
  return measureOf(key, 'ratio', {
    value,
    sample: orders,
    period: p,
    method:
      `Share of sales placed ${describePeriod(p)} that were ${what}: ${count(part)} of ${count(orders)} sales ` +
      `(${percent(value)}), every channel and currency, from the ${SOURCE}. Breakdown: the share per channel.`,
    breakdown: [...totals.entries()].map(([id, x]) => ({
      label: name(id),
      value: ratio(pick(x), x.orders),
      sample: x.orders,
    })),
  });
};
