import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Id, List, Name, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

/**
 * Nullable for request bodies: null is tried first, because with type coercion on, Ajv would turn a
 * null into 0 or "" when the value's own schema comes first in the union.
 */
const OrNull = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

export const LOCATION_TYPES = ['warehouse', 'store'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const LocationTypeSchema = Type.Union(
  LOCATION_TYPES.map((t) => Type.Literal(t)),
  { description: 'A warehouse (ships only) or a store (can sell, ship from store, hold pickups)' },
);

/** "HH:MM", 24-hour clock; "24:00" is allowed as a closing time. */
const Time = Str({ min: 5, max: 5, pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' });

export const Interval = Obj({ open: Time, close: Time });
export type Interval = Static<typeof Interval>;

const Day = Type.Optional(List(Interval, { max: 4 }));
export const OpeningHours = Obj(
  { mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day },
  {
    description:
      'Opening hours per weekday in local time: a sorted list of non-overlapping open/close intervals. ' +
      'A missing or empty day is closed. Hours past midnight are split over two days.',
  },
);
export type OpeningHours = Partial<Record<Weekday, Interval[]>>;

const Country = Str({ min: 2, max: 2, pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code' });

const DefaultCountry = OrNull(
  Str({
    min: 2,
    max: 2,
    pattern: '^[A-Z]{2}$',
    description:
      'ISO 3166-1 alpha-2 country whose phone numbers need no country code at this location (a number ' +
      'typed 09171234567 in Manila); null: the address country',
  }),
);

/** "YYYY-MM-DD" in the location's time zone. */
const LocalDate = Str({ min: 10, max: 10, pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' });

export const Closure = Obj(
  {
    from: LocalDate,
    to: Type.Optional(LocalDate),
    yearly: Type.Optional(
      Type.Boolean({ description: 'Every year on these days (25 December); the year of from/to is ignored' }),
    ),
    reason: Type.Optional(Str({ max: 100 })),
  },
  {
    description:
      'Days the location is closed besides its weekly hours (holidays, stock-taking), `from` to `to` ' +
      'inclusive (one day without `to`), in local time',
  },
);
export type Closure = Static<typeof Closure>;
const Closures = List(Closure, { max: 200 });
const OptionalText = (max: number) => Type.Optional(OrNull(Str({ max })));

export const Address = Obj({
  line1: Name(200),
  line2: OptionalText(200),
  city: Name(100),
  region: OptionalText(100),
  postal_code: OptionalText(20),
  country: Country,
});
export type Address = Static<typeof Address>;

const Latitude = Type.Number({ minimum: -90, maximum: 90 });
const Longitude = Type.Number({ minimum: -180, maximum: 180 });
const Timezone = Str({ min: 1, max: 64, description: 'IANA time zone, e.g. America/Los_Angeles' });

const Flags = {
  pickup: Type.Boolean({ description: 'Click & collect: shoppers may pick orders up here' }),
  ship_from_store: Type.Boolean({ description: 'Online orders may ship from this location' }),
  sells_in_store: Type.Boolean({ description: 'Sells over the counter (POS)' }),
  active: Type.Boolean(),
};

export const Location = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: LocationTypeSchema,
    address: Type.Object({
      line1: Type.String(),
      line2: Nullable(Type.String()),
      city: Type.String(),
      region: Nullable(Type.String()),
      postal_code: Nullable(Type.String()),
      country: Type.String(),
    }),
    latitude: Nullable(Type.Number()),
    longitude: Nullable(Type.Number()),
    timezone: Type.String(),
    opening_hours: Type.Record(
      Type.String(),
      Type.Array(Type.Object({ open: Type.String(), close: Type.String() })),
    ),
    closures: Type.Array(
      Type.Object({
        from: Type.String(),
        to: Type.Optional(Type.String()),
        yearly: Type.Optional(Type.Boolean()),
        reason: Type.Optional(Type.String()),
      }),
    ),
    default_country: Nullable(Type.String()),
    ...Flags,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Location' },
);
export type Location = Static<typeof Location>;

export const CreateLocationBody = Obj({
  name: Name(100),
  type: LocationTypeSchema,
  address: Address,
  latitude: Type.Optional(OrNull(Latitude)),
  longitude: Type.Optional(OrNull(Longitude)),
  timezone: Timezone,
  opening_hours: Type.Optional(OpeningHours),
  closures: Type.Optional(Closures),
  default_country: Type.Optional(DefaultCountry),
  pickup: Type.Optional(Flags.pickup),
  ship_from_store: Type.Optional(Flags.ship_from_store),
  sells_in_store: Type.Optional(Flags.sells_in_store),
  active: Type.Optional(Flags.active),
});
export type CreateLocationBody = Static<typeof CreateLocationBody>;

export const UpdateLocationBody = Obj(
  {
    name: Type.Optional(Name(100)),
    type: Type.Optional(LocationTypeSchema),
    address: Type.Optional(Address),
    latitude: Type.Optional(OrNull(Latitude)),
    longitude: Type.Optional(OrNull(Longitude)),
    timezone: Type.Optional(Timezone),
    opening_hours: Type.Optional(OpeningHours),
    closures: Type.Optional(Closures),
    default_country: Type.Optional(DefaultCountry),
    pickup: Type.Optional(Flags.pickup),
    ship_from_store: Type.Optional(Flags.ship_from_store),
    sells_in_store: Type.Optional(Flags.sells_in_store),
    active: Type.Optional(Flags.active),
  },
  { minProperties: 1 },
);
export type UpdateLocationBody = Static<typeof UpdateLocationBody>;

export const ListLocationsQuery = Obj({
  ...PageQuery,
  type: Type.Optional(LocationTypeSchema),
  pickup: Type.Optional(Type.Boolean()),
  ship_from_store: Type.Optional(Type.Boolean()),
  sells_in_store: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
});
export type ListLocationsQuery = Static<typeof ListLocationsQuery>;

export const SetChannelLocationsBody = Obj({
  location_ids: List(Id('loc'), { max: 100 }),
});

export const ChannelLocations = Type.Object(
  {
    channel_id: Type.String(),
    locations: Type.Array(Type.Object({ priority: Type.Integer(), location: Location })),
  },
  { $id: 'ChannelLocations' },
);
export type ChannelLocations = Static<typeof ChannelLocations>;
