/**
 * Points that change owner with a merge of duplicate profiles, or its undo. Ledger rows are never
 * edited; only their owner moves, and both balances are re-derived from the ledger in the same
 * transaction. When an undo would leave a profile below zero (it spent the other's points while
 * merged), a pair of adjustments charges those points to the profile they came from.
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import * as repo from './repo.ts';

export const allEntriesOf = async (q: Queryable, customerId: string): Promise<repo.EntryRow[]> =>
  (
    await q.query<repo.EntryRow>(
      `SELECT id, customer_id, kind, points, spend, currency, order_id, reference, note, data, created_at
       FROM loyalty_ledger WHERE customer_id = $1 ORDER BY id`,
      [customerId],
    )
  ).rows;

export const moveEntries = async (
  q: Queryable,
  ids: readonly string[],
  from: string,
  to: string,
): Promise<string[]> =>
  ids.length === 0
    ? []
    : (
        await q.query<{ id: string }>(
          'UPDATE loyalty_ledger SET customer_id = $3 WHERE id = ANY($1) AND customer_id = $2 RETURNING id',
          [ids, from, to],
        )
      ).rows.map((r) => r.id);

const sumOf = async (q: Queryable, customerId: string): Promise<number> =>
  (
    await q.query<{ s: number }>(
      'SELECT coalesce(sum(points), 0)::bigint AS s FROM loyalty_ledger WHERE customer_id = $1',
      [customerId],
    )
  ).rows[0]?.s ?? 0;

const insertAdjust = (
  tx: Tx,
  customerId: string,
  points: number,
  note: string,
  data: Record<string, unknown>,
  at: Date,
) =>
  tx.query(
    `INSERT INTO loyalty_ledger (id, customer_id, kind, points, note, data, created_at)
     VALUES ($1, $2, 'adjust', $3, $4, $5::jsonb, $6)`,
    [newId('lpt'), customerId, points, note, JSON.stringify(data), at],
  );

/**
 * Re-derives the balances of two accounts after rows moved between them. If one would be negative,
 * the shortfall is charged to the other with two adjustment rows (`note` says why). Returns the
 * points charged (0 when none).
 */
export const settleBalances = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  a: string,
  b: string,
  why: { note: string; mergeId: string },
): Promise<{ charged: number; from: string | null }> => {
  const now = deps.clock.now();
  let charged = 0;
  let from: string | null = null;
  for (const [short, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const s = await sumOf(tx, short);
    if (s < 0) {
      charged = -s;
      from = other;
      const data = { merge_id: why.mergeId };
      await insertAdjust(tx, short, charged, why.note, data, now);
      await insertAdjust(tx, other, -charged, why.note, data, now);
    }
  }
  for (const id of [a, b]) {
    const balance = await repo.recomputeBalance(tx, id, now);
    await writeEvent(tx, deps.clock, {
      type: 'loyalty.balance_recomputed',
      aggregateType: 'customer',
      aggregateId: id,
      data: { customer_id: id, balance, merge_id: why.mergeId, reason: why.note },
    });
  }
  return { charged, from };
};

/** Removes an account opened only to receive merged points, once it holds no rows. */
export const dropEmptyAccount = async (q: Queryable, customerId: string): Promise<boolean> =>
  (
    await q.query(
      `DELETE FROM loyalty_accounts a WHERE a.customer_id = $1 AND a.card_number IS NULL
         AND NOT EXISTS (SELECT 1 FROM loyalty_ledger l WHERE l.customer_id = a.customer_id)`,
      [customerId],
    )
  ).rowCount === 1;

/** Erasure: the remaining points are forfeited (one ledger row) and the card number is retired. */
export const closeAccount = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  customerId: string,
): Promise<number> => {
  const account = await repo.getAccount(tx, customerId, true);
  if (!account) return 0;
  const now = deps.clock.now();
  if (account.balance > 0) {
    await repo.appendEntry(tx, {
      customerId,
      kind: 'adjust',
      points: -account.balance,
      note: 'erasure',
      at: now,
    });
  }
  await tx.query('UPDATE loyalty_accounts SET card_number = NULL, updated_at = $2 WHERE customer_id = $1', [
    customerId,
    now,
  ]);
  return account.balance;
};
