/**
 * Deadlines of ready pickups, driven by the clock: `pickup.reminder` the store's reminder lead time
 * before the deadline, and at the deadline the order expires — stock released at the store,
 * authorization voided (or, after a partial pickup, the rest's value refunded), `pickup.expired`.
 */
import { releaseDiscount } from '../../modules/discounts/index.ts';
import { changeOrderStatus, getOrder, linesOf } from '../../modules/orders/index.ts';
import {
  changePayment,
  getPayment,
  type PaymentRow,
  paymentsOfOrders,
  planProviderRefunds,
  type RefundRow,
  voidWithProvider,
} from '../../modules/payments/index.ts';
import {
  changePickup,
  dueExpiries,
  dueReminders,
  getPickup,
  pickupEventData,
  pickupLinesOf,
  qrPayload,
  updatePickup,
} from '../../modules/pickups/index.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import type { Job } from '../../platform/worker.ts';
import { executeRefunds } from '../shared/refunds.ts';
import { pickupFulfillments } from './setup.ts';
import { applyTakes, planTakes, valueTakes } from './takes.ts';

const ACTOR = 'sweeper';

/** Writes `pickup.reminder` for ready pickups whose reminder time has come (once each). */
export const sendPickupReminders = async (deps: Deps, limit = 50): Promise<number> => {
  const now = deps.clock.now();
  let sent = 0;
  for (const id of await dueReminders(deps.db, now, limit)) {
    const done = await deps.db.tx(async (tx) => {
      const p = await getPickup(tx, id, 'skip');
      if (p?.status !== 'ready' || p.reminded_at || !p.reminder_at || p.reminder_at > now) return false;
      const order = await getOrder(tx, id);
      await updatePickup(tx, id, { reminded_at: now }, now);
      await writeEvent(tx, deps.clock, {
        type: 'pickup.reminder',
        aggregateType: 'order',
        aggregateId: id,
        data: {
          ...pickupEventData(p),
          email: order?.email ?? null,
          code: p.code,
          qr_payload: qrPayload(p.order_number, p.code),
          deadline_at: p.deadline_at?.toISOString() ?? null,
        },
      });
      return true;
    });
    if (done) sent++;
  }
  return sent;
};

/**
 * Expires one ready pickup past its deadline, in one transaction, then voids authorizations and
 * makes refunds with the providers after commit. Returns false when it was not due (any more).
 */
export const expirePickup = async (deps: Deps, orderId: string): Promise<boolean> => {
  const now = deps.clock.now();
  const out = await deps.db.tx(async (tx) => {
    const order = await getOrder(tx, orderId, true);
    const p = await getPickup(tx, orderId, 'wait');
    if (!order || !p || p.status !== 'ready' || !p.deadline_at || p.deadline_at > now) return undefined;
    const [plines, lines, payments] = await Promise.all([
      pickupLinesOf(tx, [orderId]),
      linesOf(tx, [orderId]),
      paymentsOfOrders(tx, [orderId]),
    ]);
    const plan = planTakes(plines, [], true);
    const values = valueTakes(plan.takes, plines, lines);
    await applyTakes(tx, deps, {
      takes: plan.takes,
      all: plines,
      fulfillments: await pickupFulfillments(tx, order),
      locationId: p.location_id,
      closeAs: 'expired',
      actor: ACTOR,
    });
    const data = { customer_id: order.customer_id, channel_id: order.channel_id, location_id: p.location_id };
    const collectedBefore = plines.some((l) => l.collected > 0);
    const toVoid: PaymentRow[] = [];
    let refunds: RefundRow[] = [];
    const releasedValue = values.released.reduce((s, l) => s + l.amount, 0);
    if (!collectedBefore) {
      for (const pay of payments.filter((x) => x.status === 'authorized')) {
        toVoid.push(
          await changePayment(tx, deps, pay.id, 'voided', { actor: ACTOR, reason: 'pickup_expired', data }),
        );
      }
      await releaseDiscount(tx, orderId, deps);
      await changeOrderStatus(tx, deps, orderId, 'expired', {
        actor: ACTOR,
        reason: 'pickup_expired',
        paymentStatus: toVoid.length ? 'voided' : order.payment_status,
        data: { location_id: p.location_id },
      });
    } else {
      if (releasedValue > 0) {
        refunds = await planProviderRefunds(tx, deps, {
          orderId,
          amount: releasedValue,
          returnId: null,
          reason: 'pickup_remainder_expired',
        });
      }
      await changeOrderStatus(tx, deps, orderId, 'picked_up', {
        actor: ACTOR,
        reason: 'remainder_expired',
        data: { location_id: p.location_id },
      });
    }
    await changePickup(tx, deps, p, collectedBefore ? 'partially_collected' : 'expired', {
      actor: ACTOR,
      reason: 'deadline_passed',
      event: 'expired',
      data: {
        deadline_at: p.deadline_at.toISOString(),
        released_lines: values.released,
        voided: toVoid.map((x) => x.id),
        refund_amount: collectedBefore ? releasedValue : 0,
      },
    });
    return { toVoid, refunds, data: { ...data, order_id: orderId } };
  });
  if (!out) return false;
  for (const pay of out.toVoid) {
    const fresh = (await getPayment(deps.db, pay.id)) ?? pay;
    if (!(await voidWithProvider(deps.config.paymentTimeoutMs, fresh))) {
      deps.log.error(
        { paymentId: pay.id },
        'could not void an expired pickup authorization with its provider',
      );
    }
  }
  await executeRefunds(deps, out.refunds, { actor: ACTOR, data: out.data });
  return true;
};

/** Expires every due pickup (each in its own transaction). Returns how many expired. */
export const expirePickups = async (deps: Deps, limit = 50): Promise<number> => {
  let n = 0;
  for (const id of await dueExpiries(deps.db, deps.clock.now(), limit)) {
    if (await expirePickup(deps, id)) n++;
  }
  return n;
};

/** The background job: reminders, then expiries (every minute when idle). */
export const pickupDeadlineSweeper = (deps: Deps): Job => ({
  name: 'pickup-deadlines',
  intervalMs: 60_000,
  runOnce: async () => (await sendPickupReminders(deps)) + (await expirePickups(deps)),
});
