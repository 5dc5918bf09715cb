/**
 * Hierarchical reconciliation of one SKU's total forecast with its per-location forecasts.
 *
 * - forecast_proportions (Athanasopoulos, Ahmed & Hyndman 2009): per step, the total's mean is split
 *   among the parts in proportion to their own means (equally when they are all 0). A part's bounds are
 *   scaled by the same ratio as its mean; a part whose own mean is 0 keeps 0 and its upper bounds; when
 *   all parts are 0 each gets 1/P of the total's bounds. The total is kept as its model made it.
 * - bottom_up: the total's mean is the sum of the parts' means, its bounds mean ± z·√(Σ σ_i²) with each
 *   part's σ read from its upper bound (σ = (hi − mean)/z; lower bounds may have been clamped at 0),
 *   i.e. the parts taken as independent. The parts are unchanged. The total keeps its own model name,
 *   class, backtest and candidates (they describe the total's own model, which is no longer its mean).
 *
 * Afterwards the parts' means add up to the total's mean at every step (to rounding: the rounding
 * remainder is given to the largest part).
 */
import { emptyBounds, finish, Z80, Z95 } from './intervals.ts';
import type { Bounds, SeriesForecast } from './types.ts';

export type ReconcileMethod = 'forecast_proportions' | 'bottom_up';

const copyBounds = (f: SeriesForecast): Bounds => ({
  mean: Float64Array.from(f.mean),
  lo80: Float64Array.from(f.lo80),
  hi80: Float64Array.from(f.hi80),
  lo95: Float64Array.from(f.lo95),
  hi95: Float64Array.from(f.hi95),
});

const withBounds = (f: SeriesForecast, b: Bounds): SeriesForecast => ({
  ...f,
  ...b,
  components: [...f.components],
  candidates: f.candidates.map((c) => ({ ...c })),
  backtest: f.backtest ? { ...f.backtest } : null,
});

/** Reconciles without changing its arguments; throws a RangeError when the horizons differ. */
export function reconcile(
  total: SeriesForecast,
  parts: SeriesForecast[],
  method: ReconcileMethod,
): { parts: SeriesForecast[]; total: SeriesForecast } {
  const h = total.mean.length;
  for (const part of parts) {
    if (part.mean.length !== h)
      throw new RangeError(`horizon ${part.mean.length} of a part differs from ${h}`);
  }
  if (method === 'bottom_up')
    return { parts: parts.map((p) => withBounds(p, copyBounds(p))), total: bottomUp(total, parts) };
  const out = parts.map(copyBounds);
  const totalBounds = copyBounds(total);
  for (let i = 0; i < h; i++) split(totalBounds, parts, out, i);
  return {
    parts: parts.map((p, k) => withBounds(p, finish(out[k]!))),
    total: withBounds(total, totalBounds),
  };
}

/** Step i of forecast_proportions. */
function split(total: Bounds, parts: SeriesForecast[], out: Bounds[], i: number): void {
  const n = parts.length;
  if (n === 0) return;
  const target = total.mean[i]!;
  let sum = 0;
  for (const p of parts) sum += p.mean[i]!;
  if (!(sum > 0)) {
    for (const b of out) {
      b.mean[i] = target / n;
      b.lo80[i] = total.lo80[i]! / n;
      b.hi80[i] = total.hi80[i]! / n;
      b.lo95[i] = total.lo95[i]! / n;
      b.hi95[i] = total.hi95[i]! / n;
    }
  } else {
    for (let k = 0; k < n; k++) out[k]!.mean[i] = (target * parts[k]!.mean[i]!) / sum;
  }
  // the rounding remainder goes to the largest part
  let got = 0;
  let largest = 0;
  for (let k = 0; k < n; k++) {
    got += out[k]!.mean[i]!;
    if (out[k]!.mean[i]! > out[largest]!.mean[i]!) largest = k;
  }
  out[largest]!.mean[i] = Math.max(0, out[largest]!.mean[i]! + (target - got));
  if (!(sum > 0)) return;
  for (let k = 0; k < n; k++) {
    const own = parts[k]!.mean[i]!;
    const b = out[k]!;
    if (own > 0) {
      const r = b.mean[i]! / own;
      b.lo80[i] = b.lo80[i]! * r;
      b.hi80[i] = b.hi80[i]! * r;
      b.lo95[i] = b.lo95[i]! * r;
      b.hi95[i] = b.hi95[i]! * r;
    } else {
      b.lo80[i] = 0;
      b.lo95[i] = 0;
    }
  }
}

function bottomUp(total: SeriesForecast, parts: SeriesForecast[]): SeriesForecast {
  const h = total.mean.length;
  const b = emptyBounds(h);
  for (let i = 0; i < h; i++) {
    let mean = 0;
    let v80 = 0;
    let v95 = 0;
    for (const p of parts) {
      const mu = p.mean[i]!;
      mean += mu;
      const s80 = (p.hi80[i]! - mu) / Z80;
      const s95 = (p.hi95[i]! - mu) / Z95;
      v80 += s80 * s80;
      v95 += s95 * s95;
    }
    const s80 = Math.sqrt(v80);
    const s95 = Math.sqrt(v95);
    b.mean[i] = mean;
    b.lo80[i] = mean - Z80 * s80;
    b.hi80[i] = mean + Z80 * s80;
    b.lo95[i] = mean - Z95 * s95;
    b.hi95[i] = mean + Z95 * s95;
  }
  return withBounds(total, finish(b));
}
