/**
 * A forecasting run (docs/forecasting.md, "Runs"): rebuild the demand history, read it a few SKUs at a
 * time, forecast each SKU's locations and total (compute.ts) on worker threads, write the forecasts,
 * then the replenishment suggestions. Nightly over everything (the `forecasts-nightly` job), or for
 * one SKU on demand in this process.
 */
import { pgCode } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { refreshSuggestions } from '../replenishment/suggest.ts';
import { forecastSku, type SkuInput, type SkuResult } from './compute.ts';
import {
  addDays,
  daysBetween,
  HISTORY_DAYS,
  REBUILD_DAYS,
  readDemand,
  rebuildDemand,
  todayIn,
} from './history.ts';
import { createPool, type ForecastPool } from './pool.ts';
import { forecastSettings } from './settings.ts';
import { addToSummary, newSummary, type RunSummary, writeResults } from './write.ts';

/** SKUs per chunk sent to a worker (each with all its locations). */
const CHUNK_SKUS = 20;
/** Series from which the run uses worker threads. */
export const POOL_FROM_SERIES = 2_000;
/** A run still 'running' after this long died with its process. */
const STALE_RUN_MS = 60 * 60_000;

export interface RunOptions {
  sku?: string;
  /** Rebuild the whole two-year history first, not only the last weeks. */
  full?: boolean;
  /** false: forecast the demand history as it is, without rebuilding any day (benchmarks). */
  rebuild?: boolean;
  pool?: ForecastPool;
}

export interface RunResult {
  id: string;
  series: number;
  suggestions: number;
  duration_ms: number;
  summary: RunSummary;
}

/** Weekday of a YYYY-MM-DD day, 0 = Monday. */
export const weekdayOf = (day: string): number => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

interface SeriesKey {
  sku: string;
  location_id: string;
  first_move: string | null;
  category_daily: number | null;
}

/** Every SKU × location to forecast: the stocked levels and the series with demand in the window. */
const listSeries = async (deps: Deps, start: string, sku: string | undefined): Promise<SeriesKey[]> =>
  (
    await deps.db.query<SeriesKey>(
      `WITH keys AS (
         SELECT sku, location_id FROM inventory_levels WHERE ($2::text IS NULL OR sku = $2)
         UNION SELECT DISTINCT sku, location_id FROM demand_days WHERE day >= $1::date AND ($2::text IS NULL OR sku = $2)
       ), cat AS (
         SELECT pc.category_id, d.location_id,
                sum(d.sold - d.returned)::float8 / 56 / count(DISTINCT d.sku) AS daily
           FROM demand_days d JOIN variants v ON v.sku = d.sku
           JOIN product_categories pc ON pc.product_id = v.product_id
          WHERE d.day >= $3::date - 56 AND d.day < $3::date
          GROUP BY pc.category_id, d.location_id
       ), sku_cat AS (
         SELECT v.sku, c.location_id, avg(c.daily) AS daily
           FROM variants v JOIN product_categories pc ON pc.product_id = v.product_id
           JOIN cat c ON c.category_id = pc.category_id
          WHERE ($2::text IS NULL OR v.sku = $2)
          GROUP BY v.sku, c.location_id
       )
       SELECT k.sku, k.location_id, to_char(f.first, 'YYYY-MM-DD') AS first_move, sc.daily AS category_daily
         FROM keys k JOIN locations l ON l.id = k.location_id AND l.active
         -- The level's first movement, one index probe per series (inventory_movements_level): ids
         -- follow the order movements were written, and aggregating the whole ledger took 10 s at
         -- 20 million movements.
         LEFT JOIN LATERAL (
           SELECT m.created_at AS first FROM inventory_movements m
            WHERE m.sku = k.sku AND m.location_id = k.location_id ORDER BY m.id LIMIT 1
         ) f ON true
         LEFT JOIN sku_cat sc ON sc.sku = k.sku AND sc.location_id = k.location_id
        ORDER BY k.sku, k.location_id`,
      [start, sku ?? null, addDays(start, HISTORY_DAYS)],
    )
  ).rows;

/** Reads a chunk of SKUs' history into dense series. */
const readChunk = async (
  deps: Deps,
  keys: SeriesKey[],
  start: string,
  firstDay: string,
  horizon: number,
  reconciliation: SkuInput['reconciliation'],
): Promise<SkuInput[]> => {
  const skus = [...new Set(keys.map((k) => k.sku))];
  const rows = await readDemand(deps.db, skus, start, firstDay);
  const length = HISTORY_DAYS;
  const bySeries = new Map(rows.map((r) => [`${r.sku}\u0000${r.location_id}`, r]));
  const inputs = new Map<string, SkuInput>();
  for (const k of keys) {
    let input = inputs.get(k.sku);
    if (!input) {
      input = { sku: k.sku, firstWeekday: weekdayOf(start), horizon, locations: [], reconciliation };
      inputs.set(k.sku, input);
    }
    const values = new Float64Array(length);
    const censored = new Uint8Array(length);
    const row = bySeries.get(`${k.sku}\u0000${k.location_id}`);
    let first = length;
    if (row) {
      for (let i = 0; i < row.offsets.length; i++) {
        const at = row.offsets[i] ?? 0;
        values[at] = row.net[i] ?? 0;
        censored[at] = row.stockout[i] ? 1 : 0;
        if (at < first) first = at;
      }
    }
    if (k.first_move !== null) first = Math.min(first, Math.max(0, daysBetween(start, k.first_move)));
    input.locations.push({
      location_id: k.location_id,
      values,
      censored,
      start: first,
      categoryDaily: k.category_daily,
    });
  }
  return [...inputs.values()];
};

/** Claims the single running 'all' run (a stale one is failed first); null when another is running. */
const claimRun = async (deps: Deps, sku: string | undefined, firstDay: string, horizon: number) => {
  const now = deps.clock.now();
  const id = newId('fcr');
  await deps.db.query(
    `UPDATE forecast_runs SET status = 'failed', error = 'abandoned', finished_at = $1
      WHERE status = 'running' AND started_at < $2`,
    [now, new Date(now.getTime() - STALE_RUN_MS)],
  );
  try {
    await deps.db.query(
      `INSERT INTO forecast_runs (id, scope, sku, status, first_day, horizon, started_at)
       VALUES ($1, $2, $3, 'running', $4, $5, $6)`,
      [id, sku ? 'sku' : 'all', sku ?? null, firstDay, horizon, now],
    );
  } catch (e) {
    if (pgCode(e) === '23505') return null;
    throw e;
  }
  return id;
};

export const runForecasts = async (deps: Deps, opts: RunOptions = {}): Promise<RunResult | null> => {
  const settings = await forecastSettings(deps.db);
  const t0 = performance.now();
  const firstDay = todayIn(deps.clock.now(), settings.timeZone);
  const id = await claimRun(deps, opts.sku, firstDay, settings.horizon);
  if (!id) return null;
  const start = addDays(firstDay, -HISTORY_DAYS);
  let ownPool: ForecastPool | undefined;
  try {
    // The whole history when there is none yet (for this SKU on demand), else the last weeks.
    const empty =
      (
        await deps.db.query('SELECT 1 FROM demand_days WHERE ($1::text IS NULL OR sku = $1) LIMIT 1', [
          opts.sku ?? null,
        ])
      ).rowCount === 0;
    const from = opts.full || empty ? start : addDays(firstDay, -REBUILD_DAYS);
    const t1 = performance.now();
    if (opts.rebuild !== false) await deps.db.tx((tx) => rebuildDemand(tx, from, deps.clock.now(), opts.sku));
    const t2 = performance.now();
    const keys = await listSeries(deps, start, opts.sku);
    const t3 = performance.now();
    // Worker threads pay off from a few thousand series; a small shop is forecast in this thread.
    if (!opts.pool && keys.length >= POOL_FROM_SERIES) ownPool = createPool();
    const pool = opts.pool ?? ownPool;
    const summary = newSummary();
    const pending: Promise<void>[] = [];
    let written = 0;
    let suggestions = 0;
    const computedAt = deps.clock.now();
    const stages = { rebuild_ms: 0, list_ms: 0, read_ms: 0, write_ms: 0, suggest_ms: 0 };
    const timed = async <T>(stage: keyof typeof stages, fn: () => Promise<T>): Promise<T> => {
      const at = performance.now();
      try {
        return await fn();
      } finally {
        stages[stage] += performance.now() - at;
      }
    };
    const flush = async (batch: SkuResult[]) => {
      // Flushes overlap (one per worker in flight): each awaits into a local before adding, since
      // `written += await …` reads `written` before the wait and would lose the other flushes' counts.
      const wrote = await timed('write_ms', () => writeResults(deps.db, id, firstDay, computedAt, batch));
      written += wrote;
      addToSummary(summary, batch);
      const skus = batch.map((r) => r.sku);
      const suggested = await timed('suggest_ms', () =>
        deps.db.tx((tx) => refreshSuggestions(tx, id, skus, settings, deps.clock.now())),
      );
      suggestions += suggested;
    };
    for (let i = 0; i < keys.length; ) {
      let j = i;
      let skus = 0;
      let last: string | undefined;
      while (j < keys.length && (skus < CHUNK_SKUS || keys[j]?.sku === last)) {
        if (keys[j]?.sku !== last) {
          skus++;
          last = keys[j]?.sku;
        }
        j++;
      }
      const chunk = keys.slice(i, j);
      const inputs = await timed('read_ms', () =>
        readChunk(deps, chunk, start, firstDay, settings.horizon, settings.reconciliation),
      );
      i = j;
      if (pool) {
        pending.push(pool.run(inputs).then(flush));
        // Bounded memory: at most two chunks per worker in flight.
        if (pending.length >= pool.size * 2) await pending.shift();
      } else {
        await flush(inputs.map(forecastSku));
      }
    }
    await Promise.all(pending);
    stages.rebuild_ms = t2 - t1;
    stages.list_ms = t3 - t2;
    summary.stages = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Math.round(v)]));
    const duration = Math.round(performance.now() - t0);
    if (!opts.sku) {
      // Series no longer forecast (a location closed, a level deleted) leave with the run that skipped
      // them: what was computed before it started (a run for one SKU meanwhile is newer and stays).
      for (const table of ['forecasts', 'forecast_totals', 'stockout_risks'])
        await deps.db.query(`DELETE FROM ${table} WHERE computed_at < $1`, [computedAt]);
    }
    await deps.db.query(
      `UPDATE forecast_runs SET status = 'completed', series = $2, summary = $3, finished_at = $4, duration_ms = $5
        WHERE id = $1`,
      [id, written, JSON.stringify(summary), deps.clock.now(), duration],
    );
    return { id, series: written, suggestions, duration_ms: duration, summary };
  } catch (e) {
    await deps.db.query(
      `UPDATE forecast_runs SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1`,
      [id, e instanceof Error ? e.message.slice(0, 500) : String(e), deps.clock.now()],
    );
    throw e;
  } finally {
    await ownPool?.close();
  }
};

/** A failed nightly run is tried again after this long. */
const RETRY_AFTER_FAILURE_MS = 15 * 60_000;

export const RUN_REQUESTED_SETTING = 'forecasting.run_requested_at';
/** NOTIFY channel that wakes the nightly job when a run is requested. */
export const RUN_CHANNEL = 'plaza_forecast_run';

/**
 * The nightly job's step: runs over everything when no run has completed for today's date yet, or
 * when a run was requested (POST /admin/forecasts/runs) after the last one started.
 */
export const nightlyStep = async (deps: Deps): Promise<number> => {
  const settings = await forecastSettings(deps.db);
  const today = todayIn(deps.clock.now(), settings.timeZone);
  const { rows } = await deps.db.query<{ due: boolean }>(
    `SELECT (NOT EXISTS (SELECT 1 FROM forecast_runs WHERE scope = 'all' AND status = 'completed' AND first_day >= $1::date)
             AND EXISTS (SELECT 1 FROM inventory_levels)
             AND NOT EXISTS (SELECT 1 FROM forecast_runs WHERE scope = 'all' AND status = 'failed' AND started_at > $3))
         OR coalesce((SELECT (value #>> '{}')::timestamptz FROM plaza_settings WHERE key = $2)
                     > (SELECT max(started_at) FROM forecast_runs WHERE scope = 'all'), false)
         OR (EXISTS (SELECT 1 FROM plaza_settings WHERE key = $2)
             AND NOT EXISTS (SELECT 1 FROM forecast_runs WHERE scope = 'all')) AS due`,
    [today, RUN_REQUESTED_SETTING, new Date(deps.clock.now().getTime() - RETRY_AFTER_FAILURE_MS)],
  );
  if (!rows[0]?.due) return 0;
  const r = await runForecasts(deps);
  return r ? 1 : 0;
};
