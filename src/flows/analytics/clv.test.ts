/**
 * Customer lifetime value (clv.ts, clv-fit.ts) checked against published results on the CDNOW
 * sample (2,357 customers, 39 weeks; fixtures/cdnow-summary.csv from the MIT-licensed `lifetimes`):
 * BG/NBD MLEs and log-likelihood from Fader, Hardie & Lee (2005), Gamma-Gamma MLEs from their RFM
 * paper, and expectations from Hardie's spreadsheets as quoted in lifetimes' tests/test_estimation.py.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bgNbdLogLikelihood,
  type ClvCustomer,
  expectedAverageValue,
  expectedPurchases,
  expectedPurchasesNew,
  fitBgNbd,
  fitGammaGamma,
  lifetimeValue,
  probabilityAlive,
} from './clv.ts';
import { hyp2f1, lgamma, logAddExp, nelderMead } from './clv-fit.ts';

const cdnow: ClvCustomer[] = readFileSync(new URL('./fixtures/cdnow-summary.csv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .slice(1) // header: frequency,recency,T,monetary_value
  .map((line) => {
    const [x, tx, T, m] = line.split(',').map(Number);
    return { x: x!, tx: tx!, T: T!, m: m! };
  });

const bg = fitBgNbd(cdnow);
const gg = fitGammaGamma(cdnow);
const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const relative = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe('clv: numerical helpers', () => {
  it('computes log-gamma to ~1e-13', () => {
    expect(lgamma(1)).toBeCloseTo(0, 13);
    expect(lgamma(2)).toBeCloseTo(0, 13);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lgamma(10)).toBeCloseTo(Math.log(362_880), 12);
    expect(lgamma(100)).toBeCloseTo(359.1342053695754, 10);
    expect(lgamma(0.243)).toBeCloseTo(1.3180435846996699, 12); // Python math.lgamma(0.243)
    expect(lgamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 12);
  });

  it('adds in log space without overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, -3)).toBe(-3);
  });

  it('sums 2F1 to closed forms', () => {
    for (const z of [0, 0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(z === 0 ? 1 : -Math.log(1 - z) / z, 12);
      expect(hyp2f1(0.7, 2.3, 2.3, z)).toBeCloseTo((1 - z) ** -0.7, 10);
    }
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });

  it('finds the Rosenbrock minimum with Nelder–Mead, deterministically', () => {
    const rosenbrock = ([x, y]: readonly number[]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2;
    const result = nelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(nelderMead(rosenbrock, [-1.2, 1])).toEqual(result);
  });
});

describe('clv: BG/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  it('reads the 2,357 CDNOW customers', () => {
    expect(cdnow).toHaveLength(2357);
    expect(cdnow.filter((c) => c.x > 0)).toHaveLength(946);
    expect(cdnow[0]).toEqual({ x: 2, tx: 30.43, T: 38.86, m: 22.35 });
  });

  it('recovers the published MLEs r 0.243, alpha 4.414, a 0.793, b 2.426, LL −9582.4', () => {
    expect(bg.converged).toBe(true);
    expect(Math.abs(bg.r - published.r)).toBeLessThan(0.01);
    expect(relative(bg.r, published.r)).toBeLessThan(0.02);
    expect(relative(bg.alpha, published.alpha)).toBeLessThan(0.02);
    expect(relative(bg.a, published.a)).toBeLessThan(0.02);
    expect(relative(bg.b, published.b)).toBeLessThan(0.02);
    expect(Math.abs(bg.logLikelihood - -9582.4)).toBeLessThan(0.5);
    // The published parameters, rounded to 3 decimals, are no better than the fit.
    expect(bgNbdLogLikelihood(published, cdnow)).toBeLessThanOrEqual(bg.logLikelihood);
  });

  it('converges to the same optimum from a distant start', () => {
    const other = fitBgNbd(cdnow, { start: { r: 5, alpha: 0.5, a: 3, b: 0.3 } });
    expect(other.converged).toBe(true);
    expect(other.r).toBeCloseTo(bg.r, 4);
    expect(other.alpha).toBeCloseTo(bg.alpha, 3);
    expect(other.a).toBeCloseTo(bg.a, 4);
    expect(other.b).toBeCloseTo(bg.b, 3);
    expect(other.logLikelihood).toBeCloseTo(bg.logLikelihood, 6);
  });

  it('is unit-agnostic: days instead of weeks scale alpha by 7 and nothing else', () => {
    const days = fitBgNbd(cdnow.map((c) => ({ x: c.x, tx: c.tx * 7, T: c.T * 7 })));
    expect(days.alpha / bg.alpha).toBeCloseTo(7, 4);
    expect(days.r).toBeCloseTo(bg.r, 5);
    expect(days.a).toBeCloseTo(bg.a, 5);
    expect(days.b).toBeCloseTo(bg.b, 5);
    // The density of purchase times picks up a factor 1/7 per repeat purchase.
    const repeats = cdnow.reduce((s, c) => s + c.x, 0);
    expect(days.logLikelihood).toBeCloseTo(bg.logLikelihood - repeats * Math.log(7), 5);
  });

  it("matches Hardie's spreadsheet for E[X(t)] of a new customer (eq. 7)", () => {
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) => {
      expect(Math.abs(expectedPurchasesNew(bg, t) - expected[i]!), `t=${t}`).toBeLessThan(1e-3);
    });
    expect(expectedPurchasesNew(bg, 0)).toBe(0);
  });

  it("matches Hardie's spreadsheet for customer 1's next 39 weeks (eq. 10): 1.226", () => {
    expect(Math.abs(expectedPurchases(bg, 39, { x: 2, tx: 30.43, T: 38.86 }) - 1.226)).toBeLessThan(1e-3);
  });

  it('gives P(alive) = 1 without repeat purchases and within [0, 1] otherwise', () => {
    expect(probabilityAlive(bg, { x: 0, tx: 0, T: 38.86 })).toBe(1);
    for (let x = 0; x < 100; x += 10)
      for (let tx = 0; tx < 100; tx += 10)
        for (let T = Math.max(tx, 1); T < 100; T += 10) {
          const p = probabilityAlive(bg, { x, tx: x === 0 ? 0 : tx, T });
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
  });

  it('behaves monotonically', () => {
    const customer = { x: 3, tx: 20, T: 38 };
    // More recent last purchase → more likely alive and more purchases expected.
    expect(probabilityAlive(bg, customer)).toBeLessThan(probabilityAlive(bg, { ...customer, tx: 30 }));
    expect(expectedPurchases(bg, 10, customer)).toBeLessThan(
      expectedPurchases(bg, 10, { ...customer, tx: 30 }),
    );
    // Longer silence → less likely alive.
    expect(probabilityAlive(bg, { ...customer, T: 60 })).toBeLessThan(probabilityAlive(bg, customer));
    // More purchases at the same recency → more purchases expected.
    expect(expectedPurchases(bg, 10, { x: 6, tx: 37, T: 38 })).toBeGreaterThan(
      expectedPurchases(bg, 10, { x: 3, tx: 37, T: 38 }),
    );
    // Cumulative expectations grow with the horizon.
    let previous = 0;
    for (const t of [1, 5, 10, 52, 104, 520]) {
      const now = expectedPurchases(bg, t, customer);
      expect(now).toBeGreaterThan(previous);
      previous = now;
    }
  });

  it('rejects impossible histories', () => {
    expect(() => fitBgNbd([])).toThrow(RangeError);
    expect(() => probabilityAlive(bg, { x: 1, tx: 40, T: 39 })).toThrow(RangeError);
    expect(() => expectedPurchases(bg, 1, { x: 1.5, tx: 3, T: 39 })).toThrow(RangeError);
    expect(() => expectedPurchasesNew(bg, -1)).toThrow(RangeError);
  });
});

describe('clv: Gamma-Gamma on CDNOW (Fader, Hardie & Lee 2005, RFM and CLV)', () => {
  it('recovers the published MLEs p 6.25, q 3.74, v 15.44 from the 946 repeat customers', () => {
    expect(gg.converged).toBe(true);
    expect(relative(gg.p, 6.25)).toBeLessThan(0.03);
    expect(relative(gg.q, 3.74)).toBeLessThan(0.03);
    expect(relative(gg.v, 15.44)).toBeLessThan(0.03);
    // Rows with x = 0 carry no spend information and do not change the fit.
    expect(fitGammaGamma(cdnow.filter((c) => c.x > 0))).toEqual(gg);
  });

  it("matches Hardie's spreadsheet for the first 10 customers' expected spend", () => {
    const expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    cdnow.slice(0, 10).forEach((c, i) => {
      expect(Math.abs(expectedAverageValue(gg, c) - expected[i]!), `customer ${i + 1}`).toBeLessThan(0.01);
    });
  });

  it('rejects non-positive spend and an infinite mean', () => {
    expect(() => fitGammaGamma([{ x: 1, m: 0 }])).toThrow(RangeError);
    expect(() => expectedAverageValue({ p: 6, q: 0.9, v: 15 }, { x: 1, m: 10 })).toThrow(RangeError);
  });
});

describe('clv: discounted lifetime value', () => {
  const customer = cdnow[0]!;

  it('is expected purchases × expected spend when undiscounted', () => {
    const value = expectedAverageValue(gg, customer);
    const undiscounted = expectedPurchases(bg, 52, customer) * value;
    expect(lifetimeValue(bg, gg, customer, 52, { periods: 1 })).toBeCloseTo(undiscounted, 10);
    expect(lifetimeValue(bg, gg, customer, 52)).toBeCloseTo(undiscounted, 10);
    expect(lifetimeValue(bg, gg, customer, 52, { periods: 12 })).toBeCloseTo(undiscounted, 10);
  });

  it('discounts each slice by (1 + rate)^k', () => {
    const first = lifetimeValue(bg, gg, customer, 4, { periods: 1 });
    expect(lifetimeValue(bg, gg, customer, 4, { periods: 1, discountRatePerPeriod: 1 })).toBeCloseTo(
      first / 2,
      10,
    );
    const second = lifetimeValue(bg, gg, customer, 8, { periods: 2 }) - first;
    expect(lifetimeValue(bg, gg, customer, 8, { periods: 2, discountRatePerPeriod: 1 })).toBeCloseTo(
      first / 2 + second / 4,
      10,
    );
    const weekly = { discountRatePerPeriod: 0.002 };
    expect(lifetimeValue(bg, gg, customer, 52, weekly)).toBeLessThan(lifetimeValue(bg, gg, customer, 52));
  });

  it('is 0 when nothing is expected: zero horizon, or a customer who has surely left', () => {
    expect(lifetimeValue(bg, gg, customer, 0)).toBe(0);
    const gone = { x: 25, tx: 1, T: 39, m: 30 };
    expect(probabilityAlive(bg, gone)).toBeLessThan(1e-12);
    expect(lifetimeValue(bg, gg, gone, 52)).toBeCloseTo(0, 9);
  });

  it('grows with the horizon and values a new customer at the population mean spend', () => {
    const newcomer = { x: 0, tx: 0, T: 1, m: 0 };
    expect(expectedAverageValue(gg, newcomer)).toBeCloseTo((gg.p * gg.v) / (gg.q - 1), 10);
    expect(lifetimeValue(bg, gg, newcomer, 104)).toBeGreaterThan(lifetimeValue(bg, gg, newcomer, 52));
    expect(() => lifetimeValue(bg, gg, customer, 52, { periods: 0 })).toThrow(RangeError);
  });
});
