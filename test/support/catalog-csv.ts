/** A generated catalog CSV (the import format of docs/catalog.md), for the bulk-import test and benchmark. */
import { csvLine } from '../../src/modules/catalog/csv.ts';
import { withCheckDigit } from '../../src/modules/catalog/rules.ts';

export const CSV_SIZES = ['XS', 'S', 'M', 'L', 'XL'];

/**
 * `products` products × 5 sizes = one variant row each, with barcodes, categories and prices on two
 * channels (which must exist, named `Web` and `Store POS`).
 */
export const catalogCsv = (products: number): string => {
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
  for (let p = 0; p < products; p++) {
    for (const size of CSV_SIZES) {
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
