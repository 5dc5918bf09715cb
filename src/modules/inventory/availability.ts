/** Read side for product pages, carts and pickup pickers: what can be sold where, in one or two queries. */
import type { Queryable } from '../../platform/db.ts';
import { type FulfilmentLocation, fulfilmentLocations } from '../locations/index.ts';

export interface Availability {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  /** max(0, on_hand − reserved − safety_stock) */
  available: number;
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/**
 * Stock of every SKU at every location asked for (a SKU without a level there counts as 0), in the
 * order given: one indexed query whatever the number of SKUs and locations.
 */
export const availability = async (
  q: Queryable,
  input: { skus: readonly string[]; locationIds: readonly string[] },
): Promise<Availability[]> => {
  const skus = unique(input.skus);
  const locationIds = unique(input.locationIds);
  if (skus.length === 0 || locationIds.length === 0) return [];
  const { rows } = await q.query<Availability>(
    `SELECT s.sku, loc.location_id,
       coalesce(l.on_hand, 0) AS on_hand, coalesce(l.reserved, 0) AS reserved,
       coalesce(l.safety_stock, 0) AS safety_stock,
       greatest(0, coalesce(l.on_hand - l.reserved - l.safety_stock, 0)) AS available
     FROM unnest($1::text[]) WITH ORDINALITY AS s(sku, si)
     CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS loc(location_id, li)
     LEFT JOIN inventory_levels l ON l.sku = s.sku AND l.location_id = loc.location_id
     ORDER BY s.si, loc.li`,
    [skus, locationIds],
  );
  return rows;
};

export interface ChannelLocationStock extends Availability {
  name: string;
  type: 'warehouse' | 'store';
  priority: number;
  pickup: boolean;
  ship_from_store: boolean;
}

export interface ChannelAvailability {
  sku: string;
  /** Sum over the channel's active fulfilment locations. */
  available: number;
  /** Sum over the locations that can ship: warehouses and stores with ship_from_store. */
  available_to_ship: number;
  /** Per fulfilment location, in the channel's priority order. */
  locations: ChannelLocationStock[];
}

/**
 * What a channel can sell of each SKU: totals over its active fulfilment locations and the stock at
 * each (with the location's name and flags, for "pick up today at …"). Two indexed queries.
 * A channel without fulfilment locations has nothing available.
 */
export const channelAvailability = async (
  q: Queryable,
  channelId: string,
  skus: readonly string[],
): Promise<ChannelAvailability[]> => {
  const locations = (await fulfilmentLocations(q, channelId)).filter((l) => l.active);
  const rows = await availability(q, { skus, locationIds: locations.map((l) => l.id) });
  const byLevel = new Map(rows.map((r) => [`${r.sku}\u0000${r.location_id}`, r]));
  return unique(skus).map((sku) => {
    const perLocation = locations.map((l) => {
      const s = byLevel.get(`${sku}\u0000${l.id}`) as Availability;
      return {
        ...s,
        name: l.name,
        type: l.type,
        priority: l.priority,
        pickup: l.pickup,
        ship_from_store: l.ship_from_store,
      };
    });
    const sum = (ls: ChannelLocationStock[]) => ls.reduce((n, l) => n + l.available, 0);
    return {
      sku,
      available: sum(perLocation),
      available_to_ship: sum(perLocation.filter((l) => l.type === 'warehouse' || l.ship_from_store)),
      locations: perLocation,
    };
  });
};

export interface StockSummary {
  sku: string;
  /** Sum over the channel's active fulfilment locations. */
  available: number;
  /** Sum over those that ship (warehouses, stores with ship_from_store). */
  available_to_ship: number;
  /** Pickup locations with stock, in the channel's priority order: [location id, units]. */
  pickup: [string, number][];
}

/**
 * A per-SKU summary of what a channel can sell, aggregated in the database (one row per SKU): for
 * product pages with many variants and locations, where shipping every (SKU, location) pair to the
 * application costs more than the query. Pickup stock comes back as "priority:units" pairs, mapped
 * to location ids with the channel's fulfilment locations (pass them if already loaded). SKUs without
 * stock are absent.
 */
export const channelStockSummary = async (
  q: Queryable,
  channelId: string,
  skus: readonly string[],
  loaded?: readonly FulfilmentLocation[] | Promise<readonly FulfilmentLocation[]>,
): Promise<Map<string, StockSummary>> => {
  if (skus.length === 0) return new Map();
  const [locations, { rows }] = await Promise.all([
    loaded ?? fulfilmentLocations(q, channelId),
    // One index range scan per SKU (primary key: sku, location_id); cheaper than a join + group.
    q.query<{ sku: string; stock: string | null }>(
      `SELECT s.sku,
         (SELECT string_agg(l.location_id || ':' || (l.on_hand - l.reserved - l.safety_stock), ',')
          FROM inventory_levels l
          WHERE l.sku = s.sku AND l.on_hand - l.reserved - l.safety_stock > 0) AS stock
       FROM unnest($1::text[]) AS s(sku)`,
      [unique(skus)],
    ),
  ]);
  const byId = new Map(locations.filter((l) => l.active).map((l) => [l.id, l]));
  return new Map(
    rows.map((r) => {
      let available = 0;
      let toShip = 0;
      const pickup: [number, string, number][] = [];
      for (const pair of (r.stock ?? '').split(',')) {
        const i = pair.indexOf(':');
        const loc = byId.get(pair.slice(0, i));
        if (!loc) continue;
        const n = Number(pair.slice(i + 1));
        available += n;
        if (loc.type === 'warehouse' || loc.ship_from_store) toShip += n;
        if (loc.pickup) pickup.push([loc.priority, loc.id, n]);
      }
      pickup.sort((a, b) => a[0] - b[0]);
      return [
        r.sku,
        {
          sku: r.sku,
          available,
          available_to_ship: toShip,
          pickup: pickup.map(([, id, n]) => [id, n] as [string, number]),
        },
      ];
    }),
  );
};
