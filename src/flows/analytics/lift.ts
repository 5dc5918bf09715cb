/**
 * Incrementality of a campaign against its holdout: the difference in conversion rate (Wald 95 %
 * interval), the relative lift (Katz log risk-ratio interval), the difference in revenue per customer
 * (Welch, normal approximation) and a verdict in plain English, with the number of customers still
 * needed for 80 % power when the difference is not yet significant. Pure: figures in, figures out.
 */

/**
 * One group's totals. revenue: the sum over customers of their revenue (integer minor units);
 * revenueSquares: the sum of the squares of each customer's revenue (for the variance).
 */
export interface GroupStats {
  customers: number;
  converted: number;
  revenue: number;
  revenueSquares: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface GroupSummary {
  customers: number;
  converted: number;
  rate: number;
  revenue_per_customer: number;
}

export interface Verdict {
  code: 'insufficient_data' | 'significant_positive' | 'significant_negative' | 'not_significant';
  /** Extra customers (both groups together, same treated:holdout ratio) for 80 % power; else null. */
  more_customers_needed: number | null;
  message: string;
}

export interface LiftResult {
  treated: GroupSummary;
  holdout: GroupSummary;
  /** Treated rate − holdout rate (a fraction: 0.02 is 2 points). */
  rate_lift: Interval;
  /** Treated rate / holdout rate − 1; null when a group has no conversion. */
  relative_lift: Interval | null;
  /** Treated − holdout mean revenue per customer, minor units. */
  revenue_lift: Interval;
  verdict: Verdict;
}

/** Two-sided 95 %: the 97.5th percentile of the standard normal. */
export const Z_95 = 1.959963984540054;
/** 80 % power: the 80th percentile of the standard normal. */
export const Z_POWER_80 = 0.8416212335729143;

function check(name: string, g: GroupStats): void {
  const counts = Number.isInteger(g.customers) && Number.isInteger(g.converted);
  if (!counts || g.customers < 0 || g.converted < 0 || g.converted > g.customers) {
    throw new RangeError(`${name}: customers and converted must be integers, 0 ≤ converted ≤ customers`);
  }
  if (!Number.isFinite(g.revenue) || !Number.isFinite(g.revenueSquares) || g.revenueSquares < 0) {
    throw new RangeError(`${name}: revenue and revenueSquares must be finite, revenueSquares ≥ 0`);
  }
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

function summary(g: GroupStats): GroupSummary {
  return {
    customers: g.customers,
    converted: g.converted,
    rate: ratio(g.converted, g.customers),
    revenue_per_customer: ratio(g.revenue, g.customers),
  };
}

/** Variance of the rate estimate p(1 − p)/n; 0 for an empty group. */
const rateVariance = (p: number, n: number): number => ratio(p * (1 - p), n);

/** Sample variance (n − 1) of per-customer revenue from its sum and sum of squares; 0 below 2 customers. */
function revenueVariance(g: GroupStats): number {
  if (g.customers < 2) return 0;
  const v = (g.revenueSquares - (g.revenue * g.revenue) / g.customers) / (g.customers - 1);
  return Math.max(0, v); // cancellation can leave −1e-12 where the variance is 0
}

const around = (estimate: number, se: number, z = Z_95): Interval => ({
  estimate,
  low: estimate - z * se,
  high: estimate + z * se,
});

/** Katz: exp(ln RR ± z·sqrt(1/x_t − 1/n_t + 1/x_h − 1/n_h)) − 1; null when a group has no conversion. */
function relativeLift(t: GroupStats, h: GroupStats): Interval | null {
  if (t.converted === 0 || h.converted === 0) return null;
  const rr = t.converted / t.customers / (h.converted / h.customers);
  const se = Math.sqrt(Math.max(0, 1 / t.converted - 1 / t.customers + 1 / h.converted - 1 / h.customers));
  const log = Math.log(rr);
  return { estimate: rr - 1, low: Math.exp(log - Z_95 * se) - 1, high: Math.exp(log + Z_95 * se) - 1 };
}

/** Does scaling both groups by `scale` reach 80 % power: (z_α + z_β)²·Var/scale ≤ d²? */
function powered(variance: number, diff: number, scale: number): boolean {
  return (Z_95 + Z_POWER_80) ** 2 * (variance / scale) <= diff * diff;
}

/**
 * Extra customers (both groups, current ratio) for 80 % power at the observed rates, α = 0.05
 * two-sided: with n_t, n_h scaled by s, (z_α + z_β)²·(p_t(1−p_t)/(s·n_t) + p_h(1−p_h)/(s·n_h)) =
 * (p_t − p_h)², so s = (z_α + z_β)²·Var/d² and the extra is N·(s − 1), rounded up: the smallest whole
 * number m of extra customers (split by the ratio, fractions allowed) with powered(·, 1 + m/N).
 * null when the observed difference is 0 (no sample size detects it).
 */
export function moreCustomersNeeded(treated: GroupStats, holdout: GroupStats): number | null {
  const pt = ratio(treated.converted, treated.customers);
  const ph = ratio(holdout.converted, holdout.customers);
  const diff = pt - ph;
  const total = treated.customers + holdout.customers;
  if (diff === 0 || total === 0) return null;
  const variance = rateVariance(pt, treated.customers) + rateVariance(ph, holdout.customers);
  const scale = ((Z_95 + Z_POWER_80) ** 2 * variance) / (diff * diff);
  let m = Math.max(0, Math.ceil(total * (scale - 1)));
  // Settle floating-point noise on the boundary against the very condition a brute force would test.
  while (m > 0 && powered(variance, diff, 1 + (m - 1) / total)) m--;
  while (!powered(variance, diff, 1 + m / total)) m++;
  return m;
}

const points = (fraction: number): string => (Math.abs(fraction) * 100).toFixed(1);

function verdict(t: GroupStats, h: GroupStats, rate: Interval): Verdict {
  if (t.customers < 2 || h.customers < 2 || (t.converted === 0 && h.converted === 0)) {
    return { code: 'insufficient_data', more_customers_needed: null, message: 'Not enough data yet.' };
  }
  if (rate.low > 0) {
    return {
      code: 'significant_positive',
      more_customers_needed: null,
      message: `Significant: the campaign raised conversion by ${points(rate.estimate)} points (95 % CI ${points(rate.low)} to ${points(rate.high)}).`,
    };
  }
  if (rate.high < 0) {
    return {
      code: 'significant_negative',
      more_customers_needed: null,
      message: `Significant: the campaign lowered conversion by ${points(rate.estimate)} points (95 % CI ${points(rate.high)} to ${points(rate.low)}).`,
    };
  }
  const more = moreCustomersNeeded(t, h);
  return {
    code: 'not_significant',
    more_customers_needed: more,
    message:
      more === null
        ? 'Not significant: the campaign and its holdout convert at the same rate.'
        : `Not yet significant: about ${more.toLocaleString('en-US')} more customers needed.`,
  };
}

/**
 * The campaign's lift over its holdout. Throws RangeError on impossible figures (negative or
 * fractional counts, more conversions than customers). Never NaN: an empty group has rate 0 and
 * revenue 0, and a variance that cannot be estimated (fewer than 2 customers) counts as 0.
 */
export function lift(treated: GroupStats, holdout: GroupStats): LiftResult {
  check('treated', treated);
  check('holdout', holdout);
  const t = summary(treated);
  const h = summary(holdout);
  const rateSe = Math.sqrt(rateVariance(t.rate, t.customers) + rateVariance(h.rate, h.customers));
  const rate_lift = around(t.rate - h.rate, rateSe);
  const revenueSe = Math.sqrt(
    ratio(revenueVariance(treated), treated.customers) + ratio(revenueVariance(holdout), holdout.customers),
  );
  return {
    treated: t,
    holdout: h,
    rate_lift,
    relative_lift: relativeLift(treated, holdout),
    revenue_lift: around(t.revenue_per_customer - h.revenue_per_customer, revenueSe),
    verdict: verdict(treated, holdout, rate_lift),
  };
}
