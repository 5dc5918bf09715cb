/** Campaign lift against its holdout on hand-computed figures: Wald, Katz, Welch, power, verdicts. */
import { describe, expect, it } from 'vitest';
import { type GroupStats, lift, moreCustomersNeeded, Z_95, Z_POWER_80 } from './lift.ts';

/** A group whose revenue is not looked at. */
const group = (customers: number, converted: number): GroupStats => ({
  customers,
  converted,
  revenue: 0,
  revenueSquares: 0,
});

/** A group from each customer's revenue (a customer converted when the revenue is positive). */
const fromRevenues = (revenues: number[]): GroupStats => ({
  customers: revenues.length,
  converted: revenues.filter((r) => r > 0).length,
  revenue: revenues.reduce((s, r) => s + r, 0),
  revenueSquares: revenues.reduce((s, r) => s + r * r, 0),
});

/** Every number anywhere in a value, with its path. */
function numbers(value: unknown, at = '$'): [string, number][] {
  if (typeof value === 'number') return [[at, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => numbers(v, `${at}.${k}`));
}

describe('lift: the conversion rate difference (Wald)', () => {
  // Treated 120/1000 = 0.12, holdout 80/1000 = 0.08: difference 0.04.
  // SE = sqrt(0.12·0.88/1000 + 0.08·0.92/1000) = sqrt(0.0001792) = 0.013386560424545…
  // CI = 0.04 ± 1.959963984540054 · SE = 0.04 ± 0.026237176… = [0.013762823691…, 0.066237176308…]
  const r = lift(group(1000, 120), group(1000, 80));

  it('summarises both groups', () => {
    expect(r.treated).toEqual({ customers: 1000, converted: 120, rate: 0.12, revenue_per_customer: 0 });
    expect(r.holdout).toEqual({ customers: 1000, converted: 80, rate: 0.08, revenue_per_customer: 0 });
  });

  it('gives 0.04 with its 95 % interval to 1e-9', () => {
    const se = Math.sqrt((0.12 * 0.88) / 1000 + (0.08 * 0.92) / 1000);
    expect(se).toBeCloseTo(0.013386560424545, 12);
    expect(r.rate_lift.estimate).toBeCloseTo(0.04, 12);
    expect(Math.abs(r.rate_lift.low - 0.013762823691022)).toBeLessThan(1e-9);
    expect(Math.abs(r.rate_lift.high - 0.066237176308978)).toBeLessThan(1e-9);
  });

  it('gives the relative lift with the Katz log risk-ratio interval', () => {
    // RR = 0.12/0.08 = 1.5. SE(ln RR) = sqrt(1/120 − 1/1000 + 1/80 − 1/1000) = sqrt(0.0188333…)
    // = 0.137234592334926. exp(ln 1.5 ∓ 1.96 · 0.1372346) − 1 = 0.146243701499797, 0.962933359682586.
    expect(r.relative_lift).not.toBeNull();
    expect(r.relative_lift?.estimate).toBeCloseTo(0.5, 12);
    expect(Math.abs((r.relative_lift?.low ?? 0) - 0.146243701499797)).toBeLessThan(1e-9);
    expect(Math.abs((r.relative_lift?.high ?? 0) - 0.962933359682586)).toBeLessThan(1e-9);
  });

  it('says significant and positive, in points', () => {
    expect(r.verdict).toEqual({
      code: 'significant_positive',
      more_customers_needed: null,
      message: 'Significant: the campaign raised conversion by 4.0 points (95 % CI 1.4 to 6.6).',
    });
  });

  it('says significant and negative the other way round', () => {
    const down = lift(group(1000, 80), group(1000, 120));
    expect(down.rate_lift.estimate).toBeCloseTo(-0.04, 12);
    expect(Math.abs(down.rate_lift.high + 0.013762823691022)).toBeLessThan(1e-9);
    expect(down.verdict).toEqual({
      code: 'significant_negative',
      more_customers_needed: null,
      message: 'Significant: the campaign lowered conversion by 4.0 points (95 % CI 1.4 to 6.6).',
    });
    expect(down.relative_lift?.estimate).toBeCloseTo(80 / 120 - 1, 12);
  });
});

describe('lift: revenue per customer (Welch, normal approximation)', () => {
  it('matches a small example computed by hand', () => {
    // Treated revenues 100, 200, 300: mean 200, Σx² = 140000, variance (140000 − 600²/3)/2 = 10000.
    // Holdout revenues 0, 100, 0, 100: mean 50, Σx² = 20000, variance (20000 − 200²/4)/3 = 10000/3.
    // SE = sqrt(10000/3 + (10000/3)/4) = sqrt(4166.67) = 64.549722436790…
    // CI = 150 ± 1.959963984540054 · 64.5497224 = [23.484868811834, 276.515131188166].
    const r = lift(fromRevenues([100, 200, 300]), fromRevenues([0, 100, 0, 100]));
    expect(r.treated.revenue_per_customer).toBe(200);
    expect(r.holdout.revenue_per_customer).toBe(50);
    expect(r.revenue_lift.estimate).toBe(150);
    expect(Math.abs(r.revenue_lift.low - 23.484868811834)).toBeLessThan(1e-9);
    expect(Math.abs(r.revenue_lift.high - 276.515131188166)).toBeLessThan(1e-9);
  });

  it('has a zero-width interval when every customer spent the same', () => {
    const r = lift(fromRevenues([500, 500, 500]), fromRevenues([500, 500]));
    expect(r.revenue_lift).toEqual({ estimate: 0, low: 0, high: 0 });
  });
});

describe('lift: the verdict', () => {
  it('says insufficient data below 2 customers a group, or with no conversion at all', () => {
    const expected = {
      code: 'insufficient_data',
      more_customers_needed: null,
      message: 'Not enough data yet.',
    };
    expect(lift(group(1, 1), group(1000, 80)).verdict).toEqual(expected);
    expect(lift(group(1000, 120), group(1, 0)).verdict).toEqual(expected);
    expect(lift(group(0, 0), group(0, 0)).verdict).toEqual(expected);
    expect(lift(group(5000, 0), group(5000, 0)).verdict).toEqual(expected);
  });

  it('says not yet significant with the customers still needed: 110 vs 100 of 1000', () => {
    // Var = (0.11·0.89 + 0.10·0.90)/1000 = 0.0001879; (z_α + z_β)² = 2.80158521811…² = 7.84887…
    // scale = 7.84887 · 0.0001879 / 0.01² = 14.748045; extra = 2000 · 13.748045 = 27496.09 → 27,497.
    const r = lift(group(1000, 110), group(1000, 100));
    expect(r.rate_lift.low).toBeLessThan(0);
    expect(r.rate_lift.high).toBeGreaterThan(0);
    expect(r.verdict).toEqual({
      code: 'not_significant',
      more_customers_needed: 27_497,
      message: 'Not yet significant: about 27,497 more customers needed.',
    });
  });

  it('says not significant with no figure when the rates are the same', () => {
    expect(lift(group(1000, 100), group(500, 50)).verdict).toEqual({
      code: 'not_significant',
      more_customers_needed: null,
      message: 'Not significant: the campaign and its holdout convert at the same rate.',
    });
  });
});

describe('moreCustomersNeeded: 80 % power at the observed rates', () => {
  /** Smallest m (extra customers, split by the current ratio) with (z_α+z_β)²·Var ≤ d², by brute force. */
  function bruteForce(t: GroupStats, h: GroupStats): number {
    const pt = t.converted / t.customers;
    const ph = h.converted / h.customers;
    const total = t.customers + h.customers;
    for (let m = 0; ; m++) {
      const nt = t.customers + (m * t.customers) / total;
      const nh = h.customers + (m * h.customers) / total;
      const lhs = (Z_95 + Z_POWER_80) ** 2 * ((pt * (1 - pt)) / nt + (ph * (1 - ph)) / nh);
      if (lhs <= (pt - ph) ** 2) return m;
    }
  }

  const cases: [GroupStats, GroupStats][] = [
    [group(1000, 110), group(1000, 100)],
    [group(900, 54), group(100, 5)], // 90:10 split
    [group(200, 30), group(50, 5)],
    [group(3000, 90), group(3000, 105)], // negative difference
    [group(40, 3), group(40, 1)],
  ];

  for (const [t, h] of cases) {
    it(`is the smallest count that reaches the target: ${t.converted}/${t.customers} vs ${h.converted}/${h.customers}`, () => {
      const m = moreCustomersNeeded(t, h);
      expect(m).toBe(bruteForce(t, h));
      const r = lift(t, h);
      expect(r.verdict.code).toBe('not_significant');
      expect(r.verdict.more_customers_needed).toBe(m);
    });
  }

  it('is null when the difference is 0 or there are no customers', () => {
    expect(moreCustomersNeeded(group(100, 10), group(100, 10))).toBeNull();
    expect(moreCustomersNeeded(group(0, 0), group(0, 0))).toBeNull();
  });
});

describe('lift: edge cases never give NaN', () => {
  const edges: [string, GroupStats, GroupStats][] = [
    ['no conversion in treated', group(100, 0), group(100, 5)],
    ['no conversion in holdout', group(100, 5), group(100, 0)],
    ['no conversion at all', group(100, 0), group(100, 0)],
    ['empty treated', group(0, 0), group(100, 5)],
    ['empty groups', group(0, 0), group(0, 0)],
    ['one customer each', fromRevenues([700]), fromRevenues([0])],
    ['everyone converted', fromRevenues([10, 20]), fromRevenues([30, 40])],
  ];
  for (const [name, t, h] of edges) {
    it(name, () => {
      const r = lift(t, h);
      for (const [path, n] of numbers(r)) expect(Number.isFinite(n), path).toBe(true);
    });
  }

  it('has no relative lift when a group has no conversion', () => {
    expect(lift(group(100, 0), group(100, 5)).relative_lift).toBeNull();
    expect(lift(group(100, 5), group(100, 0)).relative_lift).toBeNull();
  });

  it('reads 0 of 100 against 5 of 100 as significantly negative (Wald, SE from the holdout only)', () => {
    // SE = sqrt(0 + 0.05·0.95/100) = 0.021794494717703; high = −0.05 + 1.96·SE = −0.0072836…
    const r = lift(group(100, 0), group(100, 5));
    expect(r.rate_lift.high).toBeCloseTo(-0.05 + Z_95 * Math.sqrt(0.0475 / 100), 12);
    expect(r.verdict.code).toBe('significant_negative');
  });

  it('refuses impossible figures', () => {
    expect(() => lift(group(10, 11), group(10, 1))).toThrow(RangeError);
    expect(() => lift(group(-1, 0), group(10, 1))).toThrow(RangeError);
    expect(() => lift(group(10, 1), group(10.5, 1))).toThrow(RangeError);
    expect(() => lift({ ...group(10, 1), revenue: Number.NaN }, group(10, 1))).toThrow(RangeError);
  });
});
