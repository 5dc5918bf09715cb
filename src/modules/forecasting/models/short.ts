/**
 * Forecasts without model selection: the all-zero series, the very short series, and the profile
 * fallback for a new SKU or location.
 */
import { NaiveRunner } from './candidates.ts';
import { countBounds, emptyBounds, finish } from './intervals.ts';
import { ADI_CUTOFF, type WindowStats } from './series.ts';
import type { Bounds, DemandClass, ModelName, Prepared, SeriesForecast } from './types.ts';

/** Observed days below which a series is "very short" (no backtest, no fitted model). */
export const SHORT = 14;

export function plain(model: ModelName, bounds: Bounds, demandClass: DemandClass): SeriesForecast {
  return {
    model,
    components: [model],
    ...bounds,
    mase: null,
    bias: null,
    baselineMase: null,
    backtest: null,
    demandClass,
    candidates: [],
  };
}

/** Zero mean, zero-width intervals. */
export const zeroForecast = (h: number, cls: DemandClass): SeriesForecast =>
  plain('zero', emptyBounds(h), cls);

/**
 * Fewer than SHORT observed days: seasonal naive when a full week (m days) is observed, else a flat
 * forecast at the mean of what there is (model 'profile', the series' own flat profile) with the
 * profile's bounds: a negative binomial with variance max(sample variance, μ + μ²), as a few days tell
 * little about the rate (a new item's first days are often a ramp-up).
 */
export function shortForecast(p: Prepared, stats: WindowStats, h: number, cls: DemandClass): SeriesForecast {
  if (stats.count >= p.m && p.m > 1) return plain('seasonal_naive', new NaiveRunner(p, p.n).bounds(h), cls);
  const mean = stats.count > 0 ? stats.sum / stats.count : 0;
  let sq = 0;
  for (let t = 0; t < p.n; t++) if (p.miss[t] === 0) sq += (p.y[t]! - mean) ** 2;
  const sample = stats.count > 1 ? sq / (stats.count - 1) : 0;
  return plain('profile', countBounds(mean, Math.max(sample, mean + mean * mean), h), cls);
}

/**
 * Every day censored: nothing is observed, but the censored values are lower bounds of the demand, so
 * their mean (not zero, which would stop replenishing an item that sells out every day) is the flat
 * forecast (model 'profile'), with the profile's bounds (variance μ + μ²).
 */
export function censoredOnly(values: Float64Array, h: number): SeriesForecast {
  let sum = 0;
  let cnt = 0;
  for (let t = 0; t < values.length; t++) {
    const v = values[t]!;
    if (Number.isFinite(v)) {
      sum += v > 0 ? v : 0;
      cnt++;
    }
  }
  const mean = cnt > 0 ? sum / cnt : 0;
  if (!(mean > 0)) return zeroForecast(h, 'empty');
  return plain('profile', countBounds(mean, mean + mean * mean, h), 'empty');
}

export interface Profile {
  /** average demand per day */
  daily: number;
  /** 7 multipliers, Monday first, averaging 1 */
  weekday?: number[];
}

/**
 * The profile fallback: day d of the horizon (weekday (firstWeekday + d) mod 7) is forecast
 * daily × weekday[that weekday]; the multipliers are renormalised to average 1 and ignored unless all
 * seven are finite and >= 0. Intervals: a negative binomial with variance μ + μ² per day (a Poisson
 * demand whose rate is itself uncertain by ±100 %, as a new item's is); the demand class is what that
 * rate implies (intermittent when a day with demand is expected less often than every 1.32 days).
 */
export function profileForecast(profile: Profile, firstWeekday: number, horizon: number): SeriesForecast {
  const h = Number.isFinite(horizon) && horizon > 0 ? Math.floor(horizon) : 0;
  const daily = Number.isFinite(profile.daily) && profile.daily > 0 ? profile.daily : 0;
  const mult = weekdayMultipliers(profile.weekday);
  const w0 = Number.isInteger(firstWeekday) ? ((firstWeekday % 7) + 7) % 7 : 0;
  const b = emptyBounds(h);
  for (let d = 0; d < h; d++) {
    const mu = daily * mult[(w0 + d) % 7]!;
    const one = countBounds(mu, mu + mu * mu, 1);
    b.mean[d] = one.mean[0]!;
    b.lo80[d] = one.lo80[0]!;
    b.hi80[d] = one.hi80[0]!;
    b.lo95[d] = one.lo95[0]!;
    b.hi95[d] = one.hi95[0]!;
  }
  const cls: DemandClass =
    daily === 0 ? 'empty' : 1 / (1 - Math.exp(-daily)) >= ADI_CUTOFF ? 'intermittent' : 'smooth';
  return plain('profile', finish(b), cls);
}

function weekdayMultipliers(w: number[] | undefined): number[] {
  const flat = [1, 1, 1, 1, 1, 1, 1];
  if (w?.length !== 7 || w.some((v) => !Number.isFinite(v) || v < 0)) return flat;
  const avg = w.reduce((a, v) => a + v, 0) / 7;
  return avg > 0 ? w.map((v) => v / avg) : flat;
}
