import { describe, expect, it } from 'vitest';
import { forecastSeries, type ModelName, type SeriesForecast } from './index.ts';
import { prng, weeklySeries } from './testing.ts';

const SEASONAL = new Set<ModelName>([
  'hw_additive',
  'hw_multiplicative',
  'hw_additive_damped',
  'hw_multiplicative_damped',
]);

/** The ETS candidate with the lowest AICc. */
const aiccBest = (f: SeriesForecast): ModelName => {
  const ets = f.candidates.filter((c) => c.aicc !== null);
  expect(ets.length).toBeGreaterThan(0);
  return ets.reduce((a, c) => (c.aicc! < a.aicc! ? c : a)).model;
};

describe('AICc among the exponential-smoothing models', () => {
  it('prefers a seasonal model on a clearly seasonal series', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const values = weeklySeries(seed, 400, 50, [-10, -8, -5, 0, 5, 15, 3], 2);
      const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 14 });
      expect(SEASONAL.has(aiccBest(f))).toBe(true);
      expect(SEASONAL.has(f.model)).toBe(true);
      expect(f.mase!).toBeLessThan(f.baselineMase!);
    }
  });

  it('prefers a non-seasonal model on white noise', () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const values = weeklySeries(seed, 400, 50, [0, 0, 0, 0, 0, 0, 0], 5);
      const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 14 });
      expect(['ses', 'holt', 'holt_damped']).toContain(aiccBest(f));
    }
  });
});

describe('the backtest', () => {
  it('chooses an intermittent method on an intermittent series', () => {
    // 3 units every third day: seasonal naive (a week back) is always out of phase, Croston's
    // forecast is 1/day and SBA's 0.95/day, the lowest absolute error
    const values = Float64Array.from({ length: 300 }, (_, t) => (t % 3 === 0 ? 3 : 0));
    const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 7 });
    expect(f.demandClass).toBe('intermittent');
    expect(['croston', 'sba', 'tsb']).toContain(f.model);
    expect(f.mase!).toBeLessThan(f.baselineMase!);
    expect(f.candidates.map((c) => c.model)).toEqual(
      expect.arrayContaining(['seasonal_naive', 'ses', 'croston', 'sba', 'tsb']),
    );
  });

  it('backtests Croston, SBA and TSB on noisy intermittent series and mostly picks a level method', () => {
    // iid demand on 35 % of days, 1 to 8 units: in expectation a level forecast (SES, Croston, SBA,
    // TSB) beats seasonal naive, but a 28-day backtest is noisy, so seasonal naive still wins some
    let level = 0;
    for (let seed = 0; seed < 20; seed++) {
      const r = prng(seed + 100);
      const values = Float64Array.from({ length: 400 }, () => (r() < 0.35 ? 1 + Math.floor(r() * 8) : 0));
      const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 28 });
      expect(f.demandClass).toBe('intermittent');
      for (const m of ['croston', 'sba', 'tsb'] as const) {
        expect(f.candidates.find((c) => c.model === m)?.mase).toBeGreaterThan(0);
      }
      if (['ses', 'croston', 'sba', 'tsb'].includes(f.model)) level++;
      expect(f.backtest!.chosenAbsError).toBeLessThanOrEqual(f.backtest!.baselineAbsError);
    }
    expect(level).toBeGreaterThanOrEqual(12);
  });

  it('reports the errors summed over the backtest, censored days left out', () => {
    const values = weeklySeries(7, 200, 20, [0, 0, 0, 0, 5, 10, 5], 2);
    const censored = new Uint8Array(200);
    censored[195] = 1;
    censored[180] = 1;
    const f = forecastSeries({ values, censored, firstWeekday: 0 }, { horizon: 7 });
    const b = f.backtest!;
    expect(b.points).toBe(26); // 4 origins × 7 days, two censored
    expect(b.scale).toBeGreaterThan(0);
    expect(f.mase).toBeCloseTo(b.chosenAbsError / b.points / b.scale, 12);
    expect(f.baselineMase).toBeCloseTo(b.baselineAbsError / b.points / b.scale, 12);
    expect(f.bias).toBeCloseTo(b.chosenError / b.actualSum, 12);
  });

  it('honours a restricted candidate list, still backtesting the baseline', () => {
    const values = weeklySeries(8, 300, 20, [0, 0, 0, 0, 5, 10, 5], 2);
    const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 7, models: ['holt'] });
    expect(f.model).toBe('holt');
    expect(f.candidates.map((c) => c.model)).toEqual(['holt']);
    expect(f.baselineMase).not.toBeNull();
  });

  it('is deterministic', () => {
    const values = weeklySeries(9, 500, 30, [0, 1, 2, 3, 4, 5, 6], 4);
    const a = forecastSeries({ values, firstWeekday: 3 }, { horizon: 28 });
    const b = forecastSeries({ values, firstWeekday: 3 }, { horizon: 28 });
    expect(b).toEqual(a);
  });
});

describe('series too short or empty for a model', () => {
  const run = (v: number[], censored?: number[]) =>
    forecastSeries(
      { values: Float64Array.from(v), censored: censored && Uint8Array.from(censored), firstWeekday: 0 },
      { horizon: 7 },
    );

  it('all zeros: zero with zero-width intervals', () => {
    const f = run(Array(50).fill(0));
    expect(f.model).toBe('zero');
    expect(f.demandClass).toBe('empty');
    expect([...f.mean, ...f.hi95, ...f.lo95]).toEqual(Array(21).fill(0));
  });

  it('7 to 13 observed days: seasonal naive; fewer: the mean', () => {
    const week = run([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(week.model).toBe('seasonal_naive');
    expect(Array.from(week.mean)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    const days = run([2, 4, 0, 6]);
    expect(days.model).toBe('profile');
    expect(Array.from(days.mean)).toEqual(Array(7).fill(3));
    // 20 days of which 10 censored: still short
    const censored = run(Array(20).fill(5), [...Array(10).fill(1), ...Array(10).fill(0)]);
    expect(censored.model).toBe('seasonal_naive');
  });

  it('every day censored: the mean of the lower bounds', () => {
    const f = run([3, 5, 4, 0], [1, 1, 1, 1]);
    expect(f.model).toBe('profile');
    expect(f.mean[0]).toBe(3);
  });

  it('empty series and zero horizon', () => {
    expect(run([]).model).toBe('zero');
    const f = forecastSeries({ values: Float64Array.from([1, 2, 3]), firstWeekday: 0 }, { horizon: 0 });
    expect(f.mean.length).toBe(0);
  });

  it('refuses invalid options', () => {
    const input = { values: new Float64Array(10), firstWeekday: 0 };
    expect(() => forecastSeries(input, { horizon: -1 })).toThrow(RangeError);
    expect(() => forecastSeries(input, { horizon: 7, season: 0 })).toThrow(RangeError);
    expect(() => forecastSeries(input, { horizon: 1.5 })).toThrow(RangeError);
  });
});
