/**
 * What the provider really did with a payment, and putting Plaza's records in step with it: asked by
 * Plaza's payment id (providers are idempotent on it), outside any transaction. Used by the payment
 * reconciler and by flows whose request lost a provider's answer.
 */
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { PaymentStatus } from './machine.ts';
import { getProvider, withTimeout } from './providers/index.ts';
import type { ProviderState } from './providers/types.ts';
import * as repo from './repo.ts';
import { changePayment } from './service.ts';

type ProviderDeps = Pick<Deps, 'db' | 'config'>;

const call = <T>(deps: ProviderDeps, p: repo.PaymentRow, f: () => Promise<T>): Promise<T | undefined> =>
  withTimeout(f(), deps.config.paymentTimeoutMs, p.provider).catch(() => undefined);

/** The provider's state of a payment, or undefined when the provider cannot answer now. */
export const lookupWithProvider = (
  deps: ProviderDeps,
  p: repo.PaymentRow,
): Promise<ProviderState | undefined> =>
  call(deps, p, () =>
    getProvider(p.provider).lookup({ paymentId: p.id, reference: p.reference ?? '' }, { db: deps.db }),
  );

/**
 * Gives back what the provider holds for a payment: voids an authorization, refunds what was captured
 * and not refunded yet (only the rest, so a repeat refunds nothing twice). Returns the provider's state
 * afterwards, or undefined when the provider could not do it now (try again later).
 */
export const compensateWithProvider = async (
  deps: ProviderDeps,
  p: repo.PaymentRow,
  state: ProviderState,
): Promise<ProviderState | undefined> => {
  const provider = getProvider(p.provider);
  let now: ProviderState | undefined = state;
  for (let attempt = 0; attempt < 3 && now; attempt++) {
    if (now.status === 'authorized') {
      const ref = now.reference;
      await call(deps, p, () => provider.void({ paymentId: p.id, reference: ref }, { db: deps.db }));
    } else if (now.status === 'captured' && now.captured_amount > now.refunded_amount) {
      const input = {
        paymentId: p.id,
        reference: now.reference,
        amount: now.captured_amount - now.refunded_amount,
        currency: p.currency,
      };
      await call(deps, p, () => provider.refund(input, { db: deps.db }));
    } else {
      return now; // nothing (left) to give back
    }
    now = await lookupWithProvider(deps, p);
  }
  return undefined;
};

const CAPTURED: readonly PaymentStatus[] = ['captured', 'partially_refunded', 'refunded'];

/**
 * Moves a payment (locked by the caller) to what the provider reports, through the payment machine,
 * each step recorded and announced: a capture Plaza missed becomes `captured` (then `refunded` /
 * `partially_refunded` for what was given back), an authorization `authorized` or `voided`. A payment
 * the provider never saw is `failed` when `settle` is set (its order is over); otherwise it is left as
 * it is. Clears the payment's provider mark. Returns the payment as recorded.
 */
export const recordProviderState = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  p: repo.PaymentRow,
  state: ProviderState,
  opts: { actor: string; reason: string; settle: boolean },
): Promise<repo.PaymentRow> => {
  let cur = p;
  const step = async (to: PaymentStatus, patch: Parameters<typeof repo.updatePayment>[2] = {}) => {
    cur = await changePayment(tx, deps, cur.id, to, { actor: opts.actor, reason: opts.reason, patch });
  };
  if (state.status === 'unknown') {
    if (opts.settle && cur.status === 'pending') await step('failed', { failure_reason: opts.reason });
  } else if (state.captured_amount > 0) {
    if (!CAPTURED.includes(cur.status)) {
      await step('captured', { captured_amount: state.captured_amount, reference: state.reference });
    }
    if (state.refunded_amount > cur.refunded_amount) {
      const full = state.refunded_amount >= cur.captured_amount;
      await step(full ? 'refunded' : 'partially_refunded', { refunded_amount: state.refunded_amount });
    }
  } else if (state.status === 'authorized') {
    if (cur.status === 'pending') await step('authorized', { reference: state.reference });
  } else if (cur.status === 'authorized') {
    await step('voided');
  } else if (cur.status === 'pending') {
    await step('failed', { failure_reason: opts.reason });
  }
  await repo.setProviderAction(tx, cur.id, null, deps.clock.now());
  return { ...cur, provider_action: null, provider_action_at: null };
};
