/**
 * Erasure (GDPR article 17) in one transaction, for the person: the customer, every profile merged
 * into them, and their guest history (guest orders and carts with one of their verified e-mails or
 * phones). The domain steps that mean something (suppression of the e-mails and phones, the
 * customer's status, what happens to their balances) run first; then every column that the registry
 * of personal data (src/personal-data.ts) declares personal is erased as declared, in every table.
 * Orders stay for accounting, without who or where. Refused (CONFLICT) while an order is open.
 */
import { eraseCustomerRecord, getCustomerForUpdate } from '../../modules/customers/index.ts';
import { closeAccount, getAccount } from '../../modules/loyalty/index.ts';
import { balancesOf, moveStoreCredit } from '../../modules/store-credit/index.ts';
import { PERSONAL_TABLES } from '../../personal-data.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { eraseTable } from '../../platform/personal-data.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { personOf } from './scope.ts';

const OPEN: readonly string[] = [
  'pending_payment',
  'confirmed',
  'ready_for_pickup',
  'partially_fulfilled',
  'shipped',
];

/**
 * What happens to a positive store-credit or points balance: `refund` (the retailer pays the store
 * credit out and records it here; points, which have no cash value, are forfeited), `forfeit` (with
 * a recorded reason), or `wait` (the request stays open until the balances are used or paid out).
 */
export type BalanceDecision = 'refund' | 'forfeit' | 'wait';

export interface Balances {
  store_credit: { currency: string; balance: number }[];
  points: number;
}

export interface ErasureReport {
  customers: string[];
  guest_orders: number;
  guest_carts: number;
  suppressed: number;
  identities: number;
  addresses: number;
  balances: Balances & { decision: BalanceDecision | null; reason: string | null };
  /** Rows erased (deleted or scrubbed) per table of the registry. */
  rows: Record<string, number>;
}

/** The person's positive balances, which erasure must not silently keep or drop. */
export const balancesOfPerson = async (tx: Tx, customerIds: readonly string[]): Promise<Balances> => {
  const credit: Balances['store_credit'] = [];
  let points = 0;
  for (const id of customerIds) {
    for (const b of await balancesOf(tx, id)) if (b.balance > 0) credit.push(b);
    points += Math.max(0, (await getAccount(tx, id))?.balance ?? 0);
  }
  return { store_credit: credit, points };
};

const hasBalance = (b: Balances) => b.points > 0 || b.store_credit.length > 0;

export type EraseOutcome = { done: true; report: ErasureReport } | { done: false; balances: Balances };

export const eraseCustomer = async (
  tx: Tx,
  deps: Deps,
  customerId: string,
  request: { id: string | null; decision?: BalanceDecision; reason?: string | null },
): Promise<Result<EraseOutcome, 'CONFLICT' | 'BALANCE_DECISION_REQUIRED'>> => {
  const person = await personOf(tx, deps, customerId);
  const ids = person.customerIds;
  for (const id of ids) await getCustomerForUpdate(tx, id);
  const open = person.orders.filter((o) => OPEN.includes(o.status));
  if (open.length) {
    return fail('CONFLICT', 'Orders are still open; fulfil or cancel them before erasing', {
      open_orders: open.map((o) => o.id),
    });
  }
  const balances = await balancesOfPerson(tx, ids);
  if (hasBalance(balances)) {
    if (!request.decision) {
      return fail(
        'BALANCE_DECISION_REQUIRED',
        'The customer still has store credit or points: decide `balances` (refund, forfeit or wait)',
        { balances },
      );
    }
    if (request.decision === 'wait') return ok({ done: false, balances });
    if (request.decision === 'forfeit' && !request.reason) {
      return fail('BALANCE_DECISION_REQUIRED', 'Forfeiting balances needs a `reason`', { balances });
    }
  }
  const decision = hasBalance(balances) ? (request.decision ?? null) : null;
  const report: ErasureReport = {
    customers: [...ids],
    guest_orders: person.guest.orders.length,
    guest_carts: person.guest.cartIds.length,
    suppressed: 0,
    identities: 0,
    addresses: 0,
    balances: { ...balances, decision, reason: request.reason ?? null },
    rows: {},
  };
  for (const id of ids) {
    for (const b of await balancesOf(tx, id)) {
      if (b.balance <= 0) continue;
      const moved = await moveStoreCredit(tx, deps, {
        customerId: id,
        currency: b.currency,
        amount: -b.balance,
        kind: 'adjustment',
        reference: {
          type: decision === 'refund' ? 'erasure_payout' : 'erasure_forfeit',
          id: request.id ?? id,
        },
        actor: 'privacy',
      });
      if (!moved.ok) throw new Error(`store credit of ${id} changed during erasure`);
    }
    await closeAccount(tx, deps, id);
    const r = await eraseCustomerRecord(tx, deps, id);
    report.suppressed += r.suppressed;
    report.identities += r.identities;
    report.addresses += r.addresses;
  }
  for (const table of PERSONAL_TABLES) {
    const n = await eraseTable(tx, table, person);
    if (n) report.rows[table.table] = n;
  }
  for (const id of ids) {
    await writeEvent(tx, deps.clock, {
      type: 'customer.erased',
      aggregateType: 'customer',
      aggregateId: id,
      data: {
        customer_id: id,
        request_id: request.id,
        guest_order_ids: person.guest.orders.map((o) => o.id),
      },
    });
  }
  return ok({ done: true, report });
};
