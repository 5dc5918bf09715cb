/**
 * Demo locations and stock for "Plaza Outfitters" in Portland, OR: one warehouse and three stores,
 * web and app fulfilled by all four (warehouse first), each POS channel bound to its own store.
 * Idempotent: running again adds only what is missing.
 */
import { createHash } from 'node:crypto';
import type { ChannelType } from '../../modules/channels/index.ts';
import { availability, receiveMany } from '../../modules/inventory/index.ts';
import {
  type CreateLocationBody,
  channelLocations,
  createLocation,
  findLocationByName,
  type LocationType,
  type OpeningHours,
  setChannelLocations,
} from '../../modules/locations/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';

export interface DemoLocation {
  id: string;
  name: string;
  type: LocationType;
}

const day = (open: string, close: string) => [{ open, close }];
const STORE_HOURS: OpeningHours = {
  mon: day('10:00', '20:00'),
  tue: day('10:00', '20:00'),
  wed: day('10:00', '20:00'),
  thu: day('10:00', '20:00'),
  fri: day('10:00', '21:00'),
  sat: day('10:00', '21:00'),
  sun: day('11:00', '18:00'),
};
const WAREHOUSE_HOURS: OpeningHours = {
  mon: day('07:00', '17:00'),
  tue: day('07:00', '17:00'),
  wed: day('07:00', '17:00'),
  thu: day('07:00', '17:00'),
  fri: day('07:00', '17:00'),
};

const place = (line1: string, postal_code: string) => ({
  line1,
  city: 'Portland',
  region: 'OR',
  postal_code,
  country: 'US',
});

export const DEMO_LOCATIONS: CreateLocationBody[] = [
  {
    name: 'Portland Warehouse',
    type: 'warehouse',
    address: place('5200 NW Front Ave', '97210'),
    latitude: 45.5731,
    longitude: -122.7427,
    timezone: 'America/Los_Angeles',
    opening_hours: WAREHOUSE_HOURS,
  },
  {
    name: 'Downtown Store',
    type: 'store',
    address: place('701 SW 6th Ave', '97204'),
    latitude: 45.5187,
    longitude: -122.6776,
    timezone: 'America/Los_Angeles',
    opening_hours: STORE_HOURS,
    pickup: true,
    ship_from_store: true,
    sells_in_store: true,
  },
  {
    name: 'Riverside Store',
    type: 'store',
    address: place('3550 S River Pkwy', '97239'),
    latitude: 45.4968,
    longitude: -122.6707,
    timezone: 'America/Los_Angeles',
    opening_hours: STORE_HOURS,
    pickup: true,
    sells_in_store: true,
  },
  {
    name: 'Hawthorne Store',
    type: 'store',
    address: place('3449 SE Hawthorne Blvd', '97214'),
    latitude: 45.5121,
    longitude: -122.6296,
    timezone: 'America/Los_Angeles',
    opening_hours: STORE_HOURS,
    pickup: true,
    sells_in_store: true,
  },
];

const COUNTER_CHANNELS: ReadonlySet<ChannelType> = new Set(['pos', 'kiosk']);
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Creates the demo locations that are missing and binds the channels: web and app (and other online
 * channels) to every location, warehouse first; each pos/kiosk channel to the store its name mentions
 * ("Downtown Store POS" → Downtown Store), else to the next store no counter channel has yet.
 */
export const seedLocations = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  channels: readonly { id: string; type: ChannelType; name: string }[],
): Promise<DemoLocation[]> => {
  const locations: DemoLocation[] = [];
  for (const l of DEMO_LOCATIONS) {
    const row = (await findLocationByName(tx, l.name)) ?? (await createLocation(tx, deps, l));
    locations.push({ id: row.id, name: row.name, type: row.type });
  }
  const stores = locations.filter((l) => l.type === 'store');
  const counters = channels.filter((c) => COUNTER_CHANNELS.has(c.type));
  const taken = new Set<string>();
  const storeFor = new Map<string, DemoLocation>();
  for (const c of counters) {
    const named = stores.find((s) =>
      c.name.toLowerCase().includes(s.name.replace(/ Store$/, '').toLowerCase()),
    );
    if (named) {
      storeFor.set(c.id, named);
      taken.add(named.id);
    }
  }
  for (const c of counters.filter((x) => !storeFor.has(x.id))) {
    const free = stores.find((s) => !taken.has(s.id)) ?? stores[0];
    if (free) {
      storeFor.set(c.id, free);
      taken.add(free.id);
    }
  }
  for (const c of channels) {
    const store = storeFor.get(c.id);
    const wanted = store ? [store.id] : locations.map((l) => l.id);
    const current = (await channelLocations(tx, c.id)).map((l) => l.id);
    if (!sameList(current, wanted)) await setChannelLocations(tx, deps, c.id, wanted);
  }
  return locations;
};

/** A stable number in [0, 1) per (sku, location): the same demo stock every time. */
const unit = (sku: string, locationId: string): number =>
  createHash('sha256').update(`${sku}\u0000${locationId}`).digest().readUInt32BE(0) / 2 ** 32;

/** Demo quantity: warehouses deep (a few out of stock), stores thin with many zeros and lows. */
export const demoQuantity = (sku: string, location: DemoLocation): number => {
  const u = unit(sku, location.id);
  if (location.type === 'warehouse') return u < 0.05 ? 0 : 40 + Math.floor(((u - 0.05) / 0.95) * 200);
  if (u < 0.3) return 0;
  if (u < 0.55) return 1 + Math.floor(((u - 0.3) / 0.25) * 2);
  return 3 + Math.floor(((u - 0.55) / 0.45) * 10);
};

/**
 * Gives the SKUs realistic uneven stock at the demo locations through receipt movements, in a few
 * batched statements (1,000 SKUs × 4 locations in seconds). Levels that already hold stock are left
 * alone, so running it again only fills what is empty. Returns how many levels and units it received.
 */
export const seedStock = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  skus: readonly string[],
  locations: readonly DemoLocation[],
): Promise<{ levels: number; units: number }> => {
  const byId = new Map(locations.map((l) => [l.id, l]));
  const current = await availability(tx, { skus, locationIds: locations.map((l) => l.id) });
  const lines = current.flatMap((c) => {
    const quantity =
      c.on_hand === 0 && c.reserved === 0 ? demoQuantity(c.sku, byId.get(c.location_id) as DemoLocation) : 0;
    return quantity > 0 ? [{ sku: c.sku, location_id: c.location_id, quantity }] : [];
  });
  await receiveMany(tx, deps, lines, { actor: 'system', reason: 'demo opening stock' });
  return { levels: lines.length, units: lines.reduce((n, l) => n + l.quantity, 0) };
};
