import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { recordTransition } from '../../platform/state-machine.ts';
import { type ReturnStatus, returnMachine } from './machine.ts';
import * as repo from './repo.ts';

type Clocked = Pick<Deps, 'clock'>;

/** The data every return event carries (order, customer, channel, receiving location, lines). */
export const returnEventData = (r: repo.ReturnRow, lines: readonly repo.ReturnLineRow[]) => ({
  return_id: r.id,
  order_id: r.order_id,
  customer_id: r.customer_id,
  channel_id: r.channel_id,
  location_id: r.location_id,
  currency: r.currency,
  lines: lines.map((l) => ({
    order_line_id: l.order_line_id,
    sku: l.sku,
    quantity: l.quantity,
    amount: l.amount,
    ...(l.condition ? { condition: l.condition } : {}),
  })),
});

export interface NewReturn {
  order: { id: string; channel_id: string; customer_id: string | null; currency: string };
  locationId: string;
  refundMethod: repo.ReturnRefundMethod;
  reason: string | null;
  lines: Omit<repo.ReturnLineRow, 'id' | 'return_id'>[];
  actor: string;
}

/** Records a requested return with its lines and writes `return.created`. */
export const createReturnRecord = async (
  tx: Tx,
  deps: Clocked,
  n: NewReturn,
): Promise<{ ret: repo.ReturnRow; lines: repo.ReturnLineRow[] }> => {
  const now = deps.clock.now();
  const total = n.lines.reduce((s, l) => s + l.amount, 0);
  const ret = await repo.insertReturn(tx, {
    id: newId('ret'),
    order_id: n.order.id,
    channel_id: n.order.channel_id,
    customer_id: n.order.customer_id,
    location_id: n.locationId,
    status: 'requested',
    refund_method: n.refundMethod,
    currency: n.order.currency,
    total,
    exchange_total: 0,
    refund_total: total,
    refunded_amount: 0,
    exchange_order_id: null,
    reason: n.reason,
    created_by: n.actor,
    created_at: now,
    received_at: null,
    updated_at: now,
  });
  const lines = n.lines.map((l) => ({ ...l, id: newId('rtl'), return_id: ret.id }));
  await repo.insertReturnLines(tx, lines);
  await recordTransition(tx, deps.clock, returnMachine, {
    entityType: 'return',
    entityId: ret.id,
    from: null,
    to: 'requested',
    actor: n.actor,
    data: { order_id: ret.order_id, location_id: ret.location_id },
  });
  await writeEvent(tx, deps.clock, {
    type: 'return.created',
    aggregateType: 'order',
    aggregateId: ret.order_id,
    data: { ...returnEventData(ret, lines), total, refund_method: ret.refund_method, reason: ret.reason },
  });
  return { ret, lines };
};

/**
 * Moves a return to `to` (checked against the return machine), recorded; with `event`, writes
 * `return.<event>` with the return's data.
 */
export const changeReturn = async (
  tx: Tx,
  deps: Clocked,
  r: repo.ReturnRow,
  to: ReturnStatus,
  opts: {
    actor: string;
    reason?: string;
    patch?: repo.ReturnPatch;
    event?: string;
    data?: Record<string, unknown>;
  },
): Promise<repo.ReturnRow> => {
  await recordTransition(tx, deps.clock, returnMachine, {
    entityType: 'return',
    entityId: r.id,
    from: r.status,
    to,
    actor: opts.actor,
    reason: opts.reason ?? null,
    data: { order_id: r.order_id, location_id: r.location_id },
  });
  const row = await repo.updateReturn(tx, r.id, { ...(opts.patch ?? {}), status: to }, deps.clock.now());
  if (opts.event) {
    const lines = await repo.returnLinesOf(tx, [r.id]);
    await writeEvent(tx, deps.clock, {
      type: `return.${opts.event}`,
      aggregateType: 'order',
      aggregateId: r.order_id,
      data: { ...returnEventData(row, lines), status: to, ...(opts.data ?? {}) },
    });
  }
  return row;
};
