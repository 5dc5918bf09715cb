/**
 * The rolling-origin backtest: each candidate forecasts `step` days from the origins T, T + step, …
 * with its parameters fixed (the state rolled forward between origins, no refit); the forecasts are
 * kept, so a combination of candidates is scored on exactly the same days as the candidates themselves.
 */
import type { Runner } from './candidates.ts';
import { windowStats } from './series.ts';
import type { ModelName, Prepared } from './types.ts';

/** Observed days needed before the first backtest origin. */
export const MIN_TRAIN = 14;

/** Where the backtest runs: `origins` × `step` days from day T (the last days of the series). */
export interface BacktestWindow {
  T: number;
  origins: number;
  step: number;
}

/** A candidate's (or a combination's) backtest: its forecasts and their errors on the observed days. */
export interface Scored {
  name: ModelName;
  /** the model, or the components of a combination */
  runners: Runner[];
  /** one forecast per backtest day (clamped at 0), missing days included */
  forecasts: Float64Array;
  abs: number;
  err: number;
  actual: number;
  points: number;
}

/** Scores forecasts of the window's days against the observed ones (missing days left out). */
function scored(
  name: ModelName,
  runners: Runner[],
  forecasts: Float64Array,
  p: Prepared,
  w: BacktestWindow,
): Scored {
  const s: Scored = { name, runners, forecasts, abs: 0, err: 0, actual: 0, points: 0 };
  for (let i = 0; i < forecasts.length; i++) {
    const t = w.T + i;
    if (t >= p.n || p.miss[t] === 1) continue;
    const e = forecasts[i]! - p.y[t]!;
    s.abs += e < 0 ? -e : e;
    s.err += e;
    s.actual += p.y[t]!;
    s.points++;
  }
  return s;
}

/** Forecasts `step` days from each origin, rolling the runner's state forward between them. */
export function backtest(runner: Runner, p: Prepared, w: BacktestWindow): Scored {
  const buf = new Float64Array(w.step);
  const forecasts = new Float64Array(w.origins * w.step);
  for (let k = 0; k < w.origins; k++) {
    const o = w.T + k * w.step;
    runner.forecast(buf);
    for (let i = 0; i < w.step; i++) forecasts[k * w.step + i] = buf[i]! > 0 ? buf[i]! : 0;
    runner.advance(p, o, Math.min(p.n, o + w.step));
  }
  return scored(runner.name, [runner], forecasts, p, w);
}

/** The equal-weight combination of some backtested candidates, scored on the same days. */
export function combine(parts: Scored[], p: Prepared, w: BacktestWindow): Scored {
  const forecasts = new Float64Array(w.origins * w.step);
  for (let i = 0; i < forecasts.length; i++) {
    let sum = 0;
    for (const s of parts) sum += s.forecasts[i]!;
    forecasts[i] = sum / parts.length;
  }
  const runners = parts.flatMap((s) => s.runners);
  return scored('combination', runners, forecasts, p, w);
}

/**
 * The number of backtest origins the series can carry (0: none): at most `max`, with at least
 * MIN_TRAIN observed days before the first origin and at least one observed day after it.
 */
export function usableOrigins(p: Prepared, max: number, step: number): number {
  for (let o = max; o > 0; o--) {
    const T = p.n - o * step;
    if (T <= 0) continue;
    if (windowStats(p, 0, T).count >= MIN_TRAIN && windowStats(p, T, p.n).count > 0) return o;
  }
  return 0;
}

/** Mean absolute error over the backtest, scaled (null without points or scale). */
export const mase = (s: Scored, scale: number): number | null =>
  s.points > 0 && scale > 0 ? s.abs / s.points / scale : null;
