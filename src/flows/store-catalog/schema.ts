import { Type } from '@sinclair/typebox';
import { Id, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

export const ListingQuery = Obj({
  ...PageQuery,
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 24 }),
  q: Type.Optional(
    Str({ min: 1, max: 100, description: 'Search words (prefixes match, small typos tolerated)' }),
  ),
  category_id: Type.Optional(Id('cat')),
  collection_id: Type.Optional(Id('col')),
  in_stock_at: Type.Optional(Id('loc')),
  min_price: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  max_price: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  sort: Type.Optional(
    Type.Union(
      [
        Type.Literal('relevance'),
        Type.Literal('newest'),
        Type.Literal('price_asc'),
        Type.Literal('price_desc'),
        Type.Literal('title'),
      ],
      { description: 'Default: relevance with q, newest without' },
    ),
  ),
});

export const ProductCard = Type.Object({
  id: Type.String(),
  handle: Type.String(),
  title: Type.String(),
  image_url: Nullable(Type.String()),
  currency: Type.String(),
  price_min: Type.Integer(),
  price_max: Type.Integer(),
  compare_at_max: Nullable(Type.Integer()),
  on_sale: Type.Boolean(),
  in_stock: Type.Boolean(),
});

const PickupLocation = Type.Object({
  location_id: Type.String(),
  name: Type.String(),
  open_now: Type.Boolean(),
  open_later_today: Type.Boolean({ description: 'Open now or later today (local time)' }),
});

export const StoreVariant = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  barcode: Nullable(Type.String()),
  title: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  price: Nullable(
    Type.Object({
      amount: Type.Integer(),
      compare_at_amount: Nullable(Type.Integer()),
      ends_at: Nullable(Timestamp),
    }),
  ),
  available: Type.Integer({ description: 'Over all the channel’s fulfilment locations' }),
  available_to_ship: Type.Integer(),
  pickup_units: Type.Array(Type.Integer(), {
    description:
      'Units at each pickup store, in the order of the product’s `pickup_locations` (`pickup_units[i]` is the stock ' +
      'at `pickup_locations[i]`); with `open_later_today` it says where it can be picked up today.',
  }),
  pickup_today: Type.Boolean({ description: 'Some pickup store has it and is open today' }),
  back_in_days: Nullable(
    Type.Integer({
      minimum: 1,
      description:
        'Out of stock: days until the first stock on its way to one of the channel’s locations arrives (an open ' +
        'transfer or an ordered purchase order), for "usually back in N days"; null when in stock or nothing is coming',
    }),
  ),
});

export const StoreProduct = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    title: Type.String(),
    description: Type.String(),
    image_urls: Type.Array(Type.String()),
    attributes: Type.Record(Type.String(), Type.String()),
    option_names: Type.Array(Type.String()),
    category_ids: Type.Array(Type.String()),
    collection_ids: Type.Array(Type.String()),
    currency: Type.String(),
    pickup_locations: Type.Array(PickupLocation, { description: 'The channel’s pickup stores, once' }),
    variants: Type.Array(StoreVariant),
  },
  { $id: 'StoreProduct' },
);

export const ProductParams = Obj({ id: Str({ min: 1, max: 100, description: 'Product id or handle' }) });
