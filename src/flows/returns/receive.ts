/**
 * Receiving a return: each line inspected at the receiving location — resellable units restocked
 * there (`return` movement), damaged ones booked in and written off (`write_off` movement) — then
 * the money settled: exchange, store credit at once, or provider refunds made after commit.
 */
import { adjust, receive } from '../../modules/inventory/index.ts';
import { addLineQuantities, getOrder } from '../../modules/orders/index.ts';
import {
  insertRefund,
  paymentsOfOrders,
  planProviderRefunds,
  type RefundRow,
  writeRefundEvent,
} from '../../modules/payments/index.ts';
import {
  type Condition,
  changeReturn,
  getReturn,
  type ReturnRow,
  returnLinesOf,
  returnOfExchangeOrder,
  setLineCondition,
  updateReturn,
} from '../../modules/returns/index.ts';
import { moveStoreCredit } from '../../modules/store-credit/index.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';
import { exchangeTx } from './exchange.ts';

/** Event data of refunds made for a return: the returned order, its customer and channel, the location. */
export const refundData = (r: ReturnRow) => ({
  order_id: r.order_id,
  return_id: r.id,
  customer_id: r.customer_id,
  channel_id: r.channel_id,
  location_id: r.location_id,
});

/**
 * The order whose payments refund a return: the order itself, or — when it was an exchange paid
 * with an earlier return — the order that return came from (and so on).
 */
const refundSource = async (tx: Tx, orderId: string): Promise<string> => {
  let id = orderId;
  for (let i = 0; i < 10; i++) {
    const payments = (await paymentsOfOrders(tx, [id])).filter((p) => p.captured_amount > 0);
    if (payments.length === 0 || payments.some((p) => p.provider !== 'exchange')) return id;
    const source = await returnOfExchangeOrder(tx, id);
    if (!source) return id;
    id = source.order_id;
  }
  return id;
};

/**
 * Settles the money of a received return: nothing left to give (a full exchange) completes it;
 * store credit is credited and completes it; `original` plans provider refunds (pending) that the
 * caller makes after commit.
 */
const settleMoney = async (
  tx: Tx,
  deps: Deps,
  r: ReturnRow,
  actor: string,
): Promise<{ ret: ReturnRow; refunds: RefundRow[] }> => {
  if (r.refund_total === 0) {
    return { ret: await changeReturn(tx, deps, r, 'completed', { actor, event: 'completed' }), refunds: [] };
  }
  if (r.refund_method === 'store_credit' && r.customer_id) {
    unwrap(
      await moveStoreCredit(tx, deps, {
        customerId: r.customer_id,
        currency: r.currency,
        amount: r.refund_total,
        kind: 'refund',
        reference: { type: 'return', id: r.id },
        actor,
        data: refundData(r),
      }),
    );
    const refund = await insertRefund(tx, deps, {
      orderId: r.order_id,
      paymentId: null,
      returnId: r.id,
      method: 'store_credit',
      status: 'succeeded',
      amount: r.refund_total,
      currency: r.currency,
      reason: 'return',
    });
    await writeRefundEvent(tx, deps, refund, refundData(r));
    const done = await changeReturn(tx, deps, r, 'completed', {
      actor,
      event: 'completed',
      patch: { refunded_amount: r.refund_total },
    });
    return { ret: done, refunds: [refund] };
  }
  const refunds = await planProviderRefunds(tx, deps, {
    orderId: await refundSource(tx, r.order_id),
    amount: r.refund_total,
    returnId: r.id,
    reason: 'return',
  });
  return { ret: r, refunds };
};

/**
 * Receives a requested return in the caller's transaction (its order locked): every line needs a
 * condition. Writes `return.received` (order, customer, channel, location and the lines with their
 * value: what loyalty reverses), makes the exchange if any, then settles the money.
 */
export const receiveReturnTx = async (
  tx: Tx,
  deps: Deps,
  ret: ReturnRow,
  conditions: ReadonlyMap<string, Condition>,
  actor: string,
  exchange?: readonly { code: string; quantity: number }[],
): Promise<{ ret: ReturnRow; refunds: RefundRow[] }> => {
  if (ret.status !== 'requested') {
    throw new PlazaError(
      'INVALID_STATE_TRANSITION',
      `Return ${ret.id} is ${ret.status}; it was received already`,
      {
        status: ret.status,
      },
    );
  }
  const lines = await returnLinesOf(tx, [ret.id]);
  const missing = lines.filter((l) => !conditions.has(l.id));
  if (missing.length) {
    throw validation(
      'Inspect every line of the return',
      missing.map((l) => ({ path: 'body.lines', message: `${l.id} (${l.sku}) has no condition` })),
    );
  }
  const reference = { type: 'return', id: ret.id };
  for (const l of [...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))) {
    const condition = conditions.get(l.id) as Condition;
    await setLineCondition(tx, l.id, condition);
    const key = { sku: l.sku, location_id: ret.location_id };
    await receive(tx, deps, {
      ...key,
      delta: l.quantity,
      kind: 'return',
      reason: `return ${ret.id}`,
      actor,
      reference,
    });
    if (condition === 'damaged') {
      unwrap(
        await adjust(tx, deps, {
          ...key,
          delta: -l.quantity,
          kind: 'write_off',
          reason: 'damaged return',
          actor,
          reference,
        }),
      );
    }
  }
  let r = await changeReturn(tx, deps, ret, 'received', {
    actor,
    event: 'received',
    patch: { received_at: deps.clock.now() },
    data: { refund_method: ret.refund_method, total: ret.total },
  });
  if (exchange?.length) r = await exchangeTx(tx, deps, r, exchange, actor);
  return settleMoney(tx, deps, r, actor);
};

/** Records a settled provider refund on its return, completing the return once all is refunded. */
export const applyRefundToReturn = async (
  tx: Tx,
  deps: Deps,
  refund: RefundRow,
  actor: string,
): Promise<void> => {
  if (!refund.return_id || refund.status !== 'succeeded') return;
  const r = await getReturn(tx, refund.return_id, true);
  if (!r) return;
  const refunded = r.refunded_amount + refund.amount;
  if (refunded >= r.refund_total && r.status === 'received') {
    await changeReturn(tx, deps, r, 'completed', {
      actor,
      event: 'completed',
      patch: { refunded_amount: refunded },
    });
  } else {
    await updateReturn(tx, r.id, { refunded_amount: refunded }, deps.clock.now());
  }
};

/** Cancels a return not received yet: its units count as returnable again. */
export const cancelReturnTx = async (tx: Tx, deps: Deps, returnId: string, actor: string) => {
  const first = await getReturn(tx, returnId);
  if (!first) throw new PlazaError('NOT_FOUND', `Return ${returnId} was not found`);
  await getOrder(tx, first.order_id, true);
  const r = (await getReturn(tx, returnId, true)) as ReturnRow;
  const cancelled = await changeReturn(tx, deps, r, 'cancelled', { actor, event: 'cancelled' });
  for (const l of await returnLinesOf(tx, [r.id])) {
    if (!(await addLineQuantities(tx, l.order_line_id, { returned: -l.quantity }))) {
      throw new PlazaError(
        'INTERNAL',
        `order line ${l.order_line_id} has fewer returned units than return ${r.id}`,
      );
    }
  }
  return cancelled;
};
