/**
 * Choosing the model of a series with enough history: fit the candidates on the history before the
 * backtest, keep the AICc-best exponential-smoothing model, compare it with seasonal naive (and the
 * intermittent methods) on a rolling-origin backtest with fixed parameters, refit the winner on the full
 * history and forecast.
 */
import { EtsRunner, fitEts, IntermittentRunner, NaiveRunner, type Runner, ZeroRunner } from './candidates.ts';
import { ETS_NAMES, ETS_SPECS, type EtsName, isEts } from './ets.ts';
import { INTERMITTENT_NAMES, type IntermittentName, isIntermittent } from './intermittent.ts';
import { type WindowStats, windowStart, windowStats } from './series.ts';
import type { Bounds, Candidate, DemandClass, ModelName, Prepared, SeriesForecast } from './types.ts';

/** Exponential smoothing is fitted on the most recent FIT_WINDOW days at most (speed, and recency). */
export const FIT_WINDOW = 365;
/** Observed days needed before the first backtest origin. */
export const MIN_TRAIN = 14;
/**
 * Observed days a window needs before the default candidates include a trend: a trend read from a few
 * weeks (a new product's ramp-up) and extrapolated over the horizon costs more than it gains.
 */
export const MIN_TREND = 56;

export interface Plan {
  horizon: number;
  origins: number;
  step: number;
  /** the requested candidates, or undefined for the default set */
  models: ReadonlySet<ModelName> | undefined;
}

/** Simpler first, for ties in the backtest. */
const RANK: Record<ModelName, number> = {
  zero: 0,
  profile: 0,
  seasonal_naive: 1,
  ses: 2,
  croston: 2,
  sba: 2,
  tsb: 3,
  holt: 3,
  hw_additive: 3,
  hw_multiplicative: 3,
  holt_damped: 4,
  hw_additive_damped: 5,
  hw_multiplicative_damped: 5,
};

const sparse = (c: DemandClass): boolean => c === 'intermittent' || c === 'lumpy' || c === 'empty';

/**
 * The ETS candidates: the requested ones, or by default all seven for smooth and erratic demand and
 * SES and additive Holt-Winters for sparse demand (trend models rarely help there and cost time), and
 * no trend model when the window has fewer than MIN_TREND observed days; multiplicative seasonality
 * only when every observed day of the window is > 0.
 */
function etsNames(plan: Plan, cls: DemandClass, window: WindowStats): EtsName[] {
  const base: EtsName[] = plan.models
    ? ETS_NAMES.filter((n) => plan.models?.has(n))
    : sparse(cls)
      ? ['ses', 'hw_additive']
      : ETS_NAMES.filter((n) => window.count >= MIN_TREND || !ETS_SPECS[n].trend);
  return base.filter((n) => window.min > 0 || ETS_SPECS[n].season !== 2);
}

/** Croston, SBA and TSB: the requested ones, or by default all three for sparse demand only. */
function intermittentNames(plan: Plan, cls: DemandClass): IntermittentName[] {
  if (plan.models) return INTERMITTENT_NAMES.filter((n) => plan.models?.has(n));
  return sparse(cls) ? INTERMITTENT_NAMES : [];
}

interface Scored {
  runner: Runner;
  abs: number;
  err: number;
  actual: number;
  points: number;
}

/** Forecasts `step` days from each origin T, T + step, …, rolling the state forward between them. */
function backtest(runner: Runner, p: Prepared, T: number, origins: number, step: number): Scored {
  const buf = new Float64Array(step);
  const s: Scored = { runner, abs: 0, err: 0, actual: 0, points: 0 };
  for (let k = 0; k < origins; k++) {
    const o = T + k * step;
    runner.forecast(buf);
    for (let i = 0; i < step && o + i < p.n; i++) {
      const t = o + i;
      if (p.miss[t] === 1) continue;
      const f = buf[i]! > 0 ? buf[i]! : 0;
      const e = f - p.y[t]!;
      s.abs += e < 0 ? -e : e;
      s.err += e;
      s.actual += p.y[t]!;
      s.points++;
    }
    runner.advance(p, o, Math.min(p.n, o + step));
  }
  return s;
}

/** The number of backtest origins the series can carry (0: none). */
function usableOrigins(p: Prepared, plan: Plan): number {
  for (let o = plan.origins; o > 0; o--) {
    const T = p.n - o * plan.step;
    if (T <= 0) continue;
    if (windowStats(p, 0, T).count >= MIN_TRAIN && windowStats(p, T, p.n).count > 0) return o;
  }
  return 0;
}

/** Lowest backtest MAE; ties go to the simpler model. */
function best(scored: Scored[]): Scored {
  let b = scored[0]!;
  for (const s of scored) {
    const tol = 1e-12 * (b.abs + s.abs);
    if (
      s.abs < b.abs - tol ||
      (Math.abs(s.abs - b.abs) <= tol && RANK[s.runner.name] < RANK[b.runner.name])
    ) {
      b = s;
    }
  }
  return b;
}

const mase = (s: Scored, scale: number): number | null =>
  s.points > 0 && scale > 0 ? s.abs / s.points / scale : null;

export function forecastWithSelection(p: Prepared, plan: Plan, cls: DemandClass): SeriesForecast {
  const origins = usableOrigins(p, plan);
  if (origins === 0) return withoutBacktest(p, plan, cls);
  const T = p.n - origins * plan.step;
  const from = windowStart(T, FIT_WINDOW);
  const train = windowStats(p, from, T);
  const baseline = new NaiveRunner(p, T);
  const scale = baseline.scale;
  const baseScore = backtest(baseline, p, T, origins, plan.step);

  const scored: Scored[] = [];
  if (!plan.models || plan.models.has('seasonal_naive')) scored.push(baseScore);
  let bestEts: Scored | null = null;
  for (const name of etsNames(plan, cls, train)) {
    const r = fitEts(name, p, from, T, train.count);
    if (!r) continue;
    const s = backtest(r, p, T, origins, plan.step);
    scored.push(s);
    if (!bestEts || r.aicc < (bestEts.runner.aicc ?? Number.POSITIVE_INFINITY)) bestEts = s;
  }
  for (const name of intermittentNames(plan, cls)) {
    scored.push(backtest(new IntermittentRunner(name, p, from, T), p, T, origins, plan.step));
  }
  if (plan.models?.has('zero')) scored.push(backtest(new ZeroRunner(), p, T, origins, plan.step));

  // the choice: seasonal naive, the AICc-best ETS model, the intermittent methods (and zero if asked)
  const eligible = scored.filter((s) => !isEts(s.runner.name) || s === bestEts);
  const chosen = eligible.length > 0 ? best(eligible) : baseScore;
  const final = refit(chosen.runner, p, plan.horizon);
  const candidates: Candidate[] = scored.map((s) => ({
    model: s.runner.name,
    mase: mase(s, scale),
    aicc: s.runner.aicc,
  }));
  const bias =
    chosen.points === 0 ? null : chosen.actual > 0 ? chosen.err / chosen.actual : chosen.err / chosen.points;
  return {
    model: final.model,
    ...final.bounds,
    mase: mase(chosen, scale),
    bias,
    baselineMase: mase(baseScore, scale),
    backtest: {
      chosenAbsError: chosen.abs,
      baselineAbsError: baseScore.abs,
      chosenError: chosen.err,
      actualSum: chosen.actual,
      points: chosen.points,
      scale,
    },
    demandClass: cls,
    candidates,
  };
}

/** Refits the chosen model on the full history (ETS warm-started from its backtest fit) and forecasts. */
function refit(chosen: Runner, p: Prepared, h: number): { model: ModelName; bounds: Bounds } {
  const from = windowStart(p.n, FIT_WINDOW);
  const name = chosen.name;
  let runner: Runner | null = null;
  if (isEts(name)) {
    const observed = windowStats(p, from, p.n).count;
    const warm = chosen instanceof EtsRunner ? chosen.model.u : undefined;
    runner = fitEts(name, p, from, p.n, observed, warm) ?? fitEts(name, p, from, p.n, observed);
  } else if (isIntermittent(name)) {
    runner = new IntermittentRunner(name, p, from, p.n);
  } else if (name === 'zero') {
    runner = new ZeroRunner();
  }
  const bounds = runner?.bounds(h);
  if (runner && bounds) return { model: runner.name, bounds };
  return { model: 'seasonal_naive', bounds: new NaiveRunner(p, p.n).bounds(h) };
}

/**
 * Too short for a backtest (fewer than MIN_TRAIN observed days before any origin): SBA for sparse
 * demand, else the AICc-best ETS model fitted on the full history, else seasonal naive.
 */
function withoutBacktest(p: Prepared, plan: Plan, cls: DemandClass): SeriesForecast {
  const from = windowStart(p.n, FIT_WINDOW);
  const stats = windowStats(p, from, p.n);
  const candidates: Candidate[] = [];
  let runner: Runner | null = null;
  const inter = intermittentNames(plan, cls);
  if (inter.length > 0 && sparse(cls)) {
    runner = new IntermittentRunner(inter.indexOf('sba') >= 0 ? 'sba' : inter[0]!, p, from, p.n);
  } else {
    for (const name of etsNames(plan, cls, stats)) {
      const r = fitEts(name, p, from, p.n, stats.count);
      if (!r) continue;
      candidates.push({ model: name, mase: null, aicc: r.aicc });
      if (!runner || r.aicc < (runner.aicc ?? Number.POSITIVE_INFINITY)) runner = r;
    }
  }
  const bounds = runner?.bounds(plan.horizon);
  const model = runner && bounds ? runner.name : 'seasonal_naive';
  return {
    model,
    ...(bounds ?? new NaiveRunner(p, p.n).bounds(plan.horizon)),
    mase: null,
    bias: null,
    baselineMase: null,
    backtest: null,
    demandClass: cls,
    candidates,
  };
}
