import { describe, expect, it } from 'vitest';
import { forecastSeries, reconcile, type SeriesForecast } from './index.ts';
import { weeklySeries } from './testing.ts';

const fc = (mean: number[], spread = 1): SeriesForecast => ({
  model: 'ses',
  components: ['ses'],
  mean: Float64Array.from(mean),
  lo80: Float64Array.from(mean, (v) => Math.max(0, v - spread)),
  hi80: Float64Array.from(mean, (v) => v + spread),
  lo95: Float64Array.from(mean, (v) => Math.max(0, v - 2 * spread)),
  hi95: Float64Array.from(mean, (v) => v + 2 * spread),
  mase: null,
  bias: null,
  baselineMase: null,
  backtest: null,
  demandClass: 'smooth',
  candidates: [],
});

describe('forecast proportions', () => {
  it('splits the total by the parts’ own forecasts, equally when they are all 0', () => {
    const total = fc([10, 6]);
    const a = fc([1, 0], 1);
    const b = fc([3, 0], 2);
    const r = reconcile(total, [a, b], 'forecast_proportions');
    expect(Array.from(r.parts[0]!.mean)).toEqual([2.5, 3]);
    expect(Array.from(r.parts[1]!.mean)).toEqual([7.5, 3]);
    // step 0: a's bounds scaled by 2.5 (2 → 5), b's by 2.5 (5 → 12.5)
    expect(r.parts[0]!.hi80[0]).toBeCloseTo(5, 12);
    expect(r.parts[1]!.hi80[0]).toBeCloseTo(12.5, 12);
    // step 1: half of the total's bounds each
    expect(r.parts[0]!.hi95[1]).toBeCloseTo(4, 12);
    expect(r.total.mean).toEqual(total.mean);
    expect(r.total.hi95).toEqual(total.hi95);
    // the arguments are not changed
    expect(Array.from(a.mean)).toEqual([1, 0]);
  });

  it('makes real forecasts add up per step', () => {
    const parts = [1, 2, 3, 4, 5].map((s) =>
      forecastSeries(
        { values: weeklySeries(s, 300, 3 * s, [0, 1, 2, 0, 0, 4, 2], 2), firstWeekday: 0 },
        { horizon: 28 },
      ),
    );
    const total = forecastSeries(
      { values: weeklySeries(99, 300, 50, [0, 3, 5, 0, 0, 10, 6], 5), firstWeekday: 0 },
      { horizon: 28 },
    );
    for (const method of ['forecast_proportions', 'bottom_up'] as const) {
      const r = reconcile(total, parts, method);
      for (let h = 0; h < 28; h++) {
        const sum = r.parts.reduce((a, p) => a + p.mean[h]!, 0);
        expect(Math.abs(sum - r.total.mean[h]!)).toBeLessThan(1e-9);
        for (const p of [...r.parts, r.total]) {
          expect(p.lo95[h]).toBeLessThanOrEqual(p.lo80[h]!);
          expect(p.lo80[h]).toBeLessThanOrEqual(p.mean[h]!);
          expect(p.mean[h]).toBeLessThanOrEqual(p.hi80[h]!);
          expect(p.hi80[h]).toBeLessThanOrEqual(p.hi95[h]!);
        }
      }
    }
  });
});

describe('bottom-up', () => {
  it('sums the means and the variances read from the upper bounds', () => {
    const z80 = 1.2815515655446004;
    const part = (mean: number, sd: number) => ({
      ...fc([mean]),
      hi80: Float64Array.from([mean + z80 * sd]),
      hi95: Float64Array.from([mean + 1.959963984540054 * sd]),
    });
    const r = reconcile(fc([100], 50), [part(10, 3), part(20, 4)], 'bottom_up');
    expect(r.total.mean[0]).toBe(30);
    // σ = √(3² + 4²) = 5
    expect(r.total.hi80[0]).toBeCloseTo(30 + z80 * 5, 9);
    expect(r.total.lo95[0]).toBeCloseTo(30 - 1.959963984540054 * 5, 9);
    expect(r.parts[1]!.mean[0]).toBe(20);
    expect(r.total.model).toBe('ses');
  });

  it('refuses parts of another horizon', () => {
    expect(() => reconcile(fc([1, 2]), [fc([1])], 'bottom_up')).toThrow(RangeError);
  });
});
