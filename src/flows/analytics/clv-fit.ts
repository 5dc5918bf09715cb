/**
 * Numerical helpers for the customer-lifetime-value models in `clv.ts`: log-gamma (Lanczos), a
 * stable log(e^u + e^v), the Gauss hypergeometric series 2F1 and a small deterministic Nelder–Mead
 * minimiser. Pure functions, no I/O, no randomness, no dependencies.
 */

/** Lanczos coefficients for g = 7, n = 9 (Godfrey); about 15 significant digits for x > 0. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln|Γ(x)| for real x (reflection below 0.5); NaN at the poles 0, −1, −2, … */
export const lgamma = (x: number): number => {
  if (x < 0.5) {
    const s = Math.sin(Math.PI * x);
    if (s === 0) return Number.NaN;
    return Math.log(Math.PI / Math.abs(s)) - lgamma(1 - x);
  }
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
};

/** log(e^u + e^v) without overflow or underflow. */
export const logAddExp = (u: number, v: number): number => {
  if (u === Number.NEGATIVE_INFINITY) return v;
  if (v === Number.NEGATIVE_INFINITY) return u;
  const hi = Math.max(u, v);
  return hi + Math.log1p(Math.exp(Math.min(u, v) - hi));
};

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) by its power series, for 0 ≤ z < 1 (the range the
 * BG/NBD expectations need) and c > 0. Sums until a term no longer moves the total; throws a
 * RangeError outside that range or if 10^7 terms do not suffice (z extremely close to 1).
 */
export const hyp2f1 = (a: number, b: number, c: number, z: number): number => {
  if (!(z >= 0 && z < 1) || !(c > 0))
    throw new RangeError(`hyp2f1 needs 0 ≤ z < 1 and c > 0 (z=${z}, c=${c})`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 10_000_000; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    // Past n > a, b the term ratio is < 1 and shrinking terms mean the tail is below |term|/(1 − z).
    if (Math.abs(term) <= Number.EPSILON * Math.abs(sum) * (1 - z) && n + 1 > Math.abs(a) + Math.abs(b))
      return sum;
    if (term === 0) return sum;
  }
  throw new RangeError(`hyp2f1 series did not converge (z=${z})`);
};

/** Options for {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Cap on simplex iterations over all restarts (default 20 000). */
  readonly maxIterations?: number;
  /** Relative spread of function values across the simplex that counts as converged (default 1e-12). */
  readonly fTolerance?: number;
  /** Largest coordinate distance from the best vertex that counts as converged (default 1e-8). */
  readonly xTolerance?: number;
  /** Edge of the initial simplex along each axis (default 0.5). */
  readonly initialStep?: number;
}

/** Result of {@link nelderMead}: the best point found and its value. */
export interface NelderMeadResult {
  readonly x: readonly number[];
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
}

interface Vertex {
  x: number[];
  f: number;
}

/**
 * Minimises `f` with the Nelder–Mead simplex (reflection 1, expansion 2, contraction ½, shrink ½).
 * Non-finite values count as +∞, so the objective may refuse points by returning NaN. After each
 * convergence the search restarts from a fresh simplex around the best point, and stops once a
 * restart no longer improves it (guards against a collapsed simplex). Deterministic.
 */
export const nelderMead = (
  f: (x: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult => {
  const maxIterations = options.maxIterations ?? 20_000;
  const fTol = options.fTolerance ?? 1e-12;
  const xTol = options.xTolerance ?? 1e-8;
  const step = options.initialStep ?? 0.5;
  const n = start.length;
  const value = (x: number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const vertex = (x: number[]): Vertex => ({ x, f: value(x) });
  const along = (from: readonly number[], to: readonly number[], t: number): number[] =>
    from.map((fi, j) => fi + t * (to[j]! - fi));

  let best = vertex([...start]);
  let iterations = 0;
  let converged = false;
  for (let restart = 0; restart < 10 && iterations < maxIterations; restart++) {
    const before = best.f;
    const simplex: Vertex[] = [best];
    for (let i = 0; i < n; i++) {
      const x = [...best.x];
      x[i] = x[i]! + step;
      simplex.push(vertex(x));
    }
    converged = false;
    while (iterations < maxIterations) {
      simplex.sort((u, v) => u.f - v.f);
      const lo = simplex[0]!;
      const hi = simplex[n]!;
      const spread = Math.max(
        ...simplex.map((s) => Math.max(...s.x.map((xj, j) => Math.abs(xj - lo.x[j]!)))),
      );
      if (hi.f - lo.f <= fTol * Math.max(1, Math.abs(lo.f)) && spread <= xTol) {
        converged = true;
        break;
      }
      iterations++;
      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]!.x[j]! / n;
      const reflected = vertex(along(centroid, hi.x, -1));
      if (reflected.f < lo.f) {
        const expanded = vertex(along(centroid, hi.x, -2));
        simplex[n] = expanded.f < reflected.f ? expanded : reflected;
      } else if (reflected.f < simplex[n - 1]!.f) {
        simplex[n] = reflected;
      } else {
        const outside = reflected.f < hi.f;
        const contracted = vertex(along(centroid, outside ? reflected.x : hi.x, 0.5));
        if (contracted.f < (outside ? reflected.f : hi.f)) {
          simplex[n] = contracted;
        } else {
          for (let i = 1; i <= n; i++) simplex[i] = vertex(along(lo.x, simplex[i]!.x, 0.5));
        }
      }
    }
    simplex.sort((u, v) => u.f - v.f);
    best = simplex[0]!;
    if (!converged) break;
    if (restart > 0 && before - best.f <= fTol * Math.max(1, Math.abs(best.f))) break;
  }
  return { x: best.x, value: best.f, iterations, converged };
};
