import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import { cancelOrderTx } from '../orders/cancel.ts';

/**
 * Cancels checkouts abandoned between phase one and the payment's answer (the client or the process
 * died): pending-payment orders older than their channel's hold time. Their stock holds lapse on
 * their own (the inventory sweeper); this gives back the discount and closes order and payment.
 */
export const cancelAbandonedCheckouts = async (deps: Deps, limit = 50): Promise<number> => {
  const now = deps.clock.now();
  const { rows } = await deps.db.query<{ id: string }>(
    `SELECT o.id FROM orders o JOIN channels c ON c.id = o.channel_id
     WHERE o.status = 'pending_payment'
       AND o.placed_at + make_interval(mins => coalesce((c.settings->>'checkout_hold_minutes')::int, 15)) < $1
     ORDER BY o.placed_at LIMIT $2`,
    [now, limit],
  );
  for (const r of rows) {
    await deps.db.tx((tx) =>
      cancelOrderTx(tx, deps, r.id, { actor: 'sweeper', reason: 'checkout_abandoned' }),
    );
  }
  return rows.length;
};

export const abandonedCheckoutSweeper = (deps: Deps): Job => ({
  name: 'abandoned-checkouts',
  intervalMs: 30_000,
  runOnce: () => cancelAbandonedCheckouts(deps),
});
