import { distanceKm } from '../../platform/geo.ts';

export { distanceKm };
/**
 * Fulfilment routing, as pure functions over a stock snapshot: which locations ship a cart, or how
 * a pickup store gets what it lacks. The caller reserves the chosen quantities afterwards; the
 * reservation (conditional updates) is what makes it safe, routing only proposes.
 */

export interface RoutingLocation {
  id: string;
  /** Position in the channel's fulfilment list (0 = first choice). */
  priority: number;
  latitude: number | null;
  longitude: number | null;
  canShip: boolean;
  pickup: boolean;
}

export interface Need {
  sku: string;
  quantity: number;
}

/** available[locationId][sku] */
export type Stock = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface Allocation {
  locationId: string;
  lines: Need[];
}

export type ShippingPlan =
  | { ok: true; shipments: Allocation[] }
  | { ok: false; sku: string; requested: number; available: number };

export type PickupPlan =
  | { ok: true; inStore: Need[]; transfers: Allocation[] }
  | { ok: false; sku: string; requested: number; available: number };

const availableAt = (stock: Stock, loc: string, sku: string) => Math.max(0, stock.get(loc)?.get(sku) ?? 0);

/** Sums quantities per SKU (two lines of one SKU are one need). */
export const aggregate = (lines: readonly Need[]): Need[] => {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.sku, (m.get(l.sku) ?? 0) + l.quantity);
  return [...m].map(([sku, quantity]) => ({ sku, quantity }));
};

const byPriorityThenDistance =
  (to: { lat: number; lng: number } | null) => (a: RoutingLocation, b: RoutingLocation) => {
    if (a.priority !== b.priority) return a.priority - b.priority;
    if (!to) return 0;
    const da =
      a.latitude !== null && a.longitude !== null
        ? distanceKm({ lat: a.latitude, lng: a.longitude }, to)
        : Infinity;
    const db =
      b.latitude !== null && b.longitude !== null
        ? distanceKm({ lat: b.latitude, lng: b.longitude }, to)
        : Infinity;
    return da - db;
  };

const firstShortage = (needs: Need[], locations: RoutingLocation[], stock: Stock) => {
  for (const n of needs) {
    const total = locations.reduce((s, l) => s + availableAt(stock, l.id, n.sku), 0);
    if (total < n.quantity) return { sku: n.sku, requested: n.quantity, available: total };
  }
  return undefined;
};

/** Takes each SKU from the given locations in order until the need is met. */
const allocateIn = (needs: Need[], locations: RoutingLocation[], stock: Stock): Allocation[] => {
  const out = new Map<string, Need[]>();
  for (const n of needs) {
    let left = n.quantity;
    for (const l of locations) {
      if (left === 0) break;
      const take = Math.min(left, availableAt(stock, l.id, n.sku));
      if (take === 0) continue;
      out.set(l.id, [...(out.get(l.id) ?? []), { sku: n.sku, quantity: take }]);
      left -= take;
    }
  }
  return locations
    .filter((l) => out.has(l.id))
    .map((l) => ({ locationId: l.id, lines: out.get(l.id) as Need[] }));
};

const covers = (needs: Need[], subset: RoutingLocation[], stock: Stock) =>
  needs.every((n) => subset.reduce((s, l) => s + availableAt(stock, l.id, n.sku), 0) >= n.quantity);

function* combinations<T>(items: T[], k: number, start = 0, acc: T[] = []): Generator<T[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i <= items.length - (k - acc.length); i++)
    yield* combinations(items, k, i + 1, [...acc, items[i] as T]);
}

/**
 * Shipping: the first location (by channel priority, then distance to the address) that has the
 * whole cart; otherwise the split with the fewest shipments (exact for up to 3 shipments among up to
 * 24 locations, greedy beyond), preferring higher-priority locations.
 */
export const planShipping = (
  lines: readonly Need[],
  locations: readonly RoutingLocation[],
  stock: Stock,
  to: { lat: number; lng: number } | null = null,
): ShippingPlan => {
  const needs = aggregate(lines);
  const candidates = locations.filter((l) => l.canShip).sort(byPriorityThenDistance(to));
  const shortage = firstShortage(needs, candidates, stock);
  if (shortage) return { ok: false, ...shortage };
  const maxExact = candidates.length <= 24 ? Math.min(3, candidates.length) : 1;
  for (let k = 1; k <= maxExact; k++) {
    for (const subset of combinations(candidates, k)) {
      if (covers(needs, subset, stock)) return { ok: true, shipments: allocateIn(needs, subset, stock) };
    }
  }
  // Greedy: repeatedly add the location that covers the most remaining units.
  const chosen: RoutingLocation[] = [];
  const remaining = new Map(needs.map((n) => [n.sku, n.quantity]));
  while ([...remaining.values()].some((q) => q > 0)) {
    let best: RoutingLocation | undefined;
    let bestUnits = 0;
    for (const l of candidates) {
      if (chosen.includes(l)) continue;
      const units = [...remaining].reduce((s, [sku, q]) => s + Math.min(q, availableAt(stock, l.id, sku)), 0);
      if (units > bestUnits) {
        best = l;
        bestUnits = units;
      }
    }
    if (!best) break;
    chosen.push(best);
    for (const [sku, q] of remaining) remaining.set(sku, q - Math.min(q, availableAt(stock, best.id, sku)));
  }
  return { ok: true, shipments: allocateIn(needs, chosen, stock) };
};

/**
 * Pickup at `storeId`: what the store has is picked there; what it lacks comes by transfer from the
 * channel's other locations in priority order.
 */
export const planPickup = (
  lines: readonly Need[],
  storeId: string,
  locations: readonly RoutingLocation[],
  stock: Stock,
): PickupPlan => {
  const needs = aggregate(lines);
  const sources = locations.filter((l) => l.id !== storeId).sort(byPriorityThenDistance(null));
  const inStore: Need[] = [];
  const missing: Need[] = [];
  for (const n of needs) {
    const here = Math.min(n.quantity, availableAt(stock, storeId, n.sku));
    if (here > 0) inStore.push({ sku: n.sku, quantity: here });
    if (here < n.quantity) missing.push({ sku: n.sku, quantity: n.quantity - here });
  }
  const shortage = firstShortage(missing, sources, stock);
  if (shortage) {
    const store = needs.find((n) => n.sku === shortage.sku) as Need;
    return {
      ok: false,
      sku: shortage.sku,
      requested: store.quantity,
      available: shortage.available + availableAt(stock, storeId, shortage.sku),
    };
  }
  return { ok: true, inStore, transfers: allocateIn(missing, sources, stock) };
};
