import { commitReservation } from '../../modules/inventory/index.ts';
import {
  changeFulfillmentStatus,
  changeOrderStatus,
  type FulfillmentRow,
  fulfillmentLinesOf,
  fulfillmentsOf,
  getOrder,
  type OrderStatus,
} from '../../modules/orders/index.ts';
import {
  capturePayment,
  getPayment,
  type PaymentRow,
  paymentsOfOrders,
} from '../../modules/payments/index.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { AdminPrincipal } from '../../platform/http/auth.ts';
import { canAccessLocation } from '../../platform/http/auth.ts';
import type { Deps } from '../../platform/module.ts';
import { recordMissedCapture } from '../payments/record.ts';

const findFulfillment = async (deps: Deps, orderId: string, fulfillmentId: string, admin: AdminPrincipal) => {
  const order = await getOrder(deps.db, orderId);
  const f = (await fulfillmentsOf(deps.db, [orderId])).find((x) => x.id === fulfillmentId);
  if (!order || !f || !canAccessLocation(admin, f.source_location_id ?? f.location_id)) {
    throw notFound('Fulfillment', fulfillmentId);
  }
  return { order, f };
};

/** The order's status from its fulfilments: all done → `done`, some → partially_fulfilled. */
const rollUp = (fuls: FulfillmentRow[], done: OrderStatus): OrderStatus | undefined => {
  const live = fuls.filter((f) => f.status !== 'cancelled');
  const finished = live.filter((f) => ['shipped', 'delivered', 'picked_up'].includes(f.status));
  if (finished.length === 0) return undefined;
  return finished.length === live.length ? done : 'partially_fulfilled';
};

const PAID = ['captured', 'partially_refunded', 'refunded'];

/** INVALID_STATE_TRANSITION naming the order's and its payment's real status. */
const refusal = (number: number, status: string, payments: PaymentRow[]) => {
  const payment = payments.at(-1);
  return new PlazaError(
    'INVALID_STATE_TRANSITION',
    `Order ${number} is ${status}${payment ? ` and its payment is ${payment.status}` : ''}: it cannot ship`,
    { status, ...(payment ? { payment_id: payment.id, payment_status: payment.status } : {}) },
  );
};

/**
 * Captures before shipping. When the provider's answer is lost, asks the provider: a capture it made
 * is recorded and the shipment goes on; otherwise the refusal (PAYMENT_FAILED) names the payment's
 * status, and the payment stays marked for the reconciler.
 */
const captureToShip = async (deps: Deps, p: PaymentRow, actor: string): Promise<PaymentRow> => {
  try {
    return await capturePayment(deps, deps.config.paymentTimeoutMs, p.id, actor);
  } catch (e) {
    const fresh = await getPayment(deps.db, p.id);
    const now = fresh ? await recordMissedCapture(deps, fresh, actor) : undefined;
    if (now?.status === 'captured') return now;
    throw e;
  }
};

/**
 * Ships one fulfilment: captures the payment (on the first shipment), then in one transaction turns
 * its stock hold into a sale, marks it shipped and moves the order to shipped or partially fulfilled.
 */
export const shipFulfillment = async (
  deps: Deps,
  admin: AdminPrincipal,
  orderId: string,
  fulfillmentId: string,
  trackingNumber: string | undefined,
) => {
  const { order, f } = await findFulfillment(deps, orderId, fulfillmentId, admin);
  if (f.type !== 'shipping')
    throw new PlazaError('INVALID_STATE_TRANSITION', 'Only shipping fulfilments are shipped');
  const payments = await paymentsOfOrders(deps.db, [orderId]);
  if (order.status === 'pending_payment' || order.status === 'cancelled') {
    throw refusal(order.number, order.status, payments);
  }
  const actor = `token:${admin.tokenId}`;
  const paid: PaymentRow[] = [];
  for (const p of payments) paid.push(p.status === 'authorized' ? await captureToShip(deps, p, actor) : p);
  if (paid.length > 0 && !PAID.includes((paid.at(-1) as PaymentRow).status)) {
    throw refusal(order.number, order.status, paid);
  }
  return deps.db.tx(async (tx) => {
    const current = (await fulfillmentsOf(tx, [orderId])).find(
      (x) => x.id === fulfillmentId,
    ) as FulfillmentRow;
    if (current.reservation_id) {
      const c = await commitReservation(tx, deps, current.reservation_id, { actor });
      if (!c.ok) throw new PlazaError(c.code, c.detail, c.details);
    }
    await changeFulfillmentStatus(tx, deps, current, 'shipped', {
      actor,
      patch: trackingNumber ? { tracking_number: trackingNumber } : undefined,
    });
    for (const l of await fulfillmentLinesOf(tx, [f.id])) {
      await tx.query('UPDATE order_lines SET fulfilled_quantity = fulfilled_quantity + $2 WHERE id = $1', [
        l.order_line_id,
        l.quantity,
      ]);
    }
    const next = rollUp(await fulfillmentsOf(tx, [orderId]), 'shipped');
    const latest = (await getOrder(tx, orderId)) as NonNullable<Awaited<ReturnType<typeof getOrder>>>;
    if (next && next !== latest.status) {
      return changeOrderStatus(tx, deps, orderId, next, { actor, paymentStatus: 'captured' });
    }
    return latest;
  });
};

/** Marks a shipped fulfilment delivered; the order is delivered when all of them are. */
export const deliverFulfillment = async (
  deps: Deps,
  admin: AdminPrincipal,
  orderId: string,
  fulfillmentId: string,
) => {
  const { f } = await findFulfillment(deps, orderId, fulfillmentId, admin);
  const actor = `token:${admin.tokenId}`;
  return deps.db.tx(async (tx) => {
    await changeFulfillmentStatus(tx, deps, f, 'delivered', { actor });
    const fuls = await fulfillmentsOf(tx, [orderId]);
    const order = (await getOrder(tx, orderId)) as NonNullable<Awaited<ReturnType<typeof getOrder>>>;
    const allDelivered = fuls.filter((x) => x.status !== 'cancelled').every((x) => x.status === 'delivered');
    return allDelivered && order.status === 'shipped'
      ? changeOrderStatus(tx, deps, orderId, 'delivered', { actor })
      : order;
  });
};
