/**
 * Handover at the counter: the customer shows the code (or its QR), staff hand over the order or
 * some of its lines. Payment policy (see docs/stores.md):
 * - everything collected: the authorization is captured in full (`pay-in-store`: paid now);
 * - some lines, rest kept ready: the full authorization is captured now; if the rest is later
 *   cancelled or expires, its value is refunded through the same provider;
 * - some lines, rest cancelled: only the collected lines' value is captured, the rest of the
 *   authorization is released (or refunded, when it had been captured by an earlier partial pickup).
 */
import { changeOrderStatus, linesOf, type OrderRow } from '../../modules/orders/index.ts';
import {
  capturePayment,
  type PaymentRow,
  paymentsOfOrders,
  planProviderRefunds,
  type RefundRow,
} from '../../modules/payments/index.ts';
import {
  changePickup,
  claimHandover,
  type PickupRow,
  pickupLinesOf,
  releaseHandover,
  verifyPickupCode,
} from '../../modules/pickups/index.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { AdminPrincipal } from '../../platform/http/auth.ts';
import type { Deps } from '../../platform/module.ts';
import { allocate } from '../../platform/money.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { executeRefunds } from '../shared/refunds.ts';
import { lockPickupFor } from './ready.ts';
import type { HandoverBody } from './schema.ts';
import { pickupFulfillments } from './setup.ts';
import { applyTakes, planTakes, type Settled, valueTakes } from './takes.ts';

/** How long a handover may hold its lease (capture plus the stock transaction). */
const HANDOVER_LEASE_MS = 2 * 60_000;

export interface HandoverResult {
  pickup: PickupRow;
  collected: Settled[];
  released: Settled[];
  captured_amount: number;
  refunds: RefundRow[];
}

const eventData = (o: OrderRow, p: PickupRow) => ({
  customer_id: o.customer_id,
  channel_id: o.channel_id,
  location_id: p.location_id,
});

/** Captures `target` over the authorized payments (proportionally to their amounts), outside any transaction. */
const capture = async (
  deps: Deps,
  authorized: PaymentRow[],
  target: number,
  actor: string,
  data: Record<string, unknown>,
) => {
  const parts = allocate(
    target,
    authorized.map((p) => p.amount),
  );
  let captured = 0;
  for (const [i, p] of authorized.entries()) {
    const amount = parts[i] ?? 0;
    try {
      const done = await capturePayment(deps, deps.config.paymentTimeoutMs, p.id, actor, { amount, data });
      captured += done.captured_amount;
    } catch (e) {
      deps.log.error({ err: e, paymentId: p.id }, 'capture at handover failed');
      throw new PlazaError('PAYMENT_FAILED', 'The payment could not be captured; nothing was handed over', {
        reason: 'capture_failed',
        payment_id: p.id,
      });
    }
  }
  return captured;
};

/**
 * Hands over a ready pickup order (all of it, or `lines`) when `code` matches. A wrong code is a
 * PICKUP_CODE_INVALID value (counted, rate-limited per order); the capture happens before the
 * transaction that commits the stock, like shipping.
 */
export const handOver = async (
  deps: Deps,
  admin: AdminPrincipal,
  orderId: string,
  body: HandoverBody,
): Promise<Result<HandoverResult, 'PICKUP_CODE_INVALID' | 'RATE_LIMITED'>> => {
  const actor = `token:${admin.tokenId}`;
  const { order, pickup } = await deps.db.tx((tx) => lockPickupFor(tx, deps, admin, orderId));
  if (pickup.status !== 'ready') {
    throw new PlazaError(
      'INVALID_STATE_TRANSITION',
      `Order ${order.number} is not ready for pickup (${pickup.status})`,
      {
        pickup_status: pickup.status,
      },
    );
  }
  const verified = await verifyPickupCode(deps, pickup, body.code, actor);
  if (!verified.ok) return fail(verified.code, verified.detail, verified.details);

  const now = deps.clock.now();
  if (!(await claimHandover(deps.db, orderId, new Date(now.getTime() + HANDOVER_LEASE_MS), now))) {
    throw new PlazaError('CONFLICT', `Order ${order.number} is being handed over at another counter`, {
      retryable: true,
    });
  }
  try {
    return await handOverClaimed(deps, admin, order, pickup, body);
  } finally {
    await releaseHandover(deps.db, orderId);
  }
};

/** The handover once the code is right and this counter holds the handover lease. */
const handOverClaimed = async (
  deps: Deps,
  admin: AdminPrincipal,
  order: OrderRow,
  pickup: PickupRow,
  body: HandoverBody,
): Promise<Result<HandoverResult, never>> => {
  const actor = `token:${admin.tokenId}`;
  const orderId = order.id;
  const cancelRest = Boolean(body.lines) && body.remainder === 'cancel';
  const [plines, lines, payments] = await Promise.all([
    pickupLinesOf(deps.db, [orderId]),
    linesOf(deps.db, [orderId]),
    paymentsOfOrders(deps.db, [orderId]),
  ]);
  const plan = planTakes(plines, body.lines, cancelRest);
  const values = valueTakes(plan.takes, plines, lines);
  const collectedValue = values.collected.reduce((s, l) => s + l.amount, 0);
  const data = eventData(order, pickup);

  const authorized = payments.filter((p) => p.status === 'authorized');
  const wholeAuthorization = authorized.reduce((s, p) => s + p.amount, 0);
  const captured = authorized.length
    ? await capture(deps, authorized, cancelRest ? collectedValue : wholeAuthorization, actor, data)
    : 0;

  const { result, refunds } = await deps.db.tx(async (tx) => {
    const { order: o, pickup: p } = await lockPickupFor(tx, deps, admin, orderId);
    if (p.status !== 'ready') throw new PlazaError('CONFLICT', `Order ${o.number} was handed over meanwhile`);
    const fresh = await pickupLinesOf(tx, [orderId]);
    if (JSON.stringify(fresh) !== JSON.stringify(plines)) {
      throw new PlazaError('CONFLICT', `Order ${o.number} changed meanwhile; retry`, { retryable: true });
    }
    const again = plan;
    await applyTakes(tx, deps, {
      takes: again.takes,
      all: fresh,
      fulfillments: await pickupFulfillments(tx, o),
      locationId: p.location_id,
      closeAs: 'cancelled',
      actor,
    });
    // The rest of an authorization captured by an earlier partial pickup is refunded.
    const releasedValue = values.released.reduce((s, l) => s + l.amount, 0);
    const pending =
      cancelRest && authorized.length === 0 && releasedValue > 0
        ? await planProviderRefunds(tx, deps, {
            orderId,
            amount: releasedValue,
            returnId: null,
            reason: 'pickup_remainder_cancelled',
          })
        : [];
    const anyReleased = fresh.some((l) => l.released > 0) || values.released.length > 0;
    const to = again.full ? 'picked_up' : 'partially_fulfilled';
    await changeOrderStatus(tx, deps, orderId, to, {
      actor,
      paymentStatus: 'captured',
      data: { location_id: p.location_id },
    });
    const next = await changePickup(
      tx,
      deps,
      p,
      again.full ? (anyReleased ? 'partially_collected' : 'collected') : 'ready',
      {
        actor,
        event: 'collected',
        reason: again.full ? undefined : 'partial_handover',
        data: {
          lines: values.collected,
          released_lines: values.released,
          complete: again.full,
          remainder: again.full ? (anyReleased ? 'cancelled' : null) : 'kept',
          captured_amount: captured,
          partial: !again.full || anyReleased,
        },
      },
    );
    return { result: next, refunds: pending };
  });
  const settled = await executeRefunds(deps, refunds, { actor, data: { ...data, order_id: orderId } });
  return ok({
    pickup: result,
    collected: values.collected,
    released: values.released,
    captured_amount: captured,
    refunds: settled,
  });
};
