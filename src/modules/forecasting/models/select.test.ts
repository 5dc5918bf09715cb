import { describe, expect, it } from 'vitest';
import { forecastSeries, type ModelName, type SeriesForecast } from './index.ts';
import { MARGIN } from './select.ts';
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
      // the default for smooth demand: the two best of the backtest, here both seasonal
      expect(f.model).toBe('combination');
      expect(f.components.every((m) => SEASONAL.has(m))).toBe(true);
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
  it('keeps TSB on an intermittent series that seasonal naive does not predict', () => {
    // 3 units every third day: seasonal naive (a week back) is always out of phase, TSB's level is
    // about 1/day, the lower absolute error
    const values = Float64Array.from({ length: 300 }, (_, t) => (t % 3 === 0 ? 3 : 0));
    const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 7 });
    expect(f.demandClass).toBe('intermittent');
    expect(f.model).toBe('tsb');
    expect(f.components).toEqual(['tsb']);
    expect(f.mase!).toBeLessThan(f.baselineMase!);
    // sparse demand: only TSB and the baseline are candidates
    expect(f.candidates.map((c) => c.model)).toEqual(['seasonal_naive', 'tsb']);
  });

  it('takes seasonal naive for sparse demand only when it beats TSB by the margin', () => {
    // demand on Fridays only: seasonal naive is exact, TSB spreads it over the week
    const weekly = Float64Array.from({ length: 300 }, (_, t) => (t % 7 === 4 ? 5 : 0));
    const f = forecastSeries({ values: weekly, firstWeekday: 0 }, { horizon: 7 });
    expect(f.demandClass).toBe('intermittent');
    expect(f.model).toBe('seasonal_naive');
    expect(Array.from(f.mean)).toEqual([0, 0, 0, 0, 0, 5, 0]);
    // iid demand on 35 % of days: TSB stays unless seasonal naive's backtest error is clearly lower
    let kept = 0;
    for (let seed = 0; seed < 20; seed++) {
      const r = prng(seed + 100);
      const values = Float64Array.from({ length: 400 }, () => (r() < 0.35 ? 1 + Math.floor(r() * 8) : 0));
      const g = forecastSeries({ values, firstWeekday: 0 }, { horizon: 28 });
      expect(g.demandClass).toBe('intermittent');
      const b = g.backtest!;
      const tsb = g.candidates.find((c) => c.model === 'tsb')!.mase! * b.points * b.scale;
      if (g.model === 'tsb') {
        kept++;
        expect(b.baselineAbsError).toBeGreaterThanOrEqual((1 - MARGIN) * tsb - 1e-9);
      } else {
        expect(g.model).toBe('seasonal_naive');
        expect(b.baselineAbsError).toBeLessThan((1 - MARGIN) * tsb);
      }
    }
    expect(kept).toBeGreaterThanOrEqual(15);
  });

  it('forecasts smooth demand by the average of the two best candidates, scored like one model', () => {
    let combined = 0;
    for (const seed of [21, 22, 23]) {
      const values = weeklySeries(seed, 500, 30, [0, 1, 2, 3, 4, 5, 6], 4);
      const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 14 });
      if (f.model !== 'combination') continue;
      combined++;
      expect(f.components).toHaveLength(2);
      // no single candidate beat the combination by the margin
      for (const c of f.candidates) expect(c.mase!).toBeGreaterThanOrEqual((1 - MARGIN) * f.mase! - 1e-12);
      expect(f.candidates.find((c) => c.model === 'combination')?.mase).toBe(f.mase);
      // the two best of the backtest, each refitted as it would be alone, averaged
      const singles = f.candidates.filter((c) => c.model !== 'combination').sort((a, b) => a.mase! - b.mase!);
      expect([...f.components].sort()).toEqual([singles[0]!.model, singles[1]!.model].sort());
      const alone = f.components.map((m) =>
        forecastSeries({ values, firstWeekday: 0 }, { horizon: 14, models: [m] }),
      );
      for (const key of ['mean', 'lo80', 'hi80', 'lo95', 'hi95'] as const) {
        for (let i = 0; i < 14; i++) {
          expect(f[key][i]).toBeCloseTo((alone[0]![key][i]! + alone[1]![key][i]!) / 2, 9);
        }
      }
    }
    expect(combined).toBeGreaterThanOrEqual(2);
  });

  it('takes a single model that beats the combination by the margin', () => {
    // an exact weekly pattern: seasonal naive has no backtest error at all
    const values = Float64Array.from({ length: 300 }, (_, t) => [10, 10, 10, 10, 50, 100, 50][t % 7]!);
    const f = forecastSeries({ values, firstWeekday: 0 }, { horizon: 7 });
    expect(f.demandClass).toBe('erratic');
    expect(f.model).toBe('seasonal_naive');
    expect(f.backtest!.chosenAbsError).toBe(0);
  });

  it('reports the errors summed over the backtest, censored days left out', () => {
    const values = weeklySeries(7, 200, 20, [0, 0, 0, 0, 5, 10, 5], 2);
    const censored = new Uint8Array(200);
    censored[195] = 1;
    censored[180] = 1;
    const f = forecastSeries({ values, censored, firstWeekday: 0 }, { horizon: 7 });
    const b = f.backtest!;
    expect(b.points).toBe(89); // 13 origins × 7 days, two censored
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
