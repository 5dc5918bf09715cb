/**
 * The forecasting accuracy benchmark's data and its report. `syntheticSeries` generates daily demand
 * series with known structure from a seeded PRNG (deterministic): smooth demand with a weekly pattern,
 * level + trend, yearly seasonality, promotions (spikes of a few days), intermittent and lumpy demand,
 * new products with a short history, and stock-outs (censored days selling only part of the demand).
 * Counts are Poisson around the rate (gamma-mixed, so overdispersed, for the busier series); a few days
 * carry returns, so net demand may be negative.
 *
 * `accuracyReport` holds out the last 28 days of each series (true out-of-sample: the models see only
 * the history before them), forecasts them with each model alone and with the chosen mix, and
 * aggregates MASE over series as Σ|error| / Σ(scale × points), the scale being each series' in-sample
 * seasonal-naive MAE on its history (censored days left out, as the library does), and bias as
 * Σ(forecast − actual) / Σ actual. Actuals are demand: a negative net day counts as 0, a censored
 * held-out day is left out.
 */
import {
  type ForecastOptions,
  forecastSeries,
  MODEL_NAMES,
  type ModelName,
} from '../../src/modules/forecasting/models/index.ts';

export type SeriesKind =
  | 'smooth'
  | 'trend'
  | 'yearly'
  | 'promo'
  | 'intermittent'
  | 'lumpy'
  | 'new'
  | 'stockout';

export interface SyntheticSeries {
  /** 'demo': a series of the demo shop's history (forecast-demo.ts) */
  kind: SeriesKind | 'demo';
  values: Float64Array;
  censored: Uint8Array;
  firstWeekday: number;
}

/** Store-level mix: mostly intermittent, some smooth with weekly seasonality and trend. */
export const STORE_MIX: Record<SeriesKind, number> = {
  smooth: 0.1,
  trend: 0.08,
  yearly: 0.08,
  promo: 0.08,
  intermittent: 0.35,
  lumpy: 0.15,
  new: 0.08,
  stockout: 0.08,
};

/** mulberry32: a small deterministic PRNG, uniform on [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;

const between = (r: Rand, lo: number, hi: number): number => lo + (hi - lo) * r();

function normal(r: Rand): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

function poisson(r: Rand, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(r)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let prod = r();
  while (prod > limit) {
    k++;
    prod *= r();
  }
  return k;
}

/** Gamma(shape, 1) by Marsaglia–Tsang (shape >= 1) or the boost for shape < 1. */
function gamma(r: Rand, shape: number): number {
  if (shape < 1) return gamma(r, shape + 1) * r() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(r);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(Math.max(r(), 1e-300)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Weekday multipliers (Monday first) averaging 1: busier towards the weekend by `lift`. */
function weekly(r: Rand, lift: number): number[] {
  const w = [1, 0.95, 1, 1.05, 1.2, 1 + lift, 1 + lift * 0.7].map((v) => v * between(r, 0.9, 1.1));
  const avg = w.reduce((a, v) => a + v, 0) / 7;
  return w.map((v) => v / avg);
}

interface Shape {
  level: number;
  /** relative change per year */
  trend: number;
  week: number[];
  /** yearly amplitude (relative) and phase in days */
  yearAmp: number;
  yearPhase: number;
  /** gamma mixing shape (lower = more overdispersed); Infinity for pure Poisson */
  disp: number;
}

function rate(s: Shape, t: number, weekday: number): number {
  const trend = Math.max(0.05, 1 + (s.trend * t) / 365);
  const year = 1 + s.yearAmp * Math.sin((2 * Math.PI * (t + s.yearPhase)) / 365);
  return s.level * trend * (s.week[weekday] ?? 1) * year;
}

const draw = (r: Rand, lambda: number, disp: number): number =>
  poisson(r, Number.isFinite(disp) ? (lambda * gamma(r, disp)) / disp : lambda);

/** One series of the given kind and length (the kind decides the structure, `r` the draw). */
export function makeSeries(kind: SeriesKind, r: Rand, length: number): SyntheticSeries {
  const firstWeekday = Math.floor(r() * 7);
  const n = kind === 'new' ? Math.floor(between(r, 20, 120)) : length;
  const values = new Float64Array(n);
  const censored = new Uint8Array(n);
  const s: Shape = {
    level: between(r, 3, 60),
    trend: kind === 'trend' ? between(r, -0.6, 1.2) : 0,
    week: weekly(r, between(r, 0.2, 0.8)),
    yearAmp: kind === 'yearly' ? between(r, 0.2, 0.5) : 0,
    yearPhase: between(r, 0, 365),
    disp: between(r, 5, 30),
  };
  if (kind === 'intermittent') {
    s.level = between(r, 0.05, 0.7);
    s.week = weekly(r, between(r, 0, 0.5));
    s.disp = Number.POSITIVE_INFINITY;
  }
  if (kind === 'new') s.level = between(r, 1, 20);
  const lumpyP = between(r, 0.03, 0.3);
  const lumpySize = between(r, 3, 15);
  let promoUntil = -1;
  let promoLift = 1;
  let nextPromo = Math.floor(between(r, 10, 50));
  let stockoutUntil = -1;
  for (let t = 0; t < n; t++) {
    const weekday = (firstWeekday + t) % 7;
    let lambda = rate(s, t, weekday);
    if (kind === 'new') lambda *= Math.min(1, (t + 1) / 14);
    if (kind === 'promo') {
      if (t === nextPromo) {
        promoUntil = t + Math.floor(between(r, 1, 5));
        promoLift = between(r, 2, 4);
        nextPromo = promoUntil + Math.floor(between(r, 20, 50));
      }
      if (t < promoUntil) lambda *= promoLift;
    }
    let v =
      kind === 'lumpy'
        ? r() < lumpyP * (s.week[weekday] ?? 1)
          ? Math.ceil(gamma(r, 0.8) * lumpySize)
          : 0
        : draw(r, lambda, s.disp);
    if (kind === 'stockout') {
      if (t > stockoutUntil && r() < 0.015) stockoutUntil = t + Math.floor(between(r, 2, 10));
      if (t <= stockoutUntil) {
        censored[t] = 1;
        v = Math.floor(v * r() * 0.5);
      }
    }
    if ((kind === 'intermittent' || kind === 'lumpy') && r() < 0.01) v -= 1; // a return
    values[t] = v;
  }
  return { kind, values, censored, firstWeekday };
}

/** `count` series drawn from the mix (weights need not add up to 1), each `length` days (new: shorter). */
export function syntheticSeries(
  count: number,
  seed = 20240601,
  length = 730,
  mix: Record<SeriesKind, number> = STORE_MIX,
): SyntheticSeries[] {
  const r = prng(seed);
  const kinds = Object.keys(mix) as SeriesKind[];
  const total = kinds.reduce((a, k) => a + mix[k], 0);
  const out: SyntheticSeries[] = [];
  for (let i = 0; i < count; i++) {
    let u = r() * total;
    let kind = kinds[kinds.length - 1]!;
    for (const k of kinds) {
      u -= mix[k];
      if (u < 0) {
        kind = k;
        break;
      }
    }
    out.push(makeSeries(kind, r, length));
  }
  return out;
}

export const HOLDOUT = 28;

export interface ModelAccuracy {
  model: ModelName | 'chosen';
  /** Σ|error| / Σ(scale × points) over the series */
  mase: number;
  /** Σ(forecast − actual) / Σ actual */
  bias: number;
  /** series on which the run used this model (a model that cannot be fitted falls back to another) */
  used: number;
}

export interface AccuracyReport {
  series: number;
  points: number;
  models: ModelAccuracy[];
  chosen: ModelAccuracy;
  /** chosen-mix MASE / seasonal-naive MASE: below 1, the selection beats the baseline */
  ratio: number;
  /** how often each model was chosen */
  chosenModels: Record<string, number>;
  byKind: Record<string, { series: number; chosenMase: number; naiveMase: number; ratio: number }>;
  /** single-core milliseconds per forecastSeries call with selection (the chosen runs) */
  msPerSeries: number;
}

/** The per-model runs of the report: every model a series can be restricted to. */
export const REPORT_MODELS: ModelName[] = MODEL_NAMES.filter(
  (m) => m !== 'zero' && m !== 'profile' && m !== 'combination',
);

interface Sums {
  abs: number;
  err: number;
  actual: number;
  denom: number;
  used: number;
}

const sums = (): Sums => ({ abs: 0, err: 0, actual: 0, denom: 0, used: 0 });

/** In-sample seasonal-naive MAE (last observed same weekday), censored days left out, negatives as 0. */
function naiveScale(values: Float64Array, censored: Uint8Array, to: number, m = 7): number {
  const last = new Float64Array(m);
  const known = new Uint8Array(m);
  let abs = 0;
  let n = 0;
  for (let t = 0; t < to; t++) {
    if (censored[t] === 1 || !Number.isFinite(values[t]!)) continue;
    const v = Math.max(0, values[t]!);
    const j = t % m;
    if (known[j]) {
      abs += Math.abs(v - last[j]!);
      n++;
    }
    last[j] = v;
    known[j] = 1;
  }
  return n > 0 ? abs / n : 0;
}

function score(
  s: Sums,
  mean: Float64Array,
  values: Float64Array,
  censored: Uint8Array,
  from: number,
  scale: number,
) {
  let points = 0;
  for (let i = 0; i < mean.length; i++) {
    const t = from + i;
    if (censored[t] === 1 || !Number.isFinite(values[t]!)) continue;
    const a = Math.max(0, values[t]!);
    const e = mean[i]! - a;
    s.abs += Math.abs(e);
    s.err += e;
    s.actual += a;
    points++;
  }
  s.denom += scale * points;
  return points;
}

const ratioOf = (s: Sums): number => (s.denom > 0 ? s.abs / s.denom : Number.NaN);
const biasOf = (s: Sums): number => (s.actual > 0 ? s.err / s.actual : 0);

/**
 * Forecasts the last HOLDOUT days of each series (longer than HOLDOUT) from the days before them, with
 * each model alone and with the selection, and aggregates the accuracy (see the top of this file).
 */
export function accuracyReport(
  series: SyntheticSeries[],
  models: ModelName[] = REPORT_MODELS,
  options: Omit<ForecastOptions, 'horizon' | 'models'> = {},
  holdout = HOLDOUT,
): AccuracyReport {
  const perModel = new Map<ModelName, Sums>(models.map((m) => [m, sums()]));
  const chosen = sums();
  const naive = sums();
  const chosenModels: Record<string, number> = {};
  const kinds = new Map<string, { series: number; chosen: Sums; naive: Sums }>();
  let used = 0;
  let points = 0;
  let ms = 0;
  for (const s of series) {
    const n = s.values.length;
    if (n <= holdout) continue;
    const to = n - holdout;
    const input = {
      values: s.values.subarray(0, to),
      censored: s.censored.subarray(0, to),
      firstWeekday: s.firstWeekday,
    };
    const scale = naiveScale(s.values, s.censored, to);
    used++;
    const t0 = performance.now();
    const f = forecastSeries(input, { ...options, horizon: holdout });
    ms += performance.now() - t0;
    points += score(chosen, f.mean, s.values, s.censored, to, scale);
    chosenModels[f.model] = (chosenModels[f.model] ?? 0) + 1;
    const k = kinds.get(s.kind) ?? { series: 0, chosen: sums(), naive: sums() };
    kinds.set(s.kind, k);
    k.series++;
    score(k.chosen, f.mean, s.values, s.censored, to, scale);
    for (const m of models) {
      const g = forecastSeries(input, { ...options, horizon: holdout, models: [m] });
      const acc = perModel.get(m)!;
      score(acc, g.mean, s.values, s.censored, to, scale);
      if (g.model === m) acc.used++;
      if (m === 'seasonal_naive') {
        score(naive, g.mean, s.values, s.censored, to, scale);
        score(k.naive, g.mean, s.values, s.censored, to, scale);
      }
    }
  }
  const chosenAcc: ModelAccuracy = { model: 'chosen', mase: ratioOf(chosen), bias: biasOf(chosen), used };
  const byKind: AccuracyReport['byKind'] = {};
  for (const [kind, k] of kinds) {
    byKind[kind] = {
      series: k.series,
      chosenMase: ratioOf(k.chosen),
      naiveMase: ratioOf(k.naive),
      ratio: ratioOf(k.chosen) / ratioOf(k.naive),
    };
  }
  return {
    series: used,
    points,
    models: models.map((m) => {
      const acc = perModel.get(m)!;
      return { model: m, mase: ratioOf(acc), bias: biasOf(acc), used: acc.used };
    }),
    chosen: chosenAcc,
    ratio: ratioOf(chosen) / ratioOf(naive),
    chosenModels,
    byKind,
    msPerSeries: used > 0 ? ms / used : 0,
  };
}
