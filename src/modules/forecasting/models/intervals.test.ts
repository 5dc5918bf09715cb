import { describe, expect, it } from 'vitest';
import { forecastSeries, profileForecast, type SeriesForecast } from './index.ts';
import { averageBounds, countBounds, countQuantiles, finish, normalBounds } from './intervals.ts';
import { weeklySeries } from './testing.ts';

const nested = (f: Pick<SeriesForecast, 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95'>) => {
  for (let i = 0; i < f.mean.length; i++) {
    expect(f.lo95[i]).toBeGreaterThanOrEqual(0);
    expect(f.lo80[i]).toBeGreaterThanOrEqual(f.lo95[i]!);
    expect(f.mean[i]).toBeGreaterThanOrEqual(f.lo80[i]!);
    expect(f.hi80[i]).toBeGreaterThanOrEqual(f.mean[i]!);
    expect(f.hi95[i]).toBeGreaterThanOrEqual(f.hi80[i]!);
  }
};

describe('count quantiles', () => {
  it('Poisson(2): CDF 0.135, 0.406, 0.677, 0.857, 0.947, 0.983 → 2.5 % 0, 10 % 0, 90 % 4, 97.5 % 5', () => {
    const q = new Float64Array(4);
    expect(countQuantiles(2, 2, q)).toBe(true);
    expect(Array.from(q)).toEqual([0, 0, 4, 5]);
  });

  it('negative binomial with mean 2 and variance 4 (r = 2, p = 0.5: P(k) = (k + 1)/2^(k+2))', () => {
    // CDF: 0.25, 0.5, 0.6875, 0.8125, 0.890625, 0.9375, 0.96484, 0.98047 → 0, 0, 5, 7
    const q = new Float64Array(4);
    expect(countQuantiles(2, 4, q)).toBe(true);
    expect(Array.from(q)).toEqual([0, 0, 5, 7]);
  });

  it('hands a large mean over to the normal approximation', () => {
    expect(countQuantiles(1e6, 1e7, new Float64Array(4))).toBe(false);
  });
});

describe('bounds', () => {
  it('clamp at 0, replace what is not finite and nest', () => {
    const b = normalBounds(Float64Array.from([-3, 5, Number.NaN]), Float64Array.from([1, Number.NaN, 4]));
    expect(Array.from(b.mean)).toEqual([0, 5, 0]);
    expect(b.lo95[0]).toBe(0);
    expect(b.hi95[0]).toBeCloseTo(1.959963984540054, 12);
    expect(b.hi95[1]).toBe(5);
    nested(b);
    const odd = finish({
      mean: Float64Array.from([2]),
      lo80: Float64Array.from([3]),
      hi80: Float64Array.from([1]),
      lo95: Float64Array.from([Number.POSITIVE_INFINITY]),
      hi95: Float64Array.from([-1]),
    });
    nested(odd);
    expect(Array.from(odd.lo80)).toEqual([2]);
  });
});

describe('prediction intervals of the models', () => {
  it('SES: the variance grows as 1 + α²(h − 1)', () => {
    const values = weeklySeries(21, 400, 100, [0, 0, 0, 0, 0, 0, 0], 5);
    const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 28, models: ['ses'] });
    expect(f.model).toBe('ses');
    nested(f);
    const half = (h: number) => (f.hi95[h]! - f.mean[h]!) / 1.959963984540054;
    const alpha2 = (half(1) / half(0)) ** 2 - 1;
    expect(alpha2).toBeGreaterThan(0);
    expect(alpha2).toBeLessThan(1);
    for (let h = 1; h < 28; h++) {
      expect(half(h)).toBeGreaterThan(half(h - 1));
      expect((half(h) / half(0)) ** 2).toBeCloseTo(1 + alpha2 * h, 8);
      expect(f.hi80[h]! - f.mean[h]!).toBeCloseTo(1.2815515655446004 * half(h), 8);
    }
  });

  it('seasonal naive: σ√(k + 1), one more week at a time', () => {
    const values = weeklySeries(22, 200, 100, [0, 5, 10, 0, 0, 20, 10], 5);
    const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 21, models: ['seasonal_naive'] });
    nested(f);
    const half = (h: number) => f.hi95[h]! - f.mean[h]!;
    expect(half(6)).toBeCloseTo(half(0), 9);
    expect(half(7)).toBeCloseTo(half(0) * Math.SQRT2, 9);
    expect(half(20)).toBeCloseTo(half(0) * Math.sqrt(3), 9);
  });

  it('intermittent methods: count bounds, the same every day', () => {
    const values = Float64Array.from({ length: 300 }, (_, t) => (t % 3 === 0 ? 3 : 0));
    const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 10, models: ['croston'] });
    expect(f.model).toBe('croston');
    nested(f);
    expect(new Set(f.hi95).size).toBe(1);
    expect(f.hi95[0]).toBeGreaterThanOrEqual(3);
    expect(Number.isInteger(f.hi95[0])).toBe(true);
  });

  it('every model nests its bounds', () => {
    const values = weeklySeries(23, 500, 40, [0, 5, 10, 0, 0, 20, 10], 6);
    for (const m of [
      'holt',
      'holt_damped',
      'hw_additive',
      'hw_multiplicative',
      'hw_additive_damped',
    ] as const) {
      const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 28, models: [m] });
      expect(f.model).toBe(m);
      nested(f);
      expect(f.hi95[27]! - f.lo95[27]!).toBeGreaterThan(f.hi95[0]! - f.lo95[0]! - 1e-9);
    }
  });
});

describe('profileForecast', () => {
  it('scales the weekday profile from the first forecast day', () => {
    // Friday first; Saturday's multiplier 2 of a week summing to 8 → 2·7/8 = 1.75
    const f = profileForecast({ daily: 4, weekday: [1, 1, 1, 1, 1, 2, 1] }, 4, 9);
    expect(f.model).toBe('profile');
    expect(f.mean[0]).toBeCloseTo(3.5, 12);
    expect(f.mean[1]).toBeCloseTo(7, 12);
    expect(f.mean[8]).toBeCloseTo(7, 12);
    nested(f);
    expect(f.demandClass).toBe('smooth');
  });

  it('ignores an unusable profile and a negative rate', () => {
    expect(Array.from(profileForecast({ daily: 2, weekday: [1, 2] }, 0, 3).mean)).toEqual([2, 2, 2]);
    const z = profileForecast({ daily: -1 }, 0, 3);
    expect(Array.from(z.hi95)).toEqual([0, 0, 0]);
    expect(z.demandClass).toBe('empty');
    expect(profileForecast({ daily: 0.2 }, 0, 1).demandClass).toBe('intermittent');
  });
});

describe('a combination’s bounds', () => {
  it('averages the components quantile by quantile and keeps them nested', () => {
    const a = normalBounds(Float64Array.from([10, 12]), Float64Array.from([4, 9]));
    const b = countBounds(1, 3, 2);
    const c = averageBounds([a, b]);
    for (const key of ['mean', 'lo80', 'hi80', 'lo95', 'hi95'] as const) {
      for (let i = 0; i < 2; i++) expect(c[key][i]).toBeCloseTo((a[key][i]! + b[key][i]!) / 2, 12);
    }
    nested(c);
    expect(averageBounds([a]).hi95).toEqual(a.hi95);
  });
});
