/** TypeBox schemas of the purchasing API: suppliers, what they sell, and purchase orders. */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Email, Id, List, Nullable, Obj, PageQuery, Str, Timestamp } from '../../platform/http/schemas.ts';
import { Sku } from '../inventory/index.ts';

/** null first: with type coercion on, Ajv would otherwise turn a null into 0. */
const OrNull = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

/** A body that may be left out (Fastify validates a missing body as null); handlers read `req.body?.…`. */
export const OptionalBody = <T extends TSchema>(schema: T) => OrNull(schema);

export const PURCHASE_ORDER_STATUSES = [
  'draft',
  'ordered',
  'partially_received',
  'received',
  'cancelled',
] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

export const SupplierId = Id('sup');
export const PurchaseOrderId = Id('po');
const LocationId = Id('loc');

const SupplierName = Str({
  min: 1,
  max: 200,
  pattern: '^\\S(.*\\S)?$',
  description: 'Unique, ignoring case; no leading or trailing spaces',
});
export const LeadTimeDays = Type.Integer({
  minimum: 0,
  maximum: 365,
  description: 'Days from ordering to delivery',
});
const Quantity = Type.Integer({ minimum: 1, maximum: 1_000_000 });
const Count = Type.Integer({ minimum: 1, maximum: 1_000_000 });
/** A calendar day; checked to be a real one (not 2026-02-30) by the service. */
export const LocalDate = Str({
  min: 10,
  max: 10,
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
  description: 'YYYY-MM-DD',
});

export const Supplier = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Nullable(Type.String({ description: 'Business contact for orders' })),
    lead_time_days: Type.Integer({ description: 'Default lead time of what it sells' }),
    active: Type.Boolean({ description: 'Inactive suppliers keep their history but take no new orders' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Supplier' },
);
export type Supplier = Static<typeof Supplier>;

export const CreateSupplierBody = Obj({
  name: SupplierName,
  email: Type.Optional(OrNull(Email)),
  lead_time_days: Type.Optional(LeadTimeDays),
  active: Type.Optional(Type.Boolean()),
});

export const UpdateSupplierBody = Obj(
  {
    name: Type.Optional(SupplierName),
    email: Type.Optional(OrNull(Email)),
    lead_time_days: Type.Optional(LeadTimeDays),
    active: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1, description: 'The fields to change (email null removes it)' },
);

export const ListSuppliersQuery = Obj({
  ...PageQuery,
  active: Type.Optional(Type.Boolean()),
  sku: Type.Optional(Sku),
});

export const SupplierParams = Obj({ id: SupplierId });
export const SupplierSkuParams = Obj({ id: SupplierId, sku: Sku });

export const SupplierSku = Type.Object(
  {
    supplier_id: Type.String(),
    sku: Type.String(),
    lead_time_days: Nullable(Type.Integer({ description: 'null: the supplier’s lead time' })),
    effective_lead_time_days: Type.Integer({ description: 'lead_time_days, or the supplier’s' }),
    min_order: Type.Integer({ description: 'Smallest quantity the supplier accepts' }),
    pack_size: Type.Integer({ description: 'Units per pack: orders are multiples of it' }),
    preferred: Type.Boolean({ description: 'The SKU’s preferred supplier (one at most per SKU)' }),
  },
  { $id: 'SupplierSku' },
);

export const PutSupplierSkuBody = Obj({
  lead_time_days: Type.Optional(OrNull(LeadTimeDays)),
  min_order: Type.Optional(Count),
  pack_size: Type.Optional(Count),
  preferred: Type.Optional(
    Type.Boolean({
      description:
        'true makes this supplier the preferred one of the SKU (the others stop being); absent keeps the ' +
        'current flag, and a new row is preferred when no other supplier of the SKU is',
    }),
  ),
});

export const ListSupplierSkusQuery = Obj({ ...PageQuery });

export const PurchaseOrderStatusSchema = Type.Union(PURCHASE_ORDER_STATUSES.map((s) => Type.Literal(s)));

const OrderLine = Obj({ sku: Sku, quantity: Quantity });

export const CreatePurchaseOrderBody = Obj({
  supplier_id: SupplierId,
  location_id: LocationId,
  expected_on: Type.Optional(LocalDate),
  note: Type.Optional(Str({ max: 500 })),
  lines: List(OrderLine, { min: 1, max: 500 }),
});
export type CreatePurchaseOrderBody = Static<typeof CreatePurchaseOrderBody>;

export const ReceivePurchaseOrderBody = Obj({
  lines: List(OrderLine, { min: 1, max: 500 }),
  reason: Type.Optional(Str({ min: 1, max: 500, description: 'Kept on the receipt movements' })),
});

export const CancelPurchaseOrderBody = Obj({ reason: Type.Optional(Str({ min: 1, max: 500 })) });

export const PurchaseOrder = Type.Object(
  {
    id: Type.String(),
    supplier_id: Type.String(),
    supplier_name: Type.String(),
    location_id: Type.String(),
    status: PurchaseOrderStatusSchema,
    expected_on: Type.String({ description: 'YYYY-MM-DD, in the receiving location’s calendar' }),
    note: Nullable(Type.String()),
    lines: Type.Array(
      Type.Object({
        sku: Type.String(),
        quantity: Type.Integer(),
        quantity_received: Type.Integer(),
        outstanding: Type.Integer({ description: 'Still to receive (0 once cancelled)' }),
      }),
    ),
    outstanding: Type.Integer({ description: 'Sum of the lines’ outstanding' }),
    created_by: Type.String(),
    created_at: Timestamp,
    updated_at: Timestamp,
    ordered_at: Nullable(Timestamp),
    received_at: Nullable(Timestamp),
    cancelled_at: Nullable(Timestamp),
  },
  { $id: 'PurchaseOrder' },
);
export type PurchaseOrderView = Static<typeof PurchaseOrder>;

export const ListPurchaseOrdersQuery = Obj({
  ...PageQuery,
  status: Type.Optional(PurchaseOrderStatusSchema),
  supplier_id: Type.Optional(SupplierId),
  location_id: Type.Optional(LocationId),
  sku: Type.Optional(Sku),
});

export const PurchaseOrderParams = Obj({ id: PurchaseOrderId });
