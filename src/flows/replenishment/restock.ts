/**
 * "Usually back in N days" (docs/forecasting.md): for SKUs out of stock on a channel, the days until
 * the first stock on its way to one of the channel's locations arrives — an open transfer (shipped,
 * or requested, plus the transfer lead time) or an ordered purchase order (its expected day). An
 * arrival already late counts as tomorrow.
 */
import type { Queryable } from '../../platform/db.ts';
import { todayIn } from '../forecasting/history.ts';
import { forecastSettings } from '../forecasting/settings.ts';

export const restockDays = async (
  q: Queryable,
  locationIds: readonly string[],
  skus: readonly string[],
  now: Date,
): Promise<Map<string, number>> => {
  if (skus.length === 0 || locationIds.length === 0) return new Map();
  const settings = await forecastSettings(q);
  const today = todayIn(now, settings.timeZone);
  const { rows } = await q.query<{ sku: string; days: number }>(
    `SELECT sku, greatest(1, min(arrive) - $3::date)::int AS days FROM (
       SELECT tl.sku, (coalesce(t.shipped_at, t.created_at) AT TIME ZONE $4)::date + $5::int AS arrive
         FROM inventory_transfers t JOIN inventory_transfer_lines tl ON tl.transfer_id = t.id
        WHERE t.to_location_id = ANY($1) AND tl.sku = ANY($2)
          AND t.status IN ('requested', 'in_transit', 'partially_received') AND tl.quantity > tl.quantity_received
       UNION ALL
       SELECT l.sku, po.expected_on
         FROM purchase_orders po JOIN purchase_order_lines l ON l.purchase_order_id = po.id
        WHERE po.location_id = ANY($1) AND l.sku = ANY($2)
          AND po.status IN ('ordered', 'partially_received') AND l.quantity > l.quantity_received
     ) x GROUP BY sku`,
    [locationIds, skus, today, settings.timeZone, settings.transferLeadDays],
  );
  return new Map(rows.map((r) => [r.sku, r.days]));
};
