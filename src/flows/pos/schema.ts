import { type Static, Type } from '@sinclair/typebox';
import { DiscountCode } from '../../modules/discounts/index.ts';
import { POS_SALE_STATUSES } from '../../modules/pos/index.ts';
import { Email, Id, List, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';

const Phone = Str({ min: 3, max: 32, pattern: '^\\+?[0-9 ()./-]{3,32}$' });
const Code = Str({ min: 1, max: 64, description: 'A SKU or a barcode (EAN-8, UPC-A, EAN-13) as scanned' });
const Quantity = Type.Integer({ minimum: 1, maximum: 999 });

export const Item = Obj({ code: Code, quantity: Type.Optional({ ...Quantity, default: 1 }) });
export type Item = Static<typeof Item>;

export const CreateSaleBody = Obj({
  channel_id: Id('chn'),
  customer_id: Type.Optional(Id('cus')),
  items: Type.Optional(List(Item, { max: 200 })),
});

export const SetQuantityBody = Obj({ quantity: Type.Integer({ minimum: 0, maximum: 999 }) });
export const SaleLineParams = Obj({ id: Id('pos'), lineId: Id('psl') });
export const SetCustomerBody = Obj({ customer_id: Nullable(Id('cus')) });

export const LookupQuery = Obj(
  {
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    card: Type.Optional(Str({ min: 4, max: 40, description: 'Loyalty card number (as printed or scanned)' })),
    location_id: Type.Optional({
      ...Id('loc'),
      description: "The counter's store, whose country reads phone numbers without a country code",
    }),
  },
  { minProperties: 1 },
);

export const PosPayment = Type.Union([
  Obj({
    provider: Type.Literal('cash'),
    tendered: Type.Integer({
      minimum: 0,
      maximum: 1_000_000_000,
      description: 'Cash handed over, minor units',
    }),
  }),
  Obj({
    provider: Type.Literal('test-card'),
    card_number: Str({ min: 12, max: 23, pattern: '^[0-9 -]+$', description: 'Sandbox card number' }),
  }),
  Obj({ provider: Type.Literal('store-credit') }),
]);
export type PosPayment = Static<typeof PosPayment>;

export const PayBody = Obj({
  payment: PosPayment,
  discount_code: Type.Optional({
    ...DiscountCode,
    description:
      "A discount code or a campaign's offer code (printed coupon, the customer's offer at the counter)",
  }),
  loyalty_points: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 10_000_000,
      description:
        "Loyalty points of the sale's customer to pay with; used up to the amount due, as a discount",
    }),
  ),
});

export const SaleLine = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  quantity: Type.Integer(),
  unit_price: Type.Integer(),
  tax_amount: Type.Integer(),
  total: Type.Integer(),
  available_in_store: Type.Integer({
    description: 'Units of this SKU the store can sell now (the sale holds none until paid)',
  }),
});

export const PosSale = Type.Object(
  {
    id: Type.String(),
    status: Type.Union(POS_SALE_STATUSES.map((s) => Type.Literal(s))),
    channel_id: Type.String(),
    location_id: Type.String(),
    staff: Type.Object({ token_id: Type.String(), name: Type.String() }),
    customer: Nullable(
      Type.Object({ id: Type.String(), email: Nullable(Type.String()), name: Nullable(Type.String()) }),
    ),
    cart_id: Nullable(Type.String()),
    order_id: Nullable(Type.String()),
    currency: Type.String(),
    lines: Type.Array(SaleLine),
    subtotal: Type.Integer(),
    tax_total: Type.Integer(),
    prices_include_tax: Type.Boolean(),
    total: Type.Integer(),
    created_at: Timestamp,
  },
  { $id: 'PosSale' },
);
export type PosSale = Static<typeof PosSale>;

export const CustomerMatch = Type.Object({
  id: Type.String(),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  online_cart: Nullable(
    Type.Object({ id: Type.String(), item_count: Type.Integer(), updated_at: Timestamp }),
  ),
});

const ReceiptLine = Type.Object({
  sku: Type.String(),
  title: Type.String(),
  quantity: Type.Integer(),
  unit_price: Type.Integer(),
  discount: Type.Integer(),
  tax: Type.Integer(),
  total: Type.Integer(),
});

export const Receipt = Type.Object(
  {
    receipt_number: Type.Integer({ description: 'The order number' }),
    sale_id: Type.String(),
    order_id: Type.String(),
    issued_at: Timestamp,
    store: Type.Object({
      id: Type.String(),
      name: Type.String(),
      address: Type.Array(Type.String()),
      timezone: Type.String(),
    }),
    channel: Type.Object({ id: Type.String(), name: Type.String() }),
    staff: Type.Object({ token_id: Type.String(), name: Type.String() }),
    customer: Nullable(
      Type.Object({ id: Type.String(), email: Nullable(Type.String()), name: Nullable(Type.String()) }),
    ),
    currency: Type.String(),
    lines: Type.Array(ReceiptLine),
    subtotal: Type.Integer(),
    discount_total: Type.Integer(),
    tax_total: Type.Integer(),
    tax_rate_bps: Type.Integer(),
    prices_include_tax: Type.Boolean(),
    total: Type.Integer(),
    payments: Type.Array(
      Type.Object({
        provider: Type.String(),
        display: Nullable(Type.String()),
        amount: Type.Integer(),
        tendered: Nullable(Type.Integer()),
        change: Nullable(Type.Integer()),
      }),
    ),
    return_window_days: Type.Integer(),
  },
  { $id: 'Receipt' },
);
export type Receipt = Static<typeof Receipt>;

const Address = Obj({
  name: Str({ min: 1, max: 200 }),
  line1: Str({ min: 1, max: 200 }),
  line2: Type.Optional(Str({ max: 200 })),
  city: Str({ min: 1, max: 100 }),
  region: Type.Optional(Str({ max: 100 })),
  postal_code: Str({ min: 1, max: 20 }),
  country: Str({ min: 2, max: 2, pattern: '^[A-Z]{2}$' }),
  phone: Type.Optional(Str({ max: 32 })),
  latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});

export const EndlessAisleBody = Obj({
  channel_id: Id('chn'),
  items: List(Item, { min: 1, max: 50 }),
  customer_id: Type.Optional(Id('cus')),
  email: Type.Optional(Email),
  fulfillment: Type.Union([
    Obj({ type: Type.Literal('shipping'), address: Address }),
    Obj({ type: Type.Literal('pickup'), location_id: Id('loc') }),
  ]),
  payment: Type.Union([
    Obj({
      provider: Type.Literal('test-card'),
      card_number: Str({ min: 12, max: 23, pattern: '^[0-9 -]+$' }),
    }),
    Obj({ provider: Type.Literal('pay-in-store') }),
  ]),
});
export type EndlessAisleBody = Static<typeof EndlessAisleBody>;
