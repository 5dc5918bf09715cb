/** Recording what a payment provider reports, for the order and its payment at once. */
import {
  getPayment,
  lookupWithProvider,
  type PaymentRow,
  type ProviderState,
  recordProviderState,
} from '../../modules/payments/index.ts';
import type { Deps } from '../../platform/module.ts';

/**
 * Moves the payment to the provider's state (see recordProviderState; `settle` when its order is
 * over) and the order's payment status with it, in one transaction. Returns the payment.
 */
export const recordFromProvider = (
  deps: Deps,
  p: PaymentRow,
  state: ProviderState,
  settle: boolean,
  actor: string,
): Promise<PaymentRow> =>
  deps.db.tx(async (tx) => {
    const fresh = (await getPayment(tx, p.id, true)) as PaymentRow;
    const row = await recordProviderState(tx, deps, fresh, state, {
      actor,
      reason: settle ? 'payment_compensated' : 'payment_reconciled',
      settle,
    });
    if (row.status !== fresh.status) {
      // orders keep their payment's status for lists and webhooks
      await tx.query('UPDATE orders SET payment_status = $2, updated_at = $3 WHERE id = $1', [
        row.order_id,
        row.status,
        deps.clock.now(),
      ]);
    }
    return row;
  });

/**
 * Records a capture the provider made that Plaza has not recorded yet (a lost answer, a killed
 * request), before a decision that depends on it (a cancellation refused, a shipment allowed).
 * Only for a payment marked as waiting for a provider call; left as it is when the provider reports
 * no capture (or cannot answer).
 */
export const recordMissedCapture = async (deps: Deps, p: PaymentRow, actor: string): Promise<PaymentRow> => {
  if (!p.provider_action || p.captured_amount > 0) return p;
  const state = await lookupWithProvider(deps, p);
  if (!state || state.status === 'unknown' || state.captured_amount === 0) return p;
  return recordFromProvider(deps, p, state, false, actor);
};
