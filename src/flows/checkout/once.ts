/**
 * One cart, one checkout at a time: idempotency that belongs to the cart, not only to the key. Two
 * tabs, two devices or a retry with a fresh `Idempotency-Key` are different keys for the same cart;
 * under the cart's row lock, a new attempt looks for the cart's order that waits for its payment.
 * While the attempt that created it holds its lease, the new one is refused (CHECKOUT_IN_PROGRESS,
 * nothing created). Once the lease ran out the attempt is dead (its process died between phase one and
 * the payment's answer): the new attempt cancels that order, which gives its stock holds, discount
 * and points back, completes the dead key with the answer its replays get, and goes on.
 */
import type { CartRow } from '../../modules/carts/index.ts';
import { type OrderRow, pendingOrdersOfCart } from '../../modules/orders/index.ts';
import { paymentsOfOrders } from '../../modules/payments/index.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { claimOfResource, completeDeadClaim } from '../../platform/idempotency.ts';
import type { Deps } from '../../platform/module.ts';
import { cancelOrderTx } from '../orders/cancel.ts';
import { answerOf } from './answer.ts';
import { SUPERSEDED } from './settle.ts';

/** The idempotency scope of a cart's checkout: every key of one cart lives in it. */
export const checkoutScope = (cartId: string): string => `checkout:${cartId}`;

/** Where a checkout of the cart is answered (the `instance` of its problems). */
export const checkoutPath = (cartId: string): string => `/store/carts/${cartId}/checkout`;

/**
 * How long a checkout attempt owns its key (and so its cart) before it counts as dead: the longest
 * provider call (PLAZA_PAYMENT_TIMEOUT_MS) plus 30 s for the two short transactions around it, even
 * on a loaded database. An attempt still alive after its lease loses its order to a newer attempt
 * (its settle then finds the order cancelled and voids its authorization).
 */
export const checkoutLeaseMs = (config: Pick<Deps['config'], 'paymentTimeoutMs'>): number =>
  config.paymentTimeoutMs + 30_000;

/** A client polls this often while another attempt runs (most finish in well under a second). */
const RETRY_HINT_SECONDS = 2;

const inProgress = (order: OrderRow, leaseEnd: Date | null, now: Date) =>
  new PlazaError(
    'CHECKOUT_IN_PROGRESS',
    `A checkout of this cart is in progress (order ${order.id}); retry shortly`,
    {
      order_id: order.id,
      retry_after_seconds: leaseEnd
        ? Math.min(RETRY_HINT_SECONDS, Math.max(1, Math.ceil((leaseEnd.getTime() - now.getTime()) / 1000)))
        : RETRY_HINT_SECONDS,
      lease_expires_at: leaseEnd?.toISOString() ?? null,
    },
  );

/** Refuses a cart that is checked out, naming its order. */
export const assertNotCheckedOut = (cart: CartRow): void => {
  if (cart.status === 'checked_out') {
    throw new PlazaError('CART_ALREADY_CHECKED_OUT', `This cart was checked out as order ${cart.order_id}`, {
      order_id: cart.order_id,
    });
  }
};

/**
 * Call with the cart's row locked, before anything of the new attempt is read or written. Throws
 * CHECKOUT_IN_PROGRESS while another attempt of the cart is alive; releases dead ones.
 */
export const settleEarlierAttempts = async (tx: Tx, deps: Deps, cartId: string): Promise<void> => {
  const now = deps.clock.now();
  const scope = checkoutScope(cartId);
  for (const order of await pendingOrdersOfCart(tx, cartId)) {
    const claim = await claimOfResource(tx, scope, order.id);
    // Not an online checkout's order (a POS sale of this cart is being paid): its own flow settles it.
    if (!claim) throw inProgress(order, null, now);
    if (claim.status === 'in_progress' && claim.locked_until > now)
      throw inProgress(order, claim.locked_until, now);
    const { order: cancelled } = await cancelOrderTx(tx, deps, order.id, {
      actor: 'checkout',
      reason: SUPERSEDED,
    });
    if (claim.status !== 'in_progress') continue;
    const payment = (await paymentsOfOrders(tx, [order.id])).at(-1);
    const answer = await answerOf(tx, cancelled, payment?.id ?? null, null, {
      url: checkoutPath(cartId),
      id: 'checkout-takeover',
    });
    // A replay of the dead key resumed it meanwhile: it is alive after all (this transaction rolls back).
    if (!(await completeDeadClaim(tx, deps.clock, claim, answer.status, answer.body)))
      throw inProgress(order, null, now);
  }
};
