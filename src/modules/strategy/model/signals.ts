/**
 * From an input (an answer or a measure) to a factor's signal in [-1, 1] (docs/strategy.md, "The model").
 */
import type { Answers, Factor, Measure, MeasureKey, Measures, Transform } from '../schema.ts';

/**
 * A thin measure's signal is shrunk by sample / (sample + THIN_K): 30 observations count half,
 * 90 count three quarters. 30 is also the usual thin threshold of the measures.
 */
export const THIN_K = 30;

/** Weight of the 1st, 2nd, 3rd, 4th chosen value of a list (goals most important first); later ones 0. */
export const CHOICE_WEIGHTS: readonly number[] = [1, 0.75, 0.5, 0.25];

export type InputValue = number | string | string[] | null;
export type ReadingStatus = 'given' | 'measured' | 'thin' | 'missing';

/** A factor's input as read, and its signal. */
export interface Reading {
  value: InputValue;
  /** The transform's output in [-1, 1], before shrinking (0 when missing). */
  raw: number;
  /** 1 for an answer or a measured figure, sample/(sample + THIN_K) when thin, 0 when missing. */
  shrink: number;
  /** raw × shrink: what the weights multiply. */
  signal: number;
  status: ReadingStatus;
  sample: number | null;
}

export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** The input mapped to [-1, 1]; an input of the wrong kind for the transform gives 0. */
export const transform = (t: Transform, x: number | string | readonly string[]): number => {
  switch (t.kind) {
    case 'linear': {
      if (typeof x !== 'number' || !Number.isFinite(x)) return 0;
      if (t.high === t.low) return x >= t.high ? 1 : -1;
      return clamp(-1 + (2 * (x - t.low)) / (t.high - t.low), -1, 1);
    }
    case 'category':
      return typeof x === 'string' || typeof x === 'number' ? clamp(t.values[String(x)] ?? 0, -1, 1) : 0;
    case 'choices': {
      if (!Array.isArray(x)) return 0;
      const sum = x.reduce((s: number, v, i) => s + (t.values[v] ?? 0) * (CHOICE_WEIGHTS[i] ?? 0), 0);
      return clamp(sum, -1, 1);
    }
  }
};

/** A measure's usable figure: missing when absent, null, not finite or marked missing. */
export const measureState = (
  m: Measure | undefined,
): { value: number | null; status: 'measured' | 'thin' | 'missing'; sample: number; shrink: number } => {
  if (!m || m.status === 'missing' || m.value === null || !Number.isFinite(m.value))
    return { value: null, status: 'missing', sample: m?.sample ?? 0, shrink: 0 };
  if (m.status === 'thin')
    return { value: m.value, status: 'thin', sample: m.sample, shrink: m.sample / (m.sample + THIN_K) };
  return { value: m.value, status: 'measured', sample: m.sample, shrink: 1 };
};

/** An answer's value by field name (null when the field does not exist or has an unexpected type). */
export const answerValue = (answers: Answers, field: string): InputValue => {
  const v: unknown = (answers as Record<string, unknown>)[field];
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return [...v];
  return null;
};

const isMeasureKey = (measures: Measures, k: string): k is MeasureKey => k in measures;
export const measureOf = (measures: Measures, key: string): Measure | undefined =>
  isMeasureKey(measures, key) ? measures[key] : undefined;

const MISSING = (value: InputValue, sample: number | null): Reading => ({
  value,
  raw: 0,
  shrink: 0,
  signal: 0,
  status: 'missing',
  sample,
});

/** Whether a factor depends on measured data (it then counts in the confidence). */
export const dependsOnData = (f: Factor): boolean => f.source === 'measure' || f.per !== undefined;

/** Reads a factor's input and maps it to its signal. */
export const read = (f: Factor, answers: Answers, measures: Measures): Reading => {
  if (f.source === 'measure') {
    const m = measureState(measureOf(measures, f.input));
    if (m.value === null) return MISSING(null, m.sample);
    const raw = transform(f.transform, m.value);
    return {
      value: m.value,
      raw,
      shrink: m.shrink,
      signal: raw * m.shrink,
      status: m.status,
      sample: m.sample,
    };
  }
  const value = answerValue(answers, f.input);
  if (value === null) return MISSING(null, null);
  if (f.per === undefined) {
    const raw = transform(f.transform, value);
    return { value, raw, shrink: 1, signal: raw, status: 'given', sample: null };
  }
  const d = measureState(measures[f.per]);
  if (typeof value !== 'number' || d.value === null || d.value <= 0) return MISSING(value, d.sample);
  const raw = transform(f.transform, value / d.value);
  const status = d.status === 'thin' ? 'thin' : 'given';
  return { value, raw, shrink: d.shrink, signal: raw * d.shrink, status, sample: d.sample };
};
