import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../forecasting/settings.ts';
import { demandOver, normalQuantile, packQuantity, policy, stockoutDay } from './policy.ts';
import type { ItemState } from './state.ts';
import { suggestForSku } from './suggest.ts';

const Z80 = 1.2815515655446004;
/** Mean 2 a day with a daily standard deviation of exactly 1 (read from the 80 % interval). */
const flat = (days = 28) => ({
  mean: Array.from({ length: days }, () => 2),
  lo80: Array.from({ length: days }, () => 2 - Z80),
  hi80: Array.from({ length: days }, () => 2 + Z80),
});

describe('normalQuantile', () => {
  it('matches the standard normal table', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853627, 7);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 7);
  });
  it('refuses a probability outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });
});

describe('policy arithmetic (worked by hand)', () => {
  it('sums demand and variance over the lead time, extending the forecast flat past its end', () => {
    const r = demandOver(flat(), 3);
    expect(r.demand).toBeCloseTo(6, 9);
    expect(r.sigma).toBeCloseTo(Math.sqrt(3), 9);
    const past = demandOver(flat(2), 5);
    expect(past.demand).toBeCloseTo(10, 9);
    expect(demandOver({ mean: [], lo80: [], hi80: [] }, 5)).toEqual({ demand: 0, sigma: 0 });
  });

  it('reorder point, order-up-to level and the quantity to order', () => {
    // L = 3, R = 1, z(0.95) = 1.64485: ROP = 6 + 1.64485·√3 = 8.849; S = 8 + 1.64485·2 = 11.290
    const p = policy({
      forecast: flat(),
      leadDays: 3,
      reviewDays: 1,
      serviceLevel: 0.95,
      available: 5,
      inbound: 0,
    });
    expect(p.reorder_point).toBeCloseTo(8.85, 2);
    expect(p.order_up_to).toBeCloseTo(11.29, 2);
    expect(p.safety_stock).toBeCloseTo(2.85, 2);
    expect(p.need).toBe(7); // ⌈11.29 − 5⌉
    expect(p.excess).toBe(0);
    // Inbound counts in the position: 5 + 4 = 9 > ROP, nothing to order.
    expect(
      policy({ forecast: flat(), leadDays: 3, reviewDays: 1, serviceLevel: 0.95, available: 5, inbound: 4 })
        .need,
    ).toBe(0);
    // 30 on hand: 30 − ⌈11.29⌉ = 18 above the order-up-to level.
    expect(
      policy({ forecast: flat(), leadDays: 3, reviewDays: 1, serviceLevel: 0.95, available: 30, inbound: 0 })
        .excess,
    ).toBe(18);
  });

  it('rounds purchases up to whole packs, at least the minimum order', () => {
    expect(packQuantity(7, 10, 6)).toBe(12);
    expect(packQuantity(13, 1, 6)).toBe(18);
    expect(packQuantity(5, 1, 1)).toBe(5);
    expect(packQuantity(0, 10, 6)).toBe(0);
  });

  it('finds the first day the projected stock goes below zero', () => {
    expect(stockoutDay(flat(), 5, [], 14)).toBe(2); // 3, 1, −1
    expect(stockoutDay(flat(), 5, [{ day: 1, quantity: 10 }], 14)).toBe(7); // 3, 11, 9, 7, 5, 3, 1, −1
    expect(stockoutDay(flat(), 100, [], 14)).toBeNull();
    expect(stockoutDay({ mean: [], lo80: [], hi80: [] }, 0, [], 14)).toBeNull();
    // An empty shelf with a hundredth of a unit expected a day is not at risk; half a unit is.
    const tiny = { mean: [0.01], lo80: [0], hi80: [0.1] };
    expect(stockoutDay(tiny, 0, [], 14)).toBeNull();
    expect(stockoutDay({ mean: [0.25], lo80: [0], hi80: [1] }, 0, [], 14)).toBe(1);
  });
});

const settings = { ...DEFAULTS, timeZone: 'UTC' };
const item = (location: string, available: number, source: string | null): ItemState => ({
  sku: 'TEE',
  location_id: location,
  location_type: source ? 'store' : 'warehouse',
  forecast: flat(),
  first_day: '2026-12-07',
  available,
  arrivals: [],
  source_location_id: source,
  lead_days: 3,
  review_days: 1,
  service_level: 0.95,
});
const supplier = { supplier_id: 'sup_1', lead_time_days: 3, min_order: 10, pack_size: 6 };

describe('suggestions for one SKU', () => {
  it('moves stock from the source, then from another store’s excess, before buying', () => {
    // A needs ⌈11.29⌉ = 12; the warehouse spares 10 − ⌈8.85⌉ = 1; B holds 30 − 12 = 18 above its level.
    const out = suggestForSku(
      [item('W', 10, null), item('A', 0, 'W'), item('B', 30, 'W')],
      supplier,
      settings,
    );
    expect(out.map((s) => [s.kind, s.from_location_id, s.location_id, s.quantity])).toEqual([
      ['transfer', 'W', 'A', 1],
      ['transfer', 'B', 'A', 11],
    ]);
  });

  it('buys at the source what no location can spare, in packs', () => {
    const out = suggestForSku(
      [item('W', 10, null), item('A', 0, 'W'), item('B', 12, 'W')],
      supplier,
      settings,
    );
    expect(out.map((s) => [s.kind, s.from_location_id, s.location_id, s.quantity])).toEqual([
      ['transfer', 'W', 'A', 1],
      ['purchase', null, 'W', 12], // 11 needed, min 10, packs of 6
    ]);
    expect(out[1]?.detail.for_locations).toEqual(['A']);
    expect(out[1]?.supplier_id).toBe('sup_1');
  });

  it('suggests no purchase without a supplier, and nothing when stock is enough', () => {
    expect(suggestForSku([item('W', 0, null)], undefined, settings)).toEqual([]);
    expect(suggestForSku([item('W', 100, null), item('A', 40, 'W')], supplier, settings)).toEqual([]);
  });
});
