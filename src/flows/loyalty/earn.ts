/**
 * Points follow orders from every channel: an order earns when it is both paid (payment captured)
 * and fulfilled (delivered, picked up, or completed at the counter) — whichever comes last — and a
 * return takes back points in proportion. Outbox subscribers, so each event counts once (the
 * dispatcher records consumed events; the ledger's unique indexes back that up).
 */
import { checkProcessing, getCustomer } from '../../modules/customers/index.ts';
import { earnForOrder, reverseForReturn } from '../../modules/loyalty/index.ts';
import { getOrder, type OrderRow } from '../../modules/orders/index.ts';
import { paymentsOfOrders } from '../../modules/payments/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps, PlazaModule } from '../../platform/module.ts';
import type { OutboxEvent, Subscriber } from '../../platform/outbox/events.ts';

const FULFILLED: readonly string[] = ['delivered', 'picked_up', 'completed'];
const CAPTURED: readonly string[] = ['captured', 'partially_refunded', 'refunded'];

/** Paid: every unit of the total was captured (an order paid entirely with points is paid). */
const isPaid = async (tx: Tx, order: OrderRow): Promise<boolean> => {
  if (order.total === 0) return true;
  const captured = (await paymentsOfOrders(tx, [order.id]))
    .filter((p) => CAPTURED.includes(p.status))
    .reduce((s, p) => s + p.captured_amount, 0);
  return captured >= order.total;
};

const orderIdOf = (e: OutboxEvent) => (typeof e.data.order_id === 'string' ? e.data.order_id : undefined);

/** Earns an order's points once it is paid and fulfilled (called on every order and capture event). */
export const earnIfDue = async (tx: Tx, deps: Deps, orderId: string): Promise<void> => {
  const order = await getOrder(tx, orderId);
  if (!order?.customer_id || !FULFILLED.includes(order.status)) return;
  if (!(await isPaid(tx, order))) return;
  const customer = await getCustomer(tx, order.customer_id);
  if (customer?.status !== 'active') return;
  // Restricted processing: no points are earned (docs/privacy.md, the restriction matrix).
  if (!(await checkProcessing(tx, customer.id, 'loyalty')).allowed) return;
  await earnForOrder(tx, deps, {
    customerId: customer.id,
    orderId: order.id,
    spend: order.subtotal - order.discount_total,
    currency: order.currency,
    channelId: order.channel_id,
    locationId: order.pickup_location_id ?? order.selling_location_id,
  });
};

interface ReturnLine {
  amount?: unknown;
}

/** `return.received` { order_id, customer_id, lines: [{ order_line_id, quantity, amount }] }. */
export const reverseOnReturn = async (tx: Tx, deps: Deps, e: OutboxEvent): Promise<void> => {
  const orderId = orderIdOf(e);
  if (!orderId) return;
  const order = await getOrder(tx, orderId);
  const customerId =
    order?.customer_id ?? (typeof e.data.customer_id === 'string' ? e.data.customer_id : null);
  if (!customerId) return;
  const lines = Array.isArray(e.data.lines) ? (e.data.lines as ReturnLine[]) : [];
  const amount = lines.reduce((s, l) => s + (Number.isSafeInteger(l.amount) ? (l.amount as number) : 0), 0);
  if (amount <= 0) return;
  const ref = typeof e.data.return_id === 'string' ? e.data.return_id : e.id;
  await reverseForReturn(tx, deps, {
    customerId,
    orderId,
    amount,
    reference: `return:${ref}`,
    currency: order?.currency,
  });
};

export const loyaltySubscribers = (deps: Deps): Subscriber[] => [
  {
    name: 'loyalty.earn',
    // Only the events that can make an order both paid and fulfilled.
    types: ['order.delivered', 'order.picked_up', 'order.completed', 'payment.captured'],
    handle: async (tx, e) => {
      const orderId = orderIdOf(e);
      if (orderId) await earnIfDue(tx, deps, orderId);
    },
  },
  { name: 'loyalty.returns', types: ['return.received'], handle: (tx, e) => reverseOnReturn(tx, deps, e) },
];

export const loyaltyEarnFlow: PlazaModule = { name: 'loyalty-earn', subscribers: loyaltySubscribers };
