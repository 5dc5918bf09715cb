/**
 * Intermittent-demand methods. A missing (censored) day is skipped entirely: it is neither a demand nor
 * a day of the interval.
 *
 * - Croston (1972): the demand size z and the interval p between demands (in observed days) are each
 *   smoothed with α, only on days with demand; forecast z/p per day. Initialised with the first demand
 *   of the window: z = that demand, p = the observed days up to and including it.
 * - SBA (Syntetos & Boylan 2005): Croston's forecast times (1 − α/2), which removes its bias.
 * - TSB (Teunter, Syntetos & Babai 2011): the demand probability π is updated every observed day
 *   (π ← π + β(1 − π) on a demand day, π ← (1 − β)π otherwise), the size z with α on demand days only;
 *   forecast π·z. Initialised with π = the share of observed days with demand in the window and
 *   z = the mean nonzero demand of the window.
 *
 * α (and β for TSB) are chosen on a small grid by the in-sample one-step mean squared error.
 */
import type { Prepared } from './types.ts';

export type IntermittentName = 'croston' | 'sba' | 'tsb';

export const INTERMITTENT_NAMES: IntermittentName[] = ['croston', 'sba', 'tsb'];

export const isIntermittent = (name: string): name is IntermittentName =>
  name === 'croston' || name === 'sba' || name === 'tsb';

const ALPHAS = [0.05, 0.1, 0.2, 0.3];
const BETAS = [0.02, 0.05, 0.1, 0.2];

/** Croston/SBA state: size, interval, observed days since the last demand, and whether a demand was seen. */
export interface CrostonState {
  z: number;
  p: number;
  q: number;
  started: boolean;
}

/** TSB state: size and demand probability. */
export interface TsbState {
  z: number;
  pi: number;
}

/** In-sample one-step squared errors and their count (for the MSE). */
export interface Errors {
  sse: number;
  n: number;
}

/** Croston's recursion over y[from, to); `factor` is 1 (Croston) or 1 − α/2 (SBA). */
export function runCroston(
  st: CrostonState,
  alpha: number,
  factor: number,
  p: Prepared,
  from: number,
  to: number,
  err?: Errors,
): void {
  const { y, miss } = p;
  let { z, p: interval, q, started } = st;
  for (let t = from; t < to; t++) {
    if (miss[t] === 1) continue;
    const v = y[t]!;
    if (started && err) {
      const e = v - (factor * z) / interval;
      err.sse += e * e;
      err.n++;
    }
    q++;
    if (v > 0) {
      if (started) {
        z += alpha * (v - z);
        interval += alpha * (q - interval);
      } else {
        z = v;
        interval = q;
        started = true;
      }
      q = 0;
    }
  }
  st.z = z;
  st.p = interval;
  st.q = q;
  st.started = started;
}

/** TSB's recursion over y[from, to). */
export function runTsb(
  st: TsbState,
  alpha: number,
  beta: number,
  p: Prepared,
  from: number,
  to: number,
  err?: Errors,
): void {
  const { y, miss } = p;
  let { z, pi } = st;
  for (let t = from; t < to; t++) {
    if (miss[t] === 1) continue;
    const v = y[t]!;
    if (err) {
      const e = v - pi * z;
      err.sse += e * e;
      err.n++;
    }
    if (v > 0) {
      pi += beta * (1 - pi);
      z += alpha * (v - z);
    } else {
      pi -= beta * pi;
    }
  }
  st.z = z;
  st.pi = pi;
}

/** TSB's initial state for the window: share of demand days, mean nonzero demand. */
export function tsbInit(p: Prepared, from: number, to: number): TsbState {
  let count = 0;
  let nonzero = 0;
  let sum = 0;
  for (let t = from; t < to; t++) {
    if (p.miss[t] === 1) continue;
    count++;
    if (p.y[t]! > 0) {
      nonzero++;
      sum += p.y[t]!;
    }
  }
  return { z: nonzero > 0 ? sum / nonzero : 0, pi: count > 0 ? nonzero / count : 0 };
}

const newCroston = (): CrostonState => ({ z: 0, p: 1, q: 0, started: false });

/** Croston, SBA or TSB, fitted on a window and then rolled forward with fixed parameters. */
export class IntermittentModel {
  alpha = 0.1;
  beta = 0.1;
  croston: CrostonState = newCroston();
  tsb: TsbState = { z: 0, pi: 0 };
  /** in-sample one-step mean squared error */
  mse = 0;

  constructor(readonly name: IntermittentName) {}

  private get factor(): number {
    return this.name === 'sba' ? 1 - this.alpha / 2 : 1;
  }

  /** Chooses the parameters on the grid and leaves the state at `to`. */
  fit(p: Prepared, from: number, to: number): void {
    let best = Number.POSITIVE_INFINITY;
    const err: Errors = { sse: 0, n: 0 };
    if (this.name === 'tsb') {
      const init = tsbInit(p, from, to);
      for (const a of ALPHAS) {
        for (const b of BETAS) {
          err.sse = 0;
          err.n = 0;
          const st = { ...init };
          runTsb(st, a, b, p, from, to, err);
          const mse = err.n > 0 ? err.sse / err.n : 0;
          if (mse < best) {
            best = mse;
            this.alpha = a;
            this.beta = b;
            this.tsb = st;
          }
        }
      }
    } else {
      for (const a of ALPHAS) {
        err.sse = 0;
        err.n = 0;
        const st = newCroston();
        runCroston(st, a, this.name === 'sba' ? 1 - a / 2 : 1, p, from, to, err);
        const mse = err.n > 0 ? err.sse / err.n : 0;
        if (mse < best) {
          best = mse;
          this.alpha = a;
          this.croston = st;
        }
      }
    }
    this.mse = Number.isFinite(best) ? best : 0;
  }

  /** Rolls the state over y[from, to) with the chosen parameters. */
  advance(p: Prepared, from: number, to: number): void {
    if (this.name === 'tsb') runTsb(this.tsb, this.alpha, this.beta, p, from, to);
    else runCroston(this.croston, this.alpha, this.factor, p, from, to);
  }

  /** The forecast per day (the same for every day ahead). */
  level(): number {
    if (this.name === 'tsb') return this.tsb.pi * this.tsb.z;
    const c = this.croston;
    return c.started ? (this.factor * c.z) / c.p : 0;
  }
}
