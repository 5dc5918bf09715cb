import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import * as repo from './repo.ts';

export interface CreditMove {
  customerId: string;
  currency: string;
  /** Positive: credit; negative: debit. Never zero. */
  amount: number;
  kind: repo.CreditKind;
  reference: { type: string; id: string } | null;
  actor: string;
  /** Added to the event (order, channel and location of what caused it). */
  data?: Record<string, unknown>;
}

/**
 * Moves store credit and appends the ledger entry in the caller's transaction, with
 * `store_credit.credited` or `store_credit.debited`. A debit larger than the balance is refused
 * (PAYMENT_DECLINED, reason `insufficient_store_credit`, `balance`) and changes nothing: the balance
 * never goes negative, and it always equals the sum of the ledger.
 */
export const moveStoreCredit = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  m: CreditMove,
): Promise<Result<repo.CreditEntryRow, 'PAYMENT_DECLINED'>> => {
  if (!Number.isSafeInteger(m.amount) || m.amount === 0)
    throw new Error('store credit moves need a non-zero amount');
  const now = deps.clock.now();
  const balance = await repo.moveBalance(tx, m.customerId, m.currency, m.amount, now);
  if (balance === undefined) {
    const current =
      (await repo.balancesOf(tx, m.customerId)).find((b) => b.currency === m.currency)?.balance ?? 0;
    return fail('PAYMENT_DECLINED', `Only ${current} of store credit is available`, {
      reason: 'insufficient_store_credit',
      balance: current,
      requested: -m.amount,
    });
  }
  const entry = await repo.insertEntry(tx, {
    id: newId('sce'),
    customer_id: m.customerId,
    currency: m.currency,
    amount: m.amount,
    balance_after: balance,
    kind: m.kind,
    reference_type: m.reference?.type ?? null,
    reference_id: m.reference?.id ?? null,
    actor: m.actor,
    created_at: now,
  });
  await writeEvent(tx, deps.clock, {
    type: m.amount > 0 ? 'store_credit.credited' : 'store_credit.debited',
    aggregateType: 'customer',
    aggregateId: m.customerId,
    data: {
      customer_id: m.customerId,
      entry_id: entry.id,
      kind: m.kind,
      amount: m.amount,
      currency: m.currency,
      balance,
      reference: m.reference,
      ...(m.data ?? {}),
    },
  });
  return ok(entry);
};

export const entryToApi = (e: repo.CreditEntryRow) => ({
  id: e.id,
  amount: e.amount,
  currency: e.currency,
  balance_after: e.balance_after,
  kind: e.kind,
  reference: e.reference_type && e.reference_id ? { type: e.reference_type, id: e.reference_id } : null,
  actor: e.actor,
  created_at: e.created_at.toISOString(),
});
