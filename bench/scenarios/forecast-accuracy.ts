/**
 * The forecasting models' benchmark: single-core speed of `forecastSeries` on 730-day series of the
 * store-level mix (new products left out, so every series is full length), and the out-of-sample
 * accuracy report of forecast-accuracy-series.ts. Run alone with
 * `npx tsx bench/scenarios/forecast-accuracy.ts [speed series] [accuracy series]`.
 */
import { pathToFileURL } from 'node:url';
import { forecastSeries } from '../../src/modules/forecasting/models/index.ts';
import {
  type AccuracyReport,
  accuracyReport,
  STORE_MIX,
  syntheticSeries,
} from './forecast-accuracy-series.ts';

export interface ForecastSpeed {
  series: number;
  days: number;
  /** wall-clock milliseconds per series */
  msPerSeries: number;
  /** CPU (user + system) milliseconds per series: the figure to trust on a busy machine */
  cpuMsPerSeries: number;
  /** 100,000 series on two cores at this speed, in seconds (no worker overhead counted) */
  projected100kOn2Cores: number;
}

export interface ForecastBench {
  speed: ForecastSpeed;
  accuracy: AccuracyReport;
}

/** Times forecastSeries (horizon 28, default backtest) over `count` 730-day series, after a warm-up. */
export function forecastSpeed(count = 5000, seed = 1): ForecastSpeed {
  const series = syntheticSeries(count, seed, 730, { ...STORE_MIX, new: 0 });
  for (const s of series.slice(0, Math.min(500, count))) forecastSeries(s, { horizon: 28 });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const s of series) forecastSeries(s, { horizon: 28 });
  const cpu = process.cpuUsage(c0);
  const ms = (performance.now() - t0) / Math.max(1, count);
  const cpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, count);
  return {
    series: count,
    days: 730,
    msPerSeries: ms,
    cpuMsPerSeries: cpuMs,
    projected100kOn2Cores: (Math.min(ms, cpuMs) * 100_000) / 2 / 1000,
  };
}

export function forecastAccuracyBench(speedSeries = 5000, accuracySeries = 1000): ForecastBench {
  return {
    speed: forecastSpeed(speedSeries),
    accuracy: accuracyReport(syntheticSeries(accuracySeries, 20240601)),
  };
}

const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '-');

export function formatForecastBench(r: ForecastBench): string {
  const a = r.accuracy;
  const lines = [
    `forecast speed: ${f3(r.speed.msPerSeries)} ms (CPU ${f3(r.speed.cpuMsPerSeries)} ms) per ${r.speed.days}-day ` +
      `series (${r.speed.series} series, one core); ` +
      `100,000 series on 2 cores ≈ ${r.speed.projected100kOn2Cores.toFixed(1)} s`,
    `forecast accuracy: ${a.series} series, last 28 days held out, ${a.points} points`,
    `  chosen mix MASE ${f3(a.chosen.mase)} bias ${f3(a.chosen.bias)}; / seasonal naive = ${f3(a.ratio)}`,
    ...a.models.map(
      (m) => `  ${m.model.padEnd(26)} MASE ${f3(m.mase)} bias ${f3(m.bias)} (used on ${m.used})`,
    ),
    `  chosen: ${Object.entries(a.chosenModels)
      .sort((x, y) => y[1] - x[1])
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
    ...Object.entries(a.byKind).map(
      ([k, v]) =>
        `  ${k.padEnd(13)} ${String(v.series).padStart(4)} series: chosen ${f3(v.chosenMase)}, seasonal naive ${f3(v.naiveMase)}, ratio ${f3(v.ratio)}`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [speed, accuracy] = process.argv.slice(2).map(Number);
  console.log(formatForecastBench(forecastAccuracyBench(speed || 5000, accuracy || 1000)));
}
