import { Type } from '@sinclair/typebox';
import { Id, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';
import { ORDER_STATUSES } from './machine.ts';

export const OrderStatusSchema = Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)));

const Address = Type.Record(Type.String(), Type.Unknown());

export const OrderLine = Type.Object(
  {
    id: Type.String(),
    sku: Type.String(),
    variant_id: Nullable(Type.String()),
    product_id: Nullable(Type.String()),
    title: Type.String(),
    quantity: Type.Integer(),
    unit_price: Type.Integer(),
    compare_at_price: Nullable(Type.Integer()),
    discount_amount: Type.Integer(),
    tax_amount: Type.Integer(),
    total: Type.Integer(),
    fulfilled_quantity: Type.Integer(),
    returned_quantity: Type.Integer(),
  },
  { $id: 'OrderLine' },
);

export const Fulfillment = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    status: Type.String(),
    location_id: Type.String(),
    source_location_id: Nullable(Type.String()),
    ready_estimate_at: Nullable(Timestamp),
    tracking_number: Nullable(Type.String()),
    lines: Type.Array(
      Type.Object({ order_line_id: Type.String(), sku: Type.String(), quantity: Type.Integer() }),
    ),
  },
  { $id: 'OrderFulfillment' },
);

export const Payment = Type.Object(
  {
    id: Type.String(),
    provider: Type.String(),
    status: Type.String(),
    amount: Type.Integer(),
    currency: Type.String(),
    captured_amount: Type.Integer(),
    refunded_amount: Type.Integer(),
    display: Nullable(Type.String()),
    failure_reason: Nullable(Type.String()),
    created_at: Timestamp,
  },
  { $id: 'OrderPayment' },
);

export const TimelineEntry = Type.Object({
  at: Timestamp,
  kind: Type.Union([Type.Literal('transition'), Type.Literal('event')]),
  machine: Type.Optional(Type.String()),
  from: Type.Optional(Nullable(Type.String())),
  to: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  actor: Type.Optional(Type.String()),
  reason: Type.Optional(Nullable(Type.String())),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const Order = Type.Object(
  {
    id: Type.String(),
    number: Type.Integer(),
    channel_id: Type.String(),
    selling_location_id: Nullable(Type.String()),
    customer_id: Nullable(Type.String()),
    email: Nullable(Type.String()),
    status: OrderStatusSchema,
    payment_status: Type.String(),
    fulfillment_type: Type.String(),
    pickup_location_id: Nullable(Type.String()),
    shipping_address: Nullable(Address),
    currency: Type.String(),
    subtotal: Type.Integer(),
    discount_total: Type.Integer(),
    shipping_total: Type.Integer(),
    tax_total: Type.Integer(),
    prices_include_tax: Type.Boolean(),
    total: Type.Integer(),
    discount_code: Nullable(Type.String()),
    lines: Type.Array(OrderLine),
    fulfillments: Type.Array(Fulfillment),
    payments: Type.Array(Payment),
    placed_at: Timestamp,
    cancelled_at: Nullable(Timestamp),
    cancel_reason: Nullable(Type.String()),
    timeline: Type.Optional(Type.Array(TimelineEntry)),
  },
  { $id: 'Order' },
);

export const AdminOrdersQuery = Obj({
  ...PageQuery,
  channel_id: Type.Optional(Id('chn')),
  location_id: Type.Optional(Id('loc')),
  customer_id: Type.Optional(Id('cus')),
  status: Type.Optional(OrderStatusSchema),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  number: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991, description: 'The order number (exact)' }),
  ),
});

export const StoreOrdersQuery = Obj({ ...PageQuery });

export const OrderTokenHeader = 'x-plaza-order-token';

export const CancelBody = Obj({ reason: Type.Optional(Str({ max: 500 })) });
