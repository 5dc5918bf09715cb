import { WriteBatch } from '../../platform/batch.ts';
import { safeEqual, sha256 } from '../../platform/crypto.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { CustomerPrincipal } from '../../platform/http/auth.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { amountDue } from '../../platform/money.ts';
import { stageEvents, writeEvent } from '../../platform/outbox/events.ts';
import { recordTransition, stageTransitions } from '../../platform/state-machine.ts';
import { type FulfillmentStatus, fulfillmentMachine, type OrderStatus, orderMachine } from './machine.ts';
import * as repo from './repo.ts';

type Clocked = Pick<Deps, 'clock'>;

export interface NewOrderLine {
  sku: string;
  variantId: string | null;
  productId: string | null;
  title: string;
  quantity: number;
  unitPrice: number;
  compareAtPrice: number | null;
  discountAmount: number;
  taxAmount: number;
}

export interface NewFulfillment {
  type: repo.FulfillmentType;
  locationId: string;
  sourceLocationId: string | null;
  status: FulfillmentStatus;
  readyEstimateAt: Date | null;
  reservationId: string | null;
  /** Quantities per SKU shipped or picked up from this location. */
  lines: { sku: string; quantity: number }[];
}

export interface NewOrderInput {
  /** Pre-generated id (e.g. when stock was reserved with the order as reference); new when absent. */
  id?: string;
  status: OrderStatus;
  paymentStatus: string;
  channelId: string;
  sellingLocationId: string | null;
  customerId: string | null;
  email: string | null;
  cartId: string | null;
  fulfillmentType: repo.FulfillmentType;
  pickupLocationId: string | null;
  shippingAddress: Record<string, unknown> | null;
  currency: string;
  shippingTotal: number;
  /** Line tax is inside the prices (VAT style) rather than added to the total. */
  pricesIncludeTax: boolean;
  discountId: string | null;
  discountCode: string | null;
  /** A secret for guest access to the order (stored hashed). */
  accessToken: string | null;
  lines: NewOrderLine[];
  fulfillments: NewFulfillment[];
  actor: string;
}

export interface StagedOrder {
  order: repo.OrderRow;
  lines: repo.OrderLineRow[];
  fulfillments: repo.FulfillmentRow[];
  fulfillmentLines: repo.FulfillmentLineRow[];
}

/** The next order number (numbers are unique and increasing; a failed checkout may leave a gap). */
export const nextOrderNumber = async (q: Queryable): Promise<number> =>
  (await q.query<{ n: number }>("SELECT nextval('order_number_seq') AS n")).rows[0]?.n as number;

/**
 * Builds an order with its lines and fulfillments and stages every row (order, lines, fulfillments,
 * their lines, the initial state transitions, the `order.created` event) into a write batch: the
 * caller flushes it in its transaction, in one round trip with whatever else it writes. Totals are
 * computed here from the lines, so they always add up: total = subtotal − discounts + shipping (+ tax
 * unless prices include it).
 */
export const stageOrder = (
  batch: WriteBatch,
  deps: Clocked,
  input: NewOrderInput & { number: number },
): StagedOrder => {
  const now = deps.clock.now();
  const id = input.id ?? newId('ord');
  const lines: repo.OrderLineRow[] = input.lines.map((l, i) => ({
    id: newId('oli'),
    order_id: id,
    position: i,
    sku: l.sku,
    variant_id: l.variantId,
    product_id: l.productId,
    title: l.title,
    quantity: l.quantity,
    unit_price: l.unitPrice,
    compare_at_price: l.compareAtPrice,
    discount_amount: l.discountAmount,
    tax_amount: l.taxAmount,
    total: amountDue(
      { value: l.unitPrice * l.quantity, discount: l.discountAmount, tax: l.taxAmount },
      input.pricesIncludeTax,
    ),
    fulfilled_quantity: 0,
    returned_quantity: 0,
  }));
  const subtotal = lines.reduce((s, l) => s + l.unit_price * l.quantity, 0);
  const discountTotal = lines.reduce((s, l) => s + l.discount_amount, 0);
  const taxTotal = lines.reduce((s, l) => s + l.tax_amount, 0);
  const order: repo.OrderRow = {
    id,
    number: input.number,
    channel_id: input.channelId,
    selling_location_id: input.sellingLocationId,
    customer_id: input.customerId,
    email: input.email,
    cart_id: input.cartId,
    status: input.status,
    payment_status: input.paymentStatus,
    fulfillment_type: input.fulfillmentType,
    pickup_location_id: input.pickupLocationId,
    shipping_address: input.shippingAddress,
    currency: input.currency,
    subtotal,
    discount_total: discountTotal,
    shipping_total: input.shippingTotal,
    tax_total: taxTotal,
    prices_include_tax: input.pricesIncludeTax,
    total: amountDue(
      { value: subtotal, discount: discountTotal, tax: taxTotal, shipping: input.shippingTotal },
      input.pricesIncludeTax,
    ),
    discount_id: input.discountId,
    discount_code: input.discountCode,
    access_token_hash: input.accessToken ? sha256(input.accessToken) : null,
    placed_at: now,
    cancelled_at: null,
    cancel_reason: null,
    created_at: now,
    updated_at: now,
  };
  const fulfillments: repo.FulfillmentRow[] = input.fulfillments.map((f) => ({
    id: newId('ful'),
    order_id: id,
    location_id: f.locationId,
    source_location_id: f.sourceLocationId,
    type: f.type,
    status: f.status,
    reservation_id: f.reservationId,
    ready_estimate_at: f.readyEstimateAt,
    tracking_number: null,
    created_at: now,
    updated_at: now,
  }));
  const lineBySku = new Map(lines.map((l) => [l.sku, l]));
  const fulfillmentLines = input.fulfillments.flatMap((f, i) =>
    f.lines.map((l) => ({
      fulfillment_id: (fulfillments[i] as repo.FulfillmentRow).id,
      order_line_id: (lineBySku.get(l.sku) as repo.OrderLineRow).id,
      sku: l.sku,
      quantity: l.quantity,
    })),
  );
  repo.stageOrderRows(batch, { order, lines, fulfillments, fulfillmentLines });
  stageTransitions(batch, deps.clock, orderMachine, [
    { entityType: 'order', entityId: id, from: null, to: input.status, actor: input.actor },
  ]);
  stageTransitions(
    batch,
    deps.clock,
    fulfillmentMachine,
    fulfillments.map((f) => ({
      entityType: 'fulfillment',
      entityId: f.id,
      from: null,
      to: f.status,
      actor: input.actor,
    })),
  );
  stageEvents(batch, deps.clock, [
    {
      type: 'order.created',
      aggregateType: 'order',
      aggregateId: id,
      data: {
        order_id: id,
        number: order.number,
        channel_id: order.channel_id,
        customer_id: order.customer_id,
        status: order.status,
        total: order.total,
        currency: order.currency,
        fulfillment_type: order.fulfillment_type,
        pickup_location_id: order.pickup_location_id,
        selling_location_id: order.selling_location_id,
        location_id: order.pickup_location_id ?? order.selling_location_id,
      },
    },
  ]);
  return { order, lines, fulfillments, fulfillmentLines };
};

/** Creates an order with its lines and fulfillments in the caller's transaction (two round trips). */
export const createOrder = async (tx: Tx, deps: Clocked, input: NewOrderInput): Promise<repo.OrderRow> => {
  const batch = new WriteBatch();
  const staged = stageOrder(batch, deps, { ...input, number: await nextOrderNumber(tx) });
  await batch.flush(tx);
  return staged.order;
};

/** Moves an order to `to` (checked against the order machine), recorded and announced as `order.<to>`. */
export const changeOrderStatus = async (
  tx: Tx,
  deps: Clocked,
  orderId: string,
  to: OrderStatus,
  opts: { actor: string; reason?: string; paymentStatus?: string; data?: Record<string, unknown> },
): Promise<repo.OrderRow> => {
  const current = await repo.getOrder(tx, orderId, true);
  if (!current) throw notFound('Order', orderId);
  await recordTransition(tx, deps.clock, orderMachine, {
    entityType: 'order',
    entityId: orderId,
    from: current.status,
    to,
    actor: opts.actor,
    reason: opts.reason ?? null,
  });
  const now = deps.clock.now();
  const cancelled = to === 'cancelled' || to === 'expired';
  const row = await repo.updateOrder(
    tx,
    orderId,
    {
      status: to,
      payment_status: opts.paymentStatus,
      cancelled_at: cancelled ? now : undefined,
      cancel_reason: cancelled ? (opts.reason ?? to) : undefined,
    },
    now,
  );
  if (current.status !== to) {
    await writeEvent(tx, deps.clock, {
      type: `order.${to}`,
      aggregateType: 'order',
      aggregateId: orderId,
      data: {
        order_id: orderId,
        number: row.number,
        channel_id: row.channel_id,
        customer_id: row.customer_id,
        location_id: row.pickup_location_id ?? row.selling_location_id,
        fulfillment_type: row.fulfillment_type,
        from: current.status,
        reason: opts.reason ?? null,
        ...(opts.data ?? {}),
      },
    });
  }
  return row;
};

/** Moves a fulfillment (checked against its machine) and records it. */
export const changeFulfillmentStatus = async (
  tx: Tx,
  deps: Clocked,
  f: repo.FulfillmentRow,
  to: FulfillmentStatus,
  opts: { actor: string; reason?: string; patch?: { tracking_number?: string; ready_estimate_at?: Date } },
): Promise<repo.FulfillmentRow> => {
  await recordTransition(tx, deps.clock, fulfillmentMachine, {
    entityType: 'fulfillment',
    entityId: f.id,
    from: f.status,
    to,
    actor: opts.actor,
    reason: opts.reason ?? null,
    data: { order_id: f.order_id, location_id: f.location_id },
  });
  return repo.updateFulfillment(tx, f.id, { ...(opts.patch ?? {}), status: to }, deps.clock.now());
};

/**
 * Who may see an order on /store: its customer (customer token), or whoever holds the order's
 * access token (guest checkout). Anyone else gets NOT_FOUND, never a hint that it exists.
 */
export const getOrderForShopper = async (
  q: Queryable,
  orderId: string,
  who: { customer: CustomerPrincipal | null; orderToken: string | undefined },
): Promise<repo.OrderRow> => {
  const o = await repo.getOrder(q, orderId);
  const byCustomer = o?.customer_id && who.customer?.customerId === o.customer_id;
  const byToken =
    o?.access_token_hash && who.orderToken && safeEqual(o.access_token_hash, sha256(who.orderToken));
  if (!o || !(byCustomer || byToken)) throw notFound('Order', orderId);
  return o;
};

/** Points a fulfilment at a new stock reservation (its hold was renewed). */
export const updateFulfillmentReservation = (
  tx: Tx,
  deps: Clocked,
  fulfillmentId: string,
  reservationId: string,
) => repo.updateFulfillment(tx, fulfillmentId, { reservation_id: reservationId }, deps.clock.now());

/**
 * changeOrderStatus for a write batch: applies only if the order is still in `o.status` (returns
 * the CTE name), with its history row and `order.<to>` event.
 */
export const stageOrderStatus = (
  batch: WriteBatch,
  deps: Clocked,
  o: repo.OrderRow,
  to: OrderStatus,
  opts: { actor: string; reason?: string; paymentStatus?: string },
): string => {
  orderMachine.assert(o.status, to, `order ${o.id}`);
  const cte = batch.add(
    `UPDATE orders SET status = $2, payment_status = coalesce($3, payment_status), updated_at = $4
     WHERE id = $1 AND status = $5 RETURNING id`,
    [o.id, to, opts.paymentStatus ?? null, deps.clock.now(), o.status],
  );
  stageTransitions(batch, deps.clock, orderMachine, [
    {
      entityType: 'order',
      entityId: o.id,
      from: o.status,
      to,
      actor: opts.actor,
      reason: opts.reason ?? null,
    },
  ]);
  stageEvents(batch, deps.clock, [
    {
      type: `order.${to}`,
      aggregateType: 'order',
      aggregateId: o.id,
      data: {
        order_id: o.id,
        number: o.number,
        channel_id: o.channel_id,
        customer_id: o.customer_id,
        location_id: o.pickup_location_id ?? o.selling_location_id,
        fulfillment_type: o.fulfillment_type,
        from: o.status,
        reason: opts.reason ?? null,
      },
    },
  ]);
  return cte;
};
