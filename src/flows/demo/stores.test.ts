import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { storeSettings } from '../../modules/pickups/index.ts';
import { seedChannels } from './channels.ts';
import { type DemoLocation, seedLocations } from './locations.ts';
import { seedStoreSettings } from './stores.ts';

let t: TestApp;
let locations: DemoLocation[];
beforeAll(async () => {
  t = await createTestApp();
  const channels = await t.deps.db.tx((tx) => seedChannels(tx, t.deps));
  locations = await t.deps.db.tx((tx) => seedLocations(tx, t.deps, channels));
});
afterAll(() => t.close());

const updates = async () =>
  (
    await t.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox_events WHERE type = 'store.settings_updated'",
    )
  ).rows[0]?.n;

describe('demo store settings', () => {
  it('gives each demo store its hold days, once', async () => {
    await t.deps.db.tx((tx) => seedStoreSettings(tx, t.deps, locations));
    const downtown = locations.find((l) => l.name === 'Downtown Store') as DemoLocation;
    expect(await storeSettings(t.deps.db, downtown.id)).toMatchObject({ pickup_hold_days: 5 });
    expect(await updates()).toBe(3);
    await t.deps.db.tx((tx) => seedStoreSettings(tx, t.deps, locations));
    expect(await updates()).toBe(3);
  });
});
