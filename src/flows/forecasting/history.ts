/**
 * Demand history per SKU × location × day (docs/forecasting.md, "Demand history"), rebuilt from
 * what the other modules record:
 * - sold: order lines at the location that fulfils them (fulfillment lines: the pickup store, the
 *   selling store of a POS sale, the location that ships), on the day the order was placed in that
 *   location's time zone; a line without a fulfillment line counts at the order's pickup or selling
 *   location. Orders that are not sales (cancelled, expired, unpaid) are left out.
 * - returned: return lines at the location that received them, on the day received.
 * - stockout: available (on hand minus reserved, from the movement ledger) was at zero or below at
 *   some time of the day, so the day's demand is censored.
 *
 * A rebuild replaces every day from `from` on (never adds), so it equals a recomputation whatever
 * happened in between; the nightly run rebuilds the last REBUILD_DAYS days (late cancellations,
 * returns), and the whole history when it is empty.
 */
import { NOT_SALES } from '../../modules/orders/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';

/** Days rebuilt by a routine run: cancellations and returns of the last five weeks reach the history. */
export const REBUILD_DAYS = 35;
/** Days of history the models read (two years). */
export const HISTORY_DAYS = 730;

const addDays = (day: string, n: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

export { addDays };

/** Days from `start` to `day` (YYYY-MM-DD), negative when `day` is before. */
export const daysBetween = (start: string, day: string): number =>
  Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);

/** Today (YYYY-MM-DD) in an IANA time zone. */
export const todayIn = (now: Date, tz: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(now);

/**
 * Rebuilds demand_days from `from` (a YYYY-MM-DD local day) to today. Source rows are read from
 * a day before `from` in UTC so that every location's local day is complete.
 */
export const rebuildDemand = async (tx: Tx, from: string, now: Date, sku?: string): Promise<number> => {
  const since = `${addDays(from, -1)}T00:00:00Z`;
  await tx.query('DELETE FROM demand_days WHERE day >= $1::date AND ($2::text IS NULL OR sku = $2)', [
    from,
    sku ?? null,
  ]);
  const res = await tx.query(
    `WITH sold AS (
       SELECT fl.sku, f.location_id, (o.placed_at AT TIME ZONE l.timezone)::date AS day,
              fl.quantity AS sold, 0 AS returned, false AS stockout
         FROM orders o
         JOIN fulfillments f ON f.order_id = o.id
         JOIN fulfillment_lines fl ON fl.fulfillment_id = f.id
         JOIN locations l ON l.id = f.location_id
        WHERE o.placed_at >= $2::timestamptz AND NOT (o.status = ANY($3)) AND ($5::text IS NULL OR fl.sku = $5)
       UNION ALL
       SELECT ol.sku, l.id, (o.placed_at AT TIME ZONE l.timezone)::date,
              ol.quantity - coalesce((SELECT sum(x.quantity) FROM fulfillment_lines x WHERE x.order_line_id = ol.id), 0)::int,
              0, false
         FROM orders o
         JOIN order_lines ol ON ol.order_id = o.id
         JOIN locations l ON l.id = coalesce(o.pickup_location_id, o.selling_location_id)
        WHERE o.placed_at >= $2::timestamptz AND NOT (o.status = ANY($3)) AND ($5::text IS NULL OR ol.sku = $5)
     ), returned AS (
       SELECT rl.sku, r.location_id, (r.received_at AT TIME ZONE l.timezone)::date AS day,
              0 AS sold, rl.quantity AS returned, false AS stockout
         FROM returns r
         JOIN return_lines rl ON rl.return_id = r.id
         JOIN locations l ON l.id = r.location_id
        WHERE r.received_at >= $2::timestamptz AND r.status IN ('received', 'completed')
          AND ($5::text IS NULL OR rl.sku = $5)
     ), recent AS (
       SELECT m.sku, m.location_id, m.id, m.created_at, m.on_hand_delta - m.reserved_delta AS delta
         FROM inventory_movements m
        WHERE m.created_at >= $2::timestamptz AND ($5::text IS NULL OR m.sku = $5)
     ), levels AS (
       -- Available after each movement since \`since\`, counted back from the level as it is now
       -- (the ledger adds up to it), so only the recent movements are read, not the whole ledger.
       SELECT m.sku, m.location_id, m.created_at AS at,
              (il.on_hand - il.reserved) - coalesce(sum(m.delta) OVER after, 0) AS available,
              lead(m.created_at) OVER w AS next_at
         FROM recent m JOIN inventory_levels il ON il.sku = m.sku AND il.location_id = m.location_id
       WINDOW w AS (PARTITION BY m.sku, m.location_id ORDER BY m.created_at, m.id),
              after AS (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
       UNION ALL
       -- The state at \`since\`, until the level's first recent movement (or all along without one).
       SELECT il.sku, il.location_id, $2::timestamptz,
              (il.on_hand - il.reserved) - coalesce(r.delta, 0), r.first_at
         FROM inventory_levels il
         LEFT JOIN (SELECT sku, location_id, sum(delta) AS delta, min(created_at) AS first_at
                      FROM recent GROUP BY sku, location_id) r
           ON r.sku = il.sku AND r.location_id = il.location_id
        WHERE ($5::text IS NULL OR il.sku = $5)
          AND EXISTS (SELECT 1 FROM inventory_movements x
                       WHERE x.sku = il.sku AND x.location_id = il.location_id AND x.created_at < $2::timestamptz)
     ), outs AS (
       SELECT v.sku, v.location_id, d::date AS day, 0 AS sold, 0 AS returned, true AS stockout
         FROM levels v
         JOIN locations l ON l.id = v.location_id,
         LATERAL generate_series((v.at AT TIME ZONE l.timezone)::date,
                                 (coalesce(v.next_at, $4::timestamptz) AT TIME ZONE l.timezone)::date,
                                 interval '1 day') d
        WHERE v.available <= 0 AND coalesce(v.next_at, $4::timestamptz) >= $2::timestamptz
          AND (v.next_at IS NULL OR v.next_at > v.at)
     )
     INSERT INTO demand_days (sku, location_id, day, sold, returned, stockout)
     SELECT sku, location_id, day, sum(sold)::int, sum(returned)::int, bool_or(stockout)
       FROM (SELECT * FROM sold WHERE sold > 0 UNION ALL SELECT * FROM returned UNION ALL SELECT * FROM outs) x
      WHERE day >= $1::date AND day <= ($4::timestamptz AT TIME ZONE 'UTC')::date + 1
      GROUP BY sku, location_id, day`,
    [from, since, NOT_SALES, now, sku ?? null],
  );
  return res.rowCount;
};

export interface DemandSeries {
  sku: string;
  location_id: string;
  /** Days since the series' start day (index into the dense series), in no particular order. */
  offsets: number[];
  net: number[];
  stockout: boolean[];
}

/**
 * The demand of these SKUs (every location) between `start` (inclusive) and `end` (exclusive), one
 * row per series with its days as offsets from `start`: the caller makes the dense arrays. Each
 * series comes as one compact text (`offset:net[x],…`, x for a stock-out day) rather than three
 * arrays: parsing three integer arrays of 20 million elements in the driver took minutes at 100,000
 * series, splitting one string per series takes a second or two (BENCHMARKS.md, "Forecasting").
 *
 * The query filters by SKU only and the days outside [start, end) are dropped here: with a day range
 * too, the plan PostgreSQL keeps for the prepared statement (a generic one after five runs) walked
 * the whole `demand_days_day` index for every chunk (384 s of a 394 s run at 100,000 series).
 */
export const readDemand = async (
  q: Queryable,
  skus: readonly string[],
  start: string,
  end: string,
): Promise<DemandSeries[]> => {
  const { rows } = await q.query<{ sku: string; location_id: string; days: string }>(
    `SELECT sku, location_id,
            string_agg((day - $2::date)::text || ':' || (sold - returned)::text || CASE WHEN stockout THEN 'x' ELSE '' END, ',') AS days
       FROM demand_days WHERE sku = ANY($1)
      GROUP BY sku, location_id`,
    [skus, start],
  );
  const days = daysBetween(start, end);
  const series: DemandSeries[] = [];
  for (const r of rows) {
    const offsets: number[] = [];
    const net: number[] = [];
    const stockout: boolean[] = [];
    for (const p of r.days.split(',')) {
      const colon = p.indexOf(':');
      const at = Number(p.slice(0, colon));
      if (at < 0 || at >= days) continue;
      const out = p.endsWith('x');
      offsets.push(at);
      net.push(Number(p.slice(colon + 1, out ? -1 : undefined)));
      stockout.push(out);
    }
    if (offsets.length > 0) series.push({ sku: r.sku, location_id: r.location_id, offsets, net, stockout });
  }
  return series;
};
