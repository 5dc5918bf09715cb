import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { seedDemo } from '../../flows/demo/index.ts';
import { sellableSkus } from '../catalog/index.ts';
import { availability } from '../inventory/index.ts';
import { fulfilmentLocations } from '../locations/index.ts';
import { skuFacts } from './read-model.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t.close());

describe("the cart's read model", () => {
  it("agrees with the catalog's sellableSkus and the inventory's availability", async () => {
    const demo = await seedDemo(t.deps);
    const { rows } = await t.deps.db.query<{ sku: string }>('SELECT sku FROM variants ORDER BY sku LIMIT 60');
    const skus = [...rows.map((r) => r.sku), 'NO-SUCH-SKU'];
    for (const at of [new Date('2026-01-15T10:00:00Z'), new Date('2026-12-20T10:00:00Z')]) {
      for (const channel of demo.channels) {
        const locations = (await fulfilmentLocations(t.deps.db, channel.id))
          .filter((l) => l.active)
          .map((l) => l.id);
        const facts = await skuFacts(t.deps.db, channel.id, skus, locations, at);
        const sellable = await sellableSkus(t.deps.db, channel.id, skus, at);
        const stock = await availability(t.deps.db, { skus, locationIds: locations });
        expect([...facts.keys()].sort()).toEqual([...sellable.keys()].sort());
        for (const [sku, f] of facts) {
          const { stock: byLocation, ...rest } = f;
          expect(rest).toEqual(sellable.get(sku));
          const expected = stock
            .filter((s) => s.sku === sku && s.available > 0)
            .map((s) => [s.location_id, s.available]);
          expect([...byLocation].sort()).toEqual(expected.sort());
        }
      }
    }
  }, 120_000);
});
