import { describe, expect, it } from 'vitest';
import { policyOf, reasonOf } from './policy-values.ts';
import { forecastTotal, modelMix, seriesChart } from './series-data.ts';

const day = (d: number) => `2026-12-${String(d).padStart(2, '0')}`;

describe('seriesChart', () => {
  const series = {
    history: [
      { day: day(1), quantity: 2, stockout: false },
      { day: day(2), quantity: 0, stockout: true },
      { day: day(3), quantity: 3, stockout: false },
    ],
    forecast: [
      { day: day(4), mean: 1.5, lo80: 1, hi80: 2, lo95: 0.5, hi95: 3 },
      { day: day(5), mean: 2, lo80: 1.2, hi80: 2.8, lo95: 0.8, hi95: 3.5 },
    ],
  };
  const chart = seriesChart(series);

  it('puts the history and the forecast on one axis of days, split where the forecast starts', () => {
    expect(chart.days).toEqual([day(1), day(2), day(3), day(4), day(5)]);
    expect(chart.splitAt).toBe(3);
    expect(chart.history).toEqual([2, 0, 3, null, null]);
  });

  it('joins the forecast line to the last day of history and leaves the bands to the forecast days', () => {
    expect(chart.mean).toEqual([null, null, 3, 1.5, 2]);
    expect(chart.lo80).toEqual([null, null, null, 1, 1.2]);
    expect(chart.hi95).toEqual([null, null, null, 3, 3.5]);
  });

  it('marks the stock-out days on the history line only', () => {
    expect(chart.stockouts).toEqual([null, 0, null, null, null]);
    expect(chart.stockoutDays).toBe(1);
  });

  it('has no joint when there is no history', () => {
    const only = seriesChart({ history: [], forecast: series.forecast });
    expect(only.mean).toEqual([1.5, 2]);
    expect(only.splitAt).toBe(0);
  });

  it('sums the forecast means', () => {
    expect(forecastTotal(series)).toBe(3.5);
  });
});

describe('modelMix', () => {
  it('gives each model its share, largest first, leaving out models never chosen', () => {
    expect(modelMix({ ses: 1, croston: 3, holt: 0 })).toEqual([
      { model: 'croston', count: 3, share: 0.75 },
      { model: 'ses', count: 1, share: 0.25 },
    ]);
    expect(modelMix(undefined)).toEqual([]);
  });
});

describe('a suggestion’s detail', () => {
  it('reads the reason and the numeric figures of the policy, ignoring anything else', () => {
    const detail = {
      reason: 'from_source',
      policy: { reorder_point: 4.5, order_up_to: 9, z: 1.645, available: '3', service_level: 0.95 },
    };
    expect(reasonOf(detail)).toBe('from_source');
    expect(policyOf(detail)).toEqual({ reorder_point: 4.5, order_up_to: 9, service_level: 0.95 });
    expect(policyOf({ policy: null })).toEqual({});
    expect(reasonOf({ reason: 7 })).toBeNull();
  });
});
