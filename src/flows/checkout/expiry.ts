import { getOrder } from '../../modules/orders/index.ts';
import { paymentsOfOrders } from '../../modules/payments/index.ts';
import {
  type ClaimState,
  completeDeadClaim,
  deadClaims,
  expireDeadClaim,
} from '../../platform/idempotency.ts';
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import { cancelOrderTx } from '../orders/cancel.ts';
import { answerOf } from './answer.ts';
import { checkoutPath, checkoutScope } from './once.ts';

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

type Cursor = Pick<ClaimState, 'locked_until' | 'scope' | 'key'>;

/**
 * Settles the keys of checkouts whose request died (lease ran out while in progress), so that none
 * stays `in_progress` for ever: a key that created nothing is forgotten (a replay starts afresh); a
 * key whose order is settled (confirmed, or cancelled by the abandoned-checkout sweeper or a newer
 * attempt) is completed with the answer a resumed replay would give. A key whose order still waits for
 * its payment is left for a replay, a newer attempt or the abandoned-checkout sweeper. Pages through
 * the dead keys with `after`; returns how many it settled and where the next page starts.
 */
export const settleDeadCheckoutKeys = async (
  deps: Deps,
  limit = 50,
  after?: Cursor,
): Promise<{ settled: number; next: Cursor | undefined }> => {
  const prefix = checkoutScope('');
  const claims = await deadClaims(deps.db, deps.clock, prefix, limit, after);
  let settled = 0;
  for (const c of claims) {
    const orderId = c.resource_id;
    const done = !orderId
      ? await expireDeadClaim(deps.db, deps.clock, c)
      : await deps.db.tx(async (tx) => {
          const order = await getOrder(tx, orderId, true);
          if (!order || order.status === 'pending_payment') return false;
          const payment = (await paymentsOfOrders(tx, [orderId])).at(-1);
          const a = await answerOf(tx, order, payment?.id ?? null, null, {
            url: checkoutPath(c.scope.slice(prefix.length)),
            id: 'checkout-key-sweeper',
          });
          return completeDeadClaim(tx, deps.clock, c, a.status, a.body);
        });
    if (done) settled++;
  }
  const last = claims.at(-1);
  return { settled, next: claims.length === limit && last ? last : undefined };
};

export const deadCheckoutKeySweeper = (deps: Deps): Job => {
  let cursor: Cursor | undefined;
  return {
    name: 'dead-checkout-keys',
    intervalMs: 30_000,
    async runOnce() {
      const r = await settleDeadCheckoutKeys(deps, 50, cursor);
      cursor = r.next;
      return r.settled;
    },
  };
};
