import type { Queryable } from '../../platform/db.ts';

export type CreditKind = 'refund' | 'purchase' | 'adjustment';

export interface CreditEntryRow {
  id: string;
  customer_id: string;
  currency: string;
  amount: number;
  balance_after: number;
  kind: CreditKind;
  reference_type: string | null;
  reference_id: string | null;
  actor: string;
  created_at: Date;
}

const ENTRY =
  'id, customer_id, currency, amount, balance_after, kind, reference_type, reference_id, actor, created_at';

/**
 * Changes a balance in one conditional statement: a credit creates or grows it; a debit only goes
 * through when the balance stays ≥ 0. Returns the new balance, or undefined when refused.
 */
export const moveBalance = async (
  q: Queryable,
  customerId: string,
  currency: string,
  amount: number,
  at: Date,
): Promise<number | undefined> => {
  const sql =
    amount > 0
      ? `INSERT INTO store_credit_balances AS b (customer_id, currency, balance, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (customer_id, currency) DO UPDATE SET balance = b.balance + excluded.balance, updated_at = $4
         RETURNING balance`
      : `UPDATE store_credit_balances SET balance = balance + $3, updated_at = $4
         WHERE customer_id = $1 AND currency = $2 AND balance + $3 >= 0 RETURNING balance`;
  return (await q.query<{ balance: number }>(sql, [customerId, currency, amount, at])).rows[0]?.balance;
};

export const insertEntry = async (q: Queryable, e: CreditEntryRow): Promise<CreditEntryRow> =>
  (
    await q.query<CreditEntryRow>(
      `INSERT INTO store_credit_entries (${ENTRY}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${ENTRY}`,
      [
        e.id,
        e.customer_id,
        e.currency,
        e.amount,
        e.balance_after,
        e.kind,
        e.reference_type,
        e.reference_id,
        e.actor,
        e.created_at,
      ],
    )
  ).rows[0] as CreditEntryRow;

export const balancesOf = async (
  q: Queryable,
  customerId: string,
): Promise<{ currency: string; balance: number }[]> =>
  (
    await q.query<{ currency: string; balance: number }>(
      'SELECT currency, balance FROM store_credit_balances WHERE customer_id = $1 ORDER BY currency',
      [customerId],
    )
  ).rows;

export const entriesOf = async (
  q: Queryable,
  customerId: string,
  f: { before?: string; limit: number },
): Promise<CreditEntryRow[]> =>
  (
    await q.query<CreditEntryRow>(
      `SELECT ${ENTRY} FROM store_credit_entries WHERE customer_id = $1 AND ($2::text IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [customerId, f.before ?? null, f.limit],
    )
  ).rows;

/** Sum of the ledger per currency (what the balances must equal). */
export const ledgerSums = async (q: Queryable, customerId: string): Promise<Map<string, number>> =>
  new Map(
    (
      await q.query<{ currency: string; total: number }>(
        `SELECT currency, sum(amount)::bigint AS total FROM store_credit_entries WHERE customer_id = $1
         GROUP BY currency`,
        [customerId],
      )
    ).rows.map((r) => [r.currency, r.total]),
  );
