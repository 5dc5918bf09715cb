/**
 * Operations measures: how far click & collect buyers travel to their pickup store (orders, customer
 * traits, locations), how stock is spread over locations (inventory levels), and how accurate the
 * last forecasting run was (forecast_runs.summary, src/flows/forecasting/write.ts).
 */
import { NOT_SALES } from '../../modules/orders/index.ts';
import type { Measure } from '../../modules/strategy/schema.ts';
import type { Queryable } from '../../platform/db.ts';
import { distanceKm } from '../../platform/geo.ts';
import { analyticsTimeZone } from '../analytics/options.ts';
import { addDays, count, describePeriod, measureOf, type Period, percent, ratio } from './measures-common.ts';

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const m = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return Math.round(m * 100) / 100;
};

/** A number kept in jsonb (a trait or an address field), as float8; NULL otherwise. */
const NUM = (json: string) =>
  `CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${json} #>> '{}')::float8 END`;

/**
 * pickup_distance_km: per pickup sale of a customer in the period, the great-circle distance from the
 * buyer's known position to the pickup store; the median over the sales where both are known.
 */
export const pickupDistance = async (q: Queryable, p: Period): Promise<Measure> => {
  const tz = await analyticsTimeZone(q);
  const { rows } = await q.query<{
    location_id: string;
    name: string;
    store_lat: number | null;
    store_lng: number | null;
    lat: number | null;
    lng: number | null;
  }>(
    `WITH pk AS (
       SELECT o.id, o.customer_id, o.pickup_location_id FROM orders o
       WHERE o.fulfillment_type = 'pickup' AND o.customer_id IS NOT NULL AND o.status <> ALL($4::text[])
         AND o.placed_at >= ($1::date::timestamp AT TIME ZONE $3) AND o.placed_at < (($2::date + 1)::timestamp AT TIME ZONE $3))
     SELECT pk.pickup_location_id AS location_id, l.name, l.latitude AS store_lat, l.longitude AS store_lng,
       coalesce(t.lat, a.lat) AS lat, coalesce(t.lng, a.lng) AS lng
     FROM pk JOIN locations l ON l.id = pk.pickup_location_id
     LEFT JOIN LATERAL (
       SELECT ${NUM('la.value')} AS lat, ${NUM('lo.value')} AS lng
       FROM customer_traits la JOIN customer_traits lo ON lo.customer_id = la.customer_id AND lo.key = 'longitude'
       WHERE la.customer_id = pk.customer_id AND la.key = 'latitude'
         AND jsonb_typeof(la.value) = 'number' AND jsonb_typeof(lo.value) = 'number') t ON true
     LEFT JOIN LATERAL (
       SELECT ${NUM("s.shipping_address -> 'latitude'")} AS lat, ${NUM("s.shipping_address -> 'longitude'")} AS lng
       FROM orders s WHERE s.customer_id = pk.customer_id
         AND jsonb_typeof(s.shipping_address -> 'latitude') = 'number'
         AND jsonb_typeof(s.shipping_address -> 'longitude') = 'number'
       ORDER BY s.placed_at DESC, s.id DESC LIMIT 1) a ON true
     ORDER BY pk.id`,
    [p.from, p.to, tz, NOT_SALES],
  );
  const all: number[] = [];
  const byStore = new Map<string, { name: string; km: number[] }>();
  for (const r of rows) {
    if (r.lat === null || r.lng === null || r.store_lat === null || r.store_lng === null) continue;
    const km = distanceKm({ lat: r.lat, lng: r.lng }, { lat: r.store_lat, lng: r.store_lng });
    all.push(km);
    const s = byStore.get(r.location_id) ?? { name: r.name, km: [] };
    s.km.push(km);
    byStore.set(r.location_id, s);
  }
  const value = median(all);
  return measureOf('pickup_distance_km', 'km', {
    value,
    sample: all.length,
    period: p,
    method:
      `Median great-circle distance (km) from the buyer's known position to the pickup store, over the ` +
      `click & collect sales of customers placed ${describePeriod(p)}: ${count(all.length)} of ` +
      `${count(rows.length)} such sales had both positions. The buyer's position is their latitude and ` +
      `longitude traits, else the coordinates of their latest shipping address that had them; Plaza ` +
      `does not geocode addresses, so buyers without either (and guests) are left out. Breakdown: the ` +
      `median per pickup store.`,
    breakdown: [...byStore.values()].map((s) => ({
      label: s.name,
      value: median(s.km),
      sample: s.km.length,
    })),
  });
};

/**
 * stock_spread: the share of the SKUs in stock (on hand at an active location) that are on hand at
 * one or more active pickup locations, where a click & collect order can be ready without a transfer.
 */
export const stockSpread = async (q: Queryable, today: string): Promise<Measure> => {
  const { rows } = await q.query<{
    type: string;
    skus: number;
    locations: number;
    total: number;
    at_pickup: number;
  }>(
    `WITH lv AS (
       SELECT i.sku, i.location_id, l.type, l.pickup FROM inventory_levels i
       JOIN locations l ON l.id = i.location_id WHERE l.active AND i.on_hand > 0)
     SELECT lv.type, count(DISTINCT lv.sku)::int AS skus, count(DISTINCT lv.location_id)::int AS locations,
       (SELECT count(DISTINCT sku) FROM lv)::int AS total,
       (SELECT count(DISTINCT sku) FROM lv WHERE pickup)::int AS at_pickup
     FROM lv GROUP BY lv.type ORDER BY lv.type`,
  );
  const total = rows[0]?.total ?? 0;
  const atPickup = rows[0]?.at_pickup ?? 0;
  const value = ratio(atPickup, total);
  return measureOf('stock_spread', 'ratio', {
    value,
    sample: total,
    period: { from: today, to: today },
    method:
      `Share of the SKUs in stock today (on hand at an active location) that are on hand at one or more ` +
      `active pickup locations, where a click & collect order can be prepared without a transfer: ` +
      `${count(atPickup)} of ${count(total)} SKUs (${percent(value)}), from the inventory levels. ` +
      `Breakdown per location type: the share of the SKUs in stock held at one or more locations of ` +
      `that type (sample: its locations holding stock).`,
    breakdown: rows.map((r) => ({ label: r.type, value: ratio(r.skus, total), sample: r.locations })),
  });
};

/** Backtest window of a forecasting run (docs/forecasting.md: 13 origins of 7 days). */
const BACKTEST_DAYS = 91;

/**
 * forecast_accuracy: the backtest error of the chosen models over that of seasonal naive, from the
 * last completed run over every series (a run for one SKU says nothing of the shop).
 */
export const forecastAccuracy = async (q: Queryable): Promise<Measure> => {
  const { rows } = await q.query<{ id: string; first_day: string; summary: Record<string, unknown> }>(
    `SELECT id, to_char(first_day, 'YYYY-MM-DD') AS first_day, summary FROM forecast_runs
     WHERE status = 'completed' AND scope = 'all' ORDER BY finished_at DESC, id DESC LIMIT 1`,
  );
  const run = rows[0];
  const rel = run?.summary.relative_mae;
  const points = run?.summary.backtest_points;
  const value = typeof rel === 'number' ? Math.round(rel * 10_000) / 10_000 : null;
  const sample = typeof points === 'number' ? points : 0;
  const period = run
    ? { from: addDays(run.first_day, -BACKTEST_DAYS), to: addDays(run.first_day, -1) }
    : null;
  return measureOf('forecast_accuracy', 'ratio', {
    value,
    sample,
    period,
    method: run
      ? `Relative error of the last completed forecasting run over every series (${run.id}, first day ` +
        `${run.first_day}): the summed absolute error of the chosen models in the rolling-origin backtest ` +
        `divided by that of seasonal naive on the same days (the ratio of their MASE; below 1 beats ` +
        `seasonal naive, lower is better), from forecast_runs.summary.relative_mae. Sample: ` +
        `${count(sample)} backtest points over about the ${BACKTEST_DAYS} days before the first day.` +
        (value === null ? ' The run had no backtest (too little history).' : '')
      : 'No completed forecasting run over every series yet (forecast_runs); runs for one SKU are not used.',
  });
};
