import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { getChannel } from '../channels/index.ts';
import * as repo from './repo.ts';
import type { CreateLocationBody, UpdateLocationBody } from './schema.ts';
import { checkPlace } from './validate.ts';

/** Channel types served at one counter: bound to exactly one store location. */
const SINGLE_STORE_CHANNELS = new Set(['pos', 'kiosk']);

const trimOrNull = (s: string | null | undefined): string | null => s?.trim() || null;

const event = (tx: Tx, deps: Pick<Deps, 'clock'>, type: string, row: repo.LocationRow, extra = {}) =>
  writeEvent(tx, deps.clock, {
    type,
    aggregateType: 'location',
    aggregateId: row.id,
    data: { ...repo.locationToApi(row), ...extra },
  });

const channelOrThrow = async (q: Queryable, id: string) => {
  const channel = await getChannel(q, id);
  if (!channel) throw notFound('Channel', id);
  return channel;
};

export const getLocationOrThrow = async (q: Queryable, id: string): Promise<repo.LocationRow> => {
  const row = await repo.getLocation(q, id);
  if (!row) throw notFound('Location', id);
  return row;
};

/**
 * Creates a location; validates time zone, countries, coordinates (both or neither), opening hours
 * and closures.
 */
export const createLocation = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: CreateLocationBody,
): Promise<repo.LocationRow> => {
  const now = deps.clock.now();
  const row: repo.LocationRow = {
    id: newId('loc'),
    name: input.name.trim(),
    type: input.type,
    address_line1: input.address.line1.trim(),
    address_line2: trimOrNull(input.address.line2),
    city: input.address.city.trim(),
    region: trimOrNull(input.address.region),
    postal_code: trimOrNull(input.address.postal_code),
    country: input.address.country,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    timezone: input.timezone,
    opening_hours: input.opening_hours ?? {},
    closures: input.closures ?? [],
    default_country: input.default_country ?? null,
    pickup: input.pickup ?? false,
    ship_from_store: input.ship_from_store ?? false,
    sells_in_store: input.sells_in_store ?? false,
    active: input.active ?? true,
    created_at: now,
    updated_at: now,
  };
  checkPlace(row);
  const created = await repo.insertLocation(tx, row);
  await event(tx, deps, 'location.created', created);
  return created;
};

/** A store bound to a POS or kiosk channel must stay a store. */
const assertStillServesCounters = async (tx: Tx, locationId: string): Promise<void> => {
  for (const channelId of await repo.channelsOfLocation(tx, locationId)) {
    const channel = await channelOrThrow(tx, channelId);
    if (SINGLE_STORE_CHANNELS.has(channel.type)) {
      throw validation(
        `Location ${locationId} serves ${channel.type} channel ${channel.id}; it must stay a store`,
        [
          {
            path: 'body.type',
            message: `must stay "store" while ${channel.type} channel ${channel.id} uses it`,
          },
        ],
      );
    }
  }
};

/** Applies a partial update; the merged location is validated as a whole. */
export const updateLocation = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  patch: UpdateLocationBody,
): Promise<repo.LocationRow> => {
  const cur = await repo.getLocation(tx, id, { forUpdate: true });
  if (!cur) throw notFound('Location', id);
  const a = patch.address;
  const next: repo.LocationRow = {
    ...cur,
    name: patch.name?.trim() ?? cur.name,
    type: patch.type ?? cur.type,
    ...(a && {
      address_line1: a.line1.trim(),
      address_line2: trimOrNull(a.line2),
      city: a.city.trim(),
      region: trimOrNull(a.region),
      postal_code: trimOrNull(a.postal_code),
      country: a.country,
    }),
    latitude: patch.latitude !== undefined ? patch.latitude : cur.latitude,
    longitude: patch.longitude !== undefined ? patch.longitude : cur.longitude,
    timezone: patch.timezone ?? cur.timezone,
    opening_hours: patch.opening_hours ?? cur.opening_hours,
    closures: patch.closures ?? cur.closures,
    default_country: patch.default_country !== undefined ? patch.default_country : cur.default_country,
    pickup: patch.pickup ?? cur.pickup,
    ship_from_store: patch.ship_from_store ?? cur.ship_from_store,
    sells_in_store: patch.sells_in_store ?? cur.sells_in_store,
    active: patch.active ?? cur.active,
    updated_at: deps.clock.now(),
  };
  checkPlace(next);
  if (cur.type === 'store' && next.type !== 'store') await assertStillServesCounters(tx, id);
  const row = (await repo.replaceLocation(tx, next)) as repo.LocationRow;
  await event(tx, deps, 'location.updated', row, { changed: Object.keys(patch) });
  return row;
};

/** Deletes an unused location. One with stock, history or channels is refused: deactivate it instead. */
export const deleteLocation = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
): Promise<repo.LocationRow> => {
  const row = await repo.deleteLocation(tx, id);
  if (!row) throw notFound('Location', id);
  await event(tx, deps, 'location.deleted', row);
  return row;
};

/**
 * Sets the locations that fulfil a channel, in priority order. A `pos` or `kiosk` channel is bound to
 * exactly one store. Unknown or repeated ids are refused with VALIDATION_FAILED.
 */
export const setChannelLocations = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  channelId: string,
  locationIds: readonly string[],
): Promise<repo.FulfilmentLocation[]> => {
  const channel = await channelOrThrow(tx, channelId);
  const found = new Map((await repo.getLocations(tx, locationIds)).map((l) => [l.id, l]));
  const issues = locationIds.flatMap((id, i) => {
    if (!found.has(id)) return [{ path: `body.location_ids.${i}`, message: `location ${id} does not exist` }];
    if (locationIds.indexOf(id) !== i)
      return [{ path: `body.location_ids.${i}`, message: 'is listed twice' }];
    return [];
  });
  const first = issues[0];
  if (first) throw validation(`${first.path}: ${first.message}`, issues);
  if (SINGLE_STORE_CHANNELS.has(channel.type)) {
    const only = locationIds.length === 1 ? found.get(locationIds[0] as string) : undefined;
    if (only?.type !== 'store') {
      throw validation(`A ${channel.type} channel is bound to exactly one location of type store`, [
        {
          path: 'body.location_ids',
          message: `must be exactly one store location for a ${channel.type} channel`,
        },
      ]);
    }
  }
  await repo.replaceChannelLocations(tx, channelId, locationIds);
  await writeEvent(tx, deps.clock, {
    type: 'channel.locations_updated',
    aggregateType: 'channel',
    aggregateId: channelId,
    data: { channel_id: channelId, location_ids: [...locationIds] },
  });
  return repo.fulfilmentLocations(tx, channelId);
};

/** The channel's fulfilment locations in priority order (NOT_FOUND for an unknown channel). */
export const channelLocations = async (
  q: Queryable,
  channelId: string,
): Promise<repo.FulfilmentLocation[]> => {
  await channelOrThrow(q, channelId);
  return repo.fulfilmentLocations(q, channelId);
};
