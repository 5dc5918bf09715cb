/**
 * The forecasting benchmark's data set, generated in SQL (generate_series, set-based INSERT … SELECT)
 * into a fresh migrated database: `locations` (one warehouse that ships online orders, the rest
 * stores in ten time zones, the last few opened recently), `skus` catalog variants (4 per product,
 * 20 categories), one inventory level per SKU × location (some out of stock or nearly, so that
 * replenishment has work), suppliers with their SKUs, some inbound purchase orders and transfers,
 * and two years of `demand_days` (the 730 days before `today`, the run's first forecast day).
 *
 * Demand of SKU i at location j on day t is drawn around
 *   λ = A · popularity(i) · size(j) · affinity(i, j) · weekday · year · trend · promotion · holiday · ramp
 * - popularity: Zipf-like, 1 / rank^0.8 over a shuffled rank (A = 60); size: the warehouse 8 (online), stores
 *   log-normal around 1; affinity: log-normal (σ = 1) per series, and 5 % of store series never sell (not ranged);
 * - weekday: a store profile (Saturday peak) or an online one, its strength per category;
 * - year: 1 + amplitude · sin(2π(t / 365.25 + phase)), amplitude and phase per category;
 * - trend: exp(g · years before today), g in [-0.5, 0.8] per SKU;
 * - promotion: chain-wide weeks per SKU (3-8 % of its weeks, lift 1.8-3.8); Black Friday week 1.6;
 *   stores closed on December 25; a new SKU or location ramps up over its first 4 weeks;
 * - 6 % of SKUs launched in the last 200 days (some under 4 weeks: fallbacks), 9 % in the first 500
 *   days; the last 3 % of stores opened 15, 45 and 120 days ago.
 * A day's quantity is 0 with probability e^-λ, else a zero-truncated geometric draw (λ < 2) or a
 * normal one with variance 2λ. Stock-outs: per series and 14-day block, a stock-out of 1-6 days with
 * probability 1-6 %, and 6 % of series are out of stock for their last 1-5 days (their level is 0);
 * a stock-out day keeps 30 % of its demand (a censored lower bound). Returns: ≈1.5 % of days with
 * demand. As in Plaza, only days with demand, a return or a stock-out are stored. Deterministic
 * per chunk (setseed; promotions and stock-outs from hashint8). The rows are written a week at a
 * time in day order, as the nightly rebuild leaves the table (not clustered by series: reading one
 * SKU's history touches pages all over the table unless an index covers the columns read).
 */
import type { Db } from '../../src/platform/db.ts';
import { newId } from '../../src/platform/ids.ts';
import { checkForeignKeys } from './analytics-data.ts';
import { vacuum } from './campaigns-data.ts';
import { createIndexes, dropIndexes } from './segments-data.ts';

export interface ForecastScale {
  skus: number;
  locations: number;
}

export const FULL_SCALE: ForecastScale = { skus: 1_000, locations: 100 };
export const SMALL_SCALE: ForecastScale = { skus: 100, locations: 10 };

/** Mean daily units of the most popular SKU at a store of size 1 (calibrates the row count). */
const A = 60;
const CATEGORIES = 20;
const SUPPLIERS = 8;

export interface ForecastData {
  seconds: number;
  rows: Record<string, number>;
}

/** Time zone and country of location j: ZONES[j % 10]. */
const ZONES = ['America/New_York US', 'America/Chicago US', 'America/Denver US', 'America/Los_Angeles US']
  .concat(['America/Phoenix US', 'America/Anchorage US', 'Pacific/Honolulu US', 'America/Toronto CA'])
  .concat(['Europe/London GB', 'Europe/Berlin DE'])
  .map((z) => z.split(' '));

/** A hash of a bigint as a number in [0, 1) (stable across runs and backends). */
const UNIT = (x: string) => `((hashint8(${x})::float8 + 2147483648) / 4294967296)`;

const LOCATIONS_SQL = `
INSERT INTO locations (id, name, type, address_line1, city, country, timezone, pickup, ship_from_store,
                       sells_in_store, active, created_at, updated_at)
SELECT ($1::text[])[j], CASE WHEN j = 1 THEN 'Forecast Warehouse' ELSE 'Forecast Store ' || lpad((j - 1)::text, 3, '0') END,
       CASE WHEN j = 1 THEN 'warehouse' ELSE 'store' END, j || ' Main St', 'City ' || j,
       ($3::text[])[1 + j % 10], ($2::text[])[1 + j % 10], j > 1, false, j > 1, true,
       $4::date + coalesce(o.open_t, 0), $4::date + coalesce(o.open_t, 0)
  FROM generate_series(1, $5::int) j
  LEFT JOIN unnest($6::int[]) WITH ORDINALITY o (open_t, k) ON j = $5::int + 1 - o.k::int`;

const CATALOG_SQL = [
  `INSERT INTO categories (id, name, handle, created_at, updated_at)
   SELECT 'cat_FC' || lpad(c::text, 3, '0'), 'Forecast category ' || c, 'forecast-category-' || c, now(), now()
     FROM generate_series(1, ${CATEGORIES}) c`,
  `INSERT INTO products (id, handle, title, status, created_at, updated_at)
   SELECT 'prod_FC' || lpad(p::text, 5, '0'), 'forecast-product-' || p, 'Forecast product ' || p, 'published', now(), now()
     FROM generate_series(1, ($1::int + 3) / 4) p`,
  `INSERT INTO product_categories (product_id, category_id)
   SELECT 'prod_FC' || lpad(p::text, 5, '0'), 'cat_FC' || lpad((1 + p % ${CATEGORIES})::text, 3, '0')
     FROM generate_series(1, ($1::int + 3) / 4) p`,
  `INSERT INTO variants (id, product_id, sku, title, options, position, created_at, updated_at)
   SELECT 'var_FC' || lpad(i::text, 5, '0'), 'prod_FC' || lpad(((i - 1) / 4 + 1)::text, 5, '0'),
          'SKU-' || lpad(i::text, 5, '0'), 'Size ' || (1 + (i - 1) % 4),
          jsonb_build_object('size', (1 + (i - 1) % 4)::text), (i - 1) % 4, now(), now()
     FROM generate_series(1, $1::int) i`,
];

/** Per SKU, per location and per series parameters (helper tables, dropped at the end); $1: SKUs, $2: start. */
const PARAMS_SQL = [
  `CREATE UNLOGGED TABLE bench_fc_skus AS
   SELECT i, 'SKU-' || lpad(i::text, 5, '0') AS sku, 1 + ((i - 1) / 4 + 1) % ${CATEGORIES} AS cat,
          1.0 / power(1 + (i * 379) % $1::int, 0.8) AS pop, -0.5 + 1.3 * random() AS g,
          0.03 + 0.05 * random() AS promo_p, 1.8 + 2 * random() AS promo_lift,
          CASE WHEN r < 0.06 THEN 725 - floor(random() * 195)::int WHEN r < 0.15 THEN floor(random() * 500)::int ELSE 0 END AS launch_t
     FROM (SELECT i, random() AS r FROM generate_series(1, $1::int) i WHERE $2::date IS NOT NULL OFFSET 0) x`,
  `CREATE UNLOGGED TABLE bench_fc_locs AS
   SELECT j, l.id, j > 1 AS store,
          CASE WHEN j = 1 THEN 8 ELSE exp(0.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) - 0.125) END AS size,
          (l.created_at::date - $2::date) AS open_t
     FROM (SELECT l.*, row_number() OVER (ORDER BY l.type DESC, l.name)::int AS j FROM locations l WHERE $1::int > 0) l`,
  `CREATE UNLOGGED TABLE bench_fc_series AS
   SELECT s.i, l.j, s.i * 1000 + l.j AS sid, s.sku, l.id AS location_id, l.store,
          CASE WHEN l.store AND random() < 0.05 THEN 0
               ELSE ${A} * s.pop * l.size * exp(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) - 0.5) END AS lam0,
          greatest(s.launch_t, l.open_t) AS start_t, s.g, s.promo_p, s.promo_lift,
          0.6 + 0.2 * (s.cat % 4) AS ws, 0.12 * (s.cat % 5) AS amp, s.cat / ${CATEGORIES}.0 AS phase,
          floor(random() * 14)::int AS so_off, 0.01 + 0.05 * random() AS so_p,
          CASE WHEN random() < 0.06 THEN 1 + floor(random() * 5)::int ELSE 0 END AS end_out
     FROM bench_fc_skus s CROSS JOIN bench_fc_locs l ORDER BY s.i, l.j`,
  'CREATE INDEX ON bench_fc_series (i, j)',
  'ANALYZE bench_fc_series',
];

const WEEK_STORE = '(ARRAY[0.85, 0.85, 0.9, 1.0, 1.2, 1.5, 0.7])';
const WEEK_ONLINE = '(ARRAY[1.15, 1.1, 1.05, 1.0, 0.95, 0.85, 0.9])';

/**
 * Days $1..$2 (indexes from $3, the first history day; $4: its weekday, 0 = Monday; $5: Christmas days;
 * $6: Black Friday weeks) of every series, in day order: the table ends up in the physical order the
 * nightly rebuild leaves it in (a day's rows written together), not clustered by series.
 */
const DEMAND_SQL = `
INSERT INTO demand_days (sku, location_id, day, sold, returned, stockout)
SELECT sku, location_id, day, CASE WHEN stockout THEN floor(q * 0.3)::int ELSE q END, returned, stockout
  FROM (
    SELECT sku, location_id, day, stockout,
           CASE WHEN lam <= 0 OR u1 < exp(-least(lam, 50)) THEN 0
                WHEN lam < 2 THEN 1 + floor(ln(1 - u2) / ln(greatest(1e-9, 1 - (1 - exp(-lam)) / lam)))::int
                ELSE least(100000, greatest(1, round(lam + sqrt(2 * lam) * sqrt(-2 * ln(1 - u2)) * cos(2 * pi() * u3))))::int
           END AS q,
           (u4 < 0.015 * least(1, lam))::int AS returned
      FROM (
        SELECT s.sku, s.location_id, $3::date + t AS day, random() AS u1, random() AS u2, random() AS u3, random() AS u4,
               s.lam0 * (1 + s.ws * ((CASE WHEN s.store THEN ${WEEK_STORE} ELSE ${WEEK_ONLINE} END)[1 + (t + $4::int) % 7] - 1))
                 * greatest(0.2, 1 + s.amp * sin(2 * pi() * (t / 365.25 + s.phase)))
                 * exp(s.g * (t - 729) / 365.0)
                 * CASE WHEN ${UNIT('s.i::bigint * 100000 + (t + s.i) / 7')} < s.promo_p THEN s.promo_lift ELSE 1 END
                 * CASE WHEN s.store AND t = ANY($5::int[]) THEN 0 WHEN t = ANY($6::int[]) THEN 1.6 ELSE 1 END
                 * least(1, 0.4 + 0.6 * (t - s.start_t) / 28.0) AS lam,
               s.lam0 > 0 AND (t >= 730 - s.end_out
                 OR ((t + s.so_off) % 14 < 1 + (s.sid + (t + s.so_off) / 14) % 6
                     AND ${UNIT('s.sid::bigint * 1000 + (t + s.so_off) / 14')} < s.so_p)) AS stockout
          FROM bench_fc_series s CROSS JOIN LATERAL generate_series(greatest(s.start_t, $1::int), $2::int) t
        OFFSET 0) x
    OFFSET 0) y
 WHERE q > 0 OR returned > 0 OR stockout
 ORDER BY day, sku, location_id`;

const LEVELS_SQL = `
INSERT INTO inventory_levels (sku, location_id, on_hand, reserved, safety_stock, updated_at)
SELECT sku, location_id, oh, least(oh, (random() < 0.05)::int), 0, now()
  FROM (SELECT s.sku, s.location_id,
               CASE WHEN s.end_out > 0 OR (s.lam0 = 0 AND random() < 0.5) THEN 0
                    WHEN random() < 0.15 THEN floor(random() * 3)::int
                    ELSE greatest(round(s.lam0 * CASE WHEN s.store THEN 3 + random() * 40 ELSE 20 + random() * 60 END)::int,
                                  1 + floor(random() * 3)::int)
               END AS oh
          FROM bench_fc_series s OFFSET 0) x`;

/** Suppliers, each SKU's (preferred and sometimes a second), open purchase orders and transfers. */
const SUPPLY_SQL: [string, (c: { today: string; skus: number; locations: number }) => unknown[]][] = [
  [
    `INSERT INTO suppliers (id, name, lead_time_days, created_at, updated_at)
     SELECT 'sup_FC' || k, 'Forecast supplier ' || k, 3 + 3 * k, now(), now() FROM generate_series(1, ${SUPPLIERS}) k`,
    () => [],
  ],
  [
    `INSERT INTO supplier_skus (supplier_id, sku, lead_time_days, min_order, pack_size, preferred)
     SELECT 'sup_FC' || (1 + i % ${SUPPLIERS}), sku, CASE WHEN i % 3 = 0 THEN 2 + i % 19 END,
            (ARRAY[1, 6, 12, 24])[1 + i % 4], (ARRAY[1, 1, 6, 12])[1 + (i / 4) % 4], true
       FROM bench_fc_skus
     UNION ALL
     SELECT 'sup_FC' || (1 + (i + 3) % ${SUPPLIERS}), sku, NULL, 1, 1, false FROM bench_fc_skus WHERE i % 5 = 0`,
    () => [],
  ],
  [
    `INSERT INTO purchase_orders (id, supplier_id, location_id, status, expected_on, created_by, created_at, updated_at, ordered_at)
     SELECT 'po_FC' || lpad(k::text, 4, '0'), 'sup_FC' || (1 + k % ${SUPPLIERS}), (SELECT id FROM bench_fc_locs WHERE j = 1),
            'ordered', $1::date + 1 + k % 20, 'bench', now(), now(), now()
       FROM generate_series(1, 40) k`,
    (c) => [c.today],
  ],
  [
    `INSERT INTO purchase_order_lines (purchase_order_id, sku, quantity)
     SELECT 'po_FC' || lpad(k::text, 4, '0'), 'SKU-' || lpad((1 + (k * 37 + n * 13) % $1::int)::text, 5, '0'), 12 * (1 + n % 5)
       FROM generate_series(1, 40) k, generate_series(1, 25) n`,
    (c) => [c.skus],
  ],
  [
    `INSERT INTO inventory_transfers (id, from_location_id, to_location_id, status, created_by, created_at, updated_at, shipped_at)
     SELECT 'xfer_FC' || lpad(k::text, 4, '0'), (SELECT id FROM bench_fc_locs WHERE j = 1),
            (SELECT id FROM bench_fc_locs WHERE j = 2 + k % ($1::int - 1)), 'in_transit', 'bench',
            now() - interval '2 days', now() - interval '2 days', now() - (k % 3) * interval '1 day'
       FROM generate_series(1, 200) k`,
    (c) => [c.locations],
  ],
  [
    `INSERT INTO inventory_transfer_lines (transfer_id, sku, quantity)
     SELECT 'xfer_FC' || lpad(k::text, 4, '0'), 'SKU-' || lpad((1 + (k * 53 + n * 7) % $1::int)::text, 5, '0'), 1 + (k + n) % 6
       FROM generate_series(1, 200) k, generate_series(1, 5) n`,
    (c) => [c.skus],
  ],
];

/**
 * Opt-in: a stock ledger consistent with the levels, a receipt per level on its first day ($1 when it
 * has none), a sale per day sold, a reservation per reserved level; ids sort by time, as ULIDs do.
 */
const LEDGER_SQL = `
INSERT INTO inventory_movements (id, sku, location_id, kind, on_hand_delta, reserved_delta, actor, created_at)
SELECT 'mov_FC' || lpad(row_number() OVER (ORDER BY at, sku, location_id, kind)::text, 12, '0'), sku, location_id,
       kind, oh, res, 'bench', at
  FROM (SELECT il.sku, il.location_id, 'receipt' AS kind, (il.on_hand + coalesce(d.sold, 0))::int AS oh, 0 AS res,
               coalesce(d.first, $1::date)::timestamptz AS at
          FROM inventory_levels il
          LEFT JOIN (SELECT sku, location_id, sum(sold) AS sold, min(day) AS first FROM demand_days GROUP BY 1, 2) d
            USING (sku, location_id)
        UNION ALL
        SELECT sku, location_id, 'sale', -sold, 0, day + time '12:00' FROM demand_days WHERE sold > 0
        UNION ALL
        SELECT sku, location_id, 'reservation', 0, reserved, now() FROM inventory_levels WHERE reserved > 0) x
 WHERE oh <> 0 OR res <> 0`;

const LOADED = [
  'locations',
  'products',
  'variants',
  'product_categories',
  'inventory_levels',
  'demand_days',
  'suppliers',
  'supplier_skus',
  'purchase_orders',
  'purchase_order_lines',
  'inventory_transfers',
  'inventory_transfer_lines',
  'inventory_movements',
];

const addDays = (day: string, n: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** The start's weekday (0 = Monday), then the day indexes of Christmas and of Black Friday weeks (24-30 Nov). */
const calendarOf = (start: string): [number, number[], number[]] => {
  const days = Array.from({ length: 730 }, (_, t) => addDays(start, t).slice(5));
  const pick = (f: (md: string) => boolean) => days.flatMap((md, t) => (f(md) ? [t] : []));
  return [
    (new Date(`${start}T00:00:00Z`).getUTCDay() + 6) % 7,
    pick((md) => md === '12-25'),
    pick((md) => md >= '11-24' && md <= '11-30'),
  ];
};

/** One statement in a transaction of its own, without the pool's timeout or per-row foreign-key checks. */
const bulk = (db: Db, sql: string, params: unknown[] = [], seed?: number) =>
  db.tx(async (tx) => {
    if (db.kind === 'postgres') {
      await tx.query('SET LOCAL statement_timeout = 0');
      await tx.query('SET LOCAL synchronous_commit = off');
      await tx.query("SET LOCAL work_mem = '64MB'");
      await tx.query("SET LOCAL maintenance_work_mem = '512MB'");
      await tx.query('SET LOCAL session_replication_role = replica');
    }
    if (seed !== undefined) await tx.query('SELECT setseed($1)', [seed]);
    return tx.query(sql, params);
  });

/** Drops a table's indexes and primary key before a bulk load; the function returned builds them again. */
const unindex = async (db: Db, table: string, lanes: number): Promise<() => Promise<void>> => {
  const indexes = await dropIndexes(db, table);
  const { rows } = await db.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype = 'p'`,
    [table],
  );
  for (const pk of rows) await db.query(`ALTER TABLE ${table} DROP CONSTRAINT ${pk.name}`);
  return async () => {
    for (const pk of rows) await bulk(db, `ALTER TABLE ${table} ADD CONSTRAINT ${pk.name} ${pk.def}`);
    await createIndexes(db, indexes, lanes);
  };
};

/**
 * Generates the data set into a fresh migrated database whose forecasts start on `today`
 * (YYYY-MM-DD): the history is the 730 days before it; `ledger`: a stock ledger too. Returns the
 * row counts and timings.
 */
export const generateForecastData = async (
  db: Db,
  scale: ForecastScale,
  today: string,
  opts: { ledger?: boolean } = {},
): Promise<ForecastData> => {
  const started = performance.now();
  const step = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const v = await fn();
    console.log(`    ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return v;
  };
  const start = addDays(today, -730);
  const { skus, locations } = scale;
  const newStores = Math.max(1, Math.round(locations * 0.03));
  const opened = [120, 45, 15].slice(-newStores).map((ago) => 730 - ago);
  await step(`${locations} locations, ${skus} SKUs in ${(skus + 3) >> 2} products`, async () => {
    const ids = Array.from({ length: locations }, () => newId('loc'));
    await bulk(db, LOCATIONS_SQL, [
      ids,
      ZONES.map(([tz]) => tz),
      ZONES.map(([, country]) => country),
      start,
      locations,
      opened,
    ]);
    for (const sql of CATALOG_SQL) await bulk(db, sql, sql.includes('$1') ? [skus] : []);
  });
  await step('series parameters', async () => {
    for (const sql of PARAMS_SQL) await bulk(db, sql, sql.includes('$1') ? [skus, start] : [], 0.42);
  });
  const calendar = calendarOf(start);
  const lanes = db.kind === 'postgres' ? 2 : 1;
  const reindex = await unindex(db, 'demand_days', lanes);
  const week = 7;
  const chunks = Math.ceil(730 / week);
  await step(`demand_days (${lanes} connections, ${chunks} chunks of ${week} days)`, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let c = next++; c < chunks; c = next++)
          await bulk(
            db,
            DEMAND_SQL,
            [c * week, Math.min(729, (c + 1) * week - 1), start, ...calendar],
            c / chunks,
          );
      }),
    );
  });
  await step('inventory levels, suppliers, purchase orders, transfers', async () => {
    await bulk(db, LEVELS_SQL, [], 0.17);
    for (const [sql, params] of SUPPLY_SQL) await bulk(db, sql, params({ today, skus, locations }));
  });
  await step('demand_days primary key and indexes built again', reindex);
  if (opts.ledger) {
    const again = await unindex(db, 'inventory_movements', lanes);
    await step('stock ledger', () => bulk(db, LEDGER_SQL, [start]));
    await step('inventory_movements primary key and indexes built again', again);
  }
  const problems = await step('foreign keys checked', () => checkForeignKeys(db, LOADED));
  if (problems.length) throw new Error(`the generated rows break foreign keys:\n  ${problems.join('\n  ')}`);
  for (const t of ['bench_fc_series', 'bench_fc_locs', 'bench_fc_skus']) await db.query(`DROP TABLE ${t}`);
  await step('VACUUM ANALYZE', () => vacuum(db, LOADED));
  const rows = await countRows(db);
  return { seconds: (performance.now() - started) / 1000, rows };
};

/** Row counts of the generated tables and the shape of the demand history. */
export const countRows = async (db: Db): Promise<Record<string, number>> => {
  const r = await db.tx(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SET LOCAL statement_timeout = 0');
    return tx.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM locations) AS locations, (SELECT count(*) FROM variants) AS variants,
            (SELECT count(*) FROM inventory_levels) AS inventory_levels,
            (SELECT count(*) FROM inventory_levels WHERE on_hand - reserved <= 2) AS levels_at_most_2,
            count(*) AS demand_days, count(*) FILTER (WHERE stockout) AS stockout_days,
            count(*) FILTER (WHERE returned > 0) AS return_days, coalesce(sum(sold), 0) AS units_sold,
            (SELECT count(*) FROM (SELECT DISTINCT sku, location_id FROM demand_days) x) AS series_with_history,
            (SELECT count(*) FROM supplier_skus) AS supplier_skus,
            (SELECT count(*) FROM purchase_order_lines) AS purchase_order_lines,
            (SELECT count(*) FROM inventory_transfer_lines) AS transfer_lines,
            (SELECT count(*) FROM inventory_movements) AS inventory_movements,
            pg_total_relation_size('demand_days') AS demand_days_bytes
       FROM demand_days`,
    );
  });
  return Object.fromEntries(Object.entries(r.rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
};

/** What the last run left: one forecast per series, totals that equal the sum of their locations. */
export const checkLeft = async (db: Db): Promise<void> => {
  const r = (
    await db.query<Record<string, string | null>>(
      `SELECT (SELECT count(*) FROM forecasts) AS forecasts, (SELECT count(*) FROM forecast_totals) AS totals,
              (SELECT count(*) FROM replenishment_suggestions WHERE status = 'open') AS open_suggestions,
              (SELECT count(*) FROM replenishment_suggestions WHERE status = 'open' AND kind = 'transfer') AS transfers,
              (SELECT count(*) FROM stockout_risks) AS stockout_risks,
              (SELECT max(abs(t.mean[1] - s.m)) FROM forecast_totals t
                 JOIN (SELECT sku, sum(mean[1]) AS m FROM forecasts GROUP BY sku) s ON s.sku = t.sku) AS max_gap_day1`,
    )
  ).rows[0];
  console.log(
    `  left: ${r?.forecasts} forecasts, ${r?.totals} SKU totals, ${r?.open_suggestions} open suggestions (${r?.transfers} transfers), ${r?.stockout_risks} stock-out risks; largest |total − Σ locations| on day 1: ${Number(r?.max_gap_day1 ?? 0).toFixed(4)}`,
  );
};
