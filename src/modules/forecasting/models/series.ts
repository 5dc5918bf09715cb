/** Preparing a series for the models: clean values, the missing mask, counts and the demand class. */
import type { DemandClass, Prepared } from './types.ts';

/** Syntetos–Boylan cut-offs (Syntetos, Boylan & Croston 2005). */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

/**
 * Copies the input: negative days (more returns than sales) count as zero demand, and a censored or
 * non-finite day is flagged missing (its value is kept at 0 so it can never leak into a sum).
 */
export function prepare(values: Float64Array, censored: Uint8Array | undefined, m: number): Prepared {
  const n = values.length;
  const y = new Float64Array(n);
  const miss = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const v = values[t]!;
    if (!Number.isFinite(v) || (censored !== undefined && censored[t] === 1)) {
      miss[t] = 1;
    } else {
      y[t] = v > 0 ? v : 0;
    }
  }
  return { y, miss, n, m };
}

export interface WindowStats {
  /** observed (not missing) days */
  count: number;
  /** observed days with demand > 0 */
  nonzero: number;
  sum: number;
  /** sum of squares of the nonzero demands */
  sumSq: number;
  /** smallest observed value */
  min: number;
}

/** Counts over y[from, to), missing days skipped. */
export function windowStats(p: Prepared, from: number, to: number): WindowStats {
  let count = 0;
  let nonzero = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let t = from; t < to; t++) {
    if (p.miss[t] === 1) continue;
    const v = p.y[t]!;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > 0) {
      nonzero++;
      sumSq += v * v;
    }
  }
  return { count, nonzero, sum, sumSq, min };
}

/**
 * Syntetos–Boylan class over the observed days: ADI = observed days / days with demand, CV² = the
 * squared coefficient of variation of the nonzero demand sizes.
 */
export function classify(s: WindowStats): DemandClass {
  if (s.nonzero === 0) return 'empty';
  const adi = s.count / s.nonzero;
  const mean = s.sum / s.nonzero;
  const variance = Math.max(0, s.sumSq / s.nonzero - mean * mean);
  const cv2 = mean > 0 ? variance / (mean * mean) : 0;
  if (adi < ADI_CUTOFF) return cv2 < CV2_CUTOFF ? 'smooth' : 'erratic';
  return cv2 < CV2_CUTOFF ? 'intermittent' : 'lumpy';
}

/** First index of the last `max` days of [0, to), i.e. the start of the fitting window. */
export const windowStart = (to: number, max: number): number => (to > max ? to - max : 0);
