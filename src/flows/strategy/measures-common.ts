/**
 * What every measure of the strategy advisor shares (docs/strategy-measures.md): the thin thresholds,
 * the status rule, rounding, local-day arithmetic and the builder that turns a figure into a `Measure`.
 */
import type { Measure, MeasureKey } from '../../modules/strategy/schema.ts';

/**
 * Below this many observations a measure is `thin` (shown, but trusted less). The unit is the measure's
 * `sample`: customers, members, orders, pickups with both positions, recipients, attributed sales,
 * SKUs in stock or backtest points. For the value ratio it is the smaller of the two groups, for the
 * sales trend the quieter of the two 90-day windows.
 */
export const THIN_BELOW: Readonly<Record<MeasureKey, number>> = {
  repeat_purchase_rate: 30,
  multichannel_customer_share: 30,
  multichannel_value_ratio: 30,
  loyalty_membership_rate: 30,
  loyalty_active_rate: 30,
  annual_sales: 30,
  sales_trend: 30,
  click_collect_share: 30,
  pickup_distance_km: 30,
  cross_device_cart_share: 30,
  media_response_rate: 100,
  media_roi: 30,
  stock_spread: 30,
  forecast_accuracy: 100,
};

export type Unit = Measure['unit'];
export type Period = { from: string; to: string };
export type Part = Measure['breakdown'][number];

/** Ratios are kept to 4 decimals (as the analytics reports do); null when the denominator is 0. */
export const ratio = (a: number, b: number): number | null =>
  b > 0 && Number.isFinite(a) ? Math.round((a / b) * 10_000) / 10_000 : null;

/** Growth of `now` over `before` (0.12 = +12 %), 4 decimals; null without a positive base. */
export const growth = (now: number, before: number): number | null =>
  before > 0 ? Math.round(((now - before) / before) * 10_000) / 10_000 : null;

/** The local day `n` days after `day` (YYYY-MM-DD). */
export const addDays = (day: string, n: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** The `days` local days ending with `to` (inclusive). */
export const periodEnding = (to: string, days: number): Period => ({ from: addDays(to, 1 - days), to });

export const describePeriod = (p: Period): string => `${p.from} to ${p.to}`;

/** Thousands separators for the method texts. */
export const count = (n: number): string => n.toLocaleString('en-US');

export const percent = (x: number | null): string =>
  x === null ? 'n/a' : `${(Math.round(x * 1000) / 10).toLocaleString('en-US')} %`;

const METHOD_MAX = 1000;

/**
 * A measure with its status: `missing` when there is no figure (value null, sample 0), `thin` when
 * `thin` (default: the sample) is below the key's threshold, else `measured` (a figure with a sample
 * of 0, such as a cost without any sale, is thin). A non-finite value is
 * treated as missing, so no NaN or Infinity ever leaves here.
 */
export const measureOf = (
  key: MeasureKey,
  unit: Unit,
  m: {
    value: number | null;
    sample: number;
    method: string;
    period: Period | null;
    breakdown?: Part[];
    /** The observations compared with the threshold when not the sample (the smaller group …). */
    thin?: number;
  },
): Measure => {
  const value = m.value !== null && Number.isFinite(m.value) ? m.value : null;
  const missing = value === null;
  const status = missing ? 'missing' : (m.thin ?? m.sample) < THIN_BELOW[key] ? 'thin' : 'measured';
  const method = m.method.length > METHOD_MAX ? `${m.method.slice(0, METHOD_MAX - 1)}…` : m.method;
  return {
    key,
    value: missing ? null : value,
    unit,
    status,
    sample: missing ? 0 : Math.max(0, Math.round(m.sample)),
    method,
    period: m.period,
    breakdown: (m.breakdown ?? []).map((p) => ({
      label: p.label,
      value: p.value !== null && Number.isFinite(p.value) ? p.value : null,
      sample: Math.max(0, Math.round(p.sample)),
    })),
  };
};

/** "Left out: sales in GBP, KRW (no exchange rate into EUR)." or '' */
export const leftOut = (currencies: readonly string[], into: string, what: string): string =>
  currencies.length === 0
    ? ''
    : ` Left out: ${what} in ${[...currencies].sort().join(', ')} (no exchange rate into ${into} on or before the day).`;
