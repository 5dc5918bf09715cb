/**
 * Prediction intervals: Gaussian bounds from a forecast variance per step, or count-distribution bounds
 * for intermittent demand, and the final pass that guarantees what callers rely on: every number
 * finite, 0 <= lo95 <= lo80 <= mean <= hi80 <= hi95.
 */
import type { Bounds } from './types.ts';

/** Standard normal quantiles for 90 % and 97.5 % (two-sided 80 % and 95 %). */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

/** Above this mean a count distribution is replaced by its normal approximation. */
const COUNT_MAX_MEAN = 50;
/** The longest CDF walk for count quantiles before falling back to the normal approximation. */
const COUNT_MAX_STEPS = 4000;

export function emptyBounds(h: number): Bounds {
  return {
    mean: new Float64Array(h),
    lo80: new Float64Array(h),
    hi80: new Float64Array(h),
    lo95: new Float64Array(h),
    hi95: new Float64Array(h),
  };
}

/** Bounds mean ± z·sd per step, the mean clamped at 0 first. */
export function normalBounds(mean: Float64Array, variance: Float64Array): Bounds {
  const h = mean.length;
  const b = emptyBounds(h);
  for (let i = 0; i < h; i++) {
    const mu = clean(mean[i]!);
    const v = variance[i]!;
    const sd = Number.isFinite(v) && v > 0 ? Math.sqrt(v) : 0;
    b.mean[i] = mu;
    b.lo80[i] = mu - Z80 * sd;
    b.hi80[i] = mu + Z80 * sd;
    b.lo95[i] = mu - Z95 * sd;
    b.hi95[i] = mu + Z95 * sd;
  }
  return finish(b);
}

/**
 * Bounds for a constant daily demand rate `mu` with variance `v` (e.g. the in-sample one-step MSE of an
 * intermittent method): the 2.5/10/90/97.5 % quantiles of a negative binomial with that mean and
 * variance, or of a Poisson when v <= mu; the normal approximation above a mean of 50 or when the
 * distribution's tail is too long to walk. The same bounds for every day of the horizon.
 */
export function countBounds(mu: number, v: number, h: number): Bounds {
  const m = clean(mu);
  const variance = Number.isFinite(v) && v > 0 ? v : m;
  const q = new Float64Array(4);
  if (!countQuantiles(m, variance, q)) {
    const sd = Math.sqrt(variance);
    q[0] = m - Z95 * sd;
    q[1] = m - Z80 * sd;
    q[2] = m + Z80 * sd;
    q[3] = m + Z95 * sd;
  }
  const b = emptyBounds(h);
  b.mean.fill(m);
  b.lo95.fill(q[0]!);
  b.lo80.fill(q[1]!);
  b.hi80.fill(q[2]!);
  b.hi95.fill(q[3]!);
  return finish(b);
}

const PROBS = [0.025, 0.1, 0.9, 0.975];

/** Fills out with the PROBS quantiles; false when the normal approximation should be used instead. */
export function countQuantiles(mu: number, v: number, out: Float64Array): boolean {
  if (mu <= 0) {
    out.fill(0);
    return true;
  }
  if (mu > COUNT_MAX_MEAN) return false;
  const poisson = v <= mu * (1 + 1e-9);
  const p = poisson ? 0 : mu / v;
  const r = poisson ? 0 : (mu * mu) / (v - mu);
  let pmf = poisson ? Math.exp(-mu) : Math.exp(r * Math.log(p));
  if (!(pmf > 0)) return false;
  let cdf = 0;
  let next = 0;
  for (let k = 0; k < COUNT_MAX_STEPS; k++) {
    cdf += pmf;
    while (next < PROBS.length && cdf >= PROBS[next]! - 1e-12) out[next++] = k;
    if (next === PROBS.length) return true;
    pmf *= poisson ? mu / (k + 1) : ((k + r) / (k + 1)) * (1 - p);
  }
  return false;
}

/**
 * The equal-weight average of several forecasts' means and bounds, quantile by quantile (Vincentization:
 * Lichtendahl, Grushka-Cockayne & Winkler 2013 show averaged quantiles are at least as sharp as the
 * average of the distributions), made safe by finish(). Every input must have the same horizon.
 */
export function averageBounds(all: Bounds[]): Bounds {
  const h = all[0]?.mean.length ?? 0;
  const out = emptyBounds(h);
  const keys = ['mean', 'lo80', 'hi80', 'lo95', 'hi95'] as const;
  for (const k of keys) {
    for (let i = 0; i < h; i++) {
      let sum = 0;
      for (const b of all) sum += b[k][i]!;
      out[k][i] = sum / all.length;
    }
  }
  return finish(out);
}

/**
 * Makes the bounds safe: non-finite values become the mean (or 0), everything is clamped at 0 and
 * the order lo95 <= lo80 <= mean <= hi80 <= hi95 is enforced.
 */
export function finish(b: Bounds): Bounds {
  for (let i = 0; i < b.mean.length; i++) {
    const mu = clean(b.mean[i]!);
    const lo80 = Math.min(mu, clean(b.lo80[i]!, mu));
    const lo95 = Math.min(lo80, clean(b.lo95[i]!, lo80));
    const hi80 = Math.max(mu, clean(b.hi80[i]!, mu));
    const hi95 = Math.max(hi80, clean(b.hi95[i]!, hi80));
    b.mean[i] = mu;
    b.lo80[i] = lo80;
    b.lo95[i] = lo95;
    b.hi80[i] = hi80;
    b.hi95[i] = hi95;
  }
  return b;
}

/** A finite value >= 0 (the fallback when not finite). */
const clean = (v: number, fallback = 0): number => (Number.isFinite(v) ? (v > 0 ? v : 0) : fallback);
