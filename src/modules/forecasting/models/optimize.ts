/**
 * A small Nelder–Mead minimiser on the unit box [0, 1]^d (d <= 4): trial points are projected onto the
 * box, so the objective only ever sees feasible parameters. It stops after `maxEval` evaluations or
 * when the simplex's values agree to a relative `tol`. Deterministic; allocates only its simplex.
 */

export interface Minimum {
  x: Float64Array;
  fx: number;
  evals: number;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Minimises f from x0 (a point in the box) with an initial simplex of edge `step`. */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  step: number,
  maxEval: number,
  tol: number,
): Minimum {
  const d = x0.length;
  const pts: Float64Array[] = [];
  const fv = new Float64Array(d + 1);
  for (let i = 0; i <= d; i++) {
    const p = Float64Array.from(x0, clamp01);
    if (i > 0) {
      const k = i - 1;
      // step inwards when the start sits on the upper bound
      p[k] = p[k]! + step <= 1 ? p[k]! + step : p[k]! - step;
      p[k] = clamp01(p[k]!);
    }
    pts.push(p);
    fv[i] = safe(f(p));
  }
  let evals = d + 1;
  const centroid = new Float64Array(d);
  const xr = new Float64Array(d);
  const xe = new Float64Array(d);
  const xc = new Float64Array(d);
  const order = new Int32Array(d + 1);
  while (evals < maxEval) {
    sortOrder(fv, order);
    const best = order[0]!;
    const worst = order[d]!;
    const second = order[d - 1]!;
    const fb = fv[best]!;
    const fw = fv[worst]!;
    if (fw - fb <= tol * (Math.abs(fb) + 1e-300)) break;
    centroid.fill(0);
    for (let i = 0; i <= d; i++) {
      if (i === worst) continue;
      const p = pts[i]!;
      for (let k = 0; k < d; k++) centroid[k] = centroid[k]! + p[k]! / d;
    }
    const pw = pts[worst]!;
    toward(centroid, pw, -1, xr);
    const fr = safe(f(xr));
    evals++;
    if (fr < fb) {
      toward(centroid, pw, -2, xe);
      const fe = safe(f(xe));
      evals++;
      if (fe < fr) replace(pts, fv, worst, xe, fe);
      else replace(pts, fv, worst, xr, fr);
    } else if (fr < fv[second]!) {
      replace(pts, fv, worst, xr, fr);
    } else {
      // contract towards the better of the worst point and its reflection
      const outside = fr < fw;
      toward(centroid, outside ? xr : pw, 0.5, xc);
      const fc = safe(f(xc));
      evals++;
      if (fc < (outside ? fr : fw)) {
        replace(pts, fv, worst, xc, fc);
      } else {
        const pb = pts[best]!;
        for (let i = 0; i <= d && evals < maxEval; i++) {
          if (i === best) continue;
          const p = pts[i]!;
          for (let k = 0; k < d; k++) p[k] = pb[k]! + 0.5 * (p[k]! - pb[k]!);
          fv[i] = safe(f(p));
          evals++;
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= d; i++) if (fv[i]! < fv[bi]!) bi = i;
  return { x: pts[bi]!, fx: fv[bi]!, evals };
}

const safe = (v: number): number => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : v);

/** out = c + t (p - c), projected onto the box (t = -1 reflects p through c, t = 0.5 contracts). */
function toward(c: Float64Array, p: Float64Array, t: number, out: Float64Array): void {
  for (let k = 0; k < c.length; k++) out[k] = clamp01(c[k]! + t * (p[k]! - c[k]!));
}

function replace(pts: Float64Array[], fv: Float64Array, i: number, x: Float64Array, fx: number): void {
  pts[i]!.set(x);
  fv[i] = fx;
}

/** Indices of fv in increasing order (insertion sort: at most five points). */
function sortOrder(fv: Float64Array, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = 1; i < order.length; i++) {
    const o = order[i]!;
    const v = fv[o]!;
    let j = i - 1;
    while (j >= 0 && fv[order[j]!]! > v) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = o;
  }
}
