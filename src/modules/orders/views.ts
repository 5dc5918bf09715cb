import type { Queryable } from '../../platform/db.ts';
import { eventsFor } from '../../platform/outbox/events.ts';
import { transitionsOf } from '../../platform/state-machine.ts';
import { type PaymentRow, paymentsOfOrders, paymentToApi } from '../payments/index.ts';
import * as repo from './repo.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The API view of one order from its rows (no query). */
export const toOrderView = (
  o: repo.OrderRow,
  lines: readonly repo.OrderLineRow[],
  fuls: readonly repo.FulfillmentRow[],
  fulLines: readonly repo.FulfillmentLineRow[],
  payments: readonly PaymentRow[],
) => ({
  id: o.id,
  number: o.number,
  channel_id: o.channel_id,
  selling_location_id: o.selling_location_id,
  customer_id: o.customer_id,
  email: o.email,
  status: o.status,
  payment_status: o.payment_status,
  fulfillment_type: o.fulfillment_type,
  pickup_location_id: o.pickup_location_id,
  shipping_address: o.shipping_address,
  currency: o.currency,
  subtotal: o.subtotal,
  discount_total: o.discount_total,
  shipping_total: o.shipping_total,
  tax_total: o.tax_total,
  prices_include_tax: o.prices_include_tax,
  total: o.total,
  discount_code: o.discount_code,
  lines: lines.filter((l) => l.order_id === o.id).map(({ order_id: _o, position: _p, ...l }) => l),
  fulfillments: fuls
    .filter((f) => f.order_id === o.id)
    .map((f) => ({
      id: f.id,
      type: f.type,
      status: f.status,
      location_id: f.location_id,
      source_location_id: f.source_location_id,
      ready_estimate_at: iso(f.ready_estimate_at),
      tracking_number: f.tracking_number,
      lines: fulLines
        .filter((l) => l.fulfillment_id === f.id)
        .map((l) => ({ order_line_id: l.order_line_id, sku: l.sku, quantity: l.quantity })),
    })),
  payments: payments.filter((p) => p.order_id === o.id).map(paymentToApi),
  placed_at: o.placed_at.toISOString(),
  cancelled_at: iso(o.cancelled_at),
  cancel_reason: o.cancel_reason,
});

/** Full views of orders (lines, fulfillments, payments) with a fixed number of queries. */
export const orderViews = async (q: Queryable, orders: repo.OrderRow[]) => {
  if (orders.length === 0) return [];
  const ids = orders.map((o) => o.id);
  const [lines, fuls, payments] = await Promise.all([
    repo.linesOf(q, ids),
    repo.fulfillmentsOf(q, ids),
    paymentsOfOrders(q, ids),
  ]);
  const fulLines = await repo.fulfillmentLinesOf(
    q,
    fuls.map((f) => f.id),
  );
  return orders.map((o) => toOrderView(o, lines, fuls, fulLines, payments));
};

export type OrderView = Awaited<ReturnType<typeof orderViews>>[number];

/** The order's history: every state transition (order, payments, fulfillments) and event, in time order. */
export const orderTimeline = async (q: Queryable, order: OrderView) => {
  const entities: [string, string][] = [
    ['order', order.id],
    ...order.payments.map((p) => ['payment', p.id] as [string, string]),
    ...order.fulfillments.map((f) => ['fulfillment', f.id] as [string, string]),
  ];
  const transitions = (await Promise.all(entities.map(([t, id]) => transitionsOf(q, t, id)))).flat();
  const events = await eventsFor(q, 'order', order.id);
  return [
    ...transitions.map((t) => ({
      at: t.at,
      kind: 'transition' as const,
      machine: t.machine,
      from: t.from_state,
      to: t.to_state,
      actor: t.actor,
      reason: t.reason,
      data: t.data,
    })),
    ...events.map((e) => ({ at: e.occurredAt, kind: 'event' as const, type: e.type, data: e.data })),
  ]
    .sort(
      (a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? 0 : a.kind === 'transition' ? -1 : 1),
    )
    .map((x) => ({ ...x, at: x.at.toISOString() }));
};
