import { announceInvalidation, inTransaction, registerCache, TtlCache } from '../../platform/cache.ts';
import type { Queryable } from '../../platform/db.ts';
import { pgCode } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { Closure, Location, LocationType, OpeningHours } from './schema.ts';

export interface LocationRow {
  id: string;
  name: string;
  type: LocationType;
  address_line1: string;
  address_line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
  latitude: number | null;
  longitude: number | null;
  timezone: string;
  opening_hours: OpeningHours;
  closures: Closure[];
  /** Phone numbers without a country code are read in this country here (null: the address country). */
  default_country: string | null;
  pickup: boolean;
  ship_from_store: boolean;
  sells_in_store: boolean;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A location that fulfils a channel, with its rank (1 = first choice). */
export interface FulfilmentLocation extends LocationRow {
  priority: number;
}

const FIELDS = [
  'id',
  'name',
  'type',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'latitude',
  'longitude',
  'timezone',
  'opening_hours',
  'closures',
  'default_country',
  'pickup',
  'ship_from_store',
  'sells_in_store',
  'active',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof LocationRow)[];
const COLUMNS = FIELDS.join(', ');
const prefixed = (alias: string) => FIELDS.map((f) => `${alias}.${f}`).join(', ');

export const locationToApi = (r: LocationRow): Location => ({
  id: r.id,
  name: r.name,
  type: r.type,
  address: {
    line1: r.address_line1,
    line2: r.address_line2,
    city: r.city,
    region: r.region,
    postal_code: r.postal_code,
    country: r.country,
  },
  latitude: r.latitude,
  longitude: r.longitude,
  timezone: r.timezone,
  opening_hours: r.opening_hours,
  closures: r.closures,
  default_country: r.default_country,
  pickup: r.pickup,
  ship_from_store: r.ship_from_store,
  sells_in_store: r.sells_in_store,
  active: r.active,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

const values = (r: LocationRow): unknown[] =>
  FIELDS.map((f) => (f === 'opening_hours' || f === 'closures' ? JSON.stringify(r[f]) : r[f]));

const nameTaken = (e: unknown, name: string): never => {
  if (pgCode(e) === '23505') {
    throw new PlazaError('ALREADY_EXISTS', `A location named "${name}" already exists`, { name });
  }
  throw e;
};

export const insertLocation = async (q: Queryable, r: LocationRow): Promise<LocationRow> => {
  await invalidateFulfilment(q);
  const params = FIELDS.map((_, i) => `$${i + 1}`).join(', ');
  try {
    const { rows } = await q.query<LocationRow>(
      `INSERT INTO locations (${COLUMNS}) VALUES (${params}) RETURNING ${COLUMNS}`,
      values(r),
    );
    return rows[0] as LocationRow;
  } catch (e) {
    return nameTaken(e, r.name);
  }
};

/** Writes every column of an existing location (the service merges the patch first). */
export const replaceLocation = async (q: Queryable, r: LocationRow): Promise<LocationRow | undefined> => {
  await invalidateFulfilment(q);
  const sets = FIELDS.map((f, i) => `${f} = $${i + 1}`)
    .slice(1)
    .join(', ');
  try {
    const { rows } = await q.query<LocationRow>(
      `UPDATE locations SET ${sets} WHERE id = $1 RETURNING ${COLUMNS}`,
      values(r),
    );
    return rows[0];
  } catch (e) {
    return nameTaken(e, r.name);
  }
};

export const getLocation = async (
  q: Queryable,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LocationRow | undefined> =>
  (
    await q.query<LocationRow>(
      `SELECT ${COLUMNS} FROM locations WHERE id = $1${opts.forUpdate ? ' FOR NO KEY UPDATE' : ''}`,
      [id],
    )
  ).rows[0];

export const getLocations = async (q: Queryable, ids: readonly string[]): Promise<LocationRow[]> =>
  (await q.query<LocationRow>(`SELECT ${COLUMNS} FROM locations WHERE id = ANY($1::text[])`, [ids])).rows;

export const findLocationByName = async (q: Queryable, name: string): Promise<LocationRow | undefined> =>
  (await q.query<LocationRow>(`SELECT ${COLUMNS} FROM locations WHERE lower(name) = lower($1)`, [name]))
    .rows[0];

export interface LocationFilter {
  type?: LocationType;
  pickup?: boolean;
  ship_from_store?: boolean;
  sells_in_store?: boolean;
  active?: boolean;
  /** Only these ids (staff tokens see their own locations). */
  ids?: readonly string[];
  after?: string;
  limit: number;
}

export const listLocations = async (q: Queryable, f: LocationFilter): Promise<LocationRow[]> =>
  (
    await q.query<LocationRow>(
      `SELECT ${COLUMNS} FROM locations
       WHERE ($1::text IS NULL OR type = $1)
         AND ($2::boolean IS NULL OR pickup = $2)
         AND ($3::boolean IS NULL OR ship_from_store = $3)
         AND ($4::boolean IS NULL OR sells_in_store = $4)
         AND ($5::boolean IS NULL OR active = $5)
         AND ($6::text[] IS NULL OR id = ANY($6::text[]))
         AND ($7::text IS NULL OR id > $7)
       ORDER BY id LIMIT $8`,
      [
        f.type ?? null,
        f.pickup ?? null,
        f.ship_from_store ?? null,
        f.sells_in_store ?? null,
        f.active ?? null,
        f.ids ?? null,
        f.after ?? null,
        f.limit,
      ],
    )
  ).rows;

/** Deletes a location; CONFLICT while anything still refers to it (channel, stock, history). */
export const deleteLocation = async (q: Queryable, id: string): Promise<LocationRow | undefined> => {
  await invalidateFulfilment(q);
  try {
    return (await q.query<LocationRow>(`DELETE FROM locations WHERE id = $1 RETURNING ${COLUMNS}`, [id]))
      .rows[0];
  } catch (e) {
    if (pgCode(e) === '23503') {
      throw new PlazaError(
        'CONFLICT',
        `Location ${id} is still used (channel fulfilment, stock or stock history); deactivate it instead`,
        { id },
      );
    }
    throw e;
  }
};

const fulfilmentCache = registerCache('fulfilment_locations', new TtlCache<FulfilmentLocation[]>(5000));

/** Forgets every cached fulfilment list in every process when `q` commits (a location or a list changed). */
const invalidateFulfilment = (q: Queryable) => announceInvalidation(q, 'fulfilment_locations', '*');

/**
 * The locations fulfilling a channel, in priority order (inactive ones included; callers filter).
 * Read on every cart request, so cached per process; a change is announced to every process when it
 * commits.
 */
export const fulfilmentLocations = (q: Queryable, channelId: string): Promise<FulfilmentLocation[]> => {
  const load = async () =>
    (
      await q.query<FulfilmentLocation>(
        `SELECT ${prefixed('l')}, cl.priority FROM channel_locations cl
         JOIN locations l ON l.id = cl.location_id
         WHERE cl.channel_id = $1 ORDER BY cl.priority`,
        [channelId],
      )
    ).rows;
  return fulfilmentCache.getInTx(inTransaction(q), channelId, load);
};

/** Replaces the channel's fulfilment locations with `locationIds` in that priority order. */
export const replaceChannelLocations = async (
  q: Queryable,
  channelId: string,
  locationIds: readonly string[],
): Promise<void> => {
  await invalidateFulfilment(q);
  await q.query('DELETE FROM channel_locations WHERE channel_id = $1', [channelId]);
  if (locationIds.length === 0) return;
  try {
    await q.query(
      `INSERT INTO channel_locations (channel_id, location_id, priority)
       SELECT $1, location_id, priority::int FROM unnest($2::text[]) WITH ORDINALITY AS t(location_id, priority)`,
      [channelId, locationIds],
    );
  } catch (e) {
    // Two concurrent replacements of the same channel: the later one retries.
    if (pgCode(e) === '23505') {
      throw new PlazaError('CONFLICT', "The channel's locations were changed concurrently; retry", {
        retryable: true,
      });
    }
    throw e;
  }
};

/** Channel ids this location fulfils. */
export const channelsOfLocation = async (q: Queryable, locationId: string): Promise<string[]> =>
  (
    await q.query<{ channel_id: string }>(
      'SELECT channel_id FROM channel_locations WHERE location_id = $1 ORDER BY channel_id',
      [locationId],
    )
  ).rows.map((r) => r.channel_id);
