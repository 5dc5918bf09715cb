import { type Static, Type } from '@sinclair/typebox';
import { Email, Id, List, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';

export const CART_TOKEN_HEADER = 'x-plaza-cart-token';

export const SkuString = Str({ min: 1, max: 64 });
export const Quantity = Type.Integer({ minimum: 1, maximum: 999 });

export const Address = Obj({
  name: Str({ min: 1, max: 200 }),
  line1: Str({ min: 1, max: 200 }),
  line2: Type.Optional(Str({ max: 200 })),
  city: Str({ min: 1, max: 100 }),
  region: Type.Optional(Str({ max: 100 })),
  postal_code: Str({ min: 1, max: 20 }),
  country: Str({ min: 2, max: 2, pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  phone: Type.Optional(Str({ max: 32 })),
  latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});
export type Address = Static<typeof Address>;

export const ItemInput = Obj({ sku: SkuString, quantity: Quantity });

export const CreateCartBody = Obj({
  email: Type.Optional(Email),
  items: Type.Optional(List(ItemInput, { max: 100 })),
});
export type CreateCartBody = Static<typeof CreateCartBody>;

export const UpdateCartBody = Obj({ email: Email });
export const UpdateItemBody = Obj({ quantity: Quantity });
export const DiscountBody = Obj({ code: Str({ min: 1, max: 40 }) });

export const FulfillmentBody = Type.Union([
  Obj({ type: Type.Literal('shipping'), address: Address }),
  Obj({ type: Type.Literal('pickup'), location_id: Id('loc') }),
]);
export type FulfillmentBody = Static<typeof FulfillmentBody>;

export const AttachBody = Obj({
  strategy: Type.Optional(
    Type.Union([Type.Literal('merge'), Type.Literal('keep_customer'), Type.Literal('keep_latest')]),
  ),
});

export const LineParams = Obj({ id: Id('cart'), lineId: Id('cli') });

const Availability = Type.Union([
  Type.Literal('in_stock'),
  Type.Literal('low_stock'),
  Type.Literal('insufficient'),
  Type.Literal('out_of_stock'),
  Type.Literal('not_sold_here'),
]);

export const CartLine = Type.Object(
  {
    id: Type.String(),
    sku: Type.String(),
    variant_id: Nullable(Type.String()),
    product_id: Nullable(Type.String()),
    title: Type.String(),
    variant_title: Nullable(Type.String()),
    image_url: Nullable(Type.String()),
    quantity: Type.Integer(),
    unit_price: Nullable(Type.Integer()),
    compare_at_price: Nullable(Type.Integer()),
    subtotal: Type.Integer(),
    available: Type.Integer({ description: 'Units available for the chosen fulfilment' }),
    availability: Availability,
    ready: Type.Optional(Type.Union([Type.Literal('in_store'), Type.Literal('by_transfer')])),
  },
  { $id: 'CartLine' },
);

export const CartFulfillment = Type.Union(
  [
    Type.Null(),
    Type.Object({
      type: Type.Literal('shipping'),
      address: Type.Record(Type.String(), Type.Unknown()),
      shipments: Type.Array(
        Type.Object({
          location_id: Type.String(),
          lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
        }),
      ),
      problem: Nullable(Type.String()),
    }),
    Type.Object({
      type: Type.Literal('pickup'),
      location_id: Type.String(),
      location_name: Type.String(),
      ready_estimate_at: Nullable(Timestamp),
      needs_transfer: Type.Boolean(),
      problem: Nullable(Type.String()),
    }),
  ],
  { $id: 'CartFulfillment' },
);

export const Cart = Type.Object(
  {
    id: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('merged'), Type.Literal('checked_out')]),
    customer_id: Nullable(Type.String()),
    email: Nullable(Type.String()),
    channel_id: Type.String({
      description: 'The channel this view is priced for (the one it was read through)',
    }),
    currency: Type.String(),
    priced_at: Timestamp,
    prices_changed_at: Nullable(Timestamp),
    lines: Type.Array(CartLine),
    item_count: Type.Integer(),
    fulfillment: CartFulfillment,
    discount: Nullable(
      Type.Object({ code: Type.String(), amount: Type.Integer(), invalid_reason: Nullable(Type.String()) }),
    ),
    subtotal: Type.Integer(),
    discount_total: Type.Integer(),
    shipping_total: Type.Integer(),
    tax_total: Type.Integer(),
    total: Type.Integer(),
    merged_into: Nullable(Type.String()),
    order_id: Nullable(Type.String()),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Cart' },
);
export type CartView = Static<typeof Cart>;

export const Adjustment = Type.Object(
  {
    sku: Type.String(),
    requested: Type.Integer(),
    quantity: Type.Integer(),
    reason: Type.Union([
      Type.Literal('capped_by_availability'),
      Type.Literal('unavailable'),
      Type.Literal('not_sold_on_channel'),
      Type.Literal('discarded'),
    ]),
  },
  { $id: 'CartAdjustment' },
);
export type Adjustment = Static<typeof Adjustment>;

export const CreatedCart = Type.Object({
  cart: Cart,
  cart_token: Nullable(
    Type.String({ description: 'Secret for x-plaza-cart-token (anonymous carts); shown once' }),
  ),
});

export const MergeResult = Type.Object(
  {
    strategy: Type.String(),
    cart: Cart,
    adjustments: Type.Array(Adjustment),
  },
  { $id: 'CartMergeResult' },
);
