import { type Static, Type } from '@sinclair/typebox';
import { PICKUP_STATUSES } from '../../modules/pickups/index.ts';
import { Id, List, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';

export const PickupStatusSchema = Type.Union(PICKUP_STATUSES.map((s) => Type.Literal(s)));

export const QUEUES = ['to_prepare', 'ready', 'overdue', 'collected', 'expired', 'cancelled'] as const;

export const PickupQueueQuery = Obj({
  ...PageQuery,
  status: Type.Union(
    QUEUES.map((q) => Type.Literal(q)),
    {
      default: 'to_prepare',
      description:
        '`to_prepare`, `ready`, `overdue` (to prepare after the promised ready time), `collected` ' +
        '(fully or partly), `expired`, `cancelled`',
    },
  ),
});

const PickupLine = Type.Object({
  order_line_id: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  quantity: Type.Integer(),
  collected: Type.Integer(),
  released: Type.Integer(),
  remaining: Type.Integer(),
});

const PickupTransfer = Type.Object({
  transfer_id: Type.String(),
  from_location_id: Type.String(),
  status: Type.String(),
  received: Type.Boolean({ description: 'The units arrived and are held at the store for this order' }),
});

export const Pickup = Type.Object(
  {
    order_id: Type.String(),
    order_number: Type.Integer(),
    status: PickupStatusSchema,
    location_id: Type.String(),
    channel_id: Type.String(),
    customer_id: Nullable(Type.String()),
    email: Nullable(Type.String()),
    order_status: Type.String(),
    payment_status: Type.String(),
    total: Type.Integer(),
    currency: Type.String(),
    ready_estimate_at: Nullable(Timestamp),
    ready_at: Nullable(Timestamp),
    deadline_at: Nullable(Timestamp),
    reminder_at: Nullable(Timestamp),
    closed_at: Nullable(Timestamp),
    overdue: Type.Boolean({ description: 'Still to prepare after the promised ready time' }),
    awaiting_transfer: Type.Boolean({ description: 'Some units are still on their way to the store' }),
    can_mark_ready: Type.Boolean(),
    lines: Type.Array(PickupLine),
    transfers: Type.Array(PickupTransfer),
  },
  { $id: 'Pickup' },
);
export type Pickup = Static<typeof Pickup>;

/** What the customer sees: the pickup with its code and the QR payload to show at the counter. */
export const ShopperPickup = Type.Object(
  {
    order_id: Type.String(),
    order_number: Type.Integer(),
    status: PickupStatusSchema,
    location_id: Type.String(),
    code: Type.String(),
    qr_payload: Type.String({ description: 'Render as a QR code; the store scans it at handover' }),
    ready_estimate_at: Nullable(Timestamp),
    deadline_at: Nullable(Timestamp),
  },
  { $id: 'ShopperPickup' },
);

export const HandoverBody = Obj({
  code: Str({
    min: 4,
    max: 64,
    description:
      'The pickup code the customer shows, or the QR payload scanned (plaza:pickup:<number>:<code>)',
  }),
  lines: Type.Optional(
    List(Obj({ order_line_id: Id('oli'), quantity: Type.Integer({ minimum: 1, maximum: 999 }) }), {
      min: 1,
      max: 200,
    }),
  ),
  remainder: Type.Optional(
    Type.Union([Type.Literal('keep'), Type.Literal('cancel')], {
      default: 'keep',
      description:
        'With `lines` (a partial pickup): `keep` the rest ready for later, or `cancel` it (stock released, ' +
        'its value not charged or refunded)',
    }),
  ),
});
export type HandoverBody = Static<typeof HandoverBody>;

export const TransferActionParams = Obj({ id: Id('ord'), transferId: Id('trf') });
