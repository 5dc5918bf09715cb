/**
 * Fitting the exponential-smoothing family: parameters by least squares (= Gaussian maximum likelihood
 * for additive errors) with a short bounded Nelder–Mead, AICc for the comparison between them, and the
 * class-1 forecast variances (Hyndman et al. 2008, ch. 6).
 */
import { copyState, type EtsParams, type EtsSpec, type EtsState, initialState, runEts } from './ets-core.ts';
import { nelderMead } from './optimize.ts';
import type { Prepared } from './types.ts';

export type EtsName =
  | 'ses'
  | 'holt'
  | 'holt_damped'
  | 'hw_additive'
  | 'hw_multiplicative'
  | 'hw_additive_damped'
  | 'hw_multiplicative_damped';

export const ETS_SPECS: Record<EtsName, EtsSpec> = {
  ses: { trend: false, damped: false, season: 0 },
  holt: { trend: true, damped: false, season: 0 },
  holt_damped: { trend: true, damped: true, season: 0 },
  hw_additive: { trend: false, damped: false, season: 1 },
  hw_multiplicative: { trend: false, damped: false, season: 2 },
  hw_additive_damped: { trend: true, damped: true, season: 1 },
  hw_multiplicative_damped: { trend: true, damped: true, season: 2 },
};

export const ETS_NAMES = Object.keys(ETS_SPECS) as EtsName[];

export const isEts = (name: string): name is EtsName => name in ETS_SPECS;

/** Parameter bounds: α ∈ [1e-4, 0.9999], β = α·u ∈ [0, α], γ = (1 − α)·u ∈ [0, 1 − α], φ ∈ [0.8, 0.98]. */
const ALPHA_MIN = 1e-4;
const ALPHA_MAX = 0.9999;
const PHI_MIN = 0.8;
const PHI_MAX = 0.98;
/** The start of the search (in the unit box): α = 0.15, β = 0.05α, γ = 0.1(1 − α), φ = 0.89. */
const START = { alpha: 0.15, beta: 0.05, gamma: 0.1, phi: 0.5 };
const TOL = 1e-4;

/** Evaluations allowed for a fit with d free parameters (a warm refit gets half). */
const budget = (d: number): number => 8 + 10 * d;

/** One exponential-smoothing model: fit on a window, then rolled forward with fixed parameters. */
export class EtsModel {
  readonly spec: EtsSpec;
  readonly dims: number;
  params: EtsParams = { alpha: 0.1, beta: 0, gamma: 0, phi: 1 };
  /** the parameters as a point of the unit box, for a warm refit */
  u: Float64Array;
  state: EtsState;
  sse = 0;
  nObs = 0;
  /** number of estimated quantities: parameters, initial states and σ */
  k = 0;
  aicc = Number.POSITIVE_INFINITY;
  sigma2 = 0;

  constructor(
    readonly name: EtsName,
    readonly m: number,
  ) {
    this.spec = ETS_SPECS[name];
    this.dims = 1 + (this.spec.trend ? 1 : 0) + (this.spec.season ? 1 : 0) + (this.spec.damped ? 1 : 0);
    this.u = new Float64Array(this.dims);
    this.state = { l: 0, b: 0, s: new Float64Array(this.spec.season ? m : 1), j: 0 };
  }

  /** Maps a point of the unit box to parameters. */
  decode(u: Float64Array, out: EtsParams): void {
    let i = 0;
    const alpha = ALPHA_MIN + (ALPHA_MAX - ALPHA_MIN) * u[i++]!;
    out.alpha = alpha;
    out.beta = this.spec.trend ? alpha * u[i++]! : 0;
    out.gamma = this.spec.season ? (1 - alpha) * u[i++]! : 0;
    out.phi = this.spec.damped ? PHI_MIN + (PHI_MAX - PHI_MIN) * u[i++]! : 1;
  }

  /**
   * Fits on y[from, to) and leaves the state at `to`. Returns false when the window cannot carry the
   * model (too few observed days for its AICc, or a fit that does not stay finite).
   */
  fit(p: Prepared, from: number, to: number, observed: number, warm?: Float64Array): boolean {
    const spec = this.spec;
    const nStates = 1 + (spec.trend ? 1 : 0) + (spec.season ? this.m - 1 : 0);
    this.k = this.dims + nStates + 1;
    this.nObs = observed;
    if (observed - this.k - 1 <= 0) return false;
    if (spec.season !== 0 && (this.m < 2 || to - from < 2 * this.m)) return false;
    const init = initialState(spec, this.m, p, from, to);
    const work: EtsState = { l: 0, b: 0, s: new Float64Array(init.s.length), j: 0 };
    const par: EtsParams = { alpha: 0, beta: 0, gamma: 0, phi: 1 };
    const mult = spec.season === 2;
    const objective = (u: Float64Array): number => {
      this.decode(u, par);
      copyState(init, work);
      const sse = runEts(work, par, mult, p, from, to);
      return Number.isFinite(sse) ? sse : Number.POSITIVE_INFINITY;
    };
    const x0 = warm ?? this.startPoint();
    const best = nelderMead(
      objective,
      x0,
      warm ? 0.05 : 0.15,
      warm ? budget(this.dims) >> 1 : budget(this.dims),
      TOL,
    );
    if (!Number.isFinite(best.fx)) return false;
    this.u = Float64Array.from(best.x);
    this.decode(this.u, this.params);
    copyState(init, this.state);
    this.sse = runEts(this.state, this.params, mult, p, from, to);
    if (!Number.isFinite(this.sse) || !Number.isFinite(this.state.l) || !Number.isFinite(this.state.b)) {
      return false;
    }
    this.sigma2 = this.sse / Math.max(1, observed - this.k);
    this.aicc = aicc(this.sse, observed, this.k, p, from, to);
    return true;
  }

  private startPoint(): Float64Array {
    const x = [START.alpha];
    if (this.spec.trend) x.push(START.beta);
    if (this.spec.season) x.push(START.gamma);
    if (this.spec.damped) x.push(START.phi);
    return Float64Array.from(x);
  }

  /** Rolls the state over y[from, to) with the fitted parameters (no refit). */
  advance(p: Prepared, from: number, to: number): void {
    runEts(this.state, this.params, this.spec.season === 2, p, from, to);
  }

  /** Point forecasts for 1..h days after the state (not clamped). */
  forecast(out: Float64Array): void {
    const { l, b, s, j } = this.state;
    const m = s.length;
    const phi = this.params.phi;
    const mult = this.spec.season === 2;
    let phiPow = 1;
    let phiSum = 0;
    let pos = j;
    for (let h = 0; h < out.length; h++) {
      phiPow *= phi;
      phiSum += phiPow;
      const base = l + phiSum * b;
      const sj = s[pos]!;
      out[h] = mult ? base * sj : base + sj;
      if (++pos === m) pos = 0;
    }
  }

  /**
   * Forecast variances for 1..h days: σ²[1 + Σ_{i<h} c_i²] with c_i = α + βφ_i + γ·[i ≡ 0 mod m],
   * φ_i = φ + … + φ^i (Hyndman et al. 2008, class 1: exact for the additive-season models; for the
   * multiplicative-season ones the same expression is used as an approximation).
   */
  variances(out: Float64Array): void {
    const { alpha, beta, gamma, phi } = this.params;
    const m = this.m;
    const seasonal = this.spec.season !== 0;
    let acc = 1;
    let phiPow = 1;
    let phiSum = 0;
    for (let h = 0; h < out.length; h++) {
      out[h] = this.sigma2 * acc;
      const i = h + 1;
      phiPow *= phi;
      phiSum += phiPow;
      const c = alpha + beta * phiSum + (seasonal && i % m === 0 ? gamma : 0);
      acc += c * c;
    }
  }
}

/**
 * AICc = n·log(SSE/n) + 2k + 2k(k + 1)/(n − k − 1) (the Gaussian likelihood up to a constant that is
 * the same for every model on the window). The SSE is floored relative to the data so a perfect fit
 * compares by k alone instead of by log(0).
 */
function aicc(sse: number, n: number, k: number, p: Prepared, from: number, to: number): number {
  let sq = 0;
  for (let t = from; t < to; t++) if (p.miss[t] === 0) sq += p.y[t]! * p.y[t]!;
  const floor = 1e-12 * (sq + n);
  const s = sse > floor ? sse : floor;
  return n * Math.log(s / n) + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
}
