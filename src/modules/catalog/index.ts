/**
 * Catalog: products, variants (SKU, barcode, options), categories, collections, per-channel
 * assortment and per-channel prices with validity windows. See docs/catalog.md.
 */
import { invalidateLocal } from '../../platform/cache.ts';
import type { PlazaModule } from '../../platform/module.ts';
import { exportRoutes } from './routes-export.ts';
import { importRoutes } from './routes-import.ts';
import { productRoutes } from './routes-products.ts';
import { categoryRoutes, collectionRoutes } from './routes-taxonomy.ts';
import { variantRoutes } from './routes-variants.ts';

export { type BulkProduct, type BulkResult, type BulkVariant, bulkUpsert, type RowError } from './bulk.ts';
export { CsvError, csvLine, decodeUtf8, parseCsv } from './csv.ts';
export { CATALOG_EVENTS, type CatalogEventType } from './events.ts';
export { exportProductsCsv } from './export.ts';
export { formatImportErrors, type ImportReport, importProductsCsv } from './import.ts';
export {
  findVariantByCode,
  findVariantsBySku,
  isPublishedOn,
  listPublishedProductIds,
  type PublishedProductRef,
  prefixQuery,
  searchPublishedProducts,
  type VariantWithProduct,
} from './read.ts';
export { type CurrentPrice, currentPrices, type PriceRow } from './repo-prices.ts';
export type { ProductRow } from './repo-products.ts';
export { categoriesByHandle, collectionsByHandle } from './repo-taxonomy.ts';
export type { VariantRow } from './repo-variants.ts';
export { currentOf, isValidGtin, withCheckDigit } from './rules.ts';
export type { Product, ProductStatus, Variant } from './schema.ts';
export { type SellableRow, type SellableSku, sellableRows, sellableSkus, toSellable } from './sellable.ts';
export {
  addScheduledPricesIfNone,
  applyPriceList,
  type ChannelPriceList,
  type ScheduledPrice,
} from './service-prices.ts';
export { createCategory, createCollection } from './service-taxonomy.ts';
export {
  type ChannelCategory,
  type ChannelCollection,
  channelCategories,
  channelCollections,
} from './taxonomy-read.ts';
export { type CatalogProduct, loadProducts } from './views.ts';

export const catalogModule: PlazaModule = {
  name: 'catalog',
  tags: [
    {
      name: 'catalog',
      description: 'Products, variants, categories, collections, channel assortment and prices',
    },
  ],
  adminRoutes(app, deps) {
    // Processes cache catalog facts (see carts' read model); a catalog change made through this
    // process is forgotten here as soon as it is answered (other processes hear it from triggers).
    app.addHook('onResponse', async (req) => {
      if (req.method !== 'GET') invalidateLocal('catalog_facts');
    });
    exportRoutes(app, deps);
    importRoutes(app, deps);
    productRoutes(app, deps);
    variantRoutes(app, deps);
    categoryRoutes(app, deps);
    collectionRoutes(app, deps);
  },
};
export { personalData } from './personal-data.ts';
