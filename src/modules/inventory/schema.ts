import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Id, List, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';
import { MOVEMENT_KINDS } from './ledger.ts';
import { RESERVATION_STATUSES } from './reservations-repo.ts';
import { ADJUSTMENT_KINDS } from './stock.ts';
import { TRANSFER_STATUSES } from './transfers-repo.ts';

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );

/** null first: with type coercion on, Ajv would otherwise turn a null into 0. */
const OrNull = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

/**
 * A body that may be left out: Fastify validates a missing body as null (Type.Optional at the root
 * does not help), so null is accepted and handlers read `req.body?.…`.
 */
export const OptionalBody = <T extends TSchema>(schema: T) => OrNull(schema);

export const Sku = Str({ min: 1, max: 100, pattern: '^\\S(.*\\S)?$', description: 'Stock keeping unit' });
const LocationId = Id('loc');
const Quantity = Type.Integer({ minimum: 1, maximum: 1_000_000 });
const Reason = Str({ min: 1, max: 500 });
const StockNumber = Type.Integer({ minimum: 0, maximum: 10_000_000 });

export const ReferenceSchema = Obj({
  type: Str({ min: 1, max: 50, pattern: '^[a-z][a-z0-9_.-]*$', description: 'e.g. order, cart, pos_sale' }),
  id: Str({ min: 1, max: 100 }),
});

export const Level = Type.Object({
  sku: Type.String(),
  location_id: Type.String(),
  on_hand: Type.Integer(),
  reserved: Type.Integer(),
  safety_stock: Type.Integer(),
  available: Type.Integer({ description: 'max(0, on_hand − reserved − safety_stock)' }),
  incoming: Type.Integer({ description: 'Units shipped here by transfers, not yet received' }),
  low_stock_threshold: Nullable(Type.Integer()),
  low_stock: Type.Boolean({ description: 'available ≤ low_stock_threshold' }),
  updated_at: Timestamp,
});
export type Level = Static<typeof Level>;

export const ListLevelsQuery = Obj({
  ...PageQuery,
  sku: Type.Optional(Sku),
  location_id: Type.Optional(LocationId),
  low_stock: Type.Optional(Type.Boolean({ description: 'true: only levels at or below their threshold' })),
});

export const UpdateLevelBody = Obj(
  {
    sku: Sku,
    location_id: LocationId,
    safety_stock: Type.Optional(StockNumber),
    low_stock_threshold: Type.Optional(OrNull(StockNumber)),
  },
  {
    anyOf: [{ required: ['safety_stock'] }, { required: ['low_stock_threshold'] }],
    description: 'Give safety_stock, low_stock_threshold (null removes it) or both',
  },
);

export const MovementKindSchema = literals(MOVEMENT_KINDS);

export const Movement = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  location_id: Type.String(),
  kind: MovementKindSchema,
  on_hand_delta: Type.Integer(),
  reserved_delta: Type.Integer(),
  reason: Nullable(Type.String()),
  actor: Type.String({ description: 'Token id, "system" or "sweeper"' }),
  reference_type: Nullable(Type.String()),
  reference_id: Nullable(Type.String()),
  created_at: Timestamp,
});

export const ListMovementsQuery = Obj({
  ...PageQuery,
  sku: Type.Optional(Sku),
  location_id: Type.Optional(LocationId),
  kind: Type.Optional(MovementKindSchema),
  reference_type: Type.Optional(Str({ min: 1, max: 50 })),
  reference_id: Type.Optional(Str({ min: 1, max: 100 })),
});

export const AdjustmentBody = Obj({
  sku: Sku,
  location_id: LocationId,
  kind: Type.Optional(
    literals(
      ADJUSTMENT_KINDS,
      'receipt and return add (delta > 0), write_off removes (delta < 0); default adjustment',
    ),
  ),
  delta: Type.Integer({
    minimum: -1_000_000,
    maximum: 1_000_000,
    description: 'Units added (> 0) or removed (< 0)',
  }),
  reason: Reason,
  reference: Type.Optional(ReferenceSchema),
});

export const AdjustmentResult = Type.Object({ movement: Movement, level: Level });

export const CountBody = Obj({
  location_id: LocationId,
  lines: List(Obj({ sku: Sku, counted: StockNumber }), { min: 1, max: 1000 }),
  reason: Type.Optional(Reason),
});

export const CountResult = Type.Object({
  id: Type.String({ description: 'Reference id (`cnt_…`) of the count_correction movements' }),
  location_id: Type.String(),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      previous: Type.Integer(),
      counted: Type.Integer(),
      delta: Type.Integer(),
      movement_id: Nullable(Type.String()),
    }),
  ),
});

const ReservationLineSchema = Obj({ sku: Sku, location_id: LocationId, quantity: Quantity });

export const ReserveBody = Obj({
  reference: Type.Optional(ReferenceSchema),
  lines: List(ReservationLineSchema, { min: 1, max: 200 }),
  expires_in_seconds: Type.Optional(
    OrNull(Type.Integer({ minimum: 1, maximum: 30 * 86_400, description: 'null or absent: no expiry' })),
  ),
});

export const ReservationStatusSchema = literals(RESERVATION_STATUSES);

export const Reservation = Type.Object(
  {
    id: Type.String(),
    reference: Type.Object({ type: Type.String(), id: Type.String() }),
    status: ReservationStatusSchema,
    expires_at: Nullable(Timestamp),
    actor: Type.String(),
    lines: Type.Array(
      Type.Object({ sku: Type.String(), location_id: Type.String(), quantity: Type.Integer() }),
    ),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Reservation' },
);

export const ReleaseBody = Obj({ reason: Type.Optional(Reason) });

export const ListReservationsQuery = Obj({
  ...PageQuery,
  reference_type: Type.Optional(Str({ min: 1, max: 50 })),
  reference_id: Type.Optional(Str({ min: 1, max: 100 })),
  status: Type.Optional(ReservationStatusSchema),
});

export const TransferStatusSchema = literals(TRANSFER_STATUSES);

export const CreateTransferBody = Obj({
  from_location_id: LocationId,
  to_location_id: LocationId,
  lines: List(Obj({ sku: Sku, quantity: Quantity }), { min: 1, max: 500 }),
  note: Type.Optional(Str({ max: 500 })),
});

export const ReceiveTransferBody = Obj({
  lines: Type.Optional(List(Obj({ sku: Sku, quantity: Quantity }), { min: 1, max: 500 })),
});

export const CancelTransferBody = Obj({ reason: Type.Optional(Reason) });

export const Transfer = Type.Object(
  {
    id: Type.String(),
    from_location_id: Type.String(),
    to_location_id: Type.String(),
    status: TransferStatusSchema,
    note: Nullable(Type.String()),
    lines: Type.Array(
      Type.Object({
        sku: Type.String(),
        quantity: Type.Integer(),
        quantity_received: Type.Integer(),
        in_transit: Type.Integer({ description: 'Shipped and not yet received' }),
      }),
    ),
    in_transit: Type.Integer({ description: 'Sum of the lines’ in_transit' }),
    created_by: Type.String(),
    created_at: Timestamp,
    updated_at: Timestamp,
    shipped_at: Nullable(Timestamp),
    received_at: Nullable(Timestamp),
    cancelled_at: Nullable(Timestamp),
  },
  { $id: 'Transfer' },
);

export const ListTransfersQuery = Obj({
  ...PageQuery,
  status: Type.Optional(TransferStatusSchema),
  location_id: Type.Optional(LocationId),
});

export const TransferParams = Obj({ id: Id('trf') });
export const ReservationParams = Obj({ id: Id('res') });
