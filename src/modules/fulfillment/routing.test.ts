import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregate,
  distanceKm,
  planPickup,
  planShipping,
  type RoutingLocation,
  type Stock,
} from './routing.ts';

const loc = (id: string, priority: number, extra: Partial<RoutingLocation> = {}): RoutingLocation => ({
  id,
  priority,
  latitude: null,
  longitude: null,
  canShip: true,
  pickup: false,
  ...extra,
});
const stockOf = (o: Record<string, Record<string, number>>): Stock =>
  new Map(Object.entries(o).map(([l, s]) => [l, new Map(Object.entries(s))]));

describe('shipping routing', () => {
  const wh = loc('wh', 0);
  const a = loc('a', 1, { latitude: 45.52, longitude: -122.68 });
  const b = loc('b', 2, { latitude: 45.6, longitude: -122.5 });

  it('ships the whole cart from the first location by priority that has it all', () => {
    const plan = planShipping(
      [{ sku: 'X', quantity: 2 }],
      [b, a, wh],
      stockOf({ wh: { X: 5 }, a: { X: 5 } }),
    );
    expect(plan).toEqual({ ok: true, shipments: [{ locationId: 'wh', lines: [{ sku: 'X', quantity: 2 }] }] });
  });

  it('breaks priority ties by distance to the address', () => {
    const near = loc('near', 1, { latitude: 45.5, longitude: -122.6 });
    const far = loc('far', 1, { latitude: 47.6, longitude: -122.3 });
    const plan = planShipping(
      [{ sku: 'X', quantity: 1 }],
      [far, near],
      stockOf({ near: { X: 1 }, far: { X: 1 } }),
      {
        lat: 45.51,
        lng: -122.61,
      },
    );
    expect(plan.ok && plan.shipments[0]?.locationId).toBe('near');
  });

  it('splits with the fewest shipments when no location has everything', () => {
    // wh has X, a has Y, b has X and Y: one shipment from b beats two.
    const plan = planShipping(
      [
        { sku: 'X', quantity: 1 },
        { sku: 'Y', quantity: 1 },
      ],
      [wh, a, b],
      stockOf({ wh: { X: 1 }, a: { Y: 1 }, b: { X: 1, Y: 1 } }),
    );
    expect(plan.ok && plan.shipments.map((s) => s.locationId)).toEqual(['b']);
    const split = planShipping(
      [
        { sku: 'X', quantity: 3 },
        { sku: 'Y', quantity: 1 },
      ],
      [wh, a, b],
      stockOf({ wh: { X: 2 }, a: { Y: 1, X: 1 }, b: {} }),
    );
    expect(split.ok && split.shipments).toEqual([
      { locationId: 'wh', lines: [{ sku: 'X', quantity: 2 }] },
      {
        locationId: 'a',
        lines: [
          { sku: 'X', quantity: 1 },
          { sku: 'Y', quantity: 1 },
        ],
      },
    ]);
  });

  it('never ships from a store without ship-from-store', () => {
    const store = loc('store', 0, { canShip: false });
    const plan = planShipping([{ sku: 'X', quantity: 1 }], [store], stockOf({ store: { X: 9 } }));
    expect(plan).toEqual({ ok: false, sku: 'X', requested: 1, available: 0 });
  });

  it('sums two lines of the same SKU before checking', () => {
    const plan = planShipping(
      [
        { sku: 'X', quantity: 2 },
        { sku: 'X', quantity: 2 },
      ],
      [wh],
      stockOf({ wh: { X: 3 } }),
    );
    expect(plan).toEqual({ ok: false, sku: 'X', requested: 4, available: 3 });
  });

  it('allocates exactly what is asked and never more than a location has (property)', () => {
    const skus = ['A', 'B', 'C'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 5 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 30,
        }),
        (lines, table) => {
          const locations = table.map((_, i) => loc(`l${i}`, i));
          const stock = stockOf(
            Object.fromEntries(
              table.map((row, i) => [`l${i}`, Object.fromEntries(skus.map((s, j) => [s, row[j] ?? 0]))]),
            ),
          );
          const plan = planShipping(lines, locations, stock);
          const needs = aggregate(lines);
          if (!plan.ok) {
            const total = table.reduce((s, row) => s + (row[skus.indexOf(plan.sku)] ?? 0), 0);
            expect(total).toBeLessThan(plan.requested);
            return;
          }
          for (const n of needs) {
            const shipped = plan.shipments.flatMap((s) => s.lines).filter((l) => l.sku === n.sku);
            expect(shipped.reduce((s, l) => s + l.quantity, 0)).toBe(n.quantity);
          }
          for (const s of plan.shipments) {
            for (const l of s.lines)
              expect(l.quantity).toBeLessThanOrEqual(stock.get(s.locationId)?.get(l.sku) ?? 0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('pickup routing', () => {
  const wh = loc('wh', 0);
  const store = loc('store', 1, { pickup: true });

  it('picks in store what the store has and transfers the rest', () => {
    const plan = planPickup(
      [
        { sku: 'X', quantity: 3 },
        { sku: 'Y', quantity: 1 },
      ],
      'store',
      [wh, store],
      stockOf({ store: { X: 1, Y: 1 }, wh: { X: 10 } }),
    );
    expect(plan).toEqual({
      ok: true,
      inStore: [
        { sku: 'X', quantity: 1 },
        { sku: 'Y', quantity: 1 },
      ],
      transfers: [{ locationId: 'wh', lines: [{ sku: 'X', quantity: 2 }] }],
    });
  });

  it('refuses when nobody has enough, with the total available', () => {
    const plan = planPickup(
      [{ sku: 'X', quantity: 5 }],
      'store',
      [wh, store],
      stockOf({ store: { X: 1 }, wh: { X: 2 } }),
    );
    expect(plan).toEqual({ ok: false, sku: 'X', requested: 5, available: 3 });
  });
});

describe('distance', () => {
  it('measures great-circle kilometres', () => {
    expect(distanceKm({ lat: 45.5152, lng: -122.6784 }, { lat: 47.6062, lng: -122.3321 })).toBeCloseTo(
      233.6,
      0,
    );
  });
});
