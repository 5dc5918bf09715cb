import { reopenCart } from '../../modules/carts/index.ts';
import { releaseDiscount } from '../../modules/discounts/index.ts';
import {
  CANCELLABLE,
  changeFulfillmentStatus,
  changeOrderStatus,
  fulfillmentMachine,
  fulfillmentsOf,
  getOrder,
  type OrderRow,
} from '../../modules/orders/index.ts';
import {
  changePayment,
  getPayment,
  type PaymentRow,
  paymentsOfOrders,
  setProviderAction,
  voidWithProvider,
} from '../../modules/payments/index.ts';
import type { Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { releaseOrderStock } from '../checkout/settle.ts';
import { releaseLoyaltyPoints } from '../loyalty/redeem.ts';
import { recordMissedCapture } from '../payments/record.ts';

/** The payment status to name: the last payment's own status (the order's copy may lag behind). */
const paymentStatusOf = (order: OrderRow, payments: PaymentRow[]): string =>
  payments.at(-1)?.status ?? order.payment_status;

/**
 * Cancels an order in one transaction while its payment is not captured: stock released, discount
 * given back, fulfilments cancelled, the authorization recorded as voided. Returns the payments to
 * void with their provider after commit. After capture it refuses with INVALID_STATE_TRANSITION
 * (that is a return).
 */
export const cancelOrderTx = async (
  tx: Tx,
  deps: Deps,
  orderId: string,
  opts: { actor: string; reason: string; reopenCart?: boolean },
): Promise<{ order: OrderRow; toVoid: PaymentRow[] }> => {
  const order = await getOrder(tx, orderId, true);
  if (!order) throw notFound('Order', orderId);
  if (order.status === 'cancelled') return { order, toVoid: [] };
  const payments = await paymentsOfOrders(tx, [orderId]);
  if (payments.some((p) => p.captured_amount > 0) || !CANCELLABLE.includes(order.status)) {
    throw new PlazaError(
      'INVALID_STATE_TRANSITION',
      `Order ${order.number} is ${order.status} and its payment is ${paymentStatusOf(order, payments)}: it can no longer be cancelled; return it instead`,
      { status: order.status, payment_status: paymentStatusOf(order, payments) },
    );
  }
  const toVoid: PaymentRow[] = [];
  for (const p of payments) {
    if (p.status === 'authorized') {
      toVoid.push(await changePayment(tx, deps, p.id, 'voided', { actor: opts.actor, reason: opts.reason }));
    } else if (p.status === 'pending') {
      await changePayment(tx, deps, p.id, 'failed', {
        actor: opts.actor,
        reason: opts.reason,
        patch: { failure_reason: opts.reason },
      });
    } else {
      continue;
    }
    // Until the provider confirms the void, the payment says so: if this process dies first, or the
    // provider authorized a pending payment after all, the payment reconciler gives the money back.
    await setProviderAction(tx, p.id, 'void', deps.clock.now());
  }
  await releaseOrderStock(tx, deps, orderId, opts.reason, opts.actor);
  await releaseDiscount(tx, orderId, deps);
  await releaseLoyaltyPoints(tx, deps, orderId);
  for (const f of await fulfillmentsOf(tx, [orderId])) {
    if (fulfillmentMachine.can(f.status, 'cancelled')) {
      await changeFulfillmentStatus(tx, deps, f, 'cancelled', { actor: opts.actor, reason: opts.reason });
    }
  }
  const paymentStatus = toVoid.length ? 'voided' : payments.length ? 'failed' : order.payment_status;
  const cancelled = await changeOrderStatus(tx, deps, orderId, 'cancelled', {
    actor: opts.actor,
    reason: opts.reason,
    paymentStatus,
  });
  // A shopper who cancels before paying gets the cart back, to change it and check out again.
  if (opts.reopenCart && order.cart_id) await reopenCart(tx, order.cart_id, deps.clock.now());
  return { order: cancelled, toVoid };
};

/**
 * Cancels (see cancelOrderTx), then voids authorizations with their providers. A capture the provider
 * made but Plaza did not record yet (its request died) is recorded first, so that the refusal names
 * the payment's real state (`captured`). A void the provider refuses stays marked for the reconciler.
 */
export const cancelOrder = async (
  deps: Deps,
  orderId: string,
  opts: { actor: string; reason: string; reopenCart?: boolean },
) => {
  for (const p of await paymentsOfOrders(deps.db, [orderId])) {
    if (p.provider_action === 'capture') await recordMissedCapture(deps, p, opts.actor);
  }
  const { order, toVoid } = await deps.db.tx((tx) => cancelOrderTx(tx, deps, orderId, opts));
  for (const p of toVoid) {
    const fresh = (await getPayment(deps.db, p.id)) ?? p;
    if (await voidWithProvider(deps.config.paymentTimeoutMs, fresh, deps.db)) {
      await setProviderAction(deps.db, p.id, null, deps.clock.now());
    } else {
      deps.log.error({ paymentId: p.id }, 'could not void an authorization with its provider');
    }
  }
  return order;
};
