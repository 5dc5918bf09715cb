import type { Queryable } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';

export interface AccountRow {
  customer_id: string;
  card_number: string | null;
  balance: number;
  enrolled_at: Date;
  last_activity_at: Date;
  updated_at: Date;
}

export type EntryKind = 'earn' | 'redeem' | 'release' | 'reverse' | 'expire' | 'adjust';

export interface EntryRow {
  id: string;
  customer_id: string;
  kind: EntryKind;
  points: number;
  spend: number;
  currency: string | null;
  order_id: string | null;
  reference: string | null;
  note: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

const ACCOUNT = 'customer_id, card_number, balance, enrolled_at, last_activity_at, updated_at';
const ENTRY = 'id, customer_id, kind, points, spend, currency, order_id, reference, note, data, created_at';

export const getAccount = async (
  q: Queryable,
  customerId: string,
  lock = false,
): Promise<AccountRow | undefined> =>
  (
    await q.query<AccountRow>(
      `SELECT ${ACCOUNT} FROM loyalty_accounts WHERE customer_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [customerId],
    )
  ).rows[0];

/** Inserts an account; undefined when the card number is taken (or the account exists). */
export const insertAccount = async (
  q: Queryable,
  customerId: string,
  cardNumber: string | null,
  at: Date,
): Promise<AccountRow | undefined> =>
  (
    await q.query<AccountRow>(
      `INSERT INTO loyalty_accounts (customer_id, card_number, balance, enrolled_at, last_activity_at, updated_at)
       VALUES ($1, $2, 0, $3, $3, $3) ON CONFLICT DO NOTHING RETURNING ${ACCOUNT}`,
      [customerId, cardNumber, at],
    )
  ).rows[0];

export interface NewEntry {
  customerId: string;
  kind: EntryKind;
  points: number;
  spend?: number;
  currency?: string | null;
  orderId?: string | null;
  reference?: string | null;
  note?: string | null;
  data?: Record<string, unknown>;
  at: Date;
}

/**
 * Appends a ledger row and moves the balance by the same amount, in the caller's transaction. The
 * balance update is conditional (`balance + points >= 0`), so concurrent debits can never take it
 * below zero: undefined means there were not enough points.
 */
export const appendEntry = async (
  q: Queryable,
  e: NewEntry,
): Promise<{ entry: EntryRow; balance: number } | undefined> => {
  const activity = e.kind === 'earn' || e.kind === 'redeem';
  const upd = (
    await q.query<{ balance: number }>(
      `UPDATE loyalty_accounts SET balance = balance + $2, updated_at = $3,
         last_activity_at = CASE WHEN $4 THEN greatest(last_activity_at, $3) ELSE last_activity_at END
       WHERE customer_id = $1 AND balance + $2 >= 0 RETURNING balance`,
      [e.customerId, e.points, e.at, activity],
    )
  ).rows[0];
  if (!upd) return undefined;
  const entry = (
    await q.query<EntryRow>(
      `INSERT INTO loyalty_ledger (id, customer_id, kind, points, spend, currency, order_id, reference, note, data,
         created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11) RETURNING ${ENTRY}`,
      [
        newId('lpt'),
        e.customerId,
        e.kind,
        e.points,
        e.spend ?? 0,
        e.currency ?? null,
        e.orderId ?? null,
        e.reference ?? null,
        e.note ?? null,
        JSON.stringify(e.data ?? {}),
        e.at,
      ],
    )
  ).rows[0] as EntryRow;
  return { entry, balance: upd.balance };
};

export const entriesOf = async (
  q: Queryable,
  customerId: string,
  opts: { before?: string; limit?: number } = {},
): Promise<EntryRow[]> =>
  (
    await q.query<EntryRow>(
      `SELECT ${ENTRY} FROM loyalty_ledger WHERE customer_id = $1 AND ($2::text IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [customerId, opts.before ?? null, opts.limit ?? 1000],
    )
  ).rows;

export const entriesOfOrder = async (q: Queryable, orderId: string): Promise<EntryRow[]> =>
  (await q.query<EntryRow>(`SELECT ${ENTRY} FROM loyalty_ledger WHERE order_id = $1 ORDER BY id`, [orderId]))
    .rows;

export const entryByReference = async (
  q: Queryable,
  kind: EntryKind,
  reference: string,
): Promise<EntryRow | undefined> =>
  (
    await q.query<EntryRow>(`SELECT ${ENTRY} FROM loyalty_ledger WHERE kind = $1 AND reference = $2`, [
      kind,
      reference,
    ])
  ).rows[0];

/** Qualifying spend (earns minus returns) since a date, for tiers. */
export const spendSince = async (q: Queryable, customerId: string, since: Date): Promise<number> =>
  (
    await q.query<{ s: number }>(
      `SELECT coalesce(sum(spend), 0)::bigint AS s FROM loyalty_ledger
       WHERE customer_id = $1 AND kind IN ('earn', 'reverse') AND created_at > $2`,
      [customerId, since],
    )
  ).rows[0]?.s ?? 0;

/** Accounts whose stored balance is not the sum of their ledger (should always be empty). */
export const ledgerMismatches = async (
  q: Queryable,
): Promise<{ customer_id: string; balance: number; ledger: number }[]> =>
  (
    await q.query<{ customer_id: string; balance: number; ledger: number }>(
      `SELECT a.customer_id, a.balance, coalesce(sum(l.points), 0)::bigint AS ledger
       FROM loyalty_accounts a LEFT JOIN loyalty_ledger l ON l.customer_id = a.customer_id
       GROUP BY a.customer_id, a.balance HAVING a.balance <> coalesce(sum(l.points), 0)`,
    )
  ).rows;

/** Re-derives a balance from the ledger (after rows changed owner in a merge or its undo). */
export const recomputeBalance = async (q: Queryable, customerId: string, at: Date): Promise<number> =>
  (
    await q.query<{ balance: number }>(
      `UPDATE loyalty_accounts SET updated_at = $2,
         balance = (SELECT coalesce(sum(points), 0) FROM loyalty_ledger WHERE customer_id = $1)
       WHERE customer_id = $1 RETURNING balance`,
      [customerId, at],
    )
  ).rows[0]?.balance ?? 0;
