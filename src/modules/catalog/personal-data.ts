/** The catalog keeps no personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

const CATALOG = 'what the retailer sells';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'products',
    notPersonal: [
      'id',
      'handle',
      'title',
      'description',
      'status',
      'attributes',
      'option_names',
      'image_urls',
    ],
    why: CATALOG,
  },
  {
    table: 'variants',
    notPersonal: ['id', 'product_id', 'sku', 'barcode', 'title', 'options'],
    why: CATALOG,
  },
  { table: 'prices', notPersonal: ['id', 'variant_id', 'channel_id', 'currency'], why: CATALOG },
  { table: 'categories', notPersonal: ['id', 'handle', 'name', 'parent_id'], why: CATALOG },
  { table: 'collections', notPersonal: ['id', 'handle', 'title', 'description'], why: CATALOG },
  { table: 'product_categories', notPersonal: ['product_id', 'category_id'], why: CATALOG },
  { table: 'product_collections', notPersonal: ['product_id', 'collection_id'], why: CATALOG },
  { table: 'product_channels', notPersonal: ['product_id', 'channel_id'], why: CATALOG },
  {
    table: 'catalog_imports',
    notPersonal: ['id', 'status', 'filename', 'counts', 'errors', 'failure', 'created_by'],
    why: 'progress and refused rows of catalog CSV imports (product handles, SKUs, line numbers)',
  },
];
