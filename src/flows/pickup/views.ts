import { getTransfer } from '../../modules/inventory/index.ts';
import { fulfillmentsOf, getOrders, linesOf } from '../../modules/orders/index.ts';
import { type PickupRow, pickupLinesOf, pickupTransfersOf, qrPayload } from '../../modules/pickups/index.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Pickup } from './schema.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Pickups as staff see them (never the code), with their order, lines and transfers. */
export const pickupViews = async (q: Queryable, rows: PickupRow[], now: Date): Promise<Pickup[]> => {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.order_id);
  const [orders, lines, plines, fuls, links] = await Promise.all([
    getOrders(q, ids),
    linesOf(q, ids),
    pickupLinesOf(q, ids),
    fulfillmentsOf(q, ids),
    pickupTransfersOf(q, ids),
  ]);
  const transfers = new Map(
    await Promise.all(links.map(async (l) => [l.transfer_id, await getTransfer(q, l.transfer_id)] as const)),
  );
  return rows.map((p) => {
    const o = orders.find((x) => x.id === p.order_id);
    const waiting = fuls.some(
      (f) => f.order_id === p.order_id && f.location_id === p.location_id && f.status === 'awaiting_transfer',
    );
    const mine = plines.filter((l) => l.order_id === p.order_id);
    const byLine = new Map<string, { quantity: number; collected: number; released: number }>();
    for (const l of mine) {
      const acc = byLine.get(l.order_line_id) ?? { quantity: 0, collected: 0, released: 0 };
      byLine.set(l.order_line_id, {
        quantity: acc.quantity + l.quantity,
        collected: acc.collected + l.collected,
        released: acc.released + l.released,
      });
    }
    return {
      order_id: p.order_id,
      order_number: p.order_number,
      status: p.status,
      location_id: p.location_id,
      channel_id: p.channel_id,
      customer_id: p.customer_id,
      email: o?.email ?? null,
      order_status: o?.status ?? 'unknown',
      payment_status: o?.payment_status ?? 'unknown',
      total: o?.total ?? 0,
      currency: o?.currency ?? '',
      ready_estimate_at: iso(p.ready_estimate_at),
      ready_at: iso(p.ready_at),
      deadline_at: iso(p.deadline_at),
      reminder_at: iso(p.reminder_at),
      closed_at: iso(p.closed_at),
      overdue: p.status === 'to_prepare' && p.ready_estimate_at !== null && p.ready_estimate_at < now,
      awaiting_transfer: waiting,
      can_mark_ready: p.status === 'to_prepare' && !waiting && o?.status === 'confirmed',
      lines: lines
        .filter((l) => l.order_id === p.order_id && byLine.has(l.id))
        .map((l) => {
          const s = byLine.get(l.id) as { quantity: number; collected: number; released: number };
          return {
            order_line_id: l.id,
            sku: l.sku,
            title: l.title,
            quantity: s.quantity,
            collected: s.collected,
            released: s.released,
            remaining: s.quantity - s.collected - s.released,
          };
        }),
      transfers: links
        .filter((l) => l.order_id === p.order_id)
        .map((l) => ({
          transfer_id: l.transfer_id,
          from_location_id: transfers.get(l.transfer_id)?.from_location_id ?? '',
          status: transfers.get(l.transfer_id)?.status ?? 'unknown',
          received: l.store_held_at !== null,
        })),
    };
  });
};

/** The customer's view of their pickup: status, code and QR payload. */
export const shopperPickupView = (p: PickupRow) => ({
  order_id: p.order_id,
  order_number: p.order_number,
  status: p.status,
  location_id: p.location_id,
  code: p.code,
  qr_payload: qrPayload(p.order_number, p.code),
  ready_estimate_at: iso(p.ready_estimate_at),
  deadline_at: iso(p.deadline_at),
});
