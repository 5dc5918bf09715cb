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
});

export const Return = Type.Object({
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
});
export type Return = Static<typeof Return>;
