import type { FastifyRequest } from 'fastify';
import { getCart, stageCheckedOut } from '../../modules/carts/index.ts';
import { stageHoldsUntilFulfilled } from '../../modules/inventory/index.ts';
import {
  getOrder,
  type OrderRow,
  orderViews,
  stageOrderStatus,
  toOrderView,
} from '../../modules/orders/index.ts';
import {
  type AuthorizeResult,
  getPayment,
  type PaymentRow,
  stagePaymentChange,
  voidWithProvider,
} from '../../modules/payments/index.ts';
import { BatchConditionFailed, WriteBatch } from '../../platform/batch.ts';
import type { Queryable } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { problemOf } from '../../platform/http/problem.ts';
import { completeKey, stageCompleteKey } from '../../platform/idempotency.ts';
import type { Deps } from '../../platform/module.ts';
import type { Prepared } from './prepare.ts';
import { CART_TAKEN, SUPERSEDED, settleCheckout } from './settle.ts';

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Phase two, fast path, for an authorized payment: ONE statement confirms the order and the
 * payment, keeps the stock holds until fulfilment, checks the cart out and stores the answer for
 * replays. It commits only if the order is still pending, the payment still pending, every hold
 * still active and the cart still active; otherwise it writes nothing and returns undefined, and the
 * careful path (`answerSlowly`) settles the order.
 */
export const answerFast = async (
  deps: Deps,
  p: Prepared,
  outcome: AuthorizeResult & { status: 'authorized' },
  idem: { scope: string; key: string },
): Promise<Answer | undefined> => {
  const now = deps.clock.now();
  const batch = new WriteBatch();
  const pay = stagePaymentChange(batch, deps, p.payment, 'authorized', {
    actor: 'checkout',
    reference: outcome.reference,
    display: outcome.display,
  });
  const holdIds = p.fulfillments.flatMap((f) => (f.reservation_id ? [f.reservation_id] : []));
  const holds = stageHoldsUntilFulfilled(batch, holdIds, now);
  const cart = p.order.cart_id ? stageCheckedOut(batch, p.order.cart_id, p.order.id, now) : undefined;
  const order = stageOrderStatus(batch, deps, p.order, 'confirmed', {
    actor: 'checkout',
    paymentStatus: 'authorized',
  });
  const view = toOrderView(
    { ...p.order, status: 'confirmed', payment_status: 'authorized', updated_at: now },
    p.lines,
    p.fulfillments,
    p.fulfillmentLines,
    [
      {
        ...p.payment,
        status: 'authorized',
        reference: outcome.reference,
        display: outcome.display,
        updated_at: now,
      },
    ],
  );
  const body = { order: view, order_token: p.orderToken };
  const done = stageCompleteKey(batch, deps.clock, idem.scope, idem.key, 201, body);
  try {
    await batch.flush(deps.db, {
      requireAll: {
        [pay]: 1,
        [order]: 1,
        [holds]: holdIds.length,
        [done]: 1,
        ...(cart ? { [cart]: 1 } : {}),
      },
    });
    return { status: 201, body };
  } catch (e) {
    if (e instanceof BatchConditionFailed) return undefined;
    throw e;
  }
};

/**
 * The answer of a checkout whose order is settled, as a replay of its key gets it: 201 with the order
 * once confirmed; for a cancelled order, a problem saying why (declined, failed, stock gone, the cart
 * checked out by another attempt, or the attempt replaced by a newer checkout of the cart).
 */
export const answerOf = async (
  q: Queryable,
  order: OrderRow,
  paymentId: string | null,
  orderToken: string | null,
  req: Pick<FastifyRequest, 'url' | 'id'>,
): Promise<Answer> => {
  if (order.status !== 'cancelled') {
    const [view] = await orderViews(q, [order]);
    return { status: 201, body: { order: view, order_token: orderToken } };
  }
  const p = paymentId ? await getPayment(q, paymentId) : undefined;
  const reason = p?.failure_reason ?? order.cancel_reason;
  let err: PlazaError;
  if (p?.status === 'declined') {
    err = new PlazaError(
      'PAYMENT_DECLINED',
      'The payment was declined; the cart is unchanged, pay again with a new Idempotency-Key',
      { reason, order_id: order.id },
    );
  } else if (order.cancel_reason === CART_TAKEN) {
    const cart = order.cart_id ? await getCart(q, order.cart_id) : undefined;
    err = new PlazaError(
      'CART_ALREADY_CHECKED_OUT',
      `The cart was checked out as order ${cart?.order_id} by another attempt; this one was cancelled and nothing was charged`,
      { order_id: cart?.order_id ?? null, cancelled_order_id: order.id },
    );
  } else if (order.cancel_reason === SUPERSEDED) {
    err = new PlazaError(
      'CONFLICT',
      'This checkout attempt stopped before it finished, and a newer checkout of the cart replaced it; nothing was charged',
      { reason, order_id: order.id },
    );
  } else {
    err = new PlazaError(
      p?.failure_reason === 'stock_hold_expired' || order.cancel_reason === 'stock_hold_expired'
        ? 'INSUFFICIENT_STOCK'
        : 'PAYMENT_FAILED',
      `The payment did not complete (${order.cancel_reason}); nothing was charged and the cart is unchanged`,
      { reason, order_id: order.id },
    );
  }
  return { status: err.status, body: problemOf(err, req) };
};

/**
 * Phase two, careful path, in a transaction: settles whatever the outcome (confirms, or cancels and
 * gives stock and discount back), builds the answer from the database and stores it for replays.
 * Voids the authorization with the provider after commit when the stock was gone.
 */
export const answerSlowly = async (
  req: Pick<FastifyRequest, 'url' | 'id' | 'log'>,
  deps: Deps,
  orderId: string,
  payment: PaymentRow,
  outcome: AuthorizeResult | undefined,
  orderToken: string | null,
  idem: { scope: string; key: string },
): Promise<Answer> => {
  const result = await deps.db.tx(async (tx) => {
    const order = (await getOrder(tx, orderId, true)) as NonNullable<Awaited<ReturnType<typeof getOrder>>>;
    const settled = outcome
      ? await settleCheckout(tx, deps, orderId, payment, outcome)
      : { order, voidAuthorization: false };
    const { status, body } = await answerOf(tx, settled.order, payment.id, orderToken, req);
    await completeKey(tx, deps.clock, idem.scope, idem.key, status, body);
    return { status, body, voidAuthorization: settled.voidAuthorization };
  });
  if (result.voidAuthorization) {
    const p = await getPayment(deps.db, payment.id);
    if (p && !(await voidWithProvider(deps.config.paymentTimeoutMs, p, deps.db))) {
      req.log.error(
        { paymentId: p.id },
        'could not void an authorization; void it with the provider by hand',
      );
    }
  }
  return { status: result.status, body: result.body };
};
