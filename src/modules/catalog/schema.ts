import { type Static, Type } from '@sinclair/typebox';
import {
  CurrencyCode,
  Id,
  List,
  Name,
  Nullable,
  Obj,
  PageQuery,
  Str,
  Timestamp,
} from '../../platform/http/schemas.ts';

export const PRODUCT_STATUSES = ['draft', 'published', 'archived'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const ProductStatusSchema = Type.Union(
  PRODUCT_STATUSES.map((s) => Type.Literal(s)),
  {
    description:
      'draft: being prepared; published: may be published to channels; archived: retired (unpublished everywhere)',
  },
);

export const Handle = Str({
  min: 1,
  max: 100,
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  description: 'URL-safe unique handle (lower case, digits, dashes); derived from the title when omitted',
});

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;
const Amount = Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, description: 'Integer minor units' });

const SkuInput = Str({
  min: 1,
  max: 100,
  description: 'Trimmed, then 1-64 of A-Z a-z 0-9 . _ / - starting with a letter or digit; case-sensitive',
});
const BarcodeInput = Nullable(
  Str({ max: 20, description: 'EAN-8, UPC-A or EAN-13 with a valid check digit' }),
);

const OptionName = Name(50);
const OptionValues = Type.Record(Type.String({ maxLength: 50 }), Name(100), {
  maxProperties: 3,
  propertyNames: { maxLength: 50 },
  additionalProperties: false,
  description: 'Option values by option name, e.g. {"size":"M","color":"Black"}',
});
const Attributes = Type.Record(Type.String({ maxLength: 100 }), Str({ max: 1000 }), {
  maxProperties: 50,
  propertyNames: { maxLength: 100 },
  additionalProperties: false,
  description: 'Free-form string attributes, e.g. {"material":"merino"}',
});
const ImageUrls = List(Str({ min: 1, max: 2000, pattern: '^https?://' }), { max: 20 });

export const PriceInput = Obj({
  amount: Amount,
  compare_at_amount: Type.Optional(Nullable(Amount)),
  starts_at: Type.Optional(Nullable(Timestamp)),
  ends_at: Type.Optional(Nullable(Timestamp)),
});
export type PriceInput = Static<typeof PriceInput>;

/** A price given with a new variant (the channel named in each entry). */
export const ChannelPriceInput = Obj({
  channel_id: Id('chn'),
  currency: Type.Optional(CurrencyCode),
  ...PriceInput.properties,
});
export type ChannelPriceInput = Static<typeof ChannelPriceInput>;

export const SetPricesBody = Obj({
  channel_id: Id('chn'),
  currency: Type.Optional({
    ...CurrencyCode,
    description: "Must equal the channel's currency when given (a guard against pricing the wrong channel)",
  }),
  prices: List(PriceInput, { max: 50 }),
});
export type SetPricesBody = Static<typeof SetPricesBody>;

export const VariantInput = Obj({
  sku: SkuInput,
  barcode: Type.Optional(BarcodeInput),
  title: Type.Optional(Name(200)),
  options: Type.Optional(OptionValues),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  weight_grams: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 }))),
  prices: Type.Optional(List(ChannelPriceInput, { max: 50 })),
});
export type VariantInput = Static<typeof VariantInput>;

export const VariantPatch = Obj(
  {
    sku: Type.Optional(SkuInput),
    barcode: Type.Optional(BarcodeInput),
    title: Type.Optional(Name(200)),
    options: Type.Optional(OptionValues),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    weight_grams: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 }))),
  },
  { minProperties: 1 },
);
export type VariantPatch = Static<typeof VariantPatch>;

const productFields = {
  title: Name(200),
  handle: Type.Optional(Handle),
  description: Type.Optional(Str({ max: 20_000 })),
  status: Type.Optional(ProductStatusSchema),
  attributes: Type.Optional(Attributes),
  image_urls: Type.Optional(ImageUrls),
  option_names: Type.Optional(List(OptionName, { max: 3 })),
  category_ids: Type.Optional(List(Id('cat'), { max: 50 })),
  collection_ids: Type.Optional(List(Id('col'), { max: 50 })),
};

export const CreateProductBody = Obj({
  ...productFields,
  variants: Type.Optional(List(VariantInput, { max: 100 })),
});
export type CreateProductBody = Static<typeof CreateProductBody>;

export const UpdateProductBody = Obj(
  { ...productFields, title: Type.Optional(Name(200)) },
  { minProperties: 1 },
);
export type UpdateProductBody = Static<typeof UpdateProductBody>;

export const ListProductsQuery = Obj({
  ...PageQuery,
  status: Type.Optional(ProductStatusSchema),
  category_id: Type.Optional(Id('cat')),
  collection_id: Type.Optional(Id('col')),
  channel_id: Type.Optional({ ...Id('chn'), description: 'Only products published to this channel' }),
  q: Type.Optional(Str({ min: 1, max: 100, description: 'Title or SKU contains (case-insensitive)' })),
  sku: Type.Optional(Str({ min: 1, max: 100, description: 'Exact SKU' })),
});
export type ListProductsQuery = Static<typeof ListProductsQuery>;

export const ExportQuery = Obj({
  status: Type.Optional(ProductStatusSchema),
  channel_id: Type.Optional(Id('chn')),
});

export const ProductParams = Obj({ id: Id('prd') });
export const VariantParams = Obj({ id: Id('prd'), variantId: Id('var') });
export const ProductChannelParams = Obj({ id: Id('prd'), channelId: Id('chn') });
export const VariantIdParams = Obj({ id: Id('var') });

export const Price = Type.Object(
  {
    id: Type.String(),
    channel_id: Type.String(),
    currency: Type.String(),
    amount: Type.Integer(),
    compare_at_amount: Nullable(Type.Integer()),
    starts_at: Nullable(Timestamp),
    ends_at: Nullable(Timestamp),
    current: Type.Boolean({ description: 'The price in force now on this channel' }),
  },
  { $id: 'VariantPrice' },
);
export type Price = Static<typeof Price>;

export const Variant = Type.Object(
  {
    id: Type.String(),
    product_id: Type.String(),
    sku: Type.String(),
    barcode: Nullable(Type.String()),
    title: Type.String(),
    options: Type.Record(Type.String(), Type.String()),
    position: Type.Integer(),
    weight_grams: Nullable(Type.Integer()),
    prices: Type.Array(Price),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Variant' },
);
export type Variant = Static<typeof Variant>;

const productBase = {
  id: Type.String(),
  handle: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: ProductStatusSchema,
  attributes: Type.Record(Type.String(), Type.String()),
  image_urls: Type.Array(Type.String()),
  option_names: Type.Array(Type.String()),
  category_ids: Type.Array(Type.String()),
  collection_ids: Type.Array(Type.String()),
  channels: Type.Array(Type.Object({ channel_id: Type.String(), published_at: Timestamp })),
  created_at: Timestamp,
  updated_at: Timestamp,
};

export const Product = Type.Object({ ...productBase, variants: Type.Array(Variant) }, { $id: 'Product' });
export type Product = Static<typeof Product>;

export const ProductSummary = Type.Object({ ...productBase, variant_count: Type.Integer() });
export type ProductSummary = Static<typeof ProductSummary>;

export const VariantPrices = Type.Object({
  variant_id: Type.String(),
  channel_id: Type.String(),
  currency: Type.String(),
  prices: Type.Array(Price),
});
