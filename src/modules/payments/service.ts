import type { WriteBatch } from '../../platform/batch.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { stageEvents, writeEvent } from '../../platform/outbox/events.ts';
import { recordTransition, stageTransitions } from '../../platform/state-machine.ts';
import { faultPoint } from './fault.ts';
import { type PaymentStatus, paymentMachine } from './machine.ts';
import { type AuthorizeOutcome, getProvider, ProviderTimeoutError, withTimeout } from './providers/index.ts';
import type { ActionOutcome } from './providers/types.ts';
import * as repo from './repo.ts';

type Clocked = Pick<Deps, 'clock'>;

interface NewPayment {
  orderId: string;
  provider: string;
  amount: number;
  currency: string;
  actor: string;
}

/** A pending payment of an order (its provider must exist). */
const newPaymentRow = (p: NewPayment, now: Date): repo.PaymentRow => {
  getProvider(p.provider);
  return {
    id: newId('pay'),
    order_id: p.orderId,
    provider: p.provider,
    status: 'pending',
    amount: p.amount,
    currency: p.currency,
    captured_amount: 0,
    refunded_amount: 0,
    reference: null,
    display: null,
    failure_reason: null,
    provider_action: null,
    provider_action_at: null,
    created_at: now,
    updated_at: now,
  };
};

/** Creates a pending payment for an order (in the order's transaction). */
export const createPayment = async (tx: Tx, deps: Clocked, p: NewPayment): Promise<repo.PaymentRow> => {
  const now = deps.clock.now();
  const row = await repo.insertPayment(tx, newPaymentRow(p, now));
  await recordTransition(tx, deps.clock, paymentMachine, {
    entityType: 'payment',
    entityId: row.id,
    from: null,
    to: 'pending',
    actor: p.actor,
    data: { order_id: p.orderId, provider: p.provider, amount: p.amount },
  });
  return row;
};

/** Like createPayment, but the rows are written when the batch is flushed. */
export const stagePayment = (batch: WriteBatch, deps: Clocked, p: NewPayment): repo.PaymentRow => {
  const now = deps.clock.now();
  const row = newPaymentRow(p, now);
  repo.stagePaymentRow(batch, row);
  stageTransitions(batch, deps.clock, paymentMachine, [
    {
      entityType: 'payment',
      entityId: row.id,
      from: null,
      to: 'pending',
      actor: p.actor,
      data: { order_id: p.orderId, provider: p.provider, amount: p.amount },
    },
  ]);
  return row;
};

/** Moves a payment to a new status (checked against the machine), recorded and announced. */
export const changePayment = async (
  tx: Tx,
  deps: Clocked,
  id: string,
  to: PaymentStatus,
  opts: {
    actor: string;
    reason?: string;
    patch?: Parameters<typeof repo.updatePayment>[2];
    /** Extra event data (e.g. customer, channel and location of the order). */
    data?: Record<string, unknown>;
  },
): Promise<repo.PaymentRow> => {
  const current = await repo.getPayment(tx, id, true);
  if (!current) throw notFound('Payment', id);
  await recordTransition(tx, deps.clock, paymentMachine, {
    entityType: 'payment',
    entityId: id,
    from: current.status,
    to,
    actor: opts.actor,
    reason: opts.reason ?? null,
    data: { order_id: current.order_id },
  });
  const row = await repo.updatePayment(tx, id, { ...(opts.patch ?? {}), status: to }, deps.clock.now());
  await writeEvent(tx, deps.clock, {
    type: `payment.${to}`,
    aggregateType: 'order',
    aggregateId: row.order_id,
    data: {
      payment_id: id,
      order_id: row.order_id,
      provider: row.provider,
      amount: row.amount,
      captured_amount: row.captured_amount,
      refunded_amount: row.refunded_amount,
      reason: opts.reason,
      ...(opts.data ?? {}),
    },
  });
  return row;
};

/**
 * changePayment for a write batch: the update applies only if the payment is still in `p.status`
 * (returns the CTE name, whose row count the flow can require), with its history row and event.
 */
export const stagePaymentChange = (
  batch: WriteBatch,
  deps: Clocked,
  p: repo.PaymentRow,
  to: PaymentStatus,
  opts: { actor: string; reason?: string; reference?: string; display?: string | null },
): string => {
  paymentMachine.assert(p.status, to, `payment ${p.id}`);
  const at = deps.clock.now();
  const cte = batch.add(
    `UPDATE payments SET status = $2, reference = coalesce($3, reference), display = coalesce($4, display),
       updated_at = $5 WHERE id = $1 AND status = $6 RETURNING id`,
    [p.id, to, opts.reference ?? null, opts.display ?? null, at, p.status],
  );
  stageTransitions(batch, deps.clock, paymentMachine, [
    {
      entityType: 'payment',
      entityId: p.id,
      from: p.status,
      to,
      actor: opts.actor,
      reason: opts.reason ?? null,
      data: { order_id: p.order_id },
    },
  ]);
  stageEvents(batch, deps.clock, [
    {
      type: `payment.${to}`,
      aggregateType: 'order',
      aggregateId: p.order_id,
      data: {
        payment_id: p.id,
        order_id: p.order_id,
        provider: p.provider,
        amount: p.amount,
        reason: opts.reason,
      },
    },
  ]);
  return cte;
};

export type AuthorizeResult = AuthorizeOutcome | { status: 'failed'; reason: string };

/** Asks the provider to authorize (outside any transaction). A timeout or provider error is `failed`. */
export const authorizeWithProvider = async (
  timeoutMs: number,
  payment: repo.PaymentRow,
  details: Record<string, unknown>,
): Promise<AuthorizeResult> => {
  const provider = getProvider(payment.provider);
  try {
    return await withTimeout(
      provider.authorize({
        paymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency,
        details,
      }),
      timeoutMs,
      provider.id,
    );
  } catch (e) {
    return {
      status: 'failed',
      reason: e instanceof ProviderTimeoutError ? 'provider_timeout' : 'provider_error',
    };
  }
};

/**
 * Captures an authorized payment with its provider, then records it. Returns the updated payment.
 * `opts.amount` captures less than authorized (a partial pickup): the provider releases the rest of
 * the authorization, and `captured_amount` says what was taken. The capture is marked on the payment
 * (committed) before the provider is called, so that a process killed after the provider captured
 * leaves a mark the reconciler follows. A refused or unanswered capture is PAYMENT_FAILED with the
 * payment's status; an unanswered one stays marked (the reconciler asks the provider what happened).
 */
export const capturePayment = async (
  deps: Pick<Deps, 'db' | 'clock'>,
  timeoutMs: number,
  paymentId: string,
  actor: string,
  opts: { amount?: number; data?: Record<string, unknown> } = {},
): Promise<repo.PaymentRow> => {
  const p = await repo.getPayment(deps.db, paymentId);
  if (!p) throw notFound('Payment', paymentId);
  if (p.status === 'captured') return p;
  if (!paymentMachine.can(p.status, 'captured')) {
    throw new PlazaError('PAYMENT_FAILED', `Payment ${p.id} is ${p.status}; it cannot be captured`, {
      reason: 'not_capturable',
      payment_id: p.id,
      payment_status: p.status,
    });
  }
  const amount = Math.max(0, Math.min(p.amount, opts.amount ?? p.amount));
  const provider = getProvider(p.provider);
  await repo.setProviderAction(deps.db, p.id, 'capture', deps.clock.now(), p.status);
  let out: ActionOutcome;
  try {
    out = await withTimeout(
      provider.capture(
        { paymentId: p.id, reference: p.reference ?? '', amount, currency: p.currency },
        { db: deps.db },
      ),
      timeoutMs,
      provider.id,
    );
  } catch (e) {
    throw new PlazaError('PAYMENT_FAILED', `${provider.id} did not confirm the capture of payment ${p.id}`, {
      reason: e instanceof ProviderTimeoutError ? 'provider_timeout' : 'provider_error',
      payment_id: p.id,
      payment_status: p.status,
    });
  }
  faultPoint('after_capture');
  if (!out.ok) {
    await repo.setProviderAction(deps.db, p.id, null, deps.clock.now());
    throw new PlazaError(
      'PAYMENT_FAILED',
      `${provider.id} refused to capture payment ${p.id}: ${out.reason}`,
      {
        reason: out.reason,
        payment_id: p.id,
        payment_status: p.status,
      },
    );
  }
  return deps.db.tx(async (tx) => {
    const current = await repo.getPayment(tx, paymentId, true);
    // the reconciler may have recorded it meanwhile
    const row =
      current?.status === 'captured'
        ? current
        : await changePayment(tx, deps, paymentId, 'captured', {
            actor,
            patch: { captured_amount: amount },
            data: opts.data,
          });
    await repo.setProviderAction(tx, paymentId, null, deps.clock.now());
    return { ...row, provider_action: null, provider_action_at: null };
  });
};

/**
 * Voids an authorization with its provider (best effort: a void that fails is logged by the caller).
 * `db` lets a sandbox provider check its own ledger (a captured payment cannot be voided).
 */
export const voidWithProvider = async (
  timeoutMs: number,
  p: repo.PaymentRow,
  db?: Queryable,
): Promise<boolean> => {
  if (!p.reference) return true;
  try {
    const out = await withTimeout(
      getProvider(p.provider).void({ paymentId: p.id, reference: p.reference }, { db }),
      timeoutMs,
      p.provider,
    );
    return out.ok;
  } catch {
    return false;
  }
};
