/**
 * Purchase orders: draft → ordered → received, possibly through several partial receipts
 * (partially_received). Received units go into stock through the inventory's `receiveMany` in the
 * transaction that updates the order, as `receipt` movements referencing `purchase_order`/<id>.
 * A draft or an ordered purchase order can be cancelled; once units arrived it cannot.
 */
import { DateTime } from 'luxon';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { recordTransition, stateMachine } from '../../platform/state-machine.ts';
import { receiveMany } from '../inventory/index.ts';
import { getLocation } from '../locations/index.ts';
import { writePurchaseOrderEvent } from './events.ts';
import * as repo from './orders-repo.ts';
import type { PurchaseOrderStatus } from './schema.ts';
import { getSupplierOrThrow } from './suppliers.ts';
import { listSupplierSkus } from './suppliers-repo.ts';

/** The purchase order state machine, in one place. */
export const PURCHASE_ORDER_MACHINE = stateMachine<PurchaseOrderStatus>('purchase_order', {
  draft: ['ordered', 'cancelled'],
  ordered: ['partially_received', 'received', 'cancelled'],
  partially_received: ['partially_received', 'received'],
  received: [],
  cancelled: [],
});

export const MAX_LINES = 500;
const MAX_QUANTITY = 1_000_000;
const SKU = /^\S(.*\S)?$/;

export interface OrderLineInput {
  sku: string;
  quantity: number;
}

export interface CreatePurchaseOrderInput {
  supplier_id: string;
  /** The receiving location: it must exist (NOT_FOUND) and be active. */
  location_id: string;
  /** YYYY-MM-DD, not before today at the location; absent: today + the longest lead time of the lines. */
  expected_on?: string | null;
  note?: string | null;
  /** 1–500 lines, each SKU once. */
  lines: readonly OrderLineInput[];
}

const checkLines = (lines: readonly OrderLineInput[]): void => {
  if (lines.length < 1 || lines.length > MAX_LINES) {
    throw validation(`A purchase order has 1 to ${MAX_LINES} lines`, [
      { path: 'body.lines', message: `must have 1 to ${MAX_LINES} lines` },
    ]);
  }
  const seen = new Set<string>();
  const issues = lines.flatMap((l, i) => {
    const out: { path: string; message: string }[] = [];
    if (typeof l.sku !== 'string' || l.sku.length > 100 || !SKU.test(l.sku)) {
      out.push({ path: `body.lines.${i}.sku`, message: 'must be 1–100 characters without outer spaces' });
    } else if (seen.has(l.sku)) {
      out.push({ path: `body.lines.${i}.sku`, message: `${l.sku} is listed twice; add the quantities up` });
    }
    seen.add(l.sku);
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_QUANTITY) {
      out.push({ path: `body.lines.${i}.quantity`, message: `must be an integer from 1 to ${MAX_QUANTITY}` });
    }
    return out;
  });
  const first = issues[0];
  if (first) throw validation(`${first.path} ${first.message}`, issues);
};

/** The calendar day at `at` in `timezone`. */
const localToday = (at: Date, timezone: string): DateTime =>
  DateTime.fromJSDate(at, { zone: timezone }).startOf('day');

const checkExpectedOn = (value: string, today: DateTime): string => {
  const day = DateTime.fromISO(value, { zone: 'utc' });
  const issue = !day.isValid || day.toISODate() !== value ? 'is not a calendar date' : undefined;
  const past = (today.toISODate() ?? '') > value ? 'is before today at the receiving location' : undefined;
  const message = issue ?? past;
  if (message) throw validation(`expected_on ${message}`, [{ path: 'body.expected_on', message }]);
  return value;
};

/** The longest effective lead time of the lines (a SKU the supplier does not list takes the supplier's). */
const leadTimeOf = async (
  q: Queryable,
  supplier: { id: string; lead_time_days: number },
  skus: readonly string[],
): Promise<number> => {
  const rows = await listSupplierSkus(q, supplier.id, { skus });
  const bySku = new Map(rows.map((r) => [r.sku, r.effective_lead_time_days]));
  return Math.max(...skus.map((s) => bySku.get(s) ?? supplier.lead_time_days));
};

/**
 * Creates a draft purchase order, validated as the HTTP route validates it: an active supplier,
 * an existing active receiving location, 1–500 lines with distinct SKUs and quantities from 1 to
 * 1,000,000, and `expected_on` a real date not in the past (by default today at the location plus
 * the longest lead time of the lines). Writes `purchase_order.created` in the same transaction.
 */
export const createPurchaseOrder = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: CreatePurchaseOrderInput,
  actor: string,
): Promise<repo.PurchaseOrder> => {
  checkLines(input.lines);
  const supplier = await getSupplierOrThrow(tx, input.supplier_id);
  if (!supplier.active) {
    throw validation(`Supplier ${supplier.id} is inactive`, [
      { path: 'body.supplier_id', message: 'is inactive; activate it first' },
    ]);
  }
  const location = await getLocation(tx, input.location_id);
  if (!location) throw notFound('Location', input.location_id);
  if (!location.active) {
    throw validation(`Location ${location.id} is inactive`, [
      { path: 'body.location_id', message: 'is inactive and cannot receive' },
    ]);
  }
  const at = deps.clock.now();
  const today = localToday(at, location.timezone);
  const skus = input.lines.map((l) => l.sku);
  const expected_on = input.expected_on
    ? checkExpectedOn(input.expected_on, today)
    : (today.plus({ days: await leadTimeOf(tx, supplier, skus) }).toISODate() as string);
  const id = newId('po');
  await repo.insertPurchaseOrder(tx, {
    id,
    supplier_id: supplier.id,
    location_id: location.id,
    status: 'draft',
    expected_on,
    note: input.note ?? null,
    created_by: actor,
    created_at: at,
    updated_at: at,
    ordered_at: null,
    received_at: null,
    cancelled_at: null,
    lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, quantity_received: 0 })),
  });
  const entity = { entityType: 'purchase_order', entityId: id, actor };
  await recordTransition(tx, deps.clock, PURCHASE_ORDER_MACHINE, { ...entity, from: null, to: 'draft' });
  const po = (await repo.getPurchaseOrder(tx, id)) as repo.PurchaseOrder;
  await writePurchaseOrderEvent(tx, deps.clock, 'purchase_order.created', po);
  return po;
};

type Failure = 'NOT_FOUND' | 'INVALID_STATE_TRANSITION';

/** Locks the order and checks it may go to `to`; then reads it (lines as last committed). */
const load = async (
  tx: Tx,
  id: string,
  to: PurchaseOrderStatus,
  action: string,
): Promise<Result<repo.PurchaseOrder, Failure>> => {
  const status = await repo.lockPurchaseOrder(tx, id);
  if (!status) return fail('NOT_FOUND', `Purchase order ${id} was not found`, { id });
  if (!PURCHASE_ORDER_MACHINE.can(status, to)) {
    return fail('INVALID_STATE_TRANSITION', `Purchase order ${id} is ${status}; it cannot be ${action}`, {
      id,
      current_status: status,
    });
  }
  return ok((await repo.getPurchaseOrder(tx, id)) as repo.PurchaseOrder);
};

/** Moves a locked order from `po.status` to `to`, records the transition and reads it back. */
const move = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  po: repo.PurchaseOrder,
  to: PurchaseOrderStatus,
  t: { actor: string; reason?: string | null; stamp?: 'ordered_at' | 'received_at' | 'cancelled_at' },
  data: Record<string, unknown> = {},
): Promise<repo.PurchaseOrder> => {
  await recordTransition(tx, deps.clock, PURCHASE_ORDER_MACHINE, {
    entityType: 'purchase_order',
    entityId: po.id,
    from: po.status,
    to,
    actor: t.actor,
    reason: t.reason ?? null,
    data,
  });
  await repo.setStatus(tx, po.id, to, deps.clock.now(), t.stamp);
  return (await repo.getPurchaseOrder(tx, po.id)) as repo.PurchaseOrder;
};

/** Sends a draft to the supplier: status ordered, `ordered_at` set; its lines count as inbound from now on. */
export const orderPurchaseOrder = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  opts: { actor: string },
): Promise<Result<repo.PurchaseOrder, Failure>> => {
  const loaded = await load(tx, id, 'ordered', 'ordered');
  if (!loaded.ok) return loaded;
  const po = await move(tx, deps, loaded.value, 'ordered', { actor: opts.actor, stamp: 'ordered_at' });
  await writePurchaseOrderEvent(tx, deps.clock, 'purchase_order.ordered', po);
  return ok(po);
};

/**
 * Books delivered units: each line into stock at the receiving location (`receipt` movements with
 * reference `purchase_order`/<id>) and onto the order, in the caller's transaction. Repeated SKUs are
 * summed. A SKU not on the order, or more than is outstanding, is VALIDATION_FAILED and nothing moves.
 * The order is locked first, so concurrent receipts never add up to more than was ordered.
 */
export const receivePurchaseOrder = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  opts: { actor: string; lines: readonly OrderLineInput[]; reason?: string | null },
): Promise<Result<repo.PurchaseOrder, Failure>> => {
  const loaded = await load(tx, id, 'received', 'received');
  if (!loaded.ok) return loaded;
  const po = loaded.value;
  const outstanding = new Map(po.lines.map((l) => [l.sku, l.quantity - l.quantity_received]));
  const wanted = new Map<string, number>();
  for (const l of opts.lines) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
  const issues = [...wanted].flatMap(([sku, quantity]) => {
    const left = outstanding.get(sku);
    if (left === undefined) return [{ path: 'body.lines', message: `${sku} is not on this purchase order` }];
    if (quantity > left) {
      return [{ path: 'body.lines', message: `${sku}: ${quantity} received but only ${left} outstanding` }];
    }
    return [];
  });
  const first = issues[0];
  if (first) throw validation(first.message, issues);
  const lines = [...wanted].map(([sku, quantity]) => ({ sku, quantity }));
  await receiveMany(
    tx,
    deps,
    lines.map((l) => ({ ...l, location_id: po.location_id })),
    { actor: opts.actor, reason: opts.reason ?? null, reference: { type: 'purchase_order', id } },
  );
  if ((await repo.addReceived(tx, id, lines)) !== lines.length) {
    // Cannot happen under the lock; never book stock the order does not cover.
    throw validation('A line would be received beyond its ordered quantity');
  }
  const complete = [...outstanding].every(([sku, left]) => (wanted.get(sku) ?? 0) === left);
  const to = complete ? 'received' : 'partially_received';
  const after = await move(
    tx,
    deps,
    po,
    to,
    { actor: opts.actor, reason: opts.reason, ...(complete ? { stamp: 'received_at' as const } : {}) },
    { received: lines },
  );
  await writePurchaseOrderEvent(tx, deps.clock, 'purchase_order.received', after, { received: lines });
  return ok(after);
};

/** Cancels a draft or ordered purchase order (nothing was received, nothing to undo). */
export const cancelPurchaseOrder = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  opts: { actor: string; reason?: string | null },
): Promise<Result<repo.PurchaseOrder, Failure>> => {
  const loaded = await load(tx, id, 'cancelled', 'cancelled');
  if (!loaded.ok) return loaded;
  const po = await move(tx, deps, loaded.value, 'cancelled', { ...opts, stamp: 'cancelled_at' });
  await writePurchaseOrderEvent(tx, deps.clock, 'purchase_order.cancelled', po, {
    cancelled_by: opts.actor,
    reason: opts.reason ?? null,
  });
  return ok(po);
};

/**
 * Units on their way: the outstanding quantity of every line of ordered and partially received
 * purchase orders (drafts and cancelled orders excluded), optionally only for these SKUs and
 * receiving locations, soonest expected first.
 */
export const inboundPurchases = (
  q: Queryable,
  filter: { skus?: string[]; locationIds?: string[] },
): Promise<repo.InboundLine[]> => repo.inboundLines(q, filter);
