/**
 * The chart of one series, from GET /admin/forecasts/series: one axis of days (the history, then the
 * forecast), each line and band with a value on its own days and gaps elsewhere, stock-out days as
 * marks on the history line.
 */
import type { Series } from './data.ts';

export interface SeriesChart {
  days: string[];
  /** Index of the first forecast day. */
  splitAt: number;
  history: (number | null)[];
  stockouts: (number | null)[];
  mean: (number | null)[];
  lo80: (number | null)[];
  hi80: (number | null)[];
  lo95: (number | null)[];
  hi95: (number | null)[];
  /** Stock-out days in the history. */
  stockoutDays: number;
}

export const seriesChart = (s: Pick<Series, 'history' | 'forecast'>): SeriesChart => {
  const h = s.history.length;
  const gapH = new Array<null>(h).fill(null);
  const gapF = new Array<null>(s.forecast.length).fill(null);
  const f = (pick: (d: Series['forecast'][number]) => number) => [...gapH, ...s.forecast.map(pick)];
  const mean = f((d) => d.mean);
  // The forecast line starts from the last day of history, so the two lines join.
  const last = s.history.at(-1);
  if (last && h > 0) mean[h - 1] = last.quantity;
  return {
    days: [...s.history.map((d) => d.day), ...s.forecast.map((d) => d.day)],
    splitAt: h,
    history: [...s.history.map((d) => d.quantity), ...gapF],
    stockouts: [...s.history.map((d) => (d.stockout ? d.quantity : null)), ...gapF],
    mean,
    lo80: f((d) => d.lo80),
    hi80: f((d) => d.hi80),
    lo95: f((d) => d.lo95),
    hi95: f((d) => d.hi95),
    stockoutDays: s.history.filter((d) => d.stockout).length,
  };
};

/** The sum of the forecast's means (the demand expected over the horizon). */
export const forecastTotal = (s: Pick<Series, 'forecast'>): number =>
  s.forecast.reduce((sum, d) => sum + d.mean, 0);

/** Percentages of a run's model mix, largest first (`{ ses: 3, croston: 1 }` → ses 75 %, croston 25 %). */
export const modelMix = (
  models: Record<string, number> | undefined,
): { model: string; count: number; share: number }[] => {
  const entries = Object.entries(models ?? {}).filter(([, n]) => n > 0);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  return entries
    .map(([model, n]) => ({ model, count: n, share: total > 0 ? n / total : 0 }))
    .sort((a, b) => b.share - a.share || a.model.localeCompare(b.model));
};
