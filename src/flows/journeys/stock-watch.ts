/**
 * Stock for journeys: "back in stock at your store" watches (a customer asks to be told when a
 * variant is available again at one location), and the availability checks of send steps (an
 * abandoned cart is sent only while its items are available to its channel; a back-in-stock alert
 * only while the item is still there).
 */
import { availableFor, getCart, linesOf, loadCartContext } from '../../modules/carts/index.ts';
import { availability } from '../../modules/inventory/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { activeTriggers, enroll, type NewEnrollment } from './repo.ts';

export interface WatchRow {
  id: string;
  customer_id: string;
  variant_id: string;
  location_id: string;
  created_at: Date;
  notified_at: Date | null;
}

export const watchToApi = (w: WatchRow) => ({
  id: w.id,
  variant_id: w.variant_id,
  location_id: w.location_id,
  created_at: w.created_at.toISOString(),
  notified_at: w.notified_at?.toISOString() ?? null,
});

/**
 * Records (or renews) a customer's watch of a variant at a location: a watch already told is armed
 * again. The variant and location must exist.
 */
export const watchStock = async (
  tx: Tx,
  now: Date,
  input: { customerId: string; variantId: string; locationId: string },
): Promise<{ watch: WatchRow; created: boolean }> => {
  const ok = await tx.query(`SELECT 1 FROM variants v, locations l WHERE v.id = $1 AND l.id = $2`, [
    input.variantId,
    input.locationId,
  ]);
  if (!ok.rows.length) throw notFound('Variant at location', `${input.variantId}@${input.locationId}`);
  const { rows } = await tx.query<WatchRow & { inserted: boolean }>(
    `INSERT INTO stock_watches (id, customer_id, variant_id, location_id, created_at, notified_at)
     VALUES ($1, $2, $3, $4, $5, NULL)
     ON CONFLICT (customer_id, variant_id, location_id) DO UPDATE SET notified_at = NULL
     RETURNING id, customer_id, variant_id, location_id, created_at, notified_at, (xmax = 0) AS inserted`,
    [newId('stw'), input.customerId, input.variantId, input.locationId, now],
  );
  const row = rows[0] as WatchRow & { inserted: boolean };
  const { inserted, ...watch } = row;
  return { watch, created: inserted };
};

export const watchesOf = async (q: Queryable, customerId: string): Promise<WatchRow[]> =>
  (
    await q.query<WatchRow>(
      `SELECT id, customer_id, variant_id, location_id, created_at, notified_at FROM stock_watches
       WHERE customer_id = $1 ORDER BY id`,
      [customerId],
    )
  ).rows;

export const deleteWatch = async (tx: Tx, customerId: string, id: string): Promise<boolean> =>
  ((await tx.query('DELETE FROM stock_watches WHERE id = $1 AND customer_id = $2', [id, customerId]))
    .rowCount ?? 0) > 0;

interface PendingWatch extends WatchRow {
  sku: string;
  product_id: string;
  product_title: string;
  variant_title: string;
  location_name: string;
}

/**
 * One pass over pending watches (oldest first, SKIP LOCKED): a watch whose variant is available
 * (> 0) at its own location now enters the active back-in-stock journeys (key `variant:location`)
 * and is marked told. Nothing happens while no back-in-stock journey is active. Returns watches fired.
 */
export const fireStockWatches = async (deps: Pick<Deps, 'db' | 'clock'>, batch = 500): Promise<number> =>
  deps.db.tx(async (tx) => {
    const journeys = await activeTriggers(tx, 'stock');
    if (journeys.length === 0) return 0;
    const { rows } = await tx.query<PendingWatch>(
      `SELECT w.id, w.customer_id, w.variant_id, w.location_id, w.created_at, w.notified_at, v.sku,
         v.product_id, p.title AS product_title, v.title AS variant_title, l.name AS location_name
       FROM stock_watches w JOIN variants v ON v.id = w.variant_id JOIN products p ON p.id = v.product_id
       JOIN locations l ON l.id = w.location_id
       WHERE w.notified_at IS NULL ORDER BY w.created_at, w.id LIMIT $1 FOR UPDATE OF w SKIP LOCKED`,
      [batch],
    );
    if (rows.length === 0) return 0;
    const stock = await availability(tx, {
      skus: rows.map((r) => r.sku),
      locationIds: rows.map((r) => r.location_id),
    });
    const avail = new Map(stock.map((s) => [`${s.sku}\u0000${s.location_id}`, s.available]));
    const fired = rows.filter((r) => (avail.get(`${r.sku}\u0000${r.location_id}`) ?? 0) > 0);
    if (fired.length === 0) return 0;
    const now = deps.clock.now();
    const entries: NewEnrollment[] = journeys.flatMap((j) =>
      fired.map((w) => ({
        journeyId: j.journey_id,
        version: j.version,
        customerId: w.customer_id,
        triggerKey: `${w.variant_id}:${w.location_id}`,
        context: {
          watch_id: w.id,
          variant_id: w.variant_id,
          product_id: w.product_id,
          sku: w.sku,
          product_title: w.product_title,
          variant_title: w.variant_title,
          location_id: w.location_id,
          location_name: w.location_name,
          available: avail.get(`${w.sku}\u0000${w.location_id}`) ?? 0,
        },
      })),
    );
    await enroll(tx, entries, now);
    await tx.query('UPDATE stock_watches SET notified_at = $2 WHERE id = ANY($1::text[])', [
      fired.map((w) => w.id),
      now,
    ]);
    return fired.length;
  });

/** Units of a SKU available at a location now. */
export const availableAt = async (q: Queryable, sku: string, locationId: string): Promise<number> =>
  (await availability(q, { skus: [sku], locationIds: [locationId] }))[0]?.available ?? 0;

export type CartCheck = 'available' | 'out_of_stock' | 'cart_closed' | 'cart_empty';

/**
 * Whether every line of a cart is still available in its quantity to the cart's channel and
 * fulfilment choice (the same numbers the cart shows the shopper).
 */
export const checkCart = async (q: Queryable, cartId: string, now: Date): Promise<CartCheck> => {
  const cart = await getCart(q, cartId);
  if (cart?.status !== 'active' || cart.order_id) return 'cart_closed';
  const lines = await linesOf(q, cartId);
  if (lines.length === 0) return 'cart_empty';
  const byChannel = new Map<string, typeof lines>();
  for (const l of lines) byChannel.set(l.channel_id, [...(byChannel.get(l.channel_id) ?? []), l]);
  for (const [channelId, ls] of byChannel) {
    const ctx = await loadCartContext(q, { channelId, currency: '' }, ls, now);
    if (ls.some((l) => availableFor(cart, ctx.routing, l.sku) < l.quantity)) return 'out_of_stock';
  }
  return 'available';
};
