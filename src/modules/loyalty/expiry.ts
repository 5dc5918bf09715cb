/**
 * Points expiry by policy, run by a sweeper job (time from the injectable clock):
 * - `fixed`: points expire `days` after they were earned. Spending consumes the oldest points first,
 *   so what expires now is what was credited before the cut-off and not yet consumed:
 *   max(0, credits before cut-off − everything debited so far), never more than the balance.
 * - `inactivity`: the whole balance expires after `days` without earning or redeeming.
 */
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import { loyaltyProgram } from './program.ts';
import * as repo from './repo.ts';
import { post } from './service.ts';

const DAY_MS = 24 * 3_600_000;

const dueFixed = async (tx: Queryable, customerId: string, cutoff: Date): Promise<number> => {
  const { rows } = await tx.query<{ old_credits: number; consumed: number }>(
    `SELECT
       coalesce(sum(points) FILTER (WHERE points > 0 AND kind IN ('earn', 'adjust') AND created_at <= $2), 0)::bigint
         AS old_credits,
       coalesce(-sum(points) FILTER (WHERE kind IN ('redeem', 'reverse', 'expire') OR (kind = 'adjust' AND points < 0)), 0)::bigint
         - coalesce(sum(points) FILTER (WHERE kind = 'release'), 0)::bigint AS consumed
     FROM loyalty_ledger WHERE customer_id = $1`,
    [customerId, cutoff],
  );
  const r = rows[0];
  return r ? Math.max(0, r.old_credits - r.consumed) : 0;
};

/** Expires what the policy says is due, for every account; returns how many accounts lost points. */
export const expirePoints = async (deps: Deps, batch = 200): Promise<number> => {
  const program = await loyaltyProgram(deps.db);
  if (program.expiry.policy === 'none') return 0;
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - program.expiry.days * DAY_MS);
  let after = '';
  let expired = 0;
  for (;;) {
    const { rows } = await deps.db.query<{ customer_id: string }>(
      `SELECT customer_id FROM loyalty_accounts
       WHERE balance > 0 AND customer_id > $1 AND ($2 <> 'inactivity' OR last_activity_at <= $3)
       ORDER BY customer_id LIMIT $4`,
      [after, program.expiry.policy, cutoff, batch],
    );
    for (const { customer_id } of rows) {
      const did = await deps.db.tx(async (tx) => {
        const account = await repo.getAccount(tx, customer_id, true);
        if (!account || account.balance <= 0) return false;
        const due =
          program.expiry.policy === 'inactivity'
            ? account.last_activity_at <= cutoff
              ? account.balance
              : 0
            : await dueFixed(tx, customer_id, cutoff);
        const points = Math.min(due, account.balance);
        if (points <= 0) return false;
        await post(tx, deps, {
          customerId: customer_id,
          kind: 'expire',
          points: -points,
          data: { policy: program.expiry.policy, days: program.expiry.days },
          at: now,
        });
        return true;
      });
      if (did) expired++;
    }
    if (rows.length < batch) return expired;
    after = (rows.at(-1) as { customer_id: string }).customer_id;
  }
};

export const expirySweeper = (deps: Deps): Job => ({
  name: 'loyalty-expiry',
  intervalMs: 3_600_000,
  runOnce: () => expirePoints(deps),
});
