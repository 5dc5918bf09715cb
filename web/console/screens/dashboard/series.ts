/** Shapes the dashboard's answer for charts and tables: per day, per channel, per currency. */
import type { components } from '@plaza/client';

export type Dashboard = components['schemas']['Dashboard'];
export type Point = components['schemas']['DashboardPoint'];

/** Every date from `from` to `to` (YYYY-MM-DD, both included). */
export const datesBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 400; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
};

export interface ChannelFigures {
  channelId: string;
  currency: string;
  orders: number;
  net: number;
  gross: number;
  refunds: number;
  customersNew: number;
  customersReturning: number;
}

const empty = (channelId: string, currency: string): ChannelFigures => ({
  channelId,
  currency,
  orders: 0,
  net: 0,
  gross: 0,
  refunds: 0,
  customersNew: 0,
  customersReturning: 0,
});

/** Sums of the points kept by `keep`, per channel and currency, biggest net first. */
export const perChannel = (points: readonly Point[], keep: (p: Point) => boolean): ChannelFigures[] => {
  const map = new Map<string, ChannelFigures>();
  for (const p of points) {
    if (!keep(p)) continue;
    const key = `${p.channel_id}\u0000${p.currency}`;
    const f = map.get(key) ?? empty(p.channel_id, p.currency);
    f.orders += p.orders;
    f.net += p.net;
    f.gross += p.gross;
    f.refunds += p.refunds;
    f.customersNew += p.customers_new;
    f.customersReturning += p.customers_returning;
    map.set(key, f);
  }
  return [...map.values()].sort((a, b) => b.net - a.net || a.channelId.localeCompare(b.channelId));
};

/** One line per channel over the days: `pick` of each day's point (0 on days without one). */
export const channelLines = (
  points: readonly Point[],
  dates: readonly string[],
  pick: (p: Point) => number,
  currency?: string,
): { channelId: string; values: number[] }[] => {
  const byChannel = new Map<string, Map<string, number>>();
  for (const p of points) {
    if (currency && p.currency !== currency) continue;
    const days = byChannel.get(p.channel_id) ?? new Map<string, number>();
    days.set(p.date, (days.get(p.date) ?? 0) + pick(p));
    byChannel.set(p.channel_id, days);
  }
  return [...byChannel.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([channelId, days]) => ({ channelId, values: dates.map((d) => days.get(d) ?? 0) }));
};

/** The currencies of the points, most frequent first. */
export const currenciesOf = (points: readonly Point[]): string[] => {
  const n = new Map<string, number>();
  for (const p of points) n.set(p.currency, (n.get(p.currency) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
};
