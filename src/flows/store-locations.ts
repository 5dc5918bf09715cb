/**
 * "Where can I pick this up?": the calling channel's pickup locations, nearest first when the shopper
 * gives a position, with how many units of a SKU each has. Spans locations and inventory, so it is a flow.
 */
import { type Static, Type } from '@sinclair/typebox';
import { availability, Sku } from '../modules/inventory/index.ts';
import {
  type FulfilmentLocation,
  fulfilmentLocations,
  Location,
  locationToApi,
} from '../modules/locations/index.ts';
import type { Queryable } from '../platform/db.ts';
import { validation } from '../platform/errors.ts';
import { distanceKm } from '../platform/geo.ts';
import type { HttpApp } from '../platform/http/app.ts';
import { requireChannel } from '../platform/http/auth.ts';
import { Nullable, Obj } from '../platform/http/schemas.ts';
import type { Deps, PlazaModule } from '../platform/module.ts';

export interface PickupLocation {
  location: FulfilmentLocation;
  /** km from the given position, 1 decimal; null without a position or without coordinates. */
  distance_km: number | null;
  /** Units of the SKU available there; null when no SKU was asked for. */
  available: number | null;
}

/**
 * The channel's active pickup locations. With `sku`: only those where it is available (safety stock
 * kept). With a position: nearest first (locations without coordinates last), else channel priority.
 * Two queries whatever the number of locations.
 */
export const pickupLocations = async (
  q: Queryable,
  channelId: string,
  opts: { lat?: number; lng?: number; sku?: string; limit?: number } = {},
): Promise<PickupLocation[]> => {
  const locations = (await fulfilmentLocations(q, channelId)).filter((l) => l.active && l.pickup);
  const stock = opts.sku
    ? new Map(
        (await availability(q, { skus: [opts.sku], locationIds: locations.map((l) => l.id) })).map((a) => [
          a.location_id,
          a.available,
        ]),
      )
    : undefined;
  const here =
    opts.lat !== undefined && opts.lng !== undefined ? { lat: opts.lat, lng: opts.lng } : undefined;
  const rows = locations
    .map((location) => {
      const km =
        here && location.latitude !== null && location.longitude !== null
          ? distanceKm(here, { lat: location.latitude, lng: location.longitude })
          : null;
      return {
        location,
        distance_km: km === null ? null : Math.round(km * 10) / 10,
        exact: km ?? Number.POSITIVE_INFINITY,
        available: stock ? (stock.get(location.id) ?? 0) : null,
      };
    })
    .filter((r) => r.available === null || r.available > 0)
    .sort((a, b) => a.exact - b.exact || a.location.priority - b.location.priority);
  return rows.slice(0, opts.limit ?? rows.length).map(({ exact: _, ...r }) => r);
};

const Query = Obj({
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'Shopper latitude' })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'Shopper longitude' })),
  sku: Type.Optional(Sku),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

const { created_at: _c, updated_at: _u, ...publicFields } = Location.properties;
const PickupLocationSchema = Type.Object({
  ...publicFields,
  distance_km: Nullable(Type.Number({ description: 'Great-circle distance, 1 decimal' })),
  available: Nullable(Type.Integer({ description: 'Units of the SKU available here' })),
});
type PickupLocationApi = Static<typeof PickupLocationSchema>;

const toApi = (r: PickupLocation): PickupLocationApi => {
  const { created_at: _created, updated_at: _updated, ...l } = locationToApi(r.location);
  return { ...l, distance_km: r.distance_km, available: r.available };
};

export const storeLocationsModule: PlazaModule = {
  name: 'store-locations',
  storeRoutes(app: HttpApp, deps: Deps) {
    app.get(
      '/locations',
      {
        schema: {
          operationId: 'listStoreLocations',
          tags: ['store'],
          security: [{ channelKey: [] }],
          summary: "The channel's pickup locations, nearest first with lat/lng, with a SKU's availability",
          querystring: Query,
          response: { 200: Type.Object({ data: Type.Array(PickupLocationSchema) }) },
        },
      },
      async (req) => {
        const { lat, lng } = req.query;
        if ((lat === undefined) !== (lng === undefined)) {
          throw validation('Give both lat and lng, or neither', [
            {
              path: lat === undefined ? 'querystring.lat' : 'querystring.lng',
              message: 'is required with the other',
            },
          ]);
        }
        const rows = await pickupLocations(deps.db, requireChannel(req).channelId, req.query);
        return { data: rows.map(toApi) };
      },
    );
  },
};

export { distanceKm };
