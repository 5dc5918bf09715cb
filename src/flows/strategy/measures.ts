/**
 * The strategy advisor's measured inputs (issue 15, point 1; docs/strategy-measures.md): each figure
 * taken from the shop's own data with its sample, status (measured, thin, missing) and a plain-language
 * account of how it was computed and over which period. Read-only; reads the analytics rollups and
 * reports, loyalty, inventory, orders and the last forecasting run.
 */
import { MEASURE_KEYS, type Measure, type MeasureKey } from '../../modules/strategy/schema.ts';
import type { Deps } from '../../platform/module.ts';
import { type Period, periodEnding } from './measures-common.ts';
import { customerMeasures, loyaltyActivity } from './measures-customers.ts';
import { mediaMeasures } from './measures-media.ts';
import { forecastAccuracy, pickupDistance, stockSpread } from './measures-ops.ts';
import { salesMeasures } from './measures-sales.ts';

export { THIN_BELOW } from './measures-common.ts';
export { LOYALTY_ACTIVE_DAYS } from './measures-customers.ts';

/** Default measurement period in days, ending `today`. */
export const DEFAULT_MEASURE_DAYS = 365;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const checkOptions = (o: { today: string; currency: string; days?: number }): void => {
  if (!DAY.test(o.today) || new Date(`${o.today}T00:00:00Z`).toISOString().slice(0, 10) !== o.today)
    throw new RangeError(`today must be a date YYYY-MM-DD, not ${o.today}`);
  if (!/^[A-Z]{3}$/.test(o.currency))
    throw new RangeError(`currency must be an ISO 4217 code, not ${o.currency}`);
  if (o.days !== undefined && !(Number.isInteger(o.days) && o.days >= 1 && o.days <= 3660))
    throw new RangeError(`days must be an integer from 1 to 3660, not ${o.days}`);
};

/**
 * Every measure of MEASURE_KEYS, each present: its value (null when missing), sample, status and
 * method. Days are local days of the analytics time zone; `today` is the last day measured, `days` the
 * period most measures cover (annual sales always cover 365 days, the sales trend 2 × 90 days, loyalty
 * activity 90 days, stock the levels of now, forecast accuracy the last run's backtest). Money is in
 * minor units of `currency`. Reads the daily rollups as they are: bring them up to date first when a
 * figure must include the last seconds' sales.
 */
export const measureShop = async (
  deps: Pick<Deps, 'db'>,
  opts: { today: string; currency: string; days?: number },
): Promise<Record<MeasureKey, Measure>> => {
  checkOptions(opts);
  const q = deps.db;
  const period: Period = periodEnding(opts.today, opts.days ?? DEFAULT_MEASURE_DAYS);
  const o = { today: opts.today, currency: opts.currency, period };
  const groups = await Promise.all([
    salesMeasures(q, o),
    customerMeasures(q, o),
    loyaltyActivity(q, o).then((m) => [m]),
    mediaMeasures(q, o),
    pickupDistance(q, period).then((m) => [m]),
    stockSpread(q, opts.today).then((m) => [m]),
    forecastAccuracy(q).then((m) => [m]),
  ]);
  const byKey = new Map(groups.flat().map((m) => [m.key, m]));
  const out = {} as Record<MeasureKey, Measure>;
  for (const key of MEASURE_KEYS) {
    const m = byKey.get(key);
    if (!m) throw new Error(`measure ${key} was not computed`);
    out[key] = m;
  }
  return out;
};
