/**
 * Forecast accuracy (issue 14, point 3): (a) the generated series with known structure of
 * forecast-accuracy-series.ts, and (b) the demo shop's own history — the demo retailer with its 60
 * days of orders, counter sales, pickups and returns made through the API (src/flows/demo), the demand
 * history rebuilt from them as the nightly run does, the last 14 days held out and forecast from the
 * days before them, per SKU × location and per SKU total, each model alone and the chosen mix against
 * seasonal naive. PGlite in a temporary folder (the backend does not change a forecast).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoHistory } from '../../src/flows/demo/history.ts';
import { HISTORY_DAYS as DEMO_DAYS } from '../../src/flows/demo/history-plan.ts';
import { seedDemo } from '../../src/flows/demo/index.ts';
import { addDays, HISTORY_DAYS, rebuildDemand } from '../../src/flows/forecasting/history.ts';
import { weekdayOf } from '../../src/flows/forecasting/run.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openRuntime } from '../../src/runtime.ts';
import type { Backend } from '../lib/env.ts';
import type { Result } from '../lib/load.ts';
import { forecastAccuracyBench, formatForecastBench } from './forecast-accuracy.ts';
import { type AccuracyReport, accuracyReport, type SyntheticSeries } from './forecast-accuracy-series.ts';

/** 60 days of history: the last 14 are held out (46 to fit on), not 28 as for two-year series. */
const DEMO_HOLDOUT = 14;

const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '-');

export const formatDemo = (name: string, a: AccuracyReport): string =>
  [
    `${name}: ${a.series} series, last ${DEMO_HOLDOUT} days held out, ${a.points} points`,
    `  chosen mix MASE ${f3(a.chosen.mase)} bias ${f3(a.chosen.bias)}; / seasonal naive = ${f3(a.ratio)}`,
    ...a.models.map((m) => `  ${m.model.padEnd(26)} MASE ${f3(m.mase)} bias ${f3(m.bias)}`),
    `  chosen: ${Object.entries(a.chosenModels)
      .sort((x, y) => y[1] - x[1])
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
  ].join('\n');

/** The demo shop's demand history as dense series from its first day, per SKU × location and per SKU. */
export const demoSeries = async (): Promise<{
  parts: SyntheticSeries[];
  totals: SyntheticSeries[];
  stores: SyntheticSeries[];
  days: number;
}> => {
  const dir = mkdtempSync(join(tmpdir(), 'plaza-bench-forecast-demo-'));
  const rt = await openRuntime({
    config: loadConfig({
      PLAZA_DATA_DIR: dir,
      LOG_LEVEL: 'error',
      PLAZA_PRIVACY_KEY: process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef',
    }),
  });
  try {
    const { deps } = rt;
    const demo = await seedDemo(deps);
    // Five times the demo's default volume (about 1,000 orders and 600 counter sales over 60 days).
    await seedDemoHistory(deps, demo, { onlinePerDay: 9.5, counterPerDay: 6.25 });
    const today = deps.clock.now().toISOString().slice(0, 10);
    await deps.db.tx((tx) => rebuildDemand(tx, addDays(today, -HISTORY_DAYS), deps.clock.now()));
    const start = addDays(today, -DEMO_DAYS);
    const rows = (
      await deps.db.query<{ sku: string; location_id: string; i: number; net: number; stockout: boolean }>(
        `SELECT sku, location_id, day - $1::date AS i, sold - returned AS net, stockout
           FROM demand_days WHERE day >= $1::date AND day < $2::date`,
        [start, today],
      )
    ).rows;
    const days = DEMO_DAYS;
    const make = (): SyntheticSeries => ({
      kind: 'demo',
      values: new Float64Array(days),
      censored: new Uint8Array(days),
      firstWeekday: weekdayOf(start),
    });
    const parts = new Map<string, SyntheticSeries>();
    const totals = new Map<string, SyntheticSeries>();
    const stores = new Map<string, SyntheticSeries>();
    for (const r of rows) {
      const s = stores.get(r.location_id) ?? make();
      stores.set(r.location_id, s);
      s.values[r.i] = (s.values[r.i] ?? 0) + r.net;
      const key = `${r.sku}\u0000${r.location_id}`;
      const p = parts.get(key) ?? make();
      parts.set(key, p);
      const t = totals.get(r.sku) ?? make();
      totals.set(r.sku, t);
      p.values[r.i] = r.net;
      p.censored[r.i] = r.stockout ? 1 : 0;
      t.values[r.i] = (t.values[r.i] ?? 0) + r.net;
    }
    return { parts: [...parts.values()], totals: [...totals.values()], stores: [...stores.values()], days };
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

const figure = (name: string, a: AccuracyReport, seconds: number): Result => ({
  name,
  ops: a.series,
  errors: 0,
  seconds,
  throughput: Number(f3(a.ratio)),
  p50: Number(f3(a.chosen.mase)),
  p95: Number(f3(a.models.find((m) => m.model === 'seasonal_naive')?.mase ?? Number.NaN)),
  p99: 0,
  max: 0,
  statuses: {},
});

/** `npm run bench -- forecast-accuracy`: both accuracy sets and the single-core speed. */
export const forecastAccuracy = async (backend: Backend): Promise<Result[]> => {
  // The backend does not change a forecast: run once, on PGlite.
  if (backend !== 'pglite') return [];
  const t0 = performance.now();
  const synthetic = forecastAccuracyBench();
  console.log(formatForecastBench(synthetic));
  const t1 = performance.now();
  const demo = await demoSeries();
  const parts = accuracyReport(demo.parts, undefined, {}, DEMO_HOLDOUT);
  const totals = accuracyReport(demo.totals, undefined, {}, DEMO_HOLDOUT);
  const stores = accuracyReport(demo.stores, undefined, {}, DEMO_HOLDOUT);
  console.log(`demo shop history: ${demo.days} days, ${demo.parts.length} SKU × location series with demand`);
  console.log(formatDemo('demo shop, SKU × location', parts));
  console.log(formatDemo('demo shop, SKU totals', totals));
  console.log(formatDemo('demo shop, location totals', stores));
  const t2 = performance.now();
  return [
    figure('forecast accuracy, synthetic (ratio / MASE / naive MASE)', synthetic.accuracy, (t1 - t0) / 1000),
    figure('forecast accuracy, demo SKU × location', parts, (t2 - t1) / 1000),
    figure('forecast accuracy, demo SKU totals', totals, (t2 - t1) / 1000),
    figure('forecast accuracy, demo location totals', stores, (t2 - t1) / 1000),
  ];
};
