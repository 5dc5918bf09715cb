/**
 * What a handover or an expiry does to a pickup's units, per fulfilment: units collected turn their
 * part of the hold into a sale (the hold is split first when only part of it goes), units released
 * give their hold back to the store. Fulfilments whose units are all settled are closed.
 */
import { commitReservation, releaseReservation, splitReservation } from '../../modules/inventory/index.ts';
import {
  addLineQuantities,
  changeFulfillmentStatus,
  type FulfillmentRow,
  type OrderLineRow,
} from '../../modules/orders/index.ts';
import { type PickupLineRow, settlePickupLine } from '../../modules/pickups/index.ts';
import type { Tx } from '../../platform/db.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { unitsValue } from '../shared/value.ts';

export interface Take {
  line: PickupLineRow;
  collect: number;
  release: number;
}

const remaining = (l: PickupLineRow) => l.quantity - l.collected - l.released;

/**
 * Which units to collect: `wanted` per order line (all remaining units when absent), spread over
 * the fulfilments holding that line. With `releaseRest`, every unit not collected is released.
 * `full` says whether nothing remains afterwards.
 */
export const planTakes = (
  lines: readonly PickupLineRow[],
  wanted: readonly { order_line_id: string; quantity: number }[] | undefined,
  releaseRest: boolean,
): { takes: Take[]; full: boolean } => {
  const want = new Map<string, number>();
  for (const w of wanted ?? []) want.set(w.order_line_id, (want.get(w.order_line_id) ?? 0) + w.quantity);
  for (const [id, n] of want) {
    const left = lines.filter((l) => l.order_line_id === id).reduce((s, l) => s + remaining(l), 0);
    if (n > left) {
      throw validation(`Only ${left} unit(s) of order line ${id} are left to collect`, [
        { path: 'body.lines', message: `${id}: ${left} left to collect` },
      ]);
    }
  }
  const takes = lines.map((l) => {
    const left = remaining(l);
    let collect = left;
    if (wanted) {
      collect = Math.min(left, want.get(l.order_line_id) ?? 0);
      want.set(l.order_line_id, (want.get(l.order_line_id) ?? 0) - collect);
    }
    return { line: l, collect, release: releaseRest ? left - collect : 0 };
  });
  const full = takes.every((t) => t.collect + t.release === remaining(t.line));
  return { takes: takes.filter((t) => t.collect + t.release > 0), full };
};

export interface Settled {
  order_line_id: string;
  sku: string;
  quantity: number;
  amount: number;
}

/** The value of the units taken, per order line: collected units first, then released ones. */
export const valueTakes = (
  takes: readonly Take[],
  all: readonly PickupLineRow[],
  lines: readonly OrderLineRow[],
) => {
  const collected: Settled[] = [];
  const released: Settled[] = [];
  for (const l of lines) {
    const mine = takes.filter((t) => t.line.order_line_id === l.id);
    if (mine.length === 0) continue;
    const done = all
      .filter((p) => p.order_line_id === l.id)
      .reduce((s, p) => s + p.collected + p.released, 0);
    const c = mine.reduce((s, t) => s + t.collect, 0);
    const r = mine.reduce((s, t) => s + t.release, 0);
    if (c > 0)
      collected.push({ order_line_id: l.id, sku: l.sku, quantity: c, amount: unitsValue(l, done, c).amount });
    if (r > 0)
      released.push({
        order_line_id: l.id,
        sku: l.sku,
        quantity: r,
        amount: unitsValue(l, done + c, r).amount,
      });
  }
  return { collected, released };
};

const fail = (r: { ok: false; code: string; detail: string }) => {
  throw new PlazaError('CONFLICT', `The stock hold changed meanwhile (${r.detail}); retry`, {
    retryable: true,
  });
};

/**
 * Applies takes in the caller's transaction (order and pickup locked): commits collected units,
 * releases released ones, records them on pickup and order lines, and closes each fulfilment whose
 * units are all settled (`picked_up` when anything was collected from it, else `closeAs`).
 */
export const applyTakes = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  c: {
    takes: readonly Take[];
    all: readonly PickupLineRow[];
    fulfillments: readonly FulfillmentRow[];
    locationId: string;
    closeAs: 'cancelled' | 'expired';
    actor: string;
  },
): Promise<void> => {
  for (const f of c.fulfillments) {
    const mine = c.takes.filter((t) => t.line.fulfillment_id === f.id);
    if (mine.length === 0 || !f.reservation_id) continue;
    const before = c.all.filter((l) => l.fulfillment_id === f.id).reduce((s, l) => s + remaining(l), 0);
    const collect = mine.reduce((s, t) => s + t.collect, 0);
    const release = mine.reduce((s, t) => s + t.release, 0);
    if (collect > 0) {
      let holdId = f.reservation_id;
      if (collect < before) {
        const lines = mine
          .filter((t) => t.collect > 0)
          .map((t) => ({ sku: t.line.sku, location_id: c.locationId, quantity: t.collect }));
        const split = await splitReservation(tx, deps, f.reservation_id, lines, { actor: c.actor });
        if (!split.ok) fail(split);
        else holdId = split.value.split.id;
      }
      const committed = await commitReservation(tx, deps, holdId, { actor: c.actor });
      if (!committed.ok) fail(committed);
    }
    if (release > 0) {
      if (collect + release !== before)
        throw new Error(`fulfilment ${f.id}: only whole remainders are released`);
      const released = await releaseReservation(tx, deps, f.reservation_id, {
        reason: c.closeAs,
        actor: c.actor,
      });
      if (!released.ok && released.code !== 'INVALID_STATE_TRANSITION') fail(released);
    }
  }
  for (const t of c.takes) {
    const okLine = await settlePickupLine(tx, t.line, { collected: t.collect, released: t.release });
    if (!okLine) throw new PlazaError('CONFLICT', 'The pickup changed meanwhile; retry', { retryable: true });
    if (t.collect > 0 && !(await addLineQuantities(tx, t.line.order_line_id, { fulfilled: t.collect }))) {
      throw new PlazaError('INTERNAL', `order line ${t.line.order_line_id} would be over-fulfilled`);
    }
  }
  for (const f of c.fulfillments) {
    const mine = c.all.filter((l) => l.fulfillment_id === f.id);
    const taken = (l: PickupLineRow) =>
      c.takes.find((t) => t.line.fulfillment_id === f.id && t.line.order_line_id === l.order_line_id);
    const left = mine.reduce(
      (s, l) => s + remaining(l) - (taken(l)?.collect ?? 0) - (taken(l)?.release ?? 0),
      0,
    );
    if (left > 0 || f.status !== 'ready_for_pickup') continue;
    const collected = mine.reduce((s, l) => s + l.collected + (taken(l)?.collect ?? 0), 0);
    await changeFulfillmentStatus(tx, deps, f, collected > 0 ? 'picked_up' : c.closeAs, { actor: c.actor });
  }
};
