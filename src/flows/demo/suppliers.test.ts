import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newSku } from '../../../test/support/stock.ts';
import { seedSuppliers } from './suppliers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('demo suppliers', () => {
  it('gives every SKU one preferred supplier, in packs, once', async () => {
    const skus = Array.from({ length: 12 }, () => newSku('DSUP'));
    expect(await t.deps.db.tx((tx) => seedSuppliers(tx, t.deps, skus))).toBe(12);
    const rows = await t.deps.db.query<{ sku: string; suppliers: number; pack_size: number }>(
      `SELECT sku, count(*)::int AS suppliers, max(pack_size) AS pack_size FROM supplier_skus
        WHERE sku = ANY($1) AND preferred GROUP BY sku`,
      [skus],
    );
    expect(rows.rows).toHaveLength(12);
    for (const r of rows.rows) {
      expect(r.suppliers).toBe(1);
      expect([4, 6]).toContain(r.pack_size);
    }
    expect(new Set(rows.rows.map((r) => r.pack_size)).size).toBe(2);
    // Again: nothing added, the two suppliers reused.
    expect(await t.deps.db.tx((tx) => seedSuppliers(tx, t.deps, skus))).toBe(0);
    const names = await t.deps.db.query(
      "SELECT 1 FROM suppliers WHERE name LIKE 'Cascade%' OR name LIKE 'Northwest%'",
    );
    expect(names.rowCount).toBe(2);
  });
});
