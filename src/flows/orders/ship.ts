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
import { capturePayment, paymentsOfOrders } from '../../modules/payments/index.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { AdminPrincipal } from '../../platform/http/auth.ts';
import { canAccessLocation } from '../../platform/http/auth.ts';
import type { Deps } from '../../platform/module.ts';

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
  if (order.status === 'pending_payment' || order.status === 'cancelled') {
    throw new PlazaError('INVALID_STATE_TRANSITION', `Order ${order.number} is ${order.status}`);
  }
  const actor = `token:${admin.tokenId}`;
  for (const p of await paymentsOfOrders(deps.db, [orderId])) {
    if (p.status === 'authorized') await capturePayment(deps, deps.config.paymentTimeoutMs, p.id, actor);
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
