/**
 * Returns anywhere: any order, from any channel, returned at any location (a store, or the warehouse
 * for a parcel sent by mail), within its channel's return window, never more than was fulfilled.
 */
import { channelSettings } from '../../modules/channels/index.ts';
import { getLocationOrThrow } from '../../modules/locations/index.ts';
import { addLineQuantities, getOrder, linesOf, type OrderRow } from '../../modules/orders/index.ts';
import type { RefundRow } from '../../modules/payments/index.ts';
import { createReturnRecord, type ReturnRow } from '../../modules/returns/index.ts';
import { DAY } from '../../platform/clock.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError, validation } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { transitionsOf } from '../../platform/state-machine.ts';
import { unitsValue } from '../shared/value.ts';
import { receiveReturnTx } from './receive.ts';
import type { CreateReturnBody } from './schema.ts';

/** Order statuses that mean goods reached the customer (the return window starts at the latest). */
const HANDED_OVER = new Set(['shipped', 'delivered', 'picked_up', 'completed', 'partially_fulfilled']);

/**
 * When the order's return window started (the last time goods reached the customer: delivery,
 * pickup, counter sale; the order date when none is recorded) and when it ends.
 */
export const returnWindow = async (q: Queryable, order: OrderRow) => {
  const days = (await channelSettings(q, order.channel_id)).return_window_days;
  const handed = (await transitionsOf(q, 'order', order.id)).filter((t) => HANDED_OVER.has(t.to_state));
  const start = handed.at(-1)?.at ?? order.placed_at;
  return { days, start, end: new Date(start.getTime() + days * DAY) };
};

/**
 * Creates a return in one transaction: checks the window (RETURN_WINDOW_CLOSED, a value), counts
 * the units as returned on the order lines (never more than fulfilled), records the return with
 * the value of each line's units, and — when every line was inspected at the counter — receives
 * it at once (restock or write-off, exchange, store credit). Provider refunds are returned pending,
 * to be made after commit.
 */
export const createReturn = async (
  tx: Tx,
  deps: Deps,
  body: CreateReturnBody,
  actor: string,
): Promise<Result<{ ret: ReturnRow; refunds: RefundRow[] }, 'RETURN_WINDOW_CLOSED'>> => {
  const order = await getOrder(tx, body.order_id, true);
  if (!order) throw notFound('Order', body.order_id);
  await getLocationOrThrow(tx, body.location_id);
  const now = deps.clock.now();
  const window = await returnWindow(tx, order);
  if (now > window.end) {
    return fail(
      'RETURN_WINDOW_CLOSED',
      `Order ${order.number} can be returned until ${window.end.toISOString()}`,
      {
        window_days: window.days,
        window_started_at: window.start.toISOString(),
        window_ended_at: window.end.toISOString(),
      },
    );
  }
  const inspected = body.lines.filter((l) => l.condition).length;
  if (inspected !== 0 && inspected !== body.lines.length) {
    throw validation('Give a condition for every line (inspected now) or for none (received later)', [
      { path: 'body.lines', message: 'conditions must be given for all lines or none' },
    ]);
  }
  if (body.exchange && inspected === 0) {
    throw validation('An exchange happens at the counter: inspect every returned line (condition)', [
      { path: 'body.exchange', message: 'needs a condition on every returned line' },
    ]);
  }
  const method = body.refund_method ?? 'original';
  if (method === 'store_credit' && !order.customer_id) {
    throw validation('Store credit needs a customer on the order', [
      { path: 'body.refund_method', message: 'the order has no customer' },
    ]);
  }
  const orderLines = await linesOf(tx, [order.id]);
  const seen = new Set<string>();
  const lines = [];
  for (const [i, l] of body.lines.entries()) {
    const line = orderLines.find((x) => x.id === l.order_line_id);
    if (!line || seen.has(l.order_line_id)) {
      throw validation(
        `Line ${l.order_line_id} is not a line of order ${order.number} (or is listed twice)`,
        [{ path: `body.lines.${i}.order_line_id`, message: 'not a line of this order, or listed twice' }],
      );
    }
    seen.add(line.id);
    if (!(await addLineQuantities(tx, line.id, { returned: l.quantity }))) {
      const returnable = line.fulfilled_quantity - line.returned_quantity;
      throw new PlazaError('UNPROCESSABLE', `Only ${returnable} of ${line.sku} can be returned`, {
        reason: 'exceeds_returnable',
        order_line_id: line.id,
        sku: line.sku,
        requested: l.quantity,
        returnable,
        bought: line.quantity,
        returned_already: line.returned_quantity,
      });
    }
    const value = unitsValue(line, line.returned_quantity, l.quantity);
    lines.push({
      order_line_id: line.id,
      sku: line.sku,
      quantity: l.quantity,
      amount: value.amount,
      tax_amount: value.tax,
      condition: null,
    });
  }
  const created = await createReturnRecord(tx, deps, {
    order,
    locationId: body.location_id,
    refundMethod: method,
    reason: body.reason ?? null,
    lines,
    actor,
  });
  if (inspected === 0) return ok({ ret: created.ret, refunds: [] });
  const conditions = new Map(
    created.lines.map((l) => [
      l.id,
      body.lines.find((b) => b.order_line_id === l.order_line_id)?.condition ?? 'resellable',
    ]),
  );
  return ok(await receiveReturnTx(tx, deps, created.ret, conditions, actor, body.exchange));
};
