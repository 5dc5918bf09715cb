import type { WriteBatch } from '../../platform/batch.ts';
import type { Queryable } from '../../platform/db.ts';
import type { FulfillmentStatus, OrderStatus } from './machine.ts';

export type FulfillmentType = 'shipping' | 'pickup' | 'in_store';

export interface OrderRow {
  id: string;
  number: number;
  channel_id: string;
  selling_location_id: string | null;
  customer_id: string | null;
  email: string | null;
  cart_id: string | null;
  status: OrderStatus;
  payment_status: string;
  fulfillment_type: FulfillmentType;
  pickup_location_id: string | null;
  shipping_address: Record<string, unknown> | null;
  currency: string;
  subtotal: number;
  discount_total: number;
  shipping_total: number;
  tax_total: number;
  prices_include_tax: boolean;
  total: number;
  discount_id: string | null;
  discount_code: string | null;
  access_token_hash: string | null;
  placed_at: Date;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface OrderLineRow {
  id: string;
  order_id: string;
  position: number;
  sku: string;
  variant_id: string | null;
  product_id: string | null;
  title: string;
  quantity: number;
  unit_price: number;
  compare_at_price: number | null;
  discount_amount: number;
  tax_amount: number;
  total: number;
  fulfilled_quantity: number;
  returned_quantity: number;
}

export interface FulfillmentRow {
  id: string;
  order_id: string;
  location_id: string;
  source_location_id: string | null;
  type: FulfillmentType;
  status: FulfillmentStatus;
  reservation_id: string | null;
  ready_estimate_at: Date | null;
  tracking_number: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface FulfillmentLineRow {
  fulfillment_id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
}

const ORDER = `id, number, channel_id, selling_location_id, customer_id, email, cart_id, status, payment_status,
  fulfillment_type, pickup_location_id, shipping_address, currency, subtotal, discount_total, shipping_total,
  tax_total, prices_include_tax, total, discount_id, discount_code, access_token_hash, placed_at, cancelled_at,
  cancel_reason, created_at, updated_at`;
const LINE = `id, order_id, position, sku, variant_id, product_id, title, quantity, unit_price, compare_at_price,
  discount_amount, tax_amount, total, fulfilled_quantity, returned_quantity`;
const FUL =
  'id, order_id, location_id, source_location_id, type, status, reservation_id, ready_estimate_at, tracking_number, created_at, updated_at';

export const getOrder = async (q: Queryable, id: string, lock = false): Promise<OrderRow | undefined> =>
  (await q.query<OrderRow>(`SELECT ${ORDER} FROM orders WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]))
    .rows[0];

/** The orders of a cart still waiting for their payment (at most one: a unique index says so). */
export const pendingOrdersOfCart = async (q: Queryable, cartId: string): Promise<OrderRow[]> =>
  (
    await q.query<OrderRow>(
      `SELECT ${ORDER} FROM orders WHERE cart_id = $1 AND status = 'pending_payment' ORDER BY id`,
      [cartId],
    )
  ).rows;

export const linesOf = async (q: Queryable, orderIds: string[]): Promise<OrderLineRow[]> =>
  (
    await q.query<OrderLineRow>(
      `SELECT ${LINE} FROM order_lines WHERE order_id = ANY($1) ORDER BY order_id, position`,
      [orderIds],
    )
  ).rows;

export const fulfillmentsOf = async (q: Queryable, orderIds: string[]): Promise<FulfillmentRow[]> =>
  (
    await q.query<FulfillmentRow>(`SELECT ${FUL} FROM fulfillments WHERE order_id = ANY($1) ORDER BY id`, [
      orderIds,
    ])
  ).rows;

export const fulfillmentLinesOf = async (
  q: Queryable,
  fulfillmentIds: string[],
): Promise<FulfillmentLineRow[]> =>
  (
    await q.query<FulfillmentLineRow>(
      'SELECT fulfillment_id, order_line_id, sku, quantity FROM fulfillment_lines WHERE fulfillment_id = ANY($1)',
      [fulfillmentIds],
    )
  ).rows;

export const updateOrder = async (
  q: Queryable,
  id: string,
  p: Partial<Pick<OrderRow, 'status' | 'payment_status' | 'cancelled_at' | 'cancel_reason' | 'customer_id'>>,
  at: Date,
): Promise<OrderRow> =>
  (
    await q.query<OrderRow>(
      `UPDATE orders SET status = coalesce($2, status), payment_status = coalesce($3, payment_status),
         cancelled_at = coalesce($4, cancelled_at), cancel_reason = coalesce($5, cancel_reason),
         customer_id = coalesce($6, customer_id), updated_at = $7
       WHERE id = $1 RETURNING ${ORDER}`,
      [
        id,
        p.status ?? null,
        p.payment_status ?? null,
        p.cancelled_at ?? null,
        p.cancel_reason ?? null,
        p.customer_id ?? null,
        at,
      ],
    )
  ).rows[0] as OrderRow;

export const updateFulfillment = async (
  q: Queryable,
  id: string,
  p: Partial<Pick<FulfillmentRow, 'status' | 'tracking_number' | 'ready_estimate_at' | 'reservation_id'>>,
  at: Date,
): Promise<FulfillmentRow> =>
  (
    await q.query<FulfillmentRow>(
      `UPDATE fulfillments SET status = coalesce($2, status), tracking_number = coalesce($3, tracking_number),
         ready_estimate_at = coalesce($4, ready_estimate_at), reservation_id = coalesce($6, reservation_id),
         updated_at = $5 WHERE id = $1 RETURNING ${FUL}`,
      [
        id,
        p.status ?? null,
        p.tracking_number ?? null,
        p.ready_estimate_at ?? null,
        at,
        p.reservation_id ?? null,
      ],
    )
  ).rows[0] as FulfillmentRow;

export interface OrderFilter {
  customerId?: string;
  channelId?: string;
  locationId?: string;
  /** Staff: only orders touching these locations. */
  locationIds?: readonly string[];
  status?: string;
  from?: Date;
  to?: Date;
  number?: number;
  before?: string;
  limit: number;
}

/**
 * SQL: the order `alias` touches one of the `locations` (a text[] expression): sold there, picked up
 * there, or fulfilled from there. The one definition of "an order of this location" (staff scoping,
 * the location filter, location reports).
 */
export const atLocations = (alias: string, locations: string): string =>
  `(${alias}.pickup_location_id = ANY(${locations}) OR ${alias}.selling_location_id = ANY(${locations})
    OR EXISTS (SELECT 1 FROM fulfillments f WHERE f.order_id = ${alias}.id AND f.location_id = ANY(${locations})))`;

/** Orders newest first, keyset-paged by id. A location matches the pickup, selling or source location. */
export const listOrders = async (q: Queryable, f: OrderFilter): Promise<OrderRow[]> =>
  (
    await q.query<OrderRow>(
      `SELECT ${ORDER} FROM orders o
       WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR channel_id = $2)
         AND ($3::text IS NULL OR status = $3) AND ($4::timestamptz IS NULL OR placed_at >= $4)
         AND ($5::timestamptz IS NULL OR placed_at < $5) AND ($6::text IS NULL OR id < $6)
         AND ($7::text IS NULL OR ${atLocations('o', 'ARRAY[$7::text]')})
         AND ($8::text[] IS NULL OR ${atLocations('o', '$8::text[]')})
         AND ($10::bigint IS NULL OR number = $10)
       ORDER BY id DESC LIMIT $9`,
      [
        f.customerId ?? null,
        f.channelId ?? null,
        f.status ?? null,
        f.from ?? null,
        f.to ?? null,
        f.before ?? null,
        f.locationId ?? null,
        f.locationIds ? [...f.locationIds] : null,
        f.limit,
        f.number ?? null,
      ],
    )
  ).rows;

/** Stages the rows of a new order (order, lines, fulfillments and their lines) into a write batch. */
export const stageOrderRows = (
  batch: WriteBatch,
  r: {
    order: OrderRow;
    lines: OrderLineRow[];
    fulfillments: FulfillmentRow[];
    fulfillmentLines: FulfillmentLineRow[];
  },
): void => {
  const o = r.order;
  batch.insert(
    'orders',
    ORDER.split(',').map((c) => c.trim()),
    [
      [
        o.id,
        o.number,
        o.channel_id,
        o.selling_location_id,
        o.customer_id,
        o.email,
        o.cart_id,
        o.status,
        o.payment_status,
        o.fulfillment_type,
        o.pickup_location_id,
        o.shipping_address === null ? null : JSON.stringify(o.shipping_address),
        o.currency,
        o.subtotal,
        o.discount_total,
        o.shipping_total,
        o.tax_total,
        o.prices_include_tax,
        o.total,
        o.discount_id,
        o.discount_code,
        o.access_token_hash,
        o.placed_at,
        o.cancelled_at,
        o.cancel_reason,
        o.created_at,
        o.updated_at,
      ],
    ],
  );
  batch.insert(
    'order_lines',
    LINE.split(',').map((c) => c.trim()),
    r.lines.map((l) => [
      l.id,
      l.order_id,
      l.position,
      l.sku,
      l.variant_id,
      l.product_id,
      l.title,
      l.quantity,
      l.unit_price,
      l.compare_at_price,
      l.discount_amount,
      l.tax_amount,
      l.total,
      l.fulfilled_quantity,
      l.returned_quantity,
    ]),
  );
  batch.insert(
    'fulfillments',
    FUL.split(',').map((c) => c.trim()),
    r.fulfillments.map((f) => [
      f.id,
      f.order_id,
      f.location_id,
      f.source_location_id,
      f.type,
      f.status,
      f.reservation_id,
      f.ready_estimate_at,
      f.tracking_number,
      f.created_at,
      f.updated_at,
    ]),
  );
  batch.insert(
    'fulfillment_lines',
    ['fulfillment_id', 'order_line_id', 'sku', 'quantity'],
    r.fulfillmentLines.map((l) => [l.fulfillment_id, l.order_line_id, l.sku, l.quantity]),
  );
};

/**
 * Adds to a line's fulfilled and returned quantities in one conditional statement: never more
 * fulfilled than ordered, never more returned than fulfilled. Returns the line, or undefined (and
 * changes nothing) when that would be exceeded.
 */
export const addLineQuantities = async (
  q: Queryable,
  lineId: string,
  d: { fulfilled?: number; returned?: number },
): Promise<OrderLineRow | undefined> =>
  (
    await q.query<OrderLineRow>(
      `UPDATE order_lines SET fulfilled_quantity = fulfilled_quantity + $2, returned_quantity = returned_quantity + $3
       WHERE id = $1 AND fulfilled_quantity + $2 BETWEEN 0 AND quantity
         AND returned_quantity + $3 BETWEEN 0 AND fulfilled_quantity + $2
       RETURNING ${LINE}`,
      [lineId, d.fulfilled ?? 0, d.returned ?? 0],
    )
  ).rows[0];

/** Orders by id (any order; missing ids are absent). */
export const getOrders = async (q: Queryable, ids: readonly string[]): Promise<OrderRow[]> =>
  ids.length === 0
    ? []
    : (await q.query<OrderRow>(`SELECT ${ORDER} FROM orders WHERE id = ANY($1::text[])`, [ids])).rows;
