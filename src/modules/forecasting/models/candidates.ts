/**
 * Every model behind one face for the backtest and the final forecast: fit on a window, roll forward
 * with fixed parameters, forecast, and give prediction bounds.
 */
import { EtsModel, type EtsName } from './ets.ts';
import { IntermittentModel, type IntermittentName } from './intermittent.ts';
import { countBounds, emptyBounds, normalBounds } from './intervals.ts';
import { type NaiveErrors, SeasonalNaive } from './naive.ts';
import type { Bounds, ModelName, Prepared } from './types.ts';

export interface Runner {
  readonly name: ModelName;
  /** AICc on the fitting window (ETS models only) */
  readonly aicc: number | null;
  /** Rolls the state over y[from, to) with the parameters fixed. */
  advance(p: Prepared, from: number, to: number): void;
  /** Point forecasts for the days after the state (not clamped). */
  forecast(out: Float64Array): void;
  /** Mean and prediction bounds for h days after the state, or null when they would not be finite. */
  bounds(h: number): Bounds | null;
}

export class EtsRunner implements Runner {
  constructor(readonly model: EtsModel) {}
  get name(): ModelName {
    return this.model.name;
  }
  get aicc(): number {
    return this.model.aicc;
  }
  advance(p: Prepared, from: number, to: number): void {
    this.model.advance(p, from, to);
  }
  forecast(out: Float64Array): void {
    this.model.forecast(out);
  }
  bounds(h: number): Bounds | null {
    const mean = new Float64Array(h);
    const variance = new Float64Array(h);
    this.model.forecast(mean);
    this.model.variances(variance);
    for (let i = 0; i < h; i++) {
      if (!Number.isFinite(mean[i]!) || !Number.isFinite(variance[i]!)) return null;
    }
    return normalBounds(mean, variance);
  }
}

/** Fits an ETS model on y[from, to) (optionally warm-started); null when it cannot be fitted. */
export function fitEts(
  name: EtsName,
  p: Prepared,
  from: number,
  to: number,
  observed: number,
  warm?: Float64Array,
): EtsRunner | null {
  const model = new EtsModel(name, p.m);
  return model.fit(p, from, to, observed, warm) ? new EtsRunner(model) : null;
}

export class IntermittentRunner implements Runner {
  readonly aicc = null;
  readonly model: IntermittentModel;
  constructor(
    readonly name: IntermittentName,
    p: Prepared,
    from: number,
    to: number,
  ) {
    this.model = new IntermittentModel(name);
    this.model.fit(p, from, to);
  }
  advance(p: Prepared, from: number, to: number): void {
    this.model.advance(p, from, to);
  }
  forecast(out: Float64Array): void {
    out.fill(this.model.level());
  }
  /** Count-distribution bounds with the in-sample one-step MSE as the variance (intervals.ts). */
  bounds(h: number): Bounds {
    return countBounds(this.model.level(), this.model.mse, h);
  }
}

/** Seasonal naive, which also measures the in-sample MAE that scales the MASE. */
export class NaiveRunner implements Runner {
  readonly name = 'seasonal_naive';
  readonly aicc = null;
  readonly naive: SeasonalNaive;
  readonly errors: NaiveErrors = { abs: 0, sq: 0, n: 0 };
  constructor(p: Prepared, to: number) {
    this.naive = new SeasonalNaive(p.m);
    this.naive.advance(p, 0, to, this.errors);
  }
  /** The in-sample seasonal-naive MAE (Hyndman & Koehler 2006), 0 when there is none. */
  get scale(): number {
    return this.errors.n > 0 ? this.errors.abs / this.errors.n : 0;
  }
  advance(p: Prepared, from: number, to: number): void {
    this.naive.advance(p, from, to);
  }
  forecast(out: Float64Array): void {
    this.naive.forecast(out);
  }
  /** σ_h = σ·√(k + 1), k = ⌊(h − 1)/m⌋, σ² the in-sample one-step MSE (fpp3 §5.5). */
  bounds(h: number): Bounds {
    const mean = new Float64Array(h);
    this.naive.forecast(mean);
    const sigma2 = this.errors.n > 0 ? this.errors.sq / this.errors.n : fallbackVariance(mean);
    const variance = new Float64Array(h);
    for (let i = 0; i < h; i++) variance[i] = sigma2 * (Math.floor(i / this.naive.m) + 1);
    return normalBounds(mean, variance);
  }
}

/** Without in-sample errors: a Poisson-like spread, the variance equal to the mean level. */
function fallbackVariance(mean: Float64Array): number {
  let s = 0;
  for (let i = 0; i < mean.length; i++) s += mean[i]! > 0 ? mean[i]! : 0;
  return mean.length > 0 ? s / mean.length : 0;
}

export class ZeroRunner implements Runner {
  readonly name = 'zero';
  readonly aicc = null;
  advance(): void {}
  forecast(out: Float64Array): void {
    out.fill(0);
  }
  bounds(h: number): Bounds {
    return emptyBounds(h);
  }
}
