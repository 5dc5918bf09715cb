import type { Queryable } from '../../platform/db.ts';
import { availability } from '../inventory/index.ts';
import { type FulfilmentLocation, fulfilmentLocations } from '../locations/index.ts';
import type { Need, RoutingLocation, Stock } from './routing.ts';

export interface RoutingContext {
  /** The channel's active fulfilment locations in priority order. */
  locations: (RoutingLocation & { name: string; type: 'warehouse' | 'store' })[];
  stock: Stock;
  byId: Map<string, FulfilmentLocation>;
}

/** A routing context from locations (active, in priority order) and stock already read. */
export const routingFrom = (
  locs: readonly FulfilmentLocation[],
  rows: Iterable<{ sku: string; locationId: string; available: number }>,
): RoutingContext => {
  const stock = new Map<string, Map<string, number>>();
  for (const r of rows) {
    let m = stock.get(r.locationId);
    if (!m) {
      m = new Map();
      stock.set(r.locationId, m);
    }
    m.set(r.sku, r.available);
  }
  return {
    locations: locs.map((l, i) => ({
      id: l.id,
      name: l.name,
      type: l.type,
      priority: i,
      latitude: l.latitude,
      longitude: l.longitude,
      canShip: l.type === 'warehouse' || l.ship_from_store,
      pickup: l.pickup,
    })),
    stock,
    byId: new Map(locs.map((l) => [l.id, l])),
  };
};

/** The channel's active fulfilment locations and the stock of `needs` at each (two indexed queries). */
export const loadRouting = async (
  q: Queryable,
  channelId: string,
  needs: readonly Need[],
): Promise<RoutingContext> => {
  const locs = (await fulfilmentLocations(q, channelId)).filter((l) => l.active);
  const rows = await availability(q, { skus: needs.map((n) => n.sku), locationIds: locs.map((l) => l.id) });
  return routingFrom(
    locs,
    rows.map((r) => ({ sku: r.sku, locationId: r.location_id, available: r.available })),
  );
};

/** Units of `sku` available at `locationIds` in a routing context. */
export const unitsAt = (ctx: RoutingContext, sku: string, locationIds: readonly string[]): number =>
  locationIds.reduce((n, id) => n + (ctx.stock.get(id)?.get(sku) ?? 0), 0);
