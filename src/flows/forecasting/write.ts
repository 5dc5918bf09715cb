/** Writes a run's forecasts (one multi-row statement per chunk) and keeps the run's summary. */
import type { SeriesForecast } from '../../modules/forecasting/models/index.ts';
import type { Queryable } from '../../platform/db.ts';
import type { SkuResult } from './compute.ts';

/** Four decimals are plenty for units per day, and keep the statement small. */
const arr = (a: Float64Array): number[] => Array.from(a, (x) => Math.round(x * 1e4) / 1e4);
const fin = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

const figures = (f: SeriesForecast) => ({
  model: f.model,
  mean: arr(f.mean),
  lo80: arr(f.lo80),
  hi80: arr(f.hi80),
  lo95: arr(f.lo95),
  hi95: arr(f.hi95),
  mase: fin(f.mase),
  baseline_mase: fin(f.baselineMase),
});

export const writeResults = async (
  q: Queryable,
  runId: string,
  firstDay: string,
  computedAt: Date,
  results: readonly SkuResult[],
): Promise<number> => {
  if (results.length === 0) return 0;
  const rows = results.flatMap((r) =>
    r.locations.map((l) => ({
      sku: r.sku,
      location_id: l.location_id,
      demand_class: l.forecast.demandClass,
      fallback: l.fallback,
      history_days: l.history_days,
      bias: fin(l.forecast.bias),
      ...figures(l.forecast),
    })),
  );
  const cols = `model text, mean real[], lo80 real[], hi80 real[], lo95 real[], hi95 real[], mase real, baseline_mase real`;
  await q.query(
    `INSERT INTO forecasts (sku, location_id, run_id, first_day, model, demand_class, fallback, history_days,
                            mean, lo80, hi80, lo95, hi95, mase, baseline_mase, bias, computed_at)
     SELECT sku, location_id, $2, $3, model, demand_class, fallback, history_days,
            mean, lo80, hi80, lo95, hi95, mase, baseline_mase, bias, $4
       FROM jsonb_to_recordset($1::jsonb) AS x(sku text, location_id text, demand_class text, fallback text,
            history_days int, bias real, ${cols})
     ON CONFLICT (sku, location_id) DO UPDATE SET run_id = excluded.run_id, first_day = excluded.first_day,
       model = excluded.model, demand_class = excluded.demand_class, fallback = excluded.fallback,
       history_days = excluded.history_days, mean = excluded.mean, lo80 = excluded.lo80, hi80 = excluded.hi80,
       lo95 = excluded.lo95, hi95 = excluded.hi95, mase = excluded.mase, baseline_mase = excluded.baseline_mase,
       bias = excluded.bias, computed_at = excluded.computed_at`,
    [JSON.stringify(rows), runId, firstDay, computedAt],
  );
  await q.query(
    `INSERT INTO forecast_totals (sku, run_id, first_day, model, mean, lo80, hi80, lo95, hi95, mase, baseline_mase, computed_at)
     SELECT sku, $2, $3, model, mean, lo80, hi80, lo95, hi95, mase, baseline_mase, $4
       FROM jsonb_to_recordset($1::jsonb) AS x(sku text, ${cols})
     ON CONFLICT (sku) DO UPDATE SET run_id = excluded.run_id, first_day = excluded.first_day, model = excluded.model,
       mean = excluded.mean, lo80 = excluded.lo80, hi80 = excluded.hi80, lo95 = excluded.lo95, hi95 = excluded.hi95,
       mase = excluded.mase, baseline_mase = excluded.baseline_mase, computed_at = excluded.computed_at`,
    [JSON.stringify(results.map((r) => ({ sku: r.sku, ...figures(r.total) }))), runId, firstDay, computedAt],
  );
  return rows.length;
};

export interface RunSummary {
  series: number;
  models: Record<string, number>;
  demand_classes: Record<string, number>;
  fallbacks: Record<string, number>;
  /** Backtest over every series with one: the chosen models' absolute error over seasonal naive's. */
  relative_mae: number | null;
  backtest_points: number;
  /** Summed backtest errors (kept so that the ratio can be recomputed). */
  chosen_abs_error: number;
  baseline_abs_error: number;
  /** Milliseconds spent per stage (reading, writing and suggesting overlap the computing in workers). */
  stages?: Record<string, number>;
}

export const newSummary = (): RunSummary => ({
  series: 0,
  models: {},
  demand_classes: {},
  fallbacks: {},
  relative_mae: null,
  backtest_points: 0,
  chosen_abs_error: 0,
  baseline_abs_error: 0,
});

const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

export const addToSummary = (s: RunSummary, results: readonly SkuResult[]): void => {
  for (const r of results)
    for (const l of r.locations) {
      s.series++;
      bump(s.models, l.forecast.model);
      bump(s.demand_classes, l.forecast.demandClass);
      if (l.fallback) bump(s.fallbacks, l.fallback);
      const b = l.forecast.backtest;
      if (b && l.fallback === null) {
        s.chosen_abs_error += b.chosenAbsError;
        s.baseline_abs_error += b.baselineAbsError;
        s.backtest_points += b.points;
      }
    }
  s.relative_mae = s.baseline_abs_error > 0 ? s.chosen_abs_error / s.baseline_abs_error : null;
};
