/**
 * Seasonal naive (the baseline): tomorrow is the last observed value of the same position in the
 * season. A missing (censored) day is skipped: the same position's last observed value stands in.
 * A position never observed yet is forecast by the mean of the observed days.
 */
import type { Prepared } from './types.ts';

/** In-sample one-step errors: sum of |e|, sum of e², count. */
export interface NaiveErrors {
  abs: number;
  sq: number;
  n: number;
}

export class SeasonalNaive {
  readonly last: Float64Array;
  readonly known: Uint8Array;
  /** index of the next day (its position in the season is next mod m) */
  next = 0;
  private sum = 0;
  private count = 0;

  constructor(readonly m: number) {
    this.last = new Float64Array(m);
    this.known = new Uint8Array(m);
  }

  /** Reads y[from, to) (from must be this.next), collecting the one-step errors into `err` if given. */
  advance(p: Prepared, from: number, to: number, err?: NaiveErrors): void {
    const { y, miss } = p;
    const m = this.m;
    let j = from % m;
    for (let t = from; t < to; t++) {
      if (miss[t] === 0) {
        const v = y[t]!;
        if (err && this.known[j] === 1) {
          const e = v - this.last[j]!;
          err.abs += e < 0 ? -e : e;
          err.sq += e * e;
          err.n++;
        }
        this.last[j] = v;
        this.known[j] = 1;
        this.sum += v;
        this.count++;
      }
      if (++j === m) j = 0;
    }
    this.next = to;
  }

  /** Forecasts for the days after `next`. */
  forecast(out: Float64Array): void {
    const m = this.m;
    const fallback = this.count > 0 ? this.sum / this.count : 0;
    let j = this.next % m;
    for (let h = 0; h < out.length; h++) {
      out[h] = this.known[j] === 1 ? this.last[j]! : fallback;
      if (++j === m) j = 0;
    }
  }
}
