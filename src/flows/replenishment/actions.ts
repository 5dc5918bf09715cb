/**
 * Accepting and dismissing suggestions. Accepting creates, in the same transaction, one transfer per
 * (from, to) pair through the inventory module and one draft purchase order per (supplier, location)
 * through the purchasing module; the suggestions remember what they became.
 */
import { createTransfer } from '../../modules/inventory/index.ts';
import { createPurchaseOrder } from '../../modules/purchasing/index.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';

interface Row {
  id: string;
  kind: 'purchase' | 'transfer';
  sku: string;
  location_id: string;
  from_location_id: string | null;
  supplier_id: string | null;
  quantity: number;
  status: string;
}

/** Locks the suggestions; NOT_FOUND for an unknown id, INVALID_STATE_TRANSITION unless all are open. */
const lockOpen = async (tx: Tx, ids: readonly string[]): Promise<Row[]> => {
  const rows = (
    await tx.query<Row>(
      `SELECT id, kind, sku, location_id, from_location_id, supplier_id, quantity, status
         FROM replenishment_suggestions WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
      [ids],
    )
  ).rows;
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0)
    throw new PlazaError('NOT_FOUND', `No suggestion ${missing.join(', ')}`, { ids: missing });
  const closed = rows.filter((r) => r.status !== 'open');
  if (closed.length > 0)
    throw new PlazaError('INVALID_STATE_TRANSITION', 'Only open suggestions can be accepted or dismissed', {
      suggestions: closed.map((r) => ({ id: r.id, status: r.status })),
    });
  return rows;
};

export interface Accepted {
  transfers: string[];
  purchase_orders: string[];
}

export const acceptSuggestions = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  ids: readonly string[],
  actor: string,
): Promise<Accepted> => {
  const rows = await lockOpen(tx, ids);
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k =
      r.kind === 'transfer'
        ? `t\u0000${r.from_location_id}\u0000${r.location_id}`
        : `p\u0000${r.supplier_id}\u0000${r.location_id}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out: Accepted = { transfers: [], purchase_orders: [] };
  const now = deps.clock.now();
  for (const group of groups.values()) {
    const first = group[0] as Row;
    const lines = group.map((r) => ({ sku: r.sku, quantity: r.quantity }));
    let resultId: string;
    if (first.kind === 'transfer') {
      const t = await createTransfer(tx, deps, {
        from_location_id: first.from_location_id as string,
        to_location_id: first.location_id,
        lines,
        note: 'Replenishment suggestion',
        actor,
      });
      resultId = t.id;
      out.transfers.push(t.id);
    } else {
      const po = await createPurchaseOrder(
        tx,
        deps,
        {
          supplier_id: first.supplier_id as string,
          location_id: first.location_id,
          lines,
          note: 'Replenishment suggestion',
        },
        actor,
      );
      resultId = po.id;
      out.purchase_orders.push(po.id);
    }
    await tx.query(
      `UPDATE replenishment_suggestions SET status = 'accepted', decided_at = $2, decided_by = $3, result_id = $4
        WHERE id = ANY($1)`,
      [group.map((r) => r.id), now, actor, resultId],
    );
  }
  return out;
};

export const dismissSuggestions = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  ids: readonly string[],
  until: string,
  actor: string,
): Promise<number> => {
  await lockOpen(tx, ids);
  const res = await tx.query(
    `UPDATE replenishment_suggestions SET status = 'dismissed', decided_at = $2, decided_by = $3, dismissed_until = $4
      WHERE id = ANY($1)`,
    [ids, deps.clock.now(), actor, until],
  );
  return res.rowCount;
};
