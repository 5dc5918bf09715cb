import { getCart, touchCart } from '../../modules/carts/index.ts';
import { releaseDiscount } from '../../modules/discounts/index.ts';
import {
  getReservation,
  releaseReservation,
  reserve,
  setReservationExpiry,
} from '../../modules/inventory/index.ts';
import {
  changeOrderStatus,
  type FulfillmentRow,
  fulfillmentsOf,
  getOrder,
  type OrderRow,
  updateFulfillmentReservation,
} from '../../modules/orders/index.ts';
import { type AuthorizeResult, changePayment, type PaymentRow } from '../../modules/payments/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { releaseLoyaltyPoints } from '../loyalty/redeem.ts';

/** Releases every stock hold of an order (idempotent: released or expired holds are left as they are). */
export const releaseOrderStock = async (
  tx: Tx,
  deps: Deps,
  orderId: string,
  reason: string,
  actor: string,
) => {
  for (const f of await fulfillmentsOf(tx, [orderId])) {
    if (!f.reservation_id) continue;
    const r = await releaseReservation(tx, deps, f.reservation_id, { reason, actor });
    if (!r.ok && r.code !== 'INVALID_STATE_TRANSITION') throw new Error(r.detail);
  }
};

/**
 * Keeps a fulfilment's stock until it is fulfilled. If its checkout hold lapsed while the payment
 * ran (and the sweeper released it), the units are held again if they are still there.
 */
const holdForGood = async (tx: Tx, deps: Deps, orderId: string, f: FulfillmentRow): Promise<boolean> => {
  if (!f.reservation_id) return true;
  if (await setReservationExpiry(tx, deps, f.reservation_id, null)) return true;
  const lapsed = await getReservation(tx, f.reservation_id);
  if (!lapsed) return false;
  const again = await reserve(tx, deps, {
    reference: { type: 'order', id: orderId },
    lines: lapsed.lines,
    expiresAt: null,
    actor: 'checkout',
  });
  if (!again.ok) return false;
  await updateFulfillmentReservation(tx, deps, f.id, again.value.id);
  return true;
};

/** Cancel reason: another attempt checked the cart out first (its authorization is voided). */
export const CART_TAKEN = 'cart_already_checked_out';
/** Cancel reason: the attempt died and a newer checkout of the same cart took over. */
export const SUPERSEDED = 'checkout_superseded';

/** Gives everything of an authorized order back: payment voided, stock, discount and points released. */
const cancelAuthorized = async (
  tx: Tx,
  deps: Deps,
  orderId: string,
  paymentId: string,
  reason: string,
): Promise<Settled> => {
  await changePayment(tx, deps, paymentId, 'voided', { actor: 'checkout', reason });
  await releaseOrderStock(tx, deps, orderId, reason, 'checkout');
  await releaseDiscount(tx, orderId, deps);
  await releaseLoyaltyPoints(tx, deps, orderId);
  const cancelled = await changeOrderStatus(tx, deps, orderId, 'cancelled', {
    actor: 'checkout',
    reason,
    paymentStatus: 'voided',
  });
  return { order: cancelled, voidAuthorization: true };
};

export interface Settled {
  order: OrderRow;
  /** The authorization must be voided with the provider (after commit): the stock was gone. */
  voidAuthorization: boolean;
}

/**
 * Phase two of checkout, in one transaction, after the provider answered. Authorized: the order is
 * confirmed, its stock held until fulfilment, the cart checked out. Declined or failed: the order is
 * cancelled, stock and discount given back, and the cart left as it was.
 */
export const settleCheckout = async (
  tx: Tx,
  deps: Deps,
  orderId: string,
  payment: PaymentRow,
  outcome: AuthorizeResult,
): Promise<Settled> => {
  const order = (await getOrder(tx, orderId, true)) as OrderRow;
  // Settled already (by a replay, or cancelled by the abandoned-checkout sweeper).
  if (order.status !== 'pending_payment') {
    return { order, voidAuthorization: outcome.status === 'authorized' && order.status === 'cancelled' };
  }
  if (outcome.status === 'authorized') {
    await changePayment(tx, deps, payment.id, 'authorized', {
      actor: 'checkout',
      patch: { reference: outcome.reference, display: outcome.display },
    });
    // One cart, one order: if another attempt checked the cart out meanwhile, this one gives way.
    const cart = order.cart_id ? await getCart(tx, order.cart_id, true) : undefined;
    if (cart?.status === 'checked_out' && cart.order_id !== orderId)
      return cancelAuthorized(tx, deps, orderId, payment.id, CART_TAKEN);
    let held = true;
    for (const f of await fulfillmentsOf(tx, [orderId]))
      held = held && (await holdForGood(tx, deps, orderId, f));
    if (!held) return cancelAuthorized(tx, deps, orderId, payment.id, 'stock_hold_expired');
    if (order.cart_id)
      await touchCart(tx, order.cart_id, { status: 'checked_out', order_id: orderId }, deps.clock.now());
    const confirmed = await changeOrderStatus(tx, deps, orderId, 'confirmed', {
      actor: 'checkout',
      paymentStatus: 'authorized',
    });
    return { order: confirmed, voidAuthorization: false };
  }
  const status = outcome.status === 'declined' ? 'declined' : 'failed';
  await changePayment(tx, deps, payment.id, status, {
    actor: 'checkout',
    reason: outcome.reason,
    patch: { failure_reason: outcome.reason },
  });
  await releaseOrderStock(tx, deps, orderId, `payment_${status}`, 'checkout');
  await releaseDiscount(tx, orderId, deps);
  await releaseLoyaltyPoints(tx, deps, orderId);
  const cancelled = await changeOrderStatus(tx, deps, orderId, 'cancelled', {
    actor: 'checkout',
    reason: `payment_${status}`,
    paymentStatus: status,
  });
  return { order: cancelled, voidAuthorization: false };
};
