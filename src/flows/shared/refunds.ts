import { changeOrderStatus, getOrder, type OrderRow } from '../../modules/orders/index.ts';
import {
  getPayment,
  getRefund,
  paymentsOfOrders,
  type RefundRow,
  refundWithProvider,
  settleRefund,
} from '../../modules/payments/index.ts';
import { moveStoreCredit } from '../../modules/store-credit/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { unwrap } from '../../platform/result.ts';

/** Sets the order's payment summary after a refund: `refunded` when nothing captured is left, else `partially_refunded`. */
const syncPaymentStatus = async (tx: Tx, deps: Deps, order: OrderRow, actor: string) => {
  const captured = (await paymentsOfOrders(tx, [order.id])).filter((p) => p.captured_amount > 0);
  const left = captured.reduce((n, p) => n + p.captured_amount - p.refunded_amount, 0);
  const status = left === 0 ? 'refunded' : 'partially_refunded';
  if (status !== order.payment_status) {
    await changeOrderStatus(tx, deps, order.id, order.status, {
      actor,
      reason: `payment_${status}`,
      paymentStatus: status,
    });
  }
};

/**
 * Makes pending provider refunds: each provider call outside any transaction, then its answer
 * recorded (`refund.issued` or `refund.failed`, with `data`) in a short transaction, where `after`
 * can update what the refund was for. A refund to a `store-credit` payment credits the customer's
 * store credit back. Returns the settled refunds.
 */
export const executeRefunds = async (
  deps: Deps,
  refunds: readonly RefundRow[],
  opts: { actor: string; data: Record<string, unknown>; after?: (tx: Tx, r: RefundRow) => Promise<void> },
): Promise<RefundRow[]> => {
  const out: RefundRow[] = [];
  for (const r of refunds) {
    if (r.status !== 'pending' || !r.payment_id) {
      out.push(r);
      continue;
    }
    const payment = await getPayment(deps.db, r.payment_id);
    const outcome = payment
      ? await refundWithProvider(deps.config.paymentTimeoutMs, payment, r.amount, deps.db)
      : { ok: false as const, reason: 'payment_missing' };
    if (!outcome.ok) deps.log.warn({ refundId: r.id, reason: outcome.reason }, 'refund failed with provider');
    out.push(
      await deps.db.tx(async (tx) => {
        const order = await getOrder(tx, r.order_id, true); // the order first (the house lock order)
        const current = await getRefund(tx, r.id, true);
        if (current?.status !== 'pending') return current ?? r; // settled by someone else meanwhile
        const settled = await settleRefund(tx, deps, r.id, outcome, { actor: opts.actor, data: opts.data });
        const customerId = opts.data.customer_id;
        if (
          settled.status === 'succeeded' &&
          payment?.provider === 'store-credit' &&
          typeof customerId === 'string'
        ) {
          unwrap(
            await moveStoreCredit(tx, deps, {
              customerId,
              currency: settled.currency,
              amount: settled.amount,
              kind: 'refund',
              reference: { type: 'refund', id: settled.id },
              actor: opts.actor,
              data: opts.data,
            }),
          );
        }
        if (settled.status === 'succeeded' && order) await syncPaymentStatus(tx, deps, order, opts.actor);
        await opts.after?.(tx, settled);
        return settled;
      }),
    );
  }
  return out;
};
