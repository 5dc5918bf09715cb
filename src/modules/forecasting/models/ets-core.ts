/**
 * The exponential-smoothing state-space recursions with additive errors (Hyndman, Koehler, Ord &
 * Snyder 2008, table 2.2, the "A" error rows; fpp3 §8.5):
 *
 *   additive season        ŷ = l + φb + s        l ← l + φb + αe      b ← φb + βe      s ← s + γe
 *   multiplicative season  ŷ = (l + φb)·s    l ← l + φb + αe/s    b ← φb + βe/s    s ← s + γe/(l + φb)
 *
 * with e = y − ŷ. No trend is b = 0, β = 0; no damping is φ = 1; no season is one additive season of 0.
 * A missing (censored) day takes the one-step forecast as its value: e = 0, so the states only move on.
 * Initial states are the heuristic of Hyndman et al. 2008 §2.6.1 (a line through the first weeks'
 * means, the seasonal indices from the detrended first weeks), not optimised, to keep the fit cheap.
 */
import type { Prepared } from './types.ts';

export interface EtsSpec {
  trend: boolean;
  damped: boolean;
  /** 0 none, 1 additive, 2 multiplicative */
  season: 0 | 1 | 2;
}

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** Level, trend, the seasonal ring and the ring position of the next day. */
export interface EtsState {
  l: number;
  b: number;
  s: Float64Array;
  j: number;
}

/** Smallest multiplicative seasonal index a state may hold (keeps the recursion away from 0 and sign flips). */
const MIN_INDEX = 1e-6;

/** Runs the recursion over y[from, to), updating st in place; returns the SSE of the observed days. */
export function runEts(
  st: EtsState,
  par: EtsParams,
  mult: boolean,
  p: Prepared,
  from: number,
  to: number,
): number {
  const { alpha, beta, gamma, phi } = par;
  const { y, miss } = p;
  const s = st.s;
  const m = s.length;
  let l = st.l;
  let b = st.b;
  let j = st.j;
  let sse = 0;
  if (!mult) {
    for (let t = from; t < to; t++) {
      const lb = l + phi * b;
      const sj = s[j]!;
      if (miss[t] === 0) {
        const e = y[t]! - lb - sj;
        sse += e * e;
        l = lb + alpha * e;
        b = phi * b + beta * e;
        s[j] = sj + gamma * e;
      } else {
        l = lb;
        b = phi * b;
      }
      if (++j === m) j = 0;
    }
  } else {
    for (let t = from; t < to; t++) {
      const lb = l + phi * b;
      const sj = s[j]!;
      if (miss[t] === 0) {
        const e = y[t]! - lb * sj;
        sse += e * e;
        l = lb + (alpha * e) / sj;
        b = phi * b + (beta * e) / sj;
        if (lb > 1e-12 || lb < -1e-12) {
          const ns = sj + (gamma * e) / lb;
          s[j] = ns > MIN_INDEX ? ns : MIN_INDEX;
        }
      } else {
        l = lb;
        b = phi * b;
      }
      if (++j === m) j = 0;
    }
  }
  st.l = l;
  st.b = b;
  st.j = j;
  return sse;
}

/**
 * The heuristic initial state for the window y[from, to): block means over the first (at most four)
 * seasons; with a trend, a least-squares line through them (slope = b0); l0 is the line one day before
 * the window so that the first forecast lands on it; the seasonal indices are the mean deviations
 * (or ratios) from the line per position, normalised to sum 0 (or average 1).
 */
export function initialState(spec: EtsSpec, m: number, p: Prepared, from: number, to: number): EtsState {
  const len = to - from;
  let block = m >= 2 ? m : 7;
  let k = Math.min(4, Math.floor(len / block));
  if (k < 1) {
    k = 1;
    block = len;
  }
  // least squares over the block means that have data
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let nb = 0;
  for (let q = 0; q < k; q++) {
    let sum = 0;
    let cnt = 0;
    for (let t = from + q * block; t < from + (q + 1) * block; t++) {
      if (p.miss[t] === 0) {
        sum += p.y[t]!;
        cnt++;
      }
    }
    if (cnt === 0) continue;
    const x = q * block + (block - 1) / 2;
    const w = sum / cnt;
    sx += x;
    sy += w;
    sxx += x * x;
    sxy += x * w;
    nb++;
  }
  let a = nb > 0 ? sy / nb : windowMean(p, from, to);
  let slope = 0;
  if (spec.trend && nb >= 2) {
    const den = nb * sxx - sx * sx;
    if (den > 0) {
      slope = (nb * sxy - sx * sy) / den;
      a = (sy - slope * sx) / nb;
    }
  }
  const seasonLen = spec.season === 0 ? 1 : m;
  const s = new Float64Array(seasonLen);
  if (spec.season !== 0) seasonalIndices(spec.season === 2, s, p, from, Math.min(len, k * m), a, slope);
  return { l: a - slope, b: slope, s, j: 0 };
}

function seasonalIndices(
  mult: boolean,
  s: Float64Array,
  p: Prepared,
  from: number,
  span: number,
  a: number,
  slope: number,
): void {
  const m = s.length;
  const cnt = new Float64Array(m);
  for (let i = 0; i < span; i++) {
    const t = from + i;
    if (p.miss[t] === 1) continue;
    const line = a + slope * i;
    if (mult) {
      if (line <= 0) continue;
      s[i % m] = s[i % m]! + p.y[t]! / line;
    } else {
      s[i % m] = s[i % m]! + p.y[t]! - line;
    }
    cnt[i % m] = cnt[i % m]! + 1;
  }
  let total = 0;
  for (let j = 0; j < m; j++) {
    s[j] = cnt[j]! > 0 ? s[j]! / cnt[j]! : mult ? 1 : 0;
    total += s[j]!;
  }
  const avg = total / m;
  for (let j = 0; j < m; j++) {
    if (mult) s[j] = avg > 0 ? Math.max(MIN_INDEX, s[j]! / avg) : 1;
    else s[j] = s[j]! - avg;
  }
}

function windowMean(p: Prepared, from: number, to: number): number {
  let sum = 0;
  let cnt = 0;
  for (let t = from; t < to; t++) {
    if (p.miss[t] === 0) {
      sum += p.y[t]!;
      cnt++;
    }
  }
  return cnt > 0 ? sum / cnt : 0;
}

/** Copies a state (the seasonal ring into `into.s`, which must have the same length). */
export function copyState(from: EtsState, into: EtsState): void {
  into.l = from.l;
  into.b = from.b;
  into.j = from.j;
  into.s.set(from.s);
}
