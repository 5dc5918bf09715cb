/**
 * Customer lifetime value from purchase histories: the BG/NBD model of repeat purchasing (Fader,
 * Hardie & Lee 2005, "Counting your customers the easy way") and the Gamma-Gamma model of spend per
 * transaction (Fader, Hardie & Lee 2005, "RFM and CLV"; Hardie, "The Gamma-Gamma Model of Monetary
 * Value"), fitted by maximum likelihood, and a discounted CLV that combines them.
 *
 * Units: the BG/NBD is unit-agnostic in time. x counts repeat purchases (purchases after the first),
 * tx is the time of the last purchase and T the customer's age, both measured from the first
 * purchase in one time unit of your choosing (weeks, days…); `alpha` and every horizon `t` are then
 * in that unit. m is the mean value of the x repeat purchases in one currency unit; `v` and every
 * value returned are in that unit. Pure: no database, no I/O, no randomness.
 */
import { hyp2f1, lgamma, logAddExp, nelderMead } from './clv-fit.ts';

/** One customer's purchase history for the BG/NBD: repeat purchases, recency and age (same time unit). */
export interface BgNbdCustomer {
  /** Repeat purchases (purchases after the first), an integer ≥ 0. */
  readonly x: number;
  /** Time from the first to the last purchase; 0 when x = 0. */
  readonly tx: number;
  /** Time from the first purchase to the end of observation; T ≥ tx, T > 0. */
  readonly T: number;
}

/** BG/NBD parameters: purchase rates ~ Gamma(r, alpha), drop-out probability ~ Beta(a, b). */
export interface BgNbdModel {
  readonly r: number;
  /** Scale of the purchase-rate distribution, in the time unit of the data. */
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/** A fitted BG/NBD: the maximum-likelihood parameters and how the fit went. */
export interface BgNbdParams extends BgNbdModel {
  /** Log-likelihood (paper eq. 6) at the parameters, summed over all customers, in the data's time unit. */
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Options for the maximum-likelihood fits. */
export interface FitOptions {
  /** Cap on Nelder–Mead iterations (default 20 000). */
  readonly maxIterations?: number;
  /** Relative log-likelihood tolerance (default 1e-12). */
  readonly tolerance?: number;
}

/** Options for {@link fitBgNbd}; `start` is in the data's units (default r = a = b = 1, alpha = max T / 10). */
export interface BgNbdFitOptions extends FitOptions {
  readonly start?: BgNbdModel;
}

/** One repeat customer for the Gamma-Gamma model: repeat purchases and their mean value. */
export interface GammaGammaCustomer {
  /** Repeat purchases, an integer ≥ 1 (rows with x = 0 are ignored by the fit). */
  readonly x: number;
  /** Mean value of those x repeat purchases, > 0, in currency units. */
  readonly m: number;
}

/** Gamma-Gamma parameters: spend per transaction ~ Gamma(p, ν), ν ~ Gamma(q, v). */
export interface GammaGammaModel {
  readonly p: number;
  readonly q: number;
  /** Scale of the spend distribution, in currency units. */
  readonly v: number;
}

/** A fitted Gamma-Gamma model: the maximum-likelihood parameters and how the fit went. */
export interface GammaGammaParams extends GammaGammaModel {
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** A customer for {@link lifetimeValue}: BG/NBD history plus mean repeat-purchase value m (ignored when x = 0). */
export interface ClvCustomer extends BgNbdCustomer {
  readonly m: number;
}

/** Options for {@link lifetimeValue}. */
export interface LifetimeValueOptions {
  /** Discount rate per sub-period, e.g. 0.01 for 1 % (default 0: undiscounted). */
  readonly discountRatePerPeriod?: number;
  /** Number of equal sub-periods the horizon is cut into (default ⌈horizon⌉, one per time unit). */
  readonly periods?: number;
}

const isCount = (n: number, min: number): boolean => Number.isInteger(n) && n >= min;

const checkBgNbd = (c: BgNbdCustomer): void => {
  if (!isCount(c.x, 0) || !(c.T > 0) || !(c.tx >= 0) || !(c.tx <= c.T) || !Number.isFinite(c.T))
    throw new RangeError(
      `BG/NBD needs an integer x ≥ 0 and 0 ≤ tx ≤ T, T > 0 (x=${c.x}, tx=${c.tx}, T=${c.T})`,
    );
};

const checkModel = (values: readonly number[], name: string): void => {
  if (!values.every((v) => v > 0 && Number.isFinite(v)))
    throw new RangeError(`${name} parameters must be > 0`);
};

/** Customers grouped by x, with identical (tx, T) rows merged into a weight. */
interface BgGroup {
  readonly x: number;
  readonly tx: number[];
  readonly T: number[];
  readonly w: number[];
}

const groupBgNbd = (customers: readonly BgNbdCustomer[], scale: number): BgGroup[] => {
  const byX = new Map<number, Map<string, { tx: number; T: number; w: number }>>();
  for (const c of customers) {
    checkBgNbd(c);
    const rows = byX.get(c.x) ?? new Map<string, { tx: number; T: number; w: number }>();
    byX.set(c.x, rows);
    const tx = c.x === 0 ? 0 : c.tx; // tx carries no information when there is no repeat purchase
    const key = `${tx}|${c.T}`;
    const row = rows.get(key);
    if (row) row.w++;
    else rows.set(key, { tx, T: c.T, w: 1 });
  }
  return [...byX].map(([x, rows]) => {
    const list = [...rows.values()];
    return { x, tx: list.map((r) => r.tx * scale), T: list.map((r) => r.T * scale), w: list.map((r) => r.w) };
  });
};

/** Paper eq. 6 in logs, summed over the groups. */
const bgNbdLogLik = (groups: readonly BgGroup[], { r, alpha, a, b }: BgNbdModel): number => {
  const common = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  const logA = Math.log(a);
  let ll = 0;
  for (const { x, tx, T, w } of groups) {
    const rx = r + x;
    const base = common + lgamma(rx) + lgamma(b + x) - lgamma(a + b + x);
    const dropped = x > 0 ? logA - Math.log(b + x - 1) : 0;
    for (let i = 0; i < w.length; i++) {
      const alive = -rx * Math.log(alpha + T[i]!);
      const term = x > 0 ? logAddExp(alive, dropped - rx * Math.log(alpha + tx[i]!)) : alive;
      ll += w[i]! * (base + term);
    }
  }
  return ll;
};

/** BG/NBD log-likelihood (paper eq. 6) of the customers under a model, in the customers' time unit. */
export const bgNbdLogLikelihood = (model: BgNbdModel, customers: readonly BgNbdCustomer[]): number => {
  checkModel([model.r, model.alpha, model.a, model.b], 'BG/NBD');
  return bgNbdLogLik(groupBgNbd(customers, 1), model);
};

/**
 * Fits the BG/NBD by maximum likelihood: Nelder–Mead over the logs of (r, alpha, a, b), with times
 * rescaled internally so that the oldest customer is 10 units old (the result is in the data's unit).
 */
export const fitBgNbd = (customers: readonly BgNbdCustomer[], options: BgNbdFitOptions = {}): BgNbdParams => {
  if (customers.length === 0) throw new RangeError('fitBgNbd needs at least one customer');
  const maxT = customers.reduce((m, c) => Math.max(m, c.T), 0);
  const scale = maxT > 0 ? 10 / maxT : 1;
  const groups = groupBgNbd(customers, scale);
  const start = options.start ?? { r: 1, alpha: 1 / scale, a: 1, b: 1 };
  checkModel([start.r, start.alpha, start.a, start.b], 'BG/NBD start');
  const result = nelderMead(
    ([lr, la, lA, lB]) =>
      -bgNbdLogLik(groups, { r: Math.exp(lr!), alpha: Math.exp(la!), a: Math.exp(lA!), b: Math.exp(lB!) }),
    [Math.log(start.r), Math.log(start.alpha * scale), Math.log(start.a), Math.log(start.b)],
    { maxIterations: options.maxIterations, fTolerance: options.tolerance },
  );
  const [lr, la, lA, lB] = result.x;
  const model = { r: Math.exp(lr!), alpha: Math.exp(la!) / scale, a: Math.exp(lA!), b: Math.exp(lB!) };
  return {
    ...model,
    logLikelihood: bgNbdLogLik(groupBgNbd(customers, 1), model),
    iterations: result.iterations,
    converged: result.converged,
  };
};

/** log of a/(b + x − 1) · ((α + T)/(α + tx))^(r + x), the odds that a customer with x ≥ 1 has dropped out. */
const logDropOdds = ({ r, alpha, a, b }: BgNbdModel, { x, tx, T }: BgNbdCustomer): number =>
  Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));

/** P(alive | x, tx, T) (paper eq. 11 / Fader, Hardie & Lee's note on P(alive)): 1 when x = 0. */
export const probabilityAlive = (model: BgNbdModel, customer: BgNbdCustomer): number => {
  checkModel([model.r, model.alpha, model.a, model.b], 'BG/NBD');
  checkBgNbd(customer);
  if (customer.x === 0) return 1;
  return 1 / (1 + Math.exp(logDropOdds(model, customer)));
};

/** Expected repeat purchases in (0, t] of a customer just acquired (paper eq. 7); t in the data's unit. */
export const expectedPurchasesNew = (model: BgNbdModel, t: number): number => {
  const { r, alpha, a, b } = model;
  checkModel([r, alpha, a, b], 'BG/NBD');
  if (!(t >= 0)) throw new RangeError(`t must be ≥ 0 (t=${t})`);
  if (t === 0) return 0;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z));
};

/**
 * Expected repeat purchases in the next t time units of a customer with history (x, tx, T) (paper
 * eq. 10, the conditional expectation E[Y(t) | x, tx, T]); t in the data's unit.
 */
export const expectedPurchases = (model: BgNbdModel, t: number, customer: BgNbdCustomer): number => {
  const { r, alpha, a, b } = model;
  checkModel([r, alpha, a, b], 'BG/NBD');
  checkBgNbd(customer);
  if (!(t >= 0)) throw new RangeError(`t must be ≥ 0 (t=${t})`);
  if (t === 0) return 0;
  const { x, T } = customer;
  const z = t / (alpha + T + t);
  const tail = ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  const aliveShare = x > 0 ? 1 / (1 + Math.exp(logDropOdds(model, customer))) : 1;
  return ((a + b + x - 1) / (a - 1)) * (1 - tail) * aliveShare;
};

/** Repeat customers grouped by x, identical m merged into a weight; rows with x = 0 are dropped. */
interface GgGroup {
  readonly x: number;
  readonly m: number[];
  readonly w: number[];
}

const groupGammaGamma = (customers: readonly GammaGammaCustomer[], scale: number): GgGroup[] => {
  const byX = new Map<number, Map<number, number>>();
  for (const { x, m } of customers) {
    if (x === 0) continue;
    if (!isCount(x, 1) || !(m > 0) || !Number.isFinite(m))
      throw new RangeError(`Gamma-Gamma needs an integer x ≥ 1 and m > 0 (x=${x}, m=${m})`);
    const rows = byX.get(x) ?? new Map<number, number>();
    byX.set(x, rows);
    rows.set(m, (rows.get(m) ?? 0) + 1);
  }
  return [...byX].map(([x, rows]) => ({
    x,
    m: [...rows.keys()].map((m) => m * scale),
    w: [...rows.values()],
  }));
};

/** Log-likelihood of the observed means (Hardie's note, eq. for f(m̄ | p, q, γ, x)). */
const gammaGammaLogLik = (groups: readonly GgGroup[], { p, q, v }: GammaGammaModel): number => {
  const common = -lgamma(q) + q * Math.log(v);
  let ll = 0;
  for (const { x, m, w } of groups) {
    const px = p * x;
    const base = common + lgamma(px + q) - lgamma(px) + px * Math.log(x);
    for (let i = 0; i < w.length; i++) {
      ll += w[i]! * (base + (px - 1) * Math.log(m[i]!) - (px + q) * Math.log(v + x * m[i]!));
    }
  }
  return ll;
};

/** Gamma-Gamma log-likelihood of the repeat customers (x ≥ 1) under a model, in the data's currency unit. */
export const gammaGammaLogLikelihood = (
  model: GammaGammaModel,
  customers: readonly GammaGammaCustomer[],
): number => {
  checkModel([model.p, model.q, model.v], 'Gamma-Gamma');
  return gammaGammaLogLik(groupGammaGamma(customers, 1), model);
};

/**
 * Fits the Gamma-Gamma spend model by maximum likelihood (Nelder–Mead over the logs of p, q, v,
 * values rescaled internally to a mean of 1). Rows with x = 0 are ignored: they have no repeat spend.
 */
export const fitGammaGamma = (
  customers: readonly GammaGammaCustomer[],
  options: FitOptions = {},
): GammaGammaParams => {
  const repeat = customers.filter((c) => c.x !== 0);
  if (repeat.length === 0) throw new RangeError('fitGammaGamma needs at least one customer with x ≥ 1');
  const mean = repeat.reduce((s, c) => s + c.m, 0) / repeat.length;
  const scale = mean > 0 && Number.isFinite(mean) ? 1 / mean : 1;
  const groups = groupGammaGamma(repeat, scale);
  const result = nelderMead(
    ([lp, lq, lv]) => -gammaGammaLogLik(groups, { p: Math.exp(lp!), q: Math.exp(lq!), v: Math.exp(lv!) }),
    [0, 0, 0],
    { maxIterations: options.maxIterations, fTolerance: options.tolerance },
  );
  const [lp, lq, lv] = result.x;
  const model = { p: Math.exp(lp!), q: Math.exp(lq!), v: Math.exp(lv!) / scale };
  return {
    ...model,
    logLikelihood: gammaGammaLogLik(groupGammaGamma(repeat, 1), model),
    iterations: result.iterations,
    converged: result.converged,
  };
};

/**
 * Expected mean value of a customer's future transactions, p(v + x·m)/(p·x + q − 1), in currency
 * units. With x = 0 (m ignored) it is the population mean p·v/(q − 1). Needs q > 1.
 */
export const expectedAverageValue = (model: GammaGammaModel, customer: GammaGammaCustomer): number => {
  const { p, q, v } = model;
  checkModel([p, q, v], 'Gamma-Gamma');
  if (!(q > 1)) throw new RangeError(`the mean spend is infinite when q ≤ 1 (q=${q})`);
  const { x } = customer;
  if (!isCount(x, 0)) throw new RangeError(`x must be an integer ≥ 0 (x=${x})`);
  const m = x === 0 ? 0 : customer.m;
  if (!(m >= 0) || !Number.isFinite(m)) throw new RangeError(`m must be ≥ 0 (m=${m})`);
  return (p * (v + x * m)) / (p * x + q - 1);
};

/**
 * Discounted customer lifetime value over `horizon` time units (the BG/NBD data's unit), in currency
 * units: the horizon is cut into `periods` equal slices, and slice k (k = 1…periods) contributes the
 * expected purchases in it (E[Y(k·h)] − E[Y((k−1)·h)], paper eq. 10) times the Gamma-Gamma expected
 * value per purchase, divided by (1 + discountRatePerPeriod)^k, as lifetimes'
 * `customer_lifetime_value` does (there with monthly slices). Gross value per purchase: apply a
 * margin to m first for a profit-based CLV.
 */
export const lifetimeValue = (
  bg: BgNbdModel,
  gg: GammaGammaModel,
  customer: ClvCustomer,
  horizon: number,
  options: LifetimeValueOptions = {},
): number => {
  if (!(horizon >= 0) || !Number.isFinite(horizon)) throw new RangeError(`horizon must be ≥ 0 (${horizon})`);
  const rate = options.discountRatePerPeriod ?? 0;
  const periods = options.periods ?? Math.max(1, Math.ceil(horizon));
  if (!(rate > -1) || !Number.isFinite(rate)) throw new RangeError(`discount rate must be > −1 (${rate})`);
  if (!isCount(periods, 1)) throw new RangeError(`periods must be an integer ≥ 1 (${periods})`);
  const value = expectedAverageValue(gg, customer);
  if (horizon === 0 || value === 0) return 0;
  const slice = horizon / periods;
  let clv = 0;
  let before = 0;
  for (let k = 1; k <= periods; k++) {
    const upTo = expectedPurchases(bg, k * slice, customer);
    clv += ((upTo - before) * value) / (1 + rate) ** k;
    before = upTo;
  }
  return clv;
};
