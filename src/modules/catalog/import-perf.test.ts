import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { csvLine } from './csv.ts';
import { importProductsCsv } from './import.ts';
import { withCheckDigit } from './rules.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.channel('web', 'Web');
  await t.channel('pos', 'Store POS');
});
afterAll(() => t.close());

const SIZES = ['XS', 'S', 'M', 'L', 'XL'];

/** 2,000 products × 5 sizes = 10,000 variant rows, with barcodes, two channels' prices, categories. */
const bigCsv = (): string => {
  const lines = [
    csvLine([
      'handle',
      'title',
      'description',
      'status',
      'categories',
      'channels',
      'sku',
      'barcode',
      'weight_grams',
      'option1_name',
      'option1_value',
      'price:Web',
      'compare_at:Web',
      'price:Store POS',
    ]),
  ];
  let n = 0;
  for (let p = 0; p < 2000; p++) {
    for (const size of SIZES) {
      n++;
      lines.push(
        csvLine([
          `perf-product-${p}`,
          `Perf Product ${p}`,
          `Description of product ${p}, with a comma`,
          'published',
          `category-${p % 12}`,
          'Web|Store POS',
          `PERF-${p}-${size}`,
          withCheckDigit(`29${String(n).padStart(10, '0')}`),
          200 + (p % 50),
          'size',
          size,
          1999 + p,
          p % 3 === 0 ? 2999 + p : '',
          1999 + p,
        ]),
      );
    }
  }
  return lines.join('');
};

describe('importing 10,000 rows', () => {
  it('takes under 30 s', { timeout: 120_000 }, async () => {
    const csv = bigCsv();
    const started = Date.now();
    const report = await importProductsCsv(t.deps, csv);
    const ms = Date.now() - started;
    console.log(`import of 10,000 rows on ${t.testDb.backend}: ${ms} ms`);
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ rows: 10_000, products_created: 2000, variants_created: 10_000 });
    expect(ms).toBeLessThan(30_000);
    const { rows } = await t.deps.db.query<{ v: number; p: number; c: number }>(
      `SELECT (SELECT count(*) FROM variants)::int AS v, (SELECT count(*) FROM prices)::int AS p,
              (SELECT count(*) FROM product_channels)::int AS c`,
    );
    expect(rows[0]).toEqual({ v: 10_000, p: 20_000, c: 4000 });

    const again = Date.now();
    const second = await importProductsCsv(t.deps, csv);
    console.log(`re-import of the same 10,000 rows on ${t.testDb.backend}: ${Date.now() - again} ms`);
    expect(second).toMatchObject({
      errors: [],
      products_created: 0,
      variants_created: 0,
      variants_updated: 0,
    });
  });
});
