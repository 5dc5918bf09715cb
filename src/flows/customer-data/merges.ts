/**
 * Merges and their undo carry events and traits. A merge moves the merged profile's events to the
 * survivor and its traits too (for a key both have, the newest observation wins). An undo recomputes
 * the owner of every event of the two profiles from what the events carry — a `userId` that is a
 * customer's id, an external id, an anonymous id — against the identities as they are after the undo,
 * then rebuilds each profile's traits from its own identify events.
 */
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { Subscriber } from '../../platform/outbox/events.ts';
import { markDirty } from './identity.ts';
import { moveTraits, rebuildTraits } from './traits.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export const carryMerge = async (q: Queryable, from: string, to: string, now: Date): Promise<void> => {
  await q.query('UPDATE events SET customer_id = $2 WHERE customer_id = $1', [from, to]);
  await moveTraits(q, from, to, now);
  await markDirty(q, [to], now);
};

/** Re-attributes the events of these customers after an undo (events no rule claims stay put). */
export const reattribute = async (q: Queryable, customerIds: string[], now: Date): Promise<void> => {
  await q.query(
    `UPDATE events e SET customer_id = n.owner
     FROM (
       SELECT x.id, x.received_at, coalesce(
         (SELECT c.id FROM customers c WHERE c.id = x.user_id AND c.id = ANY($1) AND c.status = 'active'),
         (SELECT i.customer_id FROM customer_identities i WHERE i.kind = 'external' AND i.value = x.user_id
            AND i.unlinked_at IS NULL AND i.customer_id = ANY($1)),
         (SELECT i.customer_id FROM customer_identities i WHERE i.kind = 'anonymous' AND i.value = x.anonymous_id
            AND i.unlinked_at IS NULL AND i.customer_id = ANY($1)),
         x.customer_id) AS owner
       FROM events x WHERE x.customer_id = ANY($1)
     ) n
     WHERE e.id = n.id AND e.received_at = n.received_at AND e.customer_id IS DISTINCT FROM n.owner`,
    [customerIds],
  );
  for (const id of customerIds) await rebuildTraits(q, id, now);
  await markDirty(q, customerIds, now);
};

export const mergeSubscriber = (deps: Pick<Deps, 'clock'>): Subscriber => ({
  name: 'customer-data:merges',
  types: ['customer.merged', 'customer.merge_undone'],
  handle: async (tx, e) => {
    const a = str(e.data.customer_id);
    if (e.type === 'customer.merged') {
      const from = str(e.data.merged_customer_id);
      if (a && from) await carryMerge(tx, from, a, deps.clock.now());
      return;
    }
    const b = str(e.data.other_customer_id);
    if (a && b) await reattribute(tx, [a, b], deps.clock.now());
  },
});
