/**
 * Demand forecasting models: a pure, deterministic library (no database, no I/O) that forecasts daily
 * demand of one SKU at one location, fast enough for 100,000 two-year series in about a minute.
 *
 * Data. Negative days (more returns than sales) count as zero demand. A censored day (out of stock:
 * the value is only a lower bound) and a non-finite value are missing: exponential smoothing takes its
 * one-step forecast as the value (no state correction), Croston/SBA/TSB skip the day, seasonal naive
 * uses the last observed day of the same weekday, and the backtest errors and the MASE scale leave
 * the day out. The season (default 7) is positional: day t is at position t mod m, so every model is
 * aligned with the weekdays of the data; `firstWeekday` matters only to profile forecasts.
 *
 * Models.
 * - seasonal_naive: the last observed value of the same weekday (the baseline).
 * - ses, holt, holt_damped, hw_additive, hw_multiplicative, hw_additive_damped,
 *   hw_multiplicative_damped: exponential smoothing in state-space form with additive errors (Hyndman,
 *   Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing", 2008; fpp3 ch. 8): ETS(A,N,N),
 *   (A,A,N), (A,Ad,N), (A,N,A), (A,N,M), (A,Ad,A), (A,Ad,M). Parameters (α, β ≤ α, γ ≤ 1 − α,
 *   φ ∈ [0.8, 0.98]) minimise the SSE (the Gaussian maximum likelihood) with a short bounded
 *   Nelder–Mead (8 + 10·d evaluations at most for d parameters, half that for the warm-started refit);
 *   initial states come from the first four weeks of the window (Hyndman et al. 2008 §2.6.1), not
 *   optimised. Fitted on the most recent 365 days at most (speed, and a year is enough for weekly
 *   seasonality; yearly seasonality is left to the level). Multiplicative seasonality only when every
 *   observed day of the window is > 0.
 * - croston (Croston 1972), sba (Syntetos & Boylan 2005, × (1 − α/2)), tsb (Teunter, Syntetos &
 *   Babai 2011): α (and TSB's β) from a small grid by in-sample one-step MSE, on the same window
 *   (intermittent.ts states the initialisation).
 * - zero: every observed day is 0. 'profile': a flat or weekly profile, either given (profileForecast,
 *   for a new SKU or location) or the series' own mean when it has fewer than 7 observed days (or,
 *   when every day is censored, the mean of the censored values, which are lower bounds of demand).
 *
 * Selection. A series with fewer than 14 observed days gets seasonal naive (7 days or more) or its
 * mean. Otherwise: the demand class (Syntetos–Boylan, ADI 1.32 and CV² 0.49, over the last 365 days);
 * the ETS candidates fitted on the history before the backtest (all seven for smooth and erratic
 * demand, but no trend model when that window has fewer than 56 observed days; SES and additive
 * Holt-Winters for intermittent and lumpy demand), of which the lowest AICc goes on; a rolling-origin
 * backtest (by default 4 origins × 7 days over the last 28 days; between origins the state is rolled
 * forward with fixed parameters, no refit) of seasonal naive, that ETS model and, for intermittent or
 * lumpy demand, Croston, SBA and TSB. The lowest backtest MAE wins (ties: the simpler model), and is
 * refitted on the full history (its last 365 days) for the forecast. Censored days are left out of
 * the backtest. MASE is scaled by the in-sample seasonal-naive MAE of the history before the backtest
 * (Hyndman & Koehler 2006). Fewer than 14 observed days before the first possible origin: no backtest;
 * SBA for sparse demand, else the AICc-best ETS model. With `models`, only the requested models are
 * candidates (seasonal naive is still backtested as the baseline; the very-short rules still apply);
 * when none can be fitted, seasonal naive.
 *
 * Intervals (80 % and 95 %, lower bounds clamped at 0, always lo95 ≤ lo80 ≤ mean ≤ hi80 ≤ hi95):
 * - additive-season ETS: Gaussian with the class-1 variance σ²[1 + Σ_{j<h} (α + βφ_j + γ·[m | j])²]
 *   (Hyndman et al. 2008 ch. 6; e.g. SES σ²[1 + α²(h − 1)]), σ² = SSE/(n − k);
 * - multiplicative-season ETS: the same expression, an approximation;
 * - seasonal naive: σ√(k + 1), k = ⌊(h − 1)/m⌋, σ from the in-sample one-step errors (fpp3 §5.5);
 * - Croston/SBA/TSB: quantiles of a negative binomial (Poisson when the variance does not exceed the
 *   mean) with the forecast as mean and the in-sample one-step MSE as variance, the same every day;
 * - profile: a negative binomial with variance μ + μ² (the series' own mean: at least that).
 *
 * Reconciliation (reconcile.ts): forecast proportions (Athanasopoulos, Ahmed & Hyndman 2009) or
 * bottom-up; the parts' means then add up to the total's mean at every step.
 *
 * Guarantees: deterministic; every number finite; means and bounds >= 0.
 */
import { FIT_WINDOW, forecastWithSelection, type Plan } from './select.ts';
import { classify, prepare, windowStart, windowStats } from './series.ts';
import { censoredOnly, SHORT, shortForecast, zeroForecast } from './short.ts';
import type { ForecastOptions, ModelName, SeriesForecast, SeriesInput } from './types.ts';

export { type ReconcileMethod, reconcile } from './reconcile.ts';
export { type Profile, profileForecast } from './short.ts';
export type {
  Backtest,
  Candidate,
  DemandClass,
  ForecastOptions,
  ModelName,
  SeriesForecast,
  SeriesInput,
} from './types.ts';

export const MODEL_NAMES: readonly ModelName[] = [
  'seasonal_naive',
  'ses',
  'holt',
  'holt_damped',
  'hw_additive',
  'hw_multiplicative',
  'hw_additive_damped',
  'hw_multiplicative_damped',
  'croston',
  'sba',
  'tsb',
  'zero',
  'profile',
];

const positiveInt = (v: number | undefined, fallback: number, name: string, min: number): number => {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  return v;
};

/**
 * Forecasts one series `opts.horizon` days ahead with the model chosen by the backtest (see the top of
 * this file). Deterministic; every number in the answer is finite and the means and bounds are >= 0.
 * Throws a RangeError only for invalid options (horizon, season, origins or step not integers).
 */
export function forecastSeries(input: SeriesInput, opts: ForecastOptions): SeriesForecast {
  const horizon = positiveInt(opts.horizon, 0, 'horizon', 0);
  const m = positiveInt(opts.season, 7, 'season', 1);
  const plan: Plan = {
    horizon,
    origins: positiveInt(opts.backtestOrigins, 4, 'backtestOrigins', 0),
    step: positiveInt(opts.backtestHorizon, 7, 'backtestHorizon', 1),
    models: opts.models ? new Set(opts.models) : undefined,
  };
  const p = prepare(input.values, input.censored, m);
  const all = windowStats(p, 0, p.n);
  if (all.count === 0) return censoredOnly(input.values, horizon);
  const cls = classify(windowStats(p, windowStart(p.n, FIT_WINDOW), p.n));
  if (all.nonzero === 0) return zeroForecast(horizon, 'empty');
  if (all.count < SHORT) return shortForecast(p, all, horizon, cls);
  return forecastWithSelection(p, plan, cls);
}
