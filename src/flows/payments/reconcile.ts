/**
 * The payment reconciler: no money kept for a failed sale. A payment marked as waiting for a provider
 * call (see migrations/0010_payment_reconcile.sql) whose request is gone — the process was killed, the
 * provider's answer was lost, the commit failed — is settled here from what the provider really did,
 * asked by Plaza's payment id: a capture of a live order is recorded; money of an order that is over
 * (cancelled, expired, or a sale whose payment request died) is voided or refunded, then recorded.
 */
import { getOrder } from '../../modules/orders/index.ts';
import {
  compensateWithProvider,
  getPayment,
  lookupWithProvider,
  type PaymentRow,
  setProviderAction,
  staleProviderActions,
} from '../../modules/payments/index.ts';
import { changeSale, saleOfOrder } from '../../modules/pos/index.ts';
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import { cancelOrderTx } from '../orders/cancel.ts';
import { recordFromProvider } from './record.ts';

const OVER = ['cancelled', 'expired'];

/**
 * How long a provider call may be in flight before the reconciler takes it over: three provider
 * timeouts (a POS charge is an authorization and a capture), at least 3 s. 30 s by default.
 */
export const reconcileGraceMs = (deps: Pick<Deps, 'config'>): number =>
  Math.max(3 * deps.config.paymentTimeoutMs, 3_000);

/**
 * Closes an order that still waits for its payment after the request paying it died: cancelled like
 * any unpaid order (stock, discount and points given back), its counter sale open again. Afterwards
 * nothing can complete it, so its money can be given back.
 */
const closeInterrupted = async (deps: Deps, orderId: string, actor: string) =>
  deps.db.tx(async (tx) => {
    const order = await getOrder(tx, orderId, true);
    if (order?.status !== 'pending_payment') return;
    await cancelOrderTx(tx, deps, orderId, { actor, reason: 'payment_interrupted' });
    const sale = await saleOfOrder(tx, orderId);
    if (sale?.status === 'paying' && sale.order_id === orderId) {
      await changeSale(tx, deps, sale, 'open', { actor, reason: 'payment_interrupted' });
    }
  });

/**
 * Settles one payment from the provider's state (see the file's comment). When the provider cannot
 * answer or give the money back now, the payment stays marked (`compensate`) and is tried again after
 * the grace time. Returns the payment as recorded, or undefined when it is still open.
 */
export const reconcilePayment = async (
  deps: Deps,
  paymentId: string,
  actor = 'reconciler',
): Promise<PaymentRow | undefined> => {
  const first = await getPayment(deps.db, paymentId);
  if (!first) return undefined;
  if ((await getOrder(deps.db, first.order_id))?.status === 'pending_payment') {
    await closeInterrupted(deps, first.order_id, actor);
  }
  const p = (await getPayment(deps.db, paymentId)) as PaymentRow;
  const order = await getOrder(deps.db, p.order_id);
  const over = OVER.includes(order?.status ?? 'cancelled');
  const seen = await lookupWithProvider(deps, p);
  const state = seen && over ? await compensateWithProvider(deps, p, seen) : seen;
  if (!state) {
    await setProviderAction(deps.db, p.id, p.provider_action ?? 'compensate', deps.clock.now());
    deps.log.warn({ paymentId, provider: p.provider }, 'payment provider could not settle a payment yet');
    return undefined;
  }
  return recordFromProvider(deps, p, state, over, actor);
};

/** Settles payments whose provider call outlived its request by the grace time; returns how many. */
export const reconcileStalePayments = async (deps: Deps, limit = 20): Promise<number> => {
  const before = new Date(deps.clock.now().getTime() - reconcileGraceMs(deps));
  let settled = 0;
  for (const id of await staleProviderActions(deps.db, before, limit)) {
    try {
      if (await reconcilePayment(deps, id)) settled++;
    } catch (e) {
      await setProviderAction(deps.db, id, 'compensate', deps.clock.now());
      deps.log.error({ err: e, paymentId: id }, 'payment reconciliation failed');
    }
  }
  return settled;
};

/** Every 10 s at most (a fraction of the grace time), so a payment is settled within a minute. */
export const paymentReconciler = (deps: Deps): Job => ({
  name: 'payment-reconciler',
  intervalMs: Math.min(10_000, Math.max(500, reconcileGraceMs(deps) / 3)),
  runOnce: () => reconcileStalePayments(deps),
});
