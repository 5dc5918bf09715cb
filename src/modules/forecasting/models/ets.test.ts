import { describe, expect, it } from 'vitest';
import { EtsModel, type EtsName } from './ets.ts';
import { type EtsParams, runEts } from './ets-core.ts';
import type { Prepared } from './types.ts';

const series = (v: number[], m = 7, missing: number[] = []): Prepared => {
  const miss = new Uint8Array(v.length);
  for (const t of missing) miss[t] = 1;
  return { y: Float64Array.from(v), miss, n: v.length, m };
};

/** A model with fixed parameters and state, as if fitted, to check the recursions by hand. */
const fixed = (name: EtsName, m: number, par: EtsParams, l: number, b: number, s: number[]): EtsModel => {
  const model = new EtsModel(name, m);
  model.params = { ...par };
  model.state = { l, b, s: Float64Array.from(s), j: 0 };
  return model;
};

const forecast = (model: EtsModel, h: number): number[] => {
  const out = new Float64Array(h);
  model.forecast(out);
  return Array.from(out);
};

describe('exponential smoothing recursions (fixed parameters, checked by hand)', () => {
  it('SES: l ← l + αe', () => {
    // α = 0.5, l0 = 4, y = 3, 5, 4
    // t1: ŷ = 4,    e = −1,    l = 3.5
    // t2: ŷ = 3.5,  e = 1.5,   l = 4.25
    // t3: ŷ = 4.25, e = −0.25, l = 4.125      SSE = 1 + 2.25 + 0.0625 = 3.3125
    const m = fixed('ses', 1, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, 4, 0, [0]);
    const sse = runEts(m.state, m.params, false, series([3, 5, 4], 1), 0, 3);
    expect(sse).toBeCloseTo(3.3125, 12);
    expect(forecast(m, 3)).toEqual([4.125, 4.125, 4.125]);
  });

  it('SES: a missing day takes the forecast as its value (no correction)', () => {
    // as above with t2 censored: l stays 3.5 through t2, then t3: e = 0.5, l = 3.75; SSE = 1 + 0.25
    const m = fixed('ses', 1, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, 4, 0, [0]);
    const sse = runEts(m.state, m.params, false, series([3, 5, 4], 1, [1]), 0, 3);
    expect(sse).toBeCloseTo(1.25, 12);
    expect(m.state.l).toBeCloseTo(3.75, 12);
  });

  it('Holt: l ← l + b + αe, b ← b + βe', () => {
    // α = 0.5, β = 0.1, l0 = 9, b0 = 1, y = 10, 12, 15
    // t1: ŷ = 10,   e = 0,   l = 10,   b = 1
    // t2: ŷ = 11,   e = 1,   l = 11.5, b = 1.1
    // t3: ŷ = 12.6, e = 2.4, l = 13.8, b = 1.34
    // forecasts: 13.8 + 1.34 = 15.14, 13.8 + 2·1.34 = 16.48
    const m = fixed('holt', 1, { alpha: 0.5, beta: 0.1, gamma: 0, phi: 1 }, 9, 1, [0]);
    runEts(m.state, m.params, false, series([10, 12, 15], 1), 0, 3);
    const f = forecast(m, 2);
    expect(f[0]).toBeCloseTo(15.14, 12);
    expect(f[1]).toBeCloseTo(16.48, 12);
  });

  it('damped Holt: l ← l + φb + αe, b ← φb + βe, ŷ(h) = l + (φ + … + φ^h)b', () => {
    // α = 0.5, β = 0.1, φ = 0.9, l0 = 9, b0 = 1, y = 10, 12
    // t1: l + φb = 9.9,    e = 0.1,   l = 9.95,    b = 0.9 + 0.01 = 0.91
    // t2: l + φb = 10.769, e = 1.231, l = 11.3845, b = 0.819 + 0.1231 = 0.9421
    // forecasts: 11.3845 + 0.9·0.9421 = 12.23239, 11.3845 + 1.71·0.9421 = 12.995491
    const m = fixed('holt_damped', 1, { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 }, 9, 1, [0]);
    runEts(m.state, m.params, false, series([10, 12], 1), 0, 2);
    const f = forecast(m, 2);
    expect(f[0]).toBeCloseTo(12.23239, 10);
    expect(f[1]).toBeCloseTo(12.995491, 10);
  });

  it('Holt-Winters additive: s ← s + γe', () => {
    // m = 2, α = 0.2, γ = 0.3, l0 = 10, s = (1, −1), y = 12, 8, 13
    // t1: ŷ = 11,    e = 1,     l = 10.2,   s0 = 1.3
    // t2: ŷ = 9.2,   e = −1.2,  l = 9.96,   s1 = −1.36
    // t3: ŷ = 11.26, e = 1.74,  l = 10.308, s0 = 1.822
    // forecasts: 10.308 − 1.36 = 8.948, 10.308 + 1.822 = 12.13, then 8.948 again
    const m = fixed('hw_additive', 2, { alpha: 0.2, beta: 0, gamma: 0.3, phi: 1 }, 10, 0, [1, -1]);
    runEts(m.state, m.params, false, series([12, 8, 13], 2), 0, 3);
    const f = forecast(m, 3);
    expect(f[0]).toBeCloseTo(8.948, 12);
    expect(f[1]).toBeCloseTo(12.13, 12);
    expect(f[2]).toBeCloseTo(8.948, 12);
  });

  it('Holt-Winters multiplicative: l ← l + αe/s, s ← s + γe/l', () => {
    // m = 2, α = 0.2, γ = 0.1, l0 = 10, s = (1.2, 0.8), y = 13, 7
    // t1: ŷ = 12,         e = 1,          l = 10 + 0.2/1.2 = 10.1666667, s0 = 1.2 + 0.1/10 = 1.21
    // t2: ŷ = 8.1333333,  e = −1.1333333, l = 10.1666667 − 0.2·1.1333333/0.8 = 9.8833333,
    //     s1 = 0.8 − 0.1·1.1333333/10.1666667 = 0.7888525
    // forecasts: 9.8833333·1.21 = 11.9588333, 9.8833333·0.7888525 = 7.7964918
    const m = fixed('hw_multiplicative', 2, { alpha: 0.2, beta: 0, gamma: 0.1, phi: 1 }, 10, 0, [1.2, 0.8]);
    runEts(m.state, m.params, true, series([13, 7], 2), 0, 2);
    const f = forecast(m, 2);
    expect(f[0]).toBeCloseTo(11.9588333, 6);
    expect(f[1]).toBeCloseTo(7.7964918, 6);
  });
});

describe('class-1 forecast variances against the closed forms of Hyndman et al. (2008, table 6.1)', () => {
  const variances = (m: EtsModel, h: number): number[] => {
    const out = new Float64Array(h);
    m.variances(out);
    return Array.from(out);
  };

  it('SES: σ²[1 + α²(h − 1)]', () => {
    const m = fixed('ses', 1, { alpha: 0.3, beta: 0, gamma: 0, phi: 1 }, 0, 0, [0]);
    m.sigma2 = 4;
    for (const [i, v] of variances(m, 10).entries()) expect(v).toBeCloseTo(4 * (1 + 0.09 * i), 12);
  });

  it('Holt: σ²[1 + (h − 1){α² + αβh + β²h(2h − 1)/6}]', () => {
    const a = 0.4;
    const b = 0.05;
    const m = fixed('holt', 1, { alpha: a, beta: b, gamma: 0, phi: 1 }, 0, 0, [0]);
    m.sigma2 = 2;
    variances(m, 12).forEach((v, i) => {
      const h = i + 1;
      expect(v).toBeCloseTo(2 * (1 + (h - 1) * (a * a + a * b * h + (b * b * h * (2 * h - 1)) / 6)), 10);
    });
  });

  it('additive Holt-Winters without trend: σ²[1 + α²(h − 1) + γk(2α + γ)], k = ⌊(h − 1)/m⌋', () => {
    const a = 0.2;
    const g = 0.3;
    const m = fixed('hw_additive', 7, { alpha: a, beta: 0, gamma: g, phi: 1 }, 0, 0, [0, 0, 0, 0, 0, 0, 0]);
    m.sigma2 = 1;
    variances(m, 28).forEach((v, i) => {
      const h = i + 1;
      const k = Math.floor((h - 1) / 7);
      expect(v).toBeCloseTo(1 + a * a * (h - 1) + g * k * (2 * a + g), 10);
    });
  });
});

describe('fitting', () => {
  it('recovers a level and forecasts a noiseless seasonal pattern', () => {
    const week = [10, 12, 11, 13, 20, 30, 25];
    const v = Array.from({ length: 120 }, (_, t) => week[t % 7]!);
    const m = new EtsModel('hw_additive', 7);
    expect(m.fit(series(v), 0, 120, 120)).toBe(true);
    const f = forecast(m, 7);
    // day 120 is position 120 mod 7 = 1 of the week
    for (const [h, x] of f.entries()) expect(x).toBeCloseTo(week[(120 + h) % 7]!, 6);
  });

  it('refuses a model the window cannot carry', () => {
    const m = new EtsModel('hw_additive_damped', 7);
    // 13 observed days: k = 4 parameters + 8 states + σ = 13, so n − k − 1 < 0
    expect(m.fit(series(Array.from({ length: 13 }, (_, t) => t)), 0, 13, 13)).toBe(false);
  });
});
