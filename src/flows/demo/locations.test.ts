import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { channelAvailability, ledgerMismatches } from '../../modules/inventory/index.ts';
import { channelLocations } from '../../modules/locations/index.ts';
import { type DemoChannel, seedChannels } from './channels.ts';
import { type DemoLocation, seedLocations, seedStock } from './locations.ts';

let t: TestApp;
let channels: DemoChannel[];
let locations: DemoLocation[];
beforeAll(async () => {
  t = await createTestApp();
  channels = await t.deps.db.tx((tx) => seedChannels(tx, t.deps));
  locations = await t.deps.db.tx((tx) => seedLocations(tx, t.deps, channels));
});
afterAll(() => t.close());

const bound = async (name: string) => {
  const c = channels.find((x) => x.name === name);
  if (!c) throw new Error(`no channel ${name}`);
  return (await channelLocations(t.deps.db, c.id)).map((l) => l.name);
};

describe('demo locations', () => {
  it('creates a warehouse and three Portland stores and binds the channels', async () => {
    expect(locations.map((l) => [l.name, l.type])).toEqual([
      ['Portland Warehouse', 'warehouse'],
      ['Downtown Store', 'store'],
      ['Riverside Store', 'store'],
      ['Hawthorne Store', 'store'],
    ]);
    const all = ['Portland Warehouse', 'Downtown Store', 'Riverside Store', 'Hawthorne Store'];
    expect(await bound('Plaza Outfitters Web')).toEqual(all);
    expect(await bound('Plaza Outfitters App')).toEqual(all);
    expect(await bound('Downtown Store POS')).toEqual(['Downtown Store']);
    expect(await bound('Riverside Store POS')).toEqual(['Riverside Store']);
    const r = await t.admin<{ timezone: string; opening_hours: Record<string, unknown>; latitude: number }>(
      'GET',
      `/locations/${locations[1]?.id}`,
    );
    expect(r.body).toMatchObject({ timezone: 'America/Los_Angeles', latitude: 45.5187 });
    expect(Object.keys(r.body.opening_hours)).toHaveLength(7);
  });

  it('is idempotent: a second run creates and rebinds nothing', async () => {
    const count = async () =>
      (
        await t.deps.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM outbox_events WHERE type LIKE 'location.%' OR type = 'channel.locations_updated'",
        )
      ).rows[0]?.n;
    const before = await count();
    const again = await t.deps.db.tx((tx) => seedLocations(tx, t.deps, channels));
    expect(again).toEqual(locations);
    expect(await count()).toBe(before);
  });
});

describe('demo stock', () => {
  it('gives 1,000 SKUs × 4 locations uneven stock through the ledger', async () => {
    const skus = Array.from({ length: 1000 }, (_, i) => `DEMO-${String(i).padStart(4, '0')}`);
    const started = performance.now();
    const result = await t.deps.db.tx((tx) => seedStock(tx, t.deps, skus, locations));
    const ms = performance.now() - started;
    console.log(
      `seedStock: ${result.levels} levels, ${result.units} units in ${Math.round(ms)} ms (${t.testDb.backend})`,
    );
    expect(result.levels).toBeGreaterThan(2000);

    const web = channels.find((c) => c.type === 'web')?.id as string;
    const rows = await channelAvailability(t.deps.db, web, skus);
    const at = (i: number) => rows.map((r) => r.locations[i]?.on_hand ?? 0);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const warehouse = at(0);
    const stores = [1, 2, 3].flatMap(at);
    expect(mean(warehouse)).toBeGreaterThan(100);
    expect(mean(stores)).toBeLessThan(10);
    expect(stores.filter((q) => q === 0).length / stores.length).toBeGreaterThan(0.2);
    expect(stores.filter((q) => q > 0 && q <= 2).length / stores.length).toBeGreaterThan(0.15);
    expect(warehouse.filter((q) => q === 0).length).toBeGreaterThan(0);
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);

    const again = await t.deps.db.tx((tx) => seedStock(tx, t.deps, skus, locations));
    expect(again).toEqual({ levels: 0, units: 0 });
  });
});
