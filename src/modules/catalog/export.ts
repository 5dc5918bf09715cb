/**
 * CSV export of the catalog, one row per variant (the format import reads back; see csv-format.ts
 * and docs/catalog.md). Streams page by page: memory stays flat whatever the catalog size.
 */
import type { Queryable } from '../../platform/db.ts';
import { csvLine } from './csv.ts';
import { type CsvChannel, exportHeader, LIST_SEPARATOR } from './csv-format.ts';
import { allChannels } from './import.ts';
import { productIdsAfter } from './repo-products.ts';
import { categoriesByIds, collectionsByIds } from './repo-taxonomy.ts';
import type { ProductStatus } from './schema.ts';
import { type CatalogProduct, loadProducts } from './views.ts';

interface BasePrice {
  variant_id: string;
  channel_id: string;
  amount: number;
  compare_at_amount: number | null;
}

const basePrices = async (q: Queryable, variantIds: readonly string[]): Promise<Map<string, BasePrice>> => {
  const { rows } = await q.query<BasePrice>(
    `SELECT variant_id, channel_id, amount, compare_at_amount FROM prices
     WHERE variant_id = ANY($1::text[]) AND starts_at IS NULL`,
    [variantIds],
  );
  return new Map(rows.map((r) => [`${r.variant_id} ${r.channel_id}`, r]));
};

const handlesById = async (q: Queryable, products: readonly CatalogProduct[]) => {
  const cats = await categoriesByIds(q, [...new Set(products.flatMap((p) => p.category_ids))]);
  const cols = await collectionsByIds(q, [...new Set(products.flatMap((p) => p.collection_ids))]);
  return new Map([...cats, ...cols].map((r) => [r.id, r.handle]));
};

const productRows = (
  p: CatalogProduct,
  channels: readonly CsvChannel[],
  prices: ReadonlyMap<string, BasePrice>,
  handles: ReadonlyMap<string, string>,
): string => {
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const list = (xs: readonly string[]) => xs.join(LIST_SEPARATOR);
  const product = [
    p.handle,
    p.title,
    p.description,
    p.status,
    list(p.category_ids.map((id) => handles.get(id) ?? id)),
    list(p.collection_ids.map((id) => handles.get(id) ?? id)),
    list(p.channels.map((c) => names.get(c.channel_id) ?? c.channel_id)),
    list(p.image_urls),
    Object.keys(p.attributes).length ? JSON.stringify(p.attributes) : '',
  ];
  return p.variants
    .map((v) => {
      const options = [0, 1, 2].flatMap((i) => {
        const name = p.option_names[i];
        return name ? [name, v.options[name] ?? ''] : ['', ''];
      });
      const priceCells = channels.flatMap((c) => {
        const pr = prices.get(`${v.id} ${c.id}`);
        return [pr?.amount ?? '', pr?.compare_at_amount ?? ''];
      });
      return csvLine([
        ...product,
        v.sku,
        v.barcode ?? '',
        v.title,
        v.position,
        v.weight_grams ?? '',
        ...options,
        ...priceCells,
      ]);
    })
    .join('');
};

/**
 * Yields the CSV text in chunks (header first, then one chunk per page of products, in id order).
 * Each variant's base price per channel goes in `price:<channel name>` / `compare_at:<channel name>`;
 * scheduled prices are not exported (an import keeps them).
 */
export async function* exportProductsCsv(
  q: Queryable,
  filter: { status?: ProductStatus; channelId?: string } = {},
  pageSize = 200,
): AsyncGenerator<string> {
  const channels = await allChannels(q);
  yield csvLine(exportHeader(channels));
  for (let after: string | undefined; ; ) {
    const ids = await productIdsAfter(q, { ...filter, after, limit: pageSize });
    if (ids.length === 0) return;
    const products = await loadProducts(q, ids);
    const prices = await basePrices(
      q,
      products.flatMap((p) => p.variants.map((v) => v.id)),
    );
    const handles = await handlesById(q, products);
    yield products.map((p) => productRows(p, channels, prices, handles)).join('');
    if (ids.length < pageSize) return;
    after = ids.at(-1);
  }
}
