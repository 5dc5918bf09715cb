/**
 * Refunds: money given back through the payment's provider (`original`) or as store credit. A
 * provider refund is decided in a transaction (a `pending` row), made with the provider outside any
 * transaction, then settled in a second one; a refund that failed stays visible and can be retried.
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { getProvider, withTimeout } from './providers/index.ts';
import type { ActionOutcome } from './providers/types.ts';
import * as repo from './repo.ts';
import { changePayment } from './service.ts';

type Clocked = Pick<Deps, 'clock'>;

export type RefundMethod = 'original' | 'store_credit';
export type RefundStatus = 'pending' | 'succeeded' | 'failed';

export interface RefundRow {
  id: string;
  order_id: string;
  payment_id: string | null;
  return_id: string | null;
  method: RefundMethod;
  status: RefundStatus;
  amount: number;
  currency: string;
  reason: string;
  reference: string | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLS = `id, order_id, payment_id, return_id, method, status, amount, currency, reason, reference,
  failure_reason, created_at, updated_at`;

export const refundToApi = (r: RefundRow) => ({
  id: r.id,
  payment_id: r.payment_id,
  return_id: r.return_id,
  method: r.method,
  status: r.status,
  amount: r.amount,
  currency: r.currency,
  reason: r.reason,
  failure_reason: r.failure_reason,
  created_at: r.created_at.toISOString(),
});

export const getRefund = async (q: Queryable, id: string, lock = false): Promise<RefundRow | undefined> =>
  (await q.query<RefundRow>(`SELECT ${COLS} FROM refunds WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]))
    .rows[0];

export const refundsOf = async (
  q: Queryable,
  f: { orderIds?: readonly string[]; returnId?: string },
): Promise<RefundRow[]> =>
  (
    await q.query<RefundRow>(
      `SELECT ${COLS} FROM refunds WHERE ($1::text[] IS NULL OR order_id = ANY($1::text[]))
         AND ($2::text IS NULL OR return_id = $2) ORDER BY id`,
      [f.orderIds ? [...f.orderIds] : null, f.returnId ?? null],
    )
  ).rows;

/**
 * How much of each captured payment of an order can still be refunded: captured − refunded − what
 * pending refunds already promise. Payments in creation order.
 */
export const refundableByPayment = async (
  q: Queryable,
  orderId: string,
): Promise<{ payment: repo.PaymentRow; refundable: number }[]> => {
  const [payments, refunds] = await Promise.all([
    repo.paymentsOfOrders(q, [orderId]),
    refundsOf(q, { orderIds: [orderId] }),
  ]);
  return payments
    .filter((p) => p.captured_amount > 0)
    .map((p) => {
      const pending = refunds
        .filter((r) => r.payment_id === p.id && r.status === 'pending')
        .reduce((n, r) => n + r.amount, 0);
      return { payment: p, refundable: p.captured_amount - p.refunded_amount - pending };
    });
};

/**
 * Decides refunds of `amount` through the order's own payments (oldest first, each up to what it
 * can still refund), as pending rows in the caller's transaction. Refuses with UNPROCESSABLE when
 * the payments cannot cover it. Lock the order first so two refunds cannot promise the same money.
 */
export const planProviderRefunds = async (
  tx: Tx,
  deps: Clocked,
  r: { orderId: string; amount: number; returnId: string | null; reason: string },
): Promise<RefundRow[]> => {
  if (r.amount <= 0) return [];
  const sources = await refundableByPayment(tx, r.orderId);
  const total = sources.reduce((n, s) => n + Math.max(0, s.refundable), 0);
  if (total < r.amount) {
    throw new PlazaError('UNPROCESSABLE', `Only ${total} can be refunded to the original payment`, {
      reason: 'not_enough_captured',
      refundable: total,
      requested: r.amount,
    });
  }
  const out: RefundRow[] = [];
  let left = r.amount;
  for (const s of sources) {
    if (left === 0) break;
    const take = Math.min(left, Math.max(0, s.refundable));
    if (take === 0) continue;
    out.push(
      await insertRefund(tx, deps, {
        orderId: r.orderId,
        paymentId: s.payment.id,
        returnId: r.returnId,
        method: 'original',
        status: 'pending',
        amount: take,
        currency: s.payment.currency,
        reason: r.reason,
      }),
    );
    left -= take;
  }
  return out;
};

export const insertRefund = async (
  tx: Tx,
  deps: Clocked,
  r: {
    orderId: string;
    paymentId: string | null;
    returnId: string | null;
    method: RefundMethod;
    status: RefundStatus;
    amount: number;
    currency: string;
    reason: string;
  },
): Promise<RefundRow> => {
  const now = deps.clock.now();
  return (
    await tx.query<RefundRow>(
      `INSERT INTO refunds (id, order_id, payment_id, return_id, method, status, amount, currency, reason,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING ${COLS}`,
      [
        newId('ref'),
        r.orderId,
        r.paymentId,
        r.returnId,
        r.method,
        r.status,
        r.amount,
        r.currency,
        r.reason,
        now,
      ],
    )
  ).rows[0] as RefundRow;
};

/**
 * Asks the payment's provider to refund (outside any transaction). A timeout or error is a failure.
 * `db` lets a sandbox provider keep its ledger.
 */
export const refundWithProvider = async (
  timeoutMs: number,
  payment: repo.PaymentRow,
  amount: number,
  db?: Queryable,
): Promise<ActionOutcome> => {
  const provider = getProvider(payment.provider);
  try {
    return await withTimeout(
      provider.refund(
        { paymentId: payment.id, reference: payment.reference ?? '', amount, currency: payment.currency },
        { db },
      ),
      timeoutMs,
      provider.id,
    );
  } catch {
    return { ok: false, reason: 'provider_error' };
  }
};

/**
 * Records the provider's answer for a pending refund: on success the payment's refunded amount
 * grows (partially_refunded / refunded) and `refund.issued` is written; on failure the refund is
 * `failed` (`refund.failed`). `data` adds the order's customer, channel and location to the event.
 * Settling a refund that is no longer pending returns it unchanged.
 */
export const settleRefund = async (
  tx: Tx,
  deps: Clocked,
  refundId: string,
  outcome: ActionOutcome,
  opts: { actor: string; data: Record<string, unknown> },
): Promise<RefundRow> => {
  const r = await getRefund(tx, refundId, true);
  if (!r) throw new PlazaError('NOT_FOUND', `Refund ${refundId} was not found`);
  if (r.status !== 'pending') return r;
  const now = deps.clock.now();
  if (outcome.ok && r.payment_id) {
    const p = (await repo.getPayment(tx, r.payment_id, true)) as repo.PaymentRow;
    const refunded = p.refunded_amount + r.amount;
    await changePayment(tx, deps, p.id, refunded >= p.captured_amount ? 'refunded' : 'partially_refunded', {
      actor: opts.actor,
      reason: r.reason,
      patch: { refunded_amount: refunded },
      data: opts.data,
    });
  }
  const row = (
    await tx.query<RefundRow>(
      `UPDATE refunds SET status = $2, reference = $3, failure_reason = $4, updated_at = $5 WHERE id = $1
       RETURNING ${COLS}`,
      [
        r.id,
        outcome.ok ? 'succeeded' : 'failed',
        outcome.ok ? outcome.reference : null,
        outcome.ok ? null : outcome.reason,
        now,
      ],
    )
  ).rows[0] as RefundRow;
  await writeRefundEvent(tx, deps, row, opts.data);
  return row;
};

/** `refund.issued` (or `refund.failed`) with the refund and the order's customer, channel and location. */
export const writeRefundEvent = (tx: Tx, deps: Clocked, r: RefundRow, data: Record<string, unknown>) =>
  writeEvent(tx, deps.clock, {
    type: r.status === 'failed' ? 'refund.failed' : 'refund.issued',
    aggregateType: 'order',
    aggregateId: r.order_id,
    data: {
      refund_id: r.id,
      order_id: r.order_id,
      return_id: r.return_id,
      payment_id: r.payment_id,
      method: r.method,
      amount: r.amount,
      currency: r.currency,
      reason: r.reason,
      failure_reason: r.failure_reason,
      ...data,
    },
  });

/** Puts a failed refund back to pending so it can be tried again. */
export const retryRefund = async (tx: Tx, deps: Clocked, refundId: string): Promise<RefundRow | undefined> =>
  (
    await tx.query<RefundRow>(
      `UPDATE refunds SET status = 'pending', failure_reason = NULL, updated_at = $2
       WHERE id = $1 AND status = 'failed' RETURNING ${COLS}`,
      [refundId, deps.clock.now()],
    )
  ).rows[0];
