import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation, newSku, stock } from '../../../test/support/stock.ts';
import { availability, channelAvailability } from './index.ts';

let t: TestApp;
let wh: string;
let shipStore: string;
let pickupStore: string;
let closed: string;
let channel: string;
beforeAll(async () => {
  t = await createTestApp();
  wh = await newLocation(t, { type: 'warehouse', pickup: false, name: 'Central Warehouse' });
  shipStore = await newLocation(t, { ship_from_store: true });
  pickupStore = await newLocation(t, { name: 'Pickup Only' });
  closed = await newLocation(t, { active: false });
  channel = (await t.channel('web')).id;
  await t.admin('PUT', `/channels/${channel}/locations`, {
    location_ids: [wh, pickupStore, shipStore, closed],
  });
});
afterAll(() => t.close());

describe('availability', () => {
  it('answers every SKU × location asked, missing levels as 0, never below zero', async () => {
    const [a, b] = [newSku(), newSku()];
    await stock(t, a, wh, 5);
    await stock(t, b, shipStore, 2);
    await t.admin('PATCH', '/inventory/levels', { sku: b, location_id: shipStore, safety_stock: 4 });
    const rows = await availability(t.deps.db, { skus: [a, b, a], locationIds: [wh, shipStore] });
    expect(rows).toEqual([
      { sku: a, location_id: wh, on_hand: 5, reserved: 0, safety_stock: 0, available: 5 },
      { sku: a, location_id: shipStore, on_hand: 0, reserved: 0, safety_stock: 0, available: 0 },
      { sku: b, location_id: wh, on_hand: 0, reserved: 0, safety_stock: 0, available: 0 },
      { sku: b, location_id: shipStore, on_hand: 2, reserved: 0, safety_stock: 4, available: 0 },
    ]);
    expect(await availability(t.deps.db, { skus: [], locationIds: [wh] })).toEqual([]);
  });

  it("sums a channel's active fulfilment locations, with per-location stock in priority order", async () => {
    const sku = newSku();
    await stock(t, sku, wh, 10);
    await stock(t, sku, pickupStore, 3);
    await stock(t, sku, shipStore, 2);
    await stock(t, sku, closed, 50);
    await t.admin('POST', '/inventory/reservations', { lines: [{ sku, location_id: wh, quantity: 4 }] });
    const [row, none] = await channelAvailability(t.deps.db, channel, [sku, 'NO-SUCH-SKU']);
    expect(row).toMatchObject({ sku, available: 11, available_to_ship: 8 });
    expect(row?.locations.map((l) => [l.location_id, l.priority, l.available, l.reserved])).toEqual([
      [wh, 1, 6, 4],
      [pickupStore, 2, 3, 0],
      [shipStore, 3, 2, 0],
    ]);
    expect(row?.locations[0]).toMatchObject({ name: 'Central Warehouse', type: 'warehouse', pickup: false });
    expect(row?.locations[1]).toMatchObject({ name: 'Pickup Only', pickup: true, ship_from_store: false });
    expect(none).toMatchObject({ sku: 'NO-SUCH-SKU', available: 0, available_to_ship: 0 });
    const unbound = await channelAvailability(t.deps.db, (await t.channel('app')).id, [sku]);
    expect(unbound).toEqual([{ sku, available: 0, available_to_ship: 0, locations: [] }]);
  });
});
