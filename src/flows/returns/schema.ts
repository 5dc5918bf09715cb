import { type Static, Type } from '@sinclair/typebox';
import { RETURN_STATUSES } from '../../modules/returns/index.ts';
import { Id, List, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

const Condition = Type.Union([Type.Literal('resellable'), Type.Literal('damaged')], {
  description: '`resellable`: restocked at the receiving location; `damaged`: written off there',
});

export const CreateReturnBody = Obj({
  order_id: Id('ord'),
  location_id: Id('loc'),
  lines: List(
    Obj({
      order_line_id: Id('oli'),
      quantity: Type.Integer({ minimum: 1, maximum: 999 }),
      condition: Type.Optional(Condition),
    }),
    { min: 1, max: 200 },
  ),
  refund_method: Type.Optional(
    Type.Union([Type.Literal('original'), Type.Literal('store_credit')], {
      default: 'original',
      description:
        "`original`: through the order's payment provider; `store_credit`: to the customer's balance",
    }),
  ),
  reason: Type.Optional(Str({ max: 500 })),
  exchange: Type.Optional(
    List(
      Obj({
        code: Str({ min: 1, max: 64, description: 'SKU or barcode of the item taken instead' }),
        quantity: Type.Integer({ minimum: 1, maximum: 999 }),
      }),
      { min: 1, max: 50 },
    ),
  ),
});
export type CreateReturnBody = Static<typeof CreateReturnBody>;

export const ReceiveReturnBody = Obj({
  lines: List(Obj({ return_line_id: Id('rtl'), condition: Condition }), { min: 1, max: 200 }),
});
export type ReceiveReturnBody = Static<typeof ReceiveReturnBody>;

export const ReturnsQuery = Obj({
  ...PageQuery,
  order_id: Type.Optional(Id('ord')),
  location_id: Type.Optional(Id('loc')),
  status: Type.Optional(Type.Union(RETURN_STATUSES.map((s) => Type.Literal(s)))),
  channel_id: Type.Optional({ ...Id('chn'), description: "The order's channel" }),
  customer_id: Type.Optional(Id('cus')),
  from: Type.Optional({ ...Timestamp, description: 'Created at or after' }),
  to: Type.Optional({ ...Timestamp, description: 'Created before' }),
});

export const Return = Type.Object(
  {
    id: Type.String(),
    order_id: Type.String(),
    channel_id: Type.String(),
    customer_id: Nullable(Type.String()),
    location_id: Type.String(),
    status: Type.Union(RETURN_STATUSES.map((s) => Type.Literal(s))),
    refund_method: Type.String(),
    currency: Type.String(),
    total: Type.Integer({ description: 'Value of the returned units' }),
    exchange_total: Type.Integer({ description: 'Value of the items taken in exchange' }),
    refund_total: Type.Integer({ description: 'total − exchange_total: what is given back' }),
    refunded_amount: Type.Integer(),
    exchange_order_id: Nullable(Type.String()),
    reason: Nullable(Type.String()),
    created_at: Timestamp,
    received_at: Nullable(Timestamp),
    lines: Type.Array(
      Type.Object({
        id: Type.String(),
        order_line_id: Type.String(),
        sku: Type.String(),
        quantity: Type.Integer(),
        amount: Type.Integer(),
        tax_amount: Type.Integer(),
        condition: Nullable(Type.String()),
      }),
    ),
    refunds: Type.Array(
      Type.Object({
        id: Type.String(),
        method: Type.String(),
        status: Type.String(),
        amount: Type.Integer(),
        payment_id: Nullable(Type.String()),
        failure_reason: Nullable(Type.String()),
      }),
    ),
  },
  { $id: 'Return' },
);
export type Return = Static<typeof Return>;

/** The keys a counter can find an order by: exactly one of them per lookup. */
export const LOOKUP_KEYS = ['order_number', 'receipt', 'phone', 'email', 'card'] as const;

export const ReturnLookupBody = Obj(
  {
    order_number: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 999_999_999_999, description: 'The order (receipt) number' }),
    ),
    receipt: Type.Optional(
      Str({
        min: 1,
        max: 64,
        description:
          'What was scanned or typed from a receipt: the order id it prints (`ord_…`) or its receipt number',
      }),
    ),
    phone: Type.Optional(
      Str({
        min: 3,
        max: 32,
        pattern: '^\\+?[0-9 ()./-]{3,32}$',
        description: "The customer's phone number",
      }),
    ),
    email: Type.Optional(Str({ min: 3, max: 254, description: "The customer's e-mail address" })),
    card: Type.Optional(Str({ min: 4, max: 40, description: 'Loyalty card number (as printed or scanned)' })),
    location_id: Type.Optional({
      ...Id('loc'),
      description: "The counter's store, whose country reads phone numbers without a country code",
    }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
    cursor: Type.Optional(Str({ max: 200, description: 'Opaque cursor from `next_cursor`' })),
  },
  { oneOf: LOOKUP_KEYS.map((k) => ({ required: [k] })) },
);
export type ReturnLookupBody = Static<typeof ReturnLookupBody>;

const ReturnableLine = Type.Object({
  order_line_id: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  quantity: Type.Integer({ description: 'Units bought' }),
  fulfilled_quantity: Type.Integer({ description: 'Units the customer received' }),
  returned_quantity: Type.Integer({ description: 'Units already returned' }),
  returnable_quantity: Type.Integer({
    description: 'Units POST /admin/returns accepts now (0 once the return window has closed)',
  }),
  unit_price: Type.Integer({ description: 'Price per unit before discounts' }),
  unit_amount: Type.Integer({
    description: 'What the customer paid for the next unit returned (after discounts, with added tax)',
  }),
  returnable_amount: Type.Integer({ description: 'What returning all returnable units gives back' }),
});

export const ReturnableOrder = Type.Object({
  order_id: Type.String(),
  order_number: Type.Integer(),
  channel: Type.Object({ id: Type.String(), type: Type.String(), name: Type.String() }),
  selling_location_id: Nullable(Type.String({ description: 'The store of a counter sale' })),
  status: Type.String(),
  placed_at: Timestamp,
  currency: Type.String(),
  total: Type.Integer(),
  returnable: Type.Boolean({ description: 'The window is open and some unit can be returned' }),
  return_window: Type.Object({
    days: Type.Integer(),
    started_at: Timestamp,
    ends_at: Timestamp,
    open: Type.Boolean(),
  }),
  refund_methods: Type.Array(Type.Union([Type.Literal('original'), Type.Literal('store_credit')])),
  payments: Type.Array(
    Type.Object({
      provider: Type.String({
        description: 'Where an `original` refund goes: test-card, cash, store-credit …',
      }),
      captured_amount: Type.Integer(),
      refunded_amount: Type.Integer(),
      refundable_amount: Type.Integer({
        description: 'captured − refunded: what can still go back this way',
      }),
    }),
  ),
  lines: Type.Array(ReturnableLine),
});
export type ReturnableOrder = Static<typeof ReturnableOrder>;
