/**
 * What replenishment reads for a set of SKUs: each SKU × location's forecast, stock, inbound
 * quantities with their arrival day, policy and source, and the SKU's preferred supplier.
 */
import { inboundPurchases, preferredSuppliers } from '../../modules/purchasing/index.ts';
import type { Queryable } from '../../platform/db.ts';
import type { ForecastSettings } from '../forecasting/settings.ts';
import type { DailyForecast } from './policy.ts';

export interface ItemState {
  sku: string;
  location_id: string;
  location_type: string;
  forecast: DailyForecast;
  first_day: string;
  available: number;
  arrivals: { day: number; quantity: number; kind: 'transfer' | 'purchase_order'; id: string }[];
  /** Where it is replenished from by transfer; null: it buys from the supplier. */
  source_location_id: string | null;
  lead_days: number | null;
  review_days: number;
  service_level: number;
}

export interface Supplier {
  supplier_id: string;
  lead_time_days: number;
  min_order: number;
  pack_size: number;
}

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

interface Row {
  sku: string;
  location_id: string;
  location_type: string;
  first_day: string;
  mean: number[];
  lo80: number[];
  hi80: number[];
  available: number;
  source_location_id: string | null;
  lead_time_days: number | null;
  review_days: number | null;
  service_level: number | null;
}

export const loadStates = async (
  q: Queryable,
  skus: readonly string[],
  settings: ForecastSettings,
): Promise<{ items: ItemState[]; suppliers: Map<string, Supplier> }> => {
  const rows = (
    await q.query<Row>(
      `SELECT f.sku, f.location_id, l.type AS location_type, to_char(f.first_day, 'YYYY-MM-DD') AS first_day,
              f.mean, f.lo80, f.hi80,
              coalesce(greatest(il.on_hand - il.reserved - il.safety_stock, 0), 0)::int AS available,
              CASE WHEN p.sku IS NOT NULL THEN p.source_location_id
                   WHEN l.type = 'store' THEN (SELECT w.id FROM locations w WHERE w.type = 'warehouse' AND w.active
                                                ORDER BY w.created_at, w.id LIMIT 1)
              END AS source_location_id,
              p.lead_time_days, p.review_days, p.service_level
         FROM forecasts f
         JOIN locations l ON l.id = f.location_id AND l.active
         LEFT JOIN inventory_levels il ON il.sku = f.sku AND il.location_id = f.location_id
         LEFT JOIN replenishment_policies p ON p.sku = f.sku AND p.location_id = f.location_id
        WHERE f.sku = ANY($1)
        ORDER BY f.sku, f.location_id`,
      [skus],
    )
  ).rows;
  const transfers = (
    await q.query<{ sku: string; location_id: string; id: string; quantity: number; shipped: string | null }>(
      `SELECT tl.sku, t.to_location_id AS location_id, t.id, (tl.quantity - tl.quantity_received)::int AS quantity,
              to_char(coalesce(t.shipped_at, t.created_at), 'YYYY-MM-DD') AS shipped
         FROM inventory_transfers t JOIN inventory_transfer_lines tl ON tl.transfer_id = t.id
        WHERE tl.sku = ANY($1) AND t.status IN ('requested', 'in_transit', 'partially_received')
          AND tl.quantity > tl.quantity_received`,
      [skus],
    )
  ).rows;
  const purchases = await inboundPurchases(q, { skus: [...skus] });
  const key = (sku: string, loc: string) => `${sku}\u0000${loc}`;
  const arrivals = new Map<string, ItemState['arrivals']>();
  const add = (k: string, a: ItemState['arrivals'][number]) => {
    const list = arrivals.get(k) ?? [];
    list.push(a);
    arrivals.set(k, list);
  };
  const items: ItemState[] = rows.map((r) => ({
    sku: r.sku,
    location_id: r.location_id,
    location_type: r.location_type,
    forecast: { mean: r.mean, lo80: r.lo80, hi80: r.hi80 },
    first_day: r.first_day,
    available: r.available,
    arrivals: [],
    source_location_id: r.source_location_id === r.location_id ? null : r.source_location_id,
    lead_days: r.lead_time_days,
    review_days: r.review_days ?? settings.reviewDays,
    service_level: r.service_level ?? settings.serviceLevel,
  }));
  const firstDay = items[0]?.first_day;
  if (firstDay) {
    for (const t of transfers)
      add(key(t.sku, t.location_id), {
        day: t.shipped ? daysBetween(firstDay, t.shipped) + settings.transferLeadDays : 0,
        quantity: t.quantity,
        kind: 'transfer',
        id: t.id,
      });
    for (const p of purchases)
      add(key(p.sku, p.location_id), {
        day: daysBetween(firstDay, p.expected_on),
        quantity: p.quantity,
        kind: 'purchase_order',
        id: p.purchase_order_id,
      });
  }
  for (const it of items) it.arrivals = arrivals.get(key(it.sku, it.location_id)) ?? [];
  const suppliers = new Map<string, Supplier>();
  for (const [sku, s] of await preferredSuppliers(q, [...skus])) suppliers.set(sku, s);
  return { items, suppliers };
};
