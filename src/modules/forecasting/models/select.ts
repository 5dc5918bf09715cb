/**
 * Choosing the model of a series with enough history: fit the candidates on the history before the
 * backtest, backtest them from rolling origins with fixed parameters, take the default of the demand
 * class (TSB for sparse demand, the average of the two best candidates otherwise) unless one candidate
 * beats it clearly, refit what was chosen on the full history and forecast. index.ts gives the evidence.
 */
import { type BacktestWindow, backtest, combine, mase, type Scored, usableOrigins } from './backtest.ts';
import { EtsRunner, fitEts, IntermittentRunner, NaiveRunner, type Runner, ZeroRunner } from './candidates.ts';
import { ETS_NAMES, ETS_SPECS, type EtsName, isEts } from './ets.ts';
import { INTERMITTENT_NAMES, type IntermittentName, isIntermittent } from './intermittent.ts';
import { averageBounds } from './intervals.ts';
import { type WindowStats, windowStart, windowStats } from './series.ts';
import type { Bounds, Candidate, DemandClass, ModelName, Prepared, SeriesForecast } from './types.ts';

/** Exponential smoothing is fitted on the most recent FIT_WINDOW days at most (speed, and recency). */
export const FIT_WINDOW = 365;
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
  combination: 6,
};

const sparse = (c: DemandClass): boolean => c === 'intermittent' || c === 'lumpy' || c === 'empty';

/**
 * The ETS candidates: the requested ones, or by default none for sparse demand (TSB or seasonal naive
 * is chosen there) and all seven for smooth and erratic demand, but no trend model when the window has
 * fewer than MIN_TREND observed days; multiplicative seasonality only when every observed day of the
 * window is > 0.
 */
function etsNames(plan: Plan, cls: DemandClass, window: WindowStats): EtsName[] {
  const base: EtsName[] = plan.models
    ? ETS_NAMES.filter((n) => plan.models?.has(n))
    : sparse(cls)
      ? []
      : ETS_NAMES.filter((n) => window.count >= MIN_TREND || !ETS_SPECS[n].trend);
  return base.filter((n) => window.min > 0 || ETS_SPECS[n].season !== 2);
}

/** Croston, SBA and TSB: the requested ones, or by default TSB alone for sparse demand, else all three. */
function intermittentNames(plan: Plan, cls: DemandClass): IntermittentName[] {
  if (plan.models) return INTERMITTENT_NAMES.filter((n) => plan.models?.has(n));
  return sparse(cls) ? ['tsb'] : INTERMITTENT_NAMES;
}

/** Lowest backtest error; ties go to the simpler model. */
function best(scored: Scored[]): Scored {
  let b = scored[0]!;
  for (const s of scored) {
    const tol = 1e-12 * (b.abs + s.abs);
    if (s.abs < b.abs - tol || (Math.abs(s.abs - b.abs) <= tol && RANK[s.name] < RANK[b.name])) b = s;
  }
  return b;
}

/** The two lowest backtest errors (ties: the simpler model first). */
function bestTwo(scored: Scored[]): Scored[] {
  const first = best(scored);
  const rest = scored.filter((s) => s !== first);
  return rest.length > 0 ? [first, best(rest)] : [first];
}

/**
 * A single candidate replaces the default of the demand class only when its backtest error is below
 * (1 − MARGIN) times the default's: a short backtest is noisy, and without the margin the choice
 * follows the noise (index.ts).
 */
export const MARGIN = 0.1;

/**
 * The choice among the backtested candidates: the default of the demand class — TSB for sparse
 * demand, the equal-weight combination of the two best candidates otherwise — unless the best single
 * candidate beats it by the margin. With a restricted candidate list: the best single candidate.
 */
function choose(
  scored: Scored[],
  cls: DemandClass,
  restricted: boolean,
  p: Prepared,
  w: BacktestWindow,
): Scored {
  const single = best(scored);
  if (restricted) return single;
  const fallback = sparse(cls)
    ? scored.find((s) => s.name === 'tsb')
    : scored.length > 1
      ? combine(bestTwo(scored), p, w)
      : undefined;
  if (!fallback) return single;
  return single.abs < (1 - MARGIN) * fallback.abs ? single : fallback;
}

export function forecastWithSelection(p: Prepared, plan: Plan, cls: DemandClass): SeriesForecast {
  const origins = usableOrigins(p, plan.origins, plan.step);
  if (origins === 0) return withoutBacktest(p, plan, cls);
  const w: BacktestWindow = { T: p.n - origins * plan.step, origins, step: plan.step };
  const from = windowStart(w.T, FIT_WINDOW);
  const train = windowStats(p, from, w.T);
  const baseline = new NaiveRunner(p, w.T);
  const scale = baseline.scale;
  const baseScore = backtest(baseline, p, w);

  const scored: Scored[] = [];
  if (!plan.models || plan.models.has('seasonal_naive')) scored.push(baseScore);
  for (const name of etsNames(plan, cls, train)) {
    const r = fitEts(name, p, from, w.T, train.count);
    if (r) scored.push(backtest(r, p, w));
  }
  for (const name of intermittentNames(plan, cls)) {
    scored.push(backtest(new IntermittentRunner(name, p, from, w.T), p, w));
  }
  if (plan.models?.has('zero')) scored.push(backtest(new ZeroRunner(), p, w));

  const chosen = scored.length > 0 ? choose(scored, cls, plan.models !== undefined, p, w) : baseScore;
  const final = refit(chosen.runners, p, plan.horizon);
  const candidates: Candidate[] = scored.map((s) => ({
    model: s.name,
    mase: mase(s, scale),
    aicc: s.runners[0]!.aicc,
  }));
  if (chosen.name === 'combination') {
    candidates.push({ model: 'combination', mase: mase(chosen, scale), aicc: null });
  }
  const bias =
    chosen.points === 0 ? null : chosen.actual > 0 ? chosen.err / chosen.actual : chosen.err / chosen.points;
  return {
    model: final.model,
    components: final.components,
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

interface Single {
  model: ModelName;
  bounds: Bounds;
}

/** Refits one model on the full history (ETS warm-started from its backtest fit); null if it fails. */
function refitOne(chosen: Runner, p: Prepared, h: number): Single | null {
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
  } else if (name === 'seasonal_naive') {
    runner = new NaiveRunner(p, p.n);
  }
  const bounds = runner?.bounds(h);
  return runner && bounds ? { model: runner.name, bounds } : null;
}

interface Final {
  model: ModelName;
  components: ModelName[];
  bounds: Bounds;
}

/**
 * Refits the chosen model, or each component of a combination, on the full history and forecasts; a
 * combination's mean and bounds are the averages of its components' (finish() keeps them ordered).
 * A model that cannot be refitted is replaced by seasonal naive.
 */
function refit(runners: Runner[], p: Prepared, h: number): Final {
  const naive = (): Single => ({ model: 'seasonal_naive', bounds: new NaiveRunner(p, p.n).bounds(h) });
  const parts = runners.map((r) => refitOne(r, p, h) ?? naive());
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only) return { model: only.model, components: [only.model], bounds: only.bounds };
  return {
    model: 'combination',
    components: parts.map((x) => x.model),
    bounds: averageBounds(parts.map((x) => x.bounds)),
  };
}

/**
 * Too short for a backtest (fewer than MIN_TRAIN observed days before any origin): TSB for sparse
 * demand, else the AICc-best ETS model fitted on the full history, else seasonal naive.
 */
function withoutBacktest(p: Prepared, plan: Plan, cls: DemandClass): SeriesForecast {
  const from = windowStart(p.n, FIT_WINDOW);
  const stats = windowStats(p, from, p.n);
  const candidates: Candidate[] = [];
  let runner: Runner | null = null;
  const inter = intermittentNames(plan, cls);
  if (inter.length > 0 && sparse(cls)) {
    runner = new IntermittentRunner(inter.includes('tsb') ? 'tsb' : inter[0]!, p, from, p.n);
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
    components: [model],
    ...(bounds ?? new NaiveRunner(p, p.n).bounds(plan.horizon)),
    mase: null,
    bias: null,
    baselineMase: null,
    backtest: null,
    demandClass: cls,
    candidates,
  };
}
