/** The forecasting library's public types (see index.ts for what each model does). */

export type ModelName =
  | 'seasonal_naive'
  | 'ses'
  | 'holt'
  | 'holt_damped'
  | 'hw_additive'
  | 'hw_multiplicative'
  | 'hw_additive_damped'
  | 'hw_multiplicative_damped'
  | 'croston'
  | 'sba'
  | 'tsb'
  | 'zero'
  | 'profile'
  | 'combination';

export interface SeriesInput {
  /** daily demand, oldest first; may be negative on a day with more returns than sales; length >= 0 */
  values: Float64Array;
  /** 1 where the day was (partly) out of stock: the value is censored (a lower bound), treat as missing */
  censored?: Uint8Array;
  /** weekday (0 = Monday … 6 = Sunday) of values[0], so the weekly season is aligned */
  firstWeekday: number;
}

export interface ForecastOptions {
  /** days to forecast, e.g. 28 */
  horizon: number;
  /** season length in days (default 7) */
  season?: number;
  /** rolling-origin backtest origins at most (default 13; fewer when the history is short) */
  backtestOrigins?: number;
  /** days forecast from each backtest origin (default 7) */
  backtestHorizon?: number;
  /**
   * restrict the candidates: the best of the backtest among them is chosen, with no default and no
   * combination ('profile' and 'combination' are ignored here)
   */
  models?: ModelName[];
}

export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy' | 'empty';

export interface Backtest {
  chosenAbsError: number;
  baselineAbsError: number;
  chosenError: number;
  actualSum: number;
  points: number;
  scale: number;
}

export interface Candidate {
  model: ModelName;
  mase: number | null;
  aicc: number | null;
}

export interface SeriesForecast {
  /** the chosen model ('combination': the average of `components`) */
  model: ModelName;
  /** the models whose forecasts make up the mean: [model], or a combination's components */
  components: ModelName[];
  /** length horizon, >= 0 */
  mean: Float64Array;
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
  /** backtest MASE of the chosen model (scaled by the in-sample seasonal-naive MAE) */
  mase: number | null;
  /** mean(forecast - actual) / mean(actual), or the mean error when mean(actual) == 0 */
  bias: number | null;
  /** the same backtest for the seasonal-naive baseline */
  baselineMase: number | null;
  backtest: Backtest | null;
  demandClass: DemandClass;
  candidates: Candidate[];
}

/** A series made ready for the models: values >= 0, missing days flagged (censored or not finite). */
export interface Prepared {
  y: Float64Array;
  /** 1 = missing (censored or not a finite number) */
  miss: Uint8Array;
  n: number;
  /** season length (1 = none) */
  m: number;
}

/** Point forecasts and the standard deviation (or quantile bounds) a fitted model produces. */
export interface Bounds {
  mean: Float64Array;
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
}
