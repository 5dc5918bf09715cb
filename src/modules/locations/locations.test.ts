import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Location } from './schema.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

let n = 0;
const store = (over: Record<string, unknown> = {}) => ({
  name: `Store ${++n}`,
  type: 'store',
  address: {
    line1: '921 SW Washington St',
    city: 'Portland',
    region: 'OR',
    postal_code: '97205',
    country: 'US',
  },
  latitude: 45.5211,
  longitude: -122.6813,
  timezone: 'America/Los_Angeles',
  opening_hours: {
    mon: [{ open: '10:00', close: '19:00' }],
    sat: [
      { open: '09:00', close: '12:00' },
      { open: '13:00', close: '18:00' },
    ],
  },
  pickup: true,
  sells_in_store: true,
  ...over,
});
const create = async (over: Record<string, unknown> = {}) => {
  const r = await t.admin<Location>('POST', '/locations', store(over));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
const issues = (body: Record<string, unknown>) => (body.errors as { path: string }[]).map((e) => e.path);

describe('locations CRUD', () => {
  it('creates a store with address, coordinates, hours and flags, writes location.created', async () => {
    const loc = await create({ name: 'Pearl District' });
    expect(loc.id).toMatch(/^loc_/);
    expect(loc).toMatchObject({
      name: 'Pearl District',
      type: 'store',
      address: { line1: '921 SW Washington St', line2: null, city: 'Portland', country: 'US' },
      latitude: 45.5211,
      timezone: 'America/Los_Angeles',
      pickup: true,
      ship_from_store: false,
      sells_in_store: true,
      active: true,
      created_at: t.clock.now().toISOString(),
    });
    expect(loc.opening_hours.sat).toHaveLength(2);
    const got = await t.admin<Location>('GET', `/locations/${loc.id}`);
    expect(got.body).toEqual(loc);
    const ev = await t.deps.db.query<{ type: string }>(
      "SELECT type FROM outbox_events WHERE aggregate_type = 'location' AND aggregate_id = $1",
      [loc.id],
    );
    expect(ev.rows.map((r) => r.type)).toEqual(['location.created']);
  });

  it('refuses invalid time zones, countries, coordinates and opening hours, listing each problem', async () => {
    const r = await t.admin('POST', '/locations', {
      ...store(),
      timezone: 'Mars/Olympus_Mons',
      address: { line1: 'x', city: 'y', country: 'ZZ' },
      longitude: null,
      opening_hours: {
        mon: [{ open: '18:00', close: '09:00' }],
        tue: [
          { open: '09:00', close: '13:00' },
          { open: '12:00', close: '18:00' },
        ],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(issues(r.body)).toEqual([
      'body.timezone',
      'body.address.country',
      'body.latitude',
      'body.opening_hours.mon.0',
      'body.opening_hours.tue.1',
    ]);
  });

  it('keeps holidays, closures and a default phone country, editable by admins and validated', async () => {
    const loc = await create({
      name: 'Rivoli',
      address: { line1: '1 rue de Rivoli', city: 'Paris', country: 'FR' },
      timezone: 'Europe/Paris',
      closures: [{ from: '2020-12-25', yearly: true, reason: 'Noël' }],
    });
    expect(loc).toMatchObject({ default_country: null, closures: [{ from: '2020-12-25', yearly: true }] });
    const patched = await t.admin<Location>('PATCH', `/locations/${loc.id}`, {
      default_country: 'MC',
      closures: [...loc.closures, { from: '2026-08-10', to: '2026-08-14', reason: 'Inventaire' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ default_country: 'MC', closures: [{}, { to: '2026-08-14' }] });
    expect((await t.admin<Location>('GET', `/locations/${loc.id}`)).body.default_country).toBe('MC');

    const bad = await t.admin('PATCH', `/locations/${loc.id}`, {
      default_country: 'ZZ',
      closures: [
        { from: '2026-02-30' },
        { from: '2026-08-14', to: '2026-08-10' },
        { from: '2026-01-01', to: '2027-01-01', yearly: true },
      ],
    });
    expect(bad.status).toBe(400);
    expect(issues(bad.body)).toEqual([
      'body.default_country',
      'body.closures.0.from',
      'body.closures.1.to',
      'body.closures.2.to',
    ]);
    for (const schemaBad of [
      { default_country: 'fr' },
      { closures: [{ from: '25/12' }] },
      { closures: [{}] },
    ]) {
      expect(
        (await t.admin('PATCH', `/locations/${loc.id}`, schemaBad)).status,
        JSON.stringify(schemaBad),
      ).toBe(400);
    }
    expect((await t.admin('PATCH', `/locations/${loc.id}`, { default_country: null })).body).toMatchObject({
      default_country: null,
    });
  });

  it('refuses out-of-range coordinates, bad times and unknown properties by schema', async () => {
    for (const bad of [
      { latitude: 91 },
      { longitude: -181 },
      { opening_hours: { mon: [{ open: '9:00', close: '17:00' }] } },
      { opening_hours: { monday: [] } },
      { type: 'depot' },
      { colour: 'red' },
      { name: 'x'.repeat(101) },
    ]) {
      const r = await t.admin('POST', '/locations', store(bad));
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses a duplicate name (case-insensitive)', async () => {
    await create({ name: 'Hawthorne' });
    const r = await t.admin('POST', '/locations', store({ name: 'HAWTHORNE' }));
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('ALREADY_EXISTS');
  });

  it('lists with filters and cursor pagination', async () => {
    const wh = await create({
      type: 'warehouse',
      name: 'Filter Warehouse',
      pickup: false,
      sells_in_store: false,
    });
    const byType = await t.admin<{ data: Location[] }>('GET', '/locations?type=warehouse&limit=200');
    expect(byType.body.data.map((l) => l.id)).toContain(wh.id);
    expect(byType.body.data.every((l) => l.type === 'warehouse')).toBe(true);
    const pickup = await t.admin<{ data: Location[] }>('GET', '/locations?pickup=true&limit=200');
    expect(pickup.body.data.length).toBeGreaterThan(0);
    expect(pickup.body.data.every((l) => l.pickup)).toBe(true);
    expect(pickup.body.data.map((l) => l.id)).not.toContain(wh.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: Location[]; next_cursor: string | null } } = await t.admin(
        'GET',
        `/locations?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((l) => l.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    const all = await t.admin<{ data: Location[] }>('GET', '/locations?limit=200');
    expect(seen).toEqual(all.body.data.map((l) => l.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('patches a location, validating the merged result', async () => {
    const loc = await create();
    const r = await t.admin<Location>('PATCH', `/locations/${loc.id}`, {
      ship_from_store: true,
      address: { line1: '1 Main St', city: 'Portland', country: 'US' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ship_from_store: true, pickup: true, latitude: 45.5211 });
    expect(r.body.address).toEqual({
      line1: '1 Main St',
      line2: null,
      city: 'Portland',
      region: null,
      postal_code: null,
      country: 'US',
    });
    const half = await t.admin('PATCH', `/locations/${loc.id}`, { latitude: null });
    expect(half.status).toBe(400);
    expect(issues(half.body)).toEqual(['body.latitude']);
    const both = await t.admin<Location>('PATCH', `/locations/${loc.id}`, {
      latitude: null,
      longitude: null,
    });
    expect(both.body.latitude).toBeNull();
    expect((await t.admin('PATCH', `/locations/${loc.id}`, {})).status).toBe(400);
    const missing = await t.admin('PATCH', '/locations/loc_01JAAAAAAAAAAAAAAAAAAAAAAA', { active: false });
    expect(missing.status).toBe(404);
  });

  it('deletes an unused location and refuses one a channel uses', async () => {
    const unused = await create();
    expect((await t.admin('DELETE', `/locations/${unused.id}`)).status).toBe(200);
    expect((await t.admin('GET', `/locations/${unused.id}`)).status).toBe(404);
    const used = await create();
    const web = await t.channel('web');
    expect((await t.admin('PUT', `/channels/${web.id}/locations`, { location_ids: [used.id] })).status).toBe(
      200,
    );
    const r = await t.admin('DELETE', `/locations/${used.id}`);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('CONFLICT');
    expect((await t.admin('GET', `/locations/${used.id}`)).status).toBe(200);
  });
});

describe('channel fulfilment locations', () => {
  it('stores an ordered list and replaces it', async () => {
    const [a, b, c] = [await create(), await create({ type: 'warehouse' }), await create()];
    const web = await t.channel('web');
    const put = await t.admin<{ locations: { priority: number; location: Location }[] }>(
      'PUT',
      `/channels/${web.id}/locations`,
      { location_ids: [b.id, a.id, c.id] },
    );
    expect(put.status).toBe(200);
    expect(put.body.locations.map((l) => [l.priority, l.location.id])).toEqual([
      [1, b.id],
      [2, a.id],
      [3, c.id],
    ]);
    await t.admin('PUT', `/channels/${web.id}/locations`, { location_ids: [c.id, a.id] });
    const got = await t.admin<{ locations: { location: Location }[] }>(
      'GET',
      `/channels/${web.id}/locations`,
    );
    expect(got.body.locations.map((l) => l.location.id)).toEqual([c.id, a.id]);
  });

  it('binds a pos or kiosk channel to exactly one store', async () => {
    const [s1, s2, wh] = [await create(), await create(), await create({ type: 'warehouse' })];
    for (const type of ['pos', 'kiosk']) {
      const ch = await t.channel(type);
      for (const ids of [[wh.id], [s1.id, s2.id], []]) {
        const r = await t.admin('PUT', `/channels/${ch.id}/locations`, { location_ids: ids });
        expect(r.status, `${type} ${ids.length}`).toBe(400);
        expect(r.body.code).toBe('VALIDATION_FAILED');
        expect(String(r.body.detail)).toMatch(
          `A ${type} channel is bound to exactly one location of type store`,
        );
      }
      expect((await t.admin('PUT', `/channels/${ch.id}/locations`, { location_ids: [s1.id] })).status).toBe(
        200,
      );
    }
    // The store serving the POS cannot become a warehouse.
    const r = await t.admin('PATCH', `/locations/${s1.id}`, { type: 'warehouse' });
    expect(r.status).toBe(400);
    expect(issues(r.body)).toEqual(['body.type']);
  });

  it('refuses unknown and repeated locations and unknown channels', async () => {
    const a = await create();
    const web = await t.channel('web');
    const unknown = await t.admin('PUT', `/channels/${web.id}/locations`, {
      location_ids: [a.id, 'loc_01JAAAAAAAAAAAAAAAAAAAAAAA', a.id],
    });
    expect(unknown.status).toBe(400);
    expect(issues(unknown.body)).toEqual(['body.location_ids.1', 'body.location_ids.2']);
    const noChannel = await t.admin('PUT', '/channels/chn_01JAAAAAAAAAAAAAAAAAAAAAAA/locations', {
      location_ids: [a.id],
    });
    expect(noChannel.status).toBe(404);
    expect((await t.admin('GET', '/channels/chn_01JAAAAAAAAAAAAAAAAAAAAAAA/locations')).status).toBe(404);
  });
});

describe('staff tokens', () => {
  it('read their own locations only and cannot change any', async () => {
    const [mine, other] = [await create(), await create()];
    const staff = await t.staff([mine.id]);
    const list = await t.admin<{ data: Location[] }>('GET', '/locations?limit=200', undefined, staff);
    expect(list.status).toBe(200);
    expect(list.body.data.map((l) => l.id)).toEqual([mine.id]);
    expect((await t.admin('GET', `/locations/${mine.id}`, undefined, staff)).status).toBe(200);
    const forbidden = await t.admin('GET', `/locations/${other.id}`, undefined, staff);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    expect((await t.admin('PATCH', `/locations/${mine.id}`, { active: false }, staff)).status).toBe(403);
    expect((await t.admin('POST', '/locations', store(), staff)).status).toBe(403);
  });
});
