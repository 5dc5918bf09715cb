import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastSku, type LocationSeries, MIN_HISTORY_DAYS, type SkuInput } from './compute.ts';

const DAYS = 730;

/** A location's series of a given shape: the day it opened, its demand, returns and stock-outs. */
const arbSeries = fc.record({
  opened: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: DAYS }),
    fc.constantFrom(DAYS - 7, DAYS - 1, DAYS),
  ),
  shape: fc.constantFrom('zeros', 'smooth', 'intermittent', 'negative', 'gaps', 'censored', 'spike', 'huge'),
  level: fc.double({ min: 0, max: 50, noNaN: true }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  categoryDaily: fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: null }),
});

function build(
  i: number,
  s: { opened: number; shape: string; level: number; seed: number; categoryDaily: number | null },
): LocationSeries {
  let x = s.seed;
  const rnd = () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
  const values = new Float64Array(DAYS);
  const censored = new Uint8Array(DAYS);
  for (let t = s.opened; t < DAYS; t++) {
    const r = rnd();
    switch (s.shape) {
      case 'smooth':
        values[t] = Math.round(s.level * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 7)) + 3 * (r - 0.5));
        break;
      case 'intermittent':
        values[t] = r < 0.1 ? 1 + Math.floor(r * 30) : 0;
        break;
      case 'negative':
        values[t] = r < 0.2 ? -Math.ceil(r * 10) : r < 0.4 ? 1 : 0;
        break;
      case 'gaps':
        values[t] = t % 60 < 30 ? Math.round(s.level * r) : 0;
        break;
      case 'censored':
        values[t] = Math.round(s.level * r);
        censored[t] = r < 0.7 ? 1 : 0;
        break;
      case 'spike':
        values[t] = t === DAYS - 3 ? 10_000 : 0;
        break;
      case 'huge':
        values[t] = 1e9 * r;
        break;
      default:
        break;
    }
  }
  return { location_id: `loc_${i}`, values, censored, start: s.opened, categoryDaily: s.categoryDaily };
}

const finiteAndOrdered = (f: {
  mean: Float64Array;
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
}) => {
  for (let i = 0; i < f.mean.length; i++) {
    const [m, a, b, c, d] = [f.mean[i], f.lo80[i], f.hi80[i], f.lo95[i], f.hi95[i]] as number[];
    for (const v of [m, a, b, c, d]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(c).toBeLessThanOrEqual((a as number) * (1 + 1e-9) + 1e-9);
    expect(a).toBeLessThanOrEqual((m as number) * (1 + 1e-9) + 1e-9);
    expect(m).toBeLessThanOrEqual((b as number) * (1 + 1e-9) + 1e-9);
    expect(b).toBeLessThanOrEqual((d as number) * (1 + 1e-9) + 1e-9);
  }
};

describe('one SKU over its locations', () => {
  it('never answers NaN, negative demand or unordered intervals, and the locations add up to the SKU', () => {
    fc.assert(
      fc.property(
        fc.array(arbSeries, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('forecast_proportions', 'bottom_up'),
        fc.integer({ min: 0, max: 6 }),
        (specs, reconciliation, firstWeekday) => {
          const input: SkuInput = {
            sku: 'SKU-1',
            firstWeekday,
            horizon: 28,
            reconciliation: reconciliation as SkuInput['reconciliation'],
            locations: specs.map((s, i) => build(i, s)),
          };
          const r = forecastSku(input);
          expect(r.locations).toHaveLength(specs.length);
          finiteAndOrdered(r.total);
          for (const l of r.locations) {
            finiteAndOrdered(l.forecast);
            expect(l.forecast.mean).toHaveLength(28);
          }
          for (let d = 0; d < 28; d++) {
            const sum = r.locations.reduce((s, l) => s + (l.forecast.mean[d] ?? 0), 0);
            const total = r.total.mean[d] ?? 0;
            expect(Math.abs(sum - total)).toBeLessThanOrEqual(1e-6 * Math.max(1, total));
          }
        },
      ),
      { numRuns: 60, seed: 14 },
    );
  });

  it('forecasts a store opened last week from the same SKU elsewhere, and a new SKU from its category', () => {
    const established = build(0, { opened: 0, shape: 'smooth', level: 10, seed: 3, categoryDaily: null });
    const opened = build(1, { opened: DAYS - 7, shape: 'smooth', level: 10, seed: 4, categoryDaily: null });
    const r = forecastSku({
      sku: 'SKU-2',
      firstWeekday: 0,
      horizon: 14,
      reconciliation: 'bottom_up',
      locations: [established, opened],
    });
    expect(r.locations[1]).toMatchObject({ fallback: 'sku_other_locations', history_days: 7 });
    const week = (i: number) =>
      (r.locations[i]?.forecast.mean ?? new Float64Array()).slice(0, 7).reduce((a, b) => a + b, 0);
    // The new store is expected to sell like an established one (about 10 a day).
    expect(week(1)).toBeGreaterThan(7 * 10 * 0.6);
    expect(week(1)).toBeLessThan(7 * 10 * 1.4);

    const fresh = build(0, { opened: DAYS - 3, shape: 'zeros', level: 0, seed: 5, categoryDaily: 2.5 });
    const n = forecastSku({
      sku: 'NEW-1',
      firstWeekday: 0,
      horizon: 7,
      reconciliation: 'forecast_proportions',
      locations: [fresh],
    });
    expect(n.locations[0]?.fallback).toBe('category');
    expect(n.locations[0]?.history_days).toBeLessThan(MIN_HISTORY_DAYS);
    expect((n.locations[0]?.forecast.mean ?? new Float64Array()).reduce((a, b) => a + b, 0)).toBeCloseTo(
      7 * 2.5,
      1,
    );
    expect(n.total.mean[0]).toBeCloseTo(n.locations[0]?.forecast.mean[0] ?? -1, 9);

    const nothing = build(0, { opened: DAYS, shape: 'zeros', level: 0, seed: 6, categoryDaily: null });
    const z = forecastSku({
      sku: 'NEW-2',
      firstWeekday: 0,
      horizon: 7,
      reconciliation: 'forecast_proportions',
      locations: [nothing],
    });
    expect(z.locations[0]).toMatchObject({ fallback: 'none', history_days: 0 });
    expect([...(z.locations[0]?.forecast.mean ?? [])].every((v) => v === 0)).toBe(true);
  });
});
