/**
 * One SKU's forecasts: each location's series, the SKU total, the fallbacks for series with too
 * little history, and the reconciliation that makes the locations add up to the total. Pure: it
 * runs in a worker thread (pool.ts) for the nightly run and in-process for one SKU on demand.
 */
import {
  forecastSeries,
  profileForecast,
  reconcile,
  type SeriesForecast,
} from '../../modules/forecasting/models/index.ts';

/** A series needs this many uncensored days of its own before its model is trusted. */
export const MIN_HISTORY_DAYS = 28;

export interface LocationSeries {
  location_id: string;
  /** Dense daily net demand from `start` (index 0) to the day before the forecast. */
  values: Float64Array;
  censored: Uint8Array;
  /** Index of the series' first day (first record or first stock movement); days before are not history. */
  start: number;
  /** Mean daily demand per SKU of the product's categories at this location (last 8 weeks), when known. */
  categoryDaily: number | null;
}

export interface SkuInput {
  sku: string;
  /** Weekday (0 = Monday) of day index 0. */
  firstWeekday: number;
  horizon: number;
  locations: LocationSeries[];
  reconciliation: 'forecast_proportions' | 'bottom_up';
}

export interface LocationForecast {
  location_id: string;
  fallback: string | null;
  history_days: number;
  forecast: SeriesForecast;
}

export interface SkuResult {
  sku: string;
  total: SeriesForecast;
  locations: LocationForecast[];
}

const usableDays = (s: LocationSeries): number => {
  let n = 0;
  for (let i = s.start; i < s.values.length; i++) if (!s.censored[i]) n++;
  return n;
};

/** Weekday multipliers (mean 1) of a series, or flat when it has too little. */
const weekdayProfile = (
  values: Float64Array,
  censored: Uint8Array,
  firstWeekday: number,
  from: number,
): number[] => {
  const sum = [0, 0, 0, 0, 0, 0, 0];
  const cnt = [0, 0, 0, 0, 0, 0, 0];
  // Days before the series started are not zero sales: they are not history at all.
  for (let i = Math.max(from, values.length - 364); i < values.length; i++) {
    if (censored[i]) continue;
    const w = (firstWeekday + i) % 7;
    sum[w] = (sum[w] ?? 0) + Math.max(0, values[i] ?? 0);
    cnt[w] = (cnt[w] ?? 0) + 1;
  }
  const means = sum.map((s, w) => ((cnt[w] ?? 0) > 0 ? s / (cnt[w] ?? 1) : 0));
  const avg = means.reduce((a, b) => a + b, 0) / 7;
  if (!(avg > 0) || cnt.some((c) => c < 4)) return [1, 1, 1, 1, 1, 1, 1];
  return means.map((m) => m / avg);
};

const sliceFrom = (s: LocationSeries): { values: Float64Array; censored: Uint8Array } => ({
  values: s.values.subarray(s.start),
  censored: s.censored.subarray(s.start),
});

export const forecastSku = (input: SkuInput): SkuResult => {
  const { horizon, firstWeekday } = input;
  const length = input.locations[0]?.values.length ?? 0;
  const totalValues = new Float64Array(length);
  const totalCensored = new Uint8Array(length);
  for (const s of input.locations)
    for (let i = s.start; i < length; i++) totalValues[i] = (totalValues[i] ?? 0) + (s.values[i] ?? 0);
  const totalStart = Math.min(length, ...input.locations.map((s) => s.start));
  const total = forecastSeries(
    {
      values: totalValues.subarray(totalStart),
      censored: totalCensored.subarray(totalStart),
      firstWeekday: (firstWeekday + totalStart) % 7,
    },
    { horizon },
  );
  const profile = weekdayProfile(totalValues, totalCensored, firstWeekday, totalStart);
  // Mean daily demand per location of the SKU where it has history: a new location starts from it.
  const established = input.locations.filter((s) => usableDays(s) >= MIN_HISTORY_DAYS);
  let skuDaily = 0;
  for (const s of established) {
    let sum = 0;
    let n = 0;
    for (let i = Math.max(s.start, length - 56); i < length; i++) {
      if (s.censored[i]) continue;
      sum += Math.max(0, s.values[i] ?? 0);
      n++;
    }
    skuDaily += n > 0 ? sum / n / established.length : 0;
  }
  const weekdayAt = (firstWeekday + length) % 7;
  const parts: LocationForecast[] = input.locations.map((s) => {
    const days = usableDays(s);
    if (days >= MIN_HISTORY_DAYS) {
      const { values, censored } = sliceFrom(s);
      return {
        location_id: s.location_id,
        fallback: null,
        history_days: days,
        forecast: forecastSeries(
          { values, censored, firstWeekday: (firstWeekday + s.start) % 7 },
          { horizon },
        ),
      };
    }
    const [fallback, daily] =
      established.length > 0
        ? ['sku_other_locations', skuDaily]
        : s.categoryDaily !== null
          ? ['category', s.categoryDaily]
          : ['none', 0];
    return {
      location_id: s.location_id,
      fallback,
      history_days: days,
      forecast: profileForecast({ daily, weekday: profile }, weekdayAt, horizon),
    };
  });
  // A SKU too new for its own total model is the sum of its locations' fallbacks.
  const method = length - totalStart >= MIN_HISTORY_DAYS ? input.reconciliation : 'bottom_up';
  const rec = reconcile(
    total,
    parts.map((p) => p.forecast),
    method,
  );
  return {
    sku: input.sku,
    total: rec.total,
    locations: parts.map((p, i) => ({ ...p, forecast: rec.parts[i] ?? p.forecast })),
  };
};
