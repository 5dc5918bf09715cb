// A bulk import end to end: every row lands once, and importing the same file again changes nothing.
// How fast it goes is measured by the `import` benchmark (bench/scenarios/import.ts, BENCHMARKS.md),
// not asserted here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { catalogCsv } from '../../../test/support/catalog-csv.ts';
import { importProductsCsv } from './import.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.channel('web', 'Web');
  await t.channel('pos', 'Store POS');
});
afterAll(() => t.close());

describe('importing 2,000 rows (400 products × 5 sizes)', () => {
  it('creates every product, variant, price and channel listing once, and a re-import changes nothing', async () => {
    const csv = catalogCsv(400);
    const report = await importProductsCsv(t.deps, csv, { batchRows: 500 }); // several batches
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ rows: 2000, products_created: 400, variants_created: 2000 });
    const counts = async () =>
      (
        await t.deps.db.query<{ v: number; p: number; c: number; b: number }>(
          `SELECT (SELECT count(*) FROM variants)::int AS v, (SELECT count(*) FROM prices)::int AS p,
                  (SELECT count(*) FROM product_channels)::int AS c,
                  (SELECT count(DISTINCT barcode) FROM variants)::int AS b`,
        )
      ).rows[0];
    expect(await counts()).toEqual({ v: 2000, p: 4000, c: 800, b: 2000 });

    const second = await importProductsCsv(t.deps, csv, { batchRows: 500 });
    expect(second).toMatchObject({
      errors: [],
      rows: 2000,
      products_created: 0,
      products_updated: 0,
      variants_created: 0,
      variants_updated: 0,
      prices_changed: 0,
    });
    expect(await counts()).toEqual({ v: 2000, p: 4000, c: 800, b: 2000 });
  });
});
