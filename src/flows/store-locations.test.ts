import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { newLocation, newSku, stock } from '../../test/support/stock.ts';
import { distanceKm } from './store-locations.ts';

let t: TestApp;
let key: string;
const ids: Record<string, string> = {};
const at = (latitude: number, longitude: number) => ({ latitude, longitude });
beforeAll(async () => {
  t = await createTestApp();
  const web = await t.channel('web');
  key = web.key;
  ids.warehouse = await newLocation(t, { type: 'warehouse', pickup: false, ...at(45.562, -122.73) });
  ids.pioneer = await newLocation(t, at(45.5189, -122.6795));
  ids.alberta = await newLocation(t, at(45.559, -122.645));
  ids.hawthorne = await newLocation(t, at(45.512, -122.625));
  ids.closed = await newLocation(t, { ...at(45.5122, -122.6318), active: false });
  ids.nowhere = await newLocation(t, { latitude: null, longitude: null });
  ids.unbound = await newLocation(t, at(45.5122, -122.6318));
  const order = ['warehouse', 'pioneer', 'alberta', 'hawthorne', 'closed', 'nowhere'].map((n) => ids[n]);
  const r = await t.admin('PUT', `/channels/${web.id}/locations`, { location_ids: order });
  expect(r.status).toBe(200);
});
afterAll(() => t.close());

interface Row {
  id: string;
  distance_km: number | null;
  available: number | null;
}
const get = (query = '') => t.call<{ data: Row[] }>('GET', `/store/locations${query}`, { key });
const names = (rows: Row[]) => rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id));

describe('GET /store/locations', () => {
  it("lists the channel's active pickup locations in priority order without a position", async () => {
    const r = await get();
    expect(r.status).toBe(200);
    expect(names(r.body.data)).toEqual(['pioneer', 'alberta', 'hawthorne', 'nowhere']);
    expect(r.body.data.every((l) => l.distance_km === null && l.available === null)).toBe(true);
  });

  it('sorts by great-circle distance with km to one decimal, locations without coordinates last', async () => {
    const r = await get('?lat=45.5122&lng=-122.6318');
    expect(names(r.body.data)).toEqual(['hawthorne', 'pioneer', 'alberta', 'nowhere']);
    expect(r.body.data.map((l) => l.distance_km)).toEqual([0.5, 3.8, 5.3, null]);
    expect((await get('?lat=45.5122&lng=-122.6318&limit=2')).body.data).toHaveLength(2);
  });

  it('with a SKU keeps only locations where it is available, with how many', async () => {
    const sku = newSku();
    await stock(t, sku, ids.warehouse as string, 100);
    await stock(t, sku, ids.pioneer as string, 3);
    await stock(t, sku, ids.hawthorne as string, 2);
    await stock(t, sku, ids.closed as string, 9);
    await stock(t, sku, ids.unbound as string, 9);
    await t.admin('PATCH', '/inventory/levels', { sku, location_id: ids.hawthorne, safety_stock: 2 });
    const r = await get(`?lat=45.5122&lng=-122.6318&sku=${sku}`);
    expect(names(r.body.data)).toEqual(['pioneer']);
    expect(r.body.data[0]).toMatchObject({ available: 3, distance_km: 3.8 });
    await t.admin('PATCH', '/inventory/levels', { sku, location_id: ids.hawthorne, safety_stock: 0 });
    const both = await get(`?sku=${sku}`);
    expect(names(both.body.data)).toEqual(['pioneer', 'hawthorne']);
    expect(both.body.data.map((l) => l.available)).toEqual([3, 2]);
  });

  it('needs lat and lng together, valid ranges and a channel key', async () => {
    expect((await get('?lat=45.5')).status).toBe(400);
    expect((await get('?lat=91&lng=0')).status).toBe(400);
    expect((await t.call('GET', '/store/locations')).status).toBe(401);
  });

  it('computes haversine distances', () => {
    expect(distanceKm({ lat: 45.5152, lng: -122.6784 }, { lat: 47.6062, lng: -122.3321 })).toBeCloseTo(
      234,
      0,
    );
    expect(distanceKm({ lat: 10, lng: 20 }, { lat: 10, lng: 20 })).toBe(0);
  });
});
