/**
 * Plaza's own facts as events (docs/customer-data.md): an outbox subscriber turns orders, POS sales,
 * pickups, returns, refunds and loyalty points into track events of the built-in `src_plaza` source,
 * named after Segment's E-commerce Spec v2. The event's messageId is the outbox event id (`:n` added
 * when one fact gives several), and the insert runs in the subscriber's transaction: the dispatcher
 * records the delivery in the same transaction and insertEvents skips a messageId already stored, so
 * each fact is one event, also across dispatcher restarts and redeliveries.
 *
 * Money: Segment's amounts (`total`, `revenue`, `subtotal`, `shipping`, `tax`, `discount`,
 * `products[].price`) are decimals in the currency's unit, as Segment's destinations expect; the
 * exact integer minor units travel beside them as `total_minor` (and `value_minor` for refunds).
 */
import { getCustomer, survivorOf } from '../../modules/customers/index.ts';
import { type EventInput, insertEvents } from '../../modules/events/store.ts';
import { getOrder, linesOf, type OrderLineRow, type OrderRow } from '../../modules/orders/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { minorUnitDigits } from '../../platform/money.ts';
import type { OutboxEvent, Subscriber } from '../../platform/outbox/events.ts';

export const PLAZA_SOURCE_ID = 'src_plaza';

/** Which outbox event gives which track event (the table in docs/customer-data.md). */
export const PLAZA_EVENT_MAPPING = [
  {
    outbox: 'order.created (pending_payment, online)',
    event: 'Checkout Started',
    properties:
      'order_id, order_number, value, revenue, total, total_minor, currency, products[], fulfillment_type',
  },
  {
    outbox: 'order.confirmed (and order.created already confirmed)',
    event: 'Order Completed',
    properties:
      'order_id, order_number, total, revenue, subtotal, shipping, tax, discount, coupon, currency, total_minor, products[], fulfillment_type',
  },
  {
    outbox: 'pos.sale_completed',
    event: 'Order Completed (:0) + In-Store Purchase (:1)',
    properties: 'as Order Completed, plus sale_id and payment provider on In-Store Purchase',
  },
  {
    outbox: 'order.cancelled (after payment; a declined payment is not a cancelled order)',
    event: 'Order Cancelled',
    properties: 'as Order Completed, plus reason',
  },
  {
    outbox: 'refund.issued',
    event: 'Order Refunded',
    properties: 'order_id, refund_id, return_id, total, value_minor, currency, method',
  },
  { outbox: 'pickup.ready', event: 'Pickup Ready', properties: 'order_id, order_number' },
  {
    outbox: 'order.picked_up',
    event: 'Order Picked Up',
    properties: 'order_id, order_number, fulfillment_type',
  },
  {
    outbox: 'return.received',
    event: 'Return Received',
    properties:
      'return_id, order_id, currency, total, value_minor, products[] (sku, quantity, price, condition)',
  },
  {
    outbox: 'loyalty.points_earned',
    event: 'Loyalty Points Earned',
    properties: 'points, balance, order_id',
  },
] as const;

const TYPES = [
  'order.created',
  'order.confirmed',
  'order.cancelled',
  'order.picked_up',
  'pos.sale_completed',
  'refund.issued',
  'pickup.ready',
  'return.received',
  'loyalty.points_earned',
];

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Minor units → the currency's decimal unit (exact for any safe integer: shortest round-trip). */
export const toDecimal = (minor: number, currency: string): number => minor / 10 ** minorUnitDigits(currency);

interface Fact {
  event: string;
  properties: Record<string, unknown>;
  locationId?: string | null;
  channelId?: string | null;
}

const products = (lines: readonly OrderLineRow[], currency: string) =>
  lines.map((l) => ({
    product_id: l.product_id,
    variant: l.variant_id,
    sku: l.sku,
    name: l.title,
    price: toDecimal(l.unit_price, currency),
    quantity: l.quantity,
    position: l.position,
  }));

/** Segment's order properties from the order row and its lines. */
const orderProperties = async (q: Queryable, o: OrderRow): Promise<Record<string, unknown>> => {
  const d = (m: number) => toDecimal(m, o.currency);
  const revenue = Math.max(0, o.total - o.shipping_total - o.tax_total);
  return {
    order_id: o.id,
    order_number: o.number,
    total: d(o.total),
    revenue: d(revenue),
    subtotal: d(o.subtotal),
    shipping: d(o.shipping_total),
    tax: d(o.tax_total),
    discount: d(o.discount_total),
    ...(o.discount_code ? { coupon: o.discount_code } : {}),
    currency: o.currency,
    total_minor: o.total,
    fulfillment_type: o.fulfillment_type,
    products: products(await linesOf(q, [o.id]), o.currency),
  };
};

const orderFacts = async (q: Queryable, e: OutboxEvent): Promise<Fact[]> => {
  const orderId = str(e.data.order_id);
  const o = orderId ? await getOrder(q, orderId) : undefined;
  if (!o) return [];
  const location = str(e.data.location_id) ?? o.pickup_location_id ?? o.selling_location_id;
  const base = { channelId: o.channel_id, locationId: location };
  switch (e.type) {
    case 'order.created':
      if (e.data.status === 'confirmed')
        return [{ ...base, event: 'Order Completed', properties: await orderProperties(q, o) }];
      if (e.data.status !== 'pending_payment' || o.selling_location_id) return [];
      return [
        {
          ...base,
          event: 'Checkout Started',
          properties: { ...(await orderProperties(q, o)), value: toDecimal(o.total, o.currency) },
        },
      ];
    case 'order.confirmed':
      return [{ ...base, event: 'Order Completed', properties: await orderProperties(q, o) }];
    case 'order.cancelled':
      if (e.data.from === 'pending_payment') return [];
      return [
        {
          ...base,
          event: 'Order Cancelled',
          properties: { ...(await orderProperties(q, o)), reason: str(e.data.reason) },
        },
      ];
    case 'order.picked_up':
      return [
        {
          ...base,
          event: 'Order Picked Up',
          properties: { order_id: o.id, order_number: o.number, fulfillment_type: o.fulfillment_type },
        },
      ];
    case 'pickup.ready':
      return [{ ...base, event: 'Pickup Ready', properties: { order_id: o.id, order_number: o.number } }];
    case 'pos.sale_completed': {
      const props = await orderProperties(q, o);
      return [
        { ...base, event: 'Order Completed', properties: props },
        {
          ...base,
          event: 'In-Store Purchase',
          properties: { ...props, sale_id: str(e.data.sale_id), provider: str(e.data.provider) },
        },
      ];
    }
    case 'refund.issued': {
      const currency = str(e.data.currency) ?? o.currency;
      return [
        {
          ...base,
          event: 'Order Refunded',
          properties: {
            order_id: o.id,
            order_number: o.number,
            refund_id: str(e.data.refund_id),
            return_id: str(e.data.return_id),
            total: toDecimal(num(e.data.amount), currency),
            value_minor: num(e.data.amount),
            currency,
            method: str(e.data.method),
          },
        },
      ];
    }
    case 'return.received': {
      const currency = str(e.data.currency) ?? o.currency;
      const lines = Array.isArray(e.data.lines) ? (e.data.lines as Record<string, unknown>[]) : [];
      const value = lines.reduce((s, l) => s + num(l.amount), 0);
      return [
        {
          ...base,
          channelId: str(e.data.channel_id) ?? o.channel_id,
          event: 'Return Received',
          properties: {
            return_id: str(e.data.return_id),
            order_id: o.id,
            order_number: o.number,
            currency,
            total: toDecimal(value, currency),
            value_minor: value,
            products: lines.map((l) => ({
              sku: str(l.sku),
              quantity: num(l.quantity),
              price: toDecimal(num(l.amount), currency),
              ...(str(l.condition) ? { condition: str(l.condition) } : {}),
            })),
          },
        },
      ];
    }
    default:
      return [];
  }
};

const loyaltyFacts = (e: OutboxEvent): Fact[] => [
  {
    event: 'Loyalty Points Earned',
    channelId: str(e.data.channel_id),
    locationId: str(e.data.location_id),
    properties: { points: num(e.data.points), balance: num(e.data.balance), order_id: str(e.data.order_id) },
  },
];

/** The live customer a fact is about (a merged one's survivor); erased or unknown: none. */
const customerOf = async (q: Queryable, e: OutboxEvent, facts: Fact[]): Promise<string | null> => {
  let id = str(e.data.customer_id);
  if (!id && typeof facts[0]?.properties.order_id === 'string') {
    id = (await getOrder(q, facts[0].properties.order_id))?.customer_id ?? null;
  }
  if (!id) return null;
  const c = await getCustomer(q, id);
  if (!c) return null;
  const s = await survivorOf(q, c);
  return s.status === 'active' ? s.id : null;
};

/** The events a Plaza fact gives (none for outbox events that are not facts of the stream). */
export const factsOf = (q: Queryable, e: OutboxEvent): Promise<Fact[]> =>
  e.type === 'loyalty.points_earned' ? Promise.resolve(loyaltyFacts(e)) : orderFacts(q, e);

/** Stores the events of one fact (inside the caller's transaction). Returns how many were new. */
export const recordFact = async (tx: Tx, deps: Pick<Deps, 'clock'>, e: OutboxEvent): Promise<number> => {
  const facts = await factsOf(tx, e);
  if (facts.length === 0) return 0;
  const customerId = await customerOf(tx, e, facts);
  const retention =
    (
      await tx.query<{ retention_months: number }>(
        'SELECT retention_months FROM event_sources WHERE id = $1',
        [PLAZA_SOURCE_ID],
      )
    ).rows[0]?.retention_months ?? 0;
  const now = deps.clock.now();
  const rows: EventInput[] = facts.map((f, n) => ({
    sourceId: PLAZA_SOURCE_ID,
    channelId: f.channelId ?? null,
    locationId: f.locationId ?? null,
    origin: 'plaza',
    messageId: facts.length > 1 ? `${e.id}:${n}` : e.id,
    type: 'track',
    event: f.event,
    userId: customerId,
    customerId,
    properties: { ...f.properties, channel_id: f.channelId ?? null, location_id: f.locationId ?? null },
    context: { library: { name: 'plaza' }, outbox_type: e.type },
    timestamp: e.occurredAt,
    receivedAt: now,
    retentionMonths: retention,
  }));
  return (await insertEvents(tx, rows)).inserted;
};

export const factsSubscriber = (deps: Pick<Deps, 'clock'>): Subscriber => ({
  name: 'customer-data:plaza-facts',
  types: TYPES,
  accepts: (e) =>
    e.type !== 'order.created' || e.data.status === 'pending_payment' || e.data.status === 'confirmed',
  handle: async (tx, e) => {
    await recordFact(tx, deps, e);
  },
});
