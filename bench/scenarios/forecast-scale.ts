/**
 * Issue 14, measurement (`npm run bench -- forecast-scale --backend postgres`): forecasts for 100,000
 * series (1,000 SKUs × 100 locations, two years of daily history) in < 60 s on this machine, on worker
 * threads, memory bounded.
 *
 * 1. A data set generated in SQL (forecast-data.ts): locations, catalog, levels, suppliers, inbound,
 *    and demand_days directly (no orders: see 3).
 * 2. `runForecasts(deps, { full: false, rebuild: false })` end to end, as the nightly job runs it
 *    (its own pool of worker threads, one per core, from 2,000 series), PLAZA_BENCH_FORECAST_RUNS times
 *    (default 2: the first writes into empty tables, the next ones are the steady nightly refresh).
 *    The stages are timed from outside: the Deps' database is wrapped so that every statement is
 *    timed by what it is (list series, read history, write forecasts, suggestions …), and every
 *    200 ms the process RSS, the main heap, the CPU of each thread of this process (/proc/self/task:
 *    main thread, forecasting workers, V8 helpers) and of this database's PostgreSQL backends are
 *    sampled. Busy times overlap (reads, computing and writes run concurrently): they say where the
 *    CPU goes, the end-to-end time is the figure.
 * 3. The hazard of the default (rebuilding) run on this data set, in a rolled-back transaction: the
 *    last 35 days are rebuilt from orders, and there are none, so the generated days would be deleted.
 *
 * PGlite: a smaller data set (PLAZA_BENCH_FORECAST_SKUS × PLAZA_BENCH_FORECAST_LOCATIONS, default
 * 100 × 10 = 1,000 series: below 2,000 the run forecasts in its own thread, as for a small shop).
 * PLAZA_BENCH_KEEP=1 keeps the PostgreSQL database; PLAZA_BENCH_FORECAST_DB=<name> runs on a kept one;
 * PLAZA_BENCH_FORECAST_RUNS=0 only generates. PLAZA_BENCH_FORECAST_LEDGER=1 writes a stock ledger too
 * (~20 M inventory_movements: what listing the series and the default run's stock-out pass read). PLAZA_BENCH_FORECAST_TRY_SQL: statements run before the
 * runs (`;`-separated), to measure a candidate fix such as an index without changing the migrations.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, REBUILD_DAYS } from '../../src/flows/forecasting/history.ts';
import { forecastSettings, rebuildDemand, runForecasts } from '../../src/flows/forecasting/index.ts';
import { createPool, type ForecastPool } from '../../src/flows/forecasting/pool.ts';
import { POOL_FROM_SERIES } from '../../src/flows/forecasting/run.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { Db, QueryResult, Tx } from '../../src/platform/db.ts';
import { createLogger } from '../../src/platform/log.ts';
import type { Deps } from '../../src/platform/module.ts';
import { createTestDb } from '../../src/platform/testing.ts';
import { openRuntime } from '../../src/runtime.ts';
import { type Backend, PG_SERVER } from '../lib/env.ts';
import type { Result } from '../lib/load.ts';
import { load, summary } from './campaigns-stats.ts';
import { databaseUrl } from './events-env.ts';
import {
  checkLeft,
  countRows,
  type ForecastScale,
  FULL_SCALE,
  generateForecastData,
  SMALL_SCALE,
} from './forecast-data.ts';

const num = (name: string, d: number, min = 1): number => {
  const v = Number(process.env[name] ?? d);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return v;
};
const f = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

/** What a statement of the run is, from its text. */
const STAGES: [RegExp, string][] = [
  [/WITH keys AS/, 'list series'],
  [/FROM demand_days WHERE sku = ANY/, 'read history (readDemand)'],
  [/INSERT INTO forecasts /, 'write forecasts'],
  [/INSERT INTO forecast_totals/, 'write totals'],
  [/FROM forecasts f/, 'suggestions: load forecasts and stock'],
  [/inventory_transfers t|purchase_orders p|supplier_skus/, 'suggestions: inbound and suppliers'],
  [/UPDATE replenishment_suggestions/, 'suggestions: supersede open ones'],
  [/stockout_risks WHERE sku|INSERT INTO stockout_risks/, 'suggestions: stock-out risks'],
  [/status = 'dismissed'/, 'suggestions: dismissed'],
  [/INSERT INTO replenishment_suggestions/, 'suggestions: insert'],
  [/DELETE FROM (forecasts|stockout_risks|forecast_totals) WHERE run_id/, 'drop series not forecast'],
];
const stageOf = (sql: string) => STAGES.find(([re]) => re.test(sql))?.[1] ?? 'other statements';

type Timings = Map<string, number[]>;
const record = (t: Timings, k: string, ms: number) => t.set(k, [...(t.get(k) ?? []), ms]);

/** The database with every statement (and each transaction as a whole, as 'suggestions') timed. */
const timedDb = (db: Db, t: Timings): Db => {
  const timed = async <T>(sql: string, run: () => Promise<QueryResult<T>>) => {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      record(t, stageOf(sql), performance.now() - t0);
    }
  };
  return {
    kind: db.kind,
    query: <T>(sql: string, params?: readonly unknown[]) => timed(sql, () => db.query<T>(sql, params)),
    async tx(fn, options) {
      const t0 = performance.now();
      try {
        return await db.tx((tx) => {
          const wrapped: Tx = {
            inTransaction: true,
            query: <T>(sql: string, params?: readonly unknown[]) =>
              timed(sql, () => tx.query<T>(sql, params)),
          };
          return fn(wrapped);
        }, options);
      } finally {
        record(t, 'suggestions (transaction, in all)', performance.now() - t0);
      }
    },
    listen: (...a) => db.listen(...a),
    withAdvisoryLock: (key, fn) => db.withAdvisoryLock(key, fn),
    close: () => db.close(),
  };
};

/**
 * The run's pool (createPool's), made on the first chunk as run.ts makes it after listing the series;
 * times each chunk and how long 0, 1 … `size` chunks were in flight (workers starved or all busy).
 */
const lazyPool = (t: Timings, occupancy: number[]): ForecastPool => {
  let inner: ForecastPool | undefined;
  let inFlight = 0;
  let since = 0;
  const move = (d: number) => {
    const now = performance.now();
    const k = Math.min(inFlight, occupancy.length - 1);
    if (since > 0) occupancy[k] = (occupancy[k] ?? 0) + now - since;
    since = now;
    inFlight += d;
  };
  return {
    size: availableParallelism(),
    async run(inputs) {
      inner ??= createPool();
      const t0 = performance.now();
      move(1);
      try {
        return await inner.run(inputs);
      } finally {
        move(-1);
        record(t, 'chunk in worker pool (dispatch to answer)', performance.now() - t0);
      }
    },
    close: async () => inner?.close(),
  };
};

/** CPU seconds (utime + stime) of /proc/<path>/stat. */
const cpuOf = (path: string): number => {
  const s = readFileSync(path, 'utf8');
  const f2 = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f2[11]) + Number(f2[12])) / 100;
};

/** Every 200 ms: RSS, main heap, CPU per thread of this process and of this database's backends (found every 2 s). */
const sampler = (dbName: string | undefined) => {
  const peak = { rss: 0, heap: 0 };
  const threads = new Map<number, number>();
  const backends = new Map<number, number>();
  let tick = 0;
  const take = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
    try {
      for (const tid of readdirSync('/proc/self/task'))
        threads.set(Number(tid), cpuOf(`/proc/self/task/${tid}/stat`));
      if (dbName && tick++ % 10 === 0)
        for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && !backends.has(Number(p))))
          try {
            if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${dbName} `))
              backends.set(Number(pid), 0);
          } catch {}
      for (const pid of backends.keys())
        try {
          backends.set(pid, cpuOf(`/proc/${pid}/stat`));
        } catch {}
    } catch {
      // not Linux: memory only
    }
  };
  take();
  const before = { rss: peak.rss, threads: new Map(threads), backends: new Map(backends) };
  const timer = setInterval(take, 200);
  return {
    before,
    peak,
    threads,
    backends,
    stop() {
      take();
      clearInterval(timer);
    },
  };
};

const today = (tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date());

/** One nightly run, measured. */
const measureRun = async (
  deps: Deps,
  dbName: string | undefined,
  label: string,
  series: number,
): Promise<Result[]> => {
  const t: Timings = new Map();
  const s = sampler(dbName);
  const occupancy = Array.from({ length: availableParallelism() + 1 }, () => 0);
  const pool = series >= POOL_FROM_SERIES ? lazyPool(t, occupancy) : undefined;
  const elu = performance.eventLoopUtilization();
  const t0 = performance.now();
  let run: Awaited<ReturnType<typeof runForecasts>> = null;
  let error: string | undefined;
  try {
    run = await runForecasts(
      { ...deps, db: timedDb(deps.db, t) },
      { full: false, rebuild: false, ...(pool ? { pool } : {}) },
    );
    if (!run) error = 'runForecasts returned null: another run is in progress';
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const seconds = (performance.now() - t0) / 1000;
  s.stop();
  await pool?.close();
  const busy = performance.eventLoopUtilization(elu);
  const cpu = (m: Map<number, number>, k: number) => (m.get(k) ?? 0) - (s.before.threads.get(k) ?? 0);
  // Threads that appeared during the run: the pool's workers (closed only after the last sample), the
  // busiest, and the module loader threads tsx starts with each of them.
  const fresh = [...s.threads.keys()]
    .filter((k) => !s.before.threads.has(k))
    .sort((a, b) => cpu(s.threads, b) - cpu(s.threads, a));
  const workers = fresh.slice(0, pool?.size ?? 0);
  const loaders = fresh.slice(pool?.size ?? 0);
  const helpers = [...s.threads.keys()].filter((k) => k !== process.pid && s.before.threads.has(k));
  const sum = (ks: number[]) => ks.reduce((a, k) => a + cpu(s.threads, k), 0);
  const dbCpu = [...s.backends].reduce((a, [pid, c]) => a + c - (s.before.backends.get(pid) ?? 0), 0);
  console.log(
    `  ${label}: ${error ? `FAILED after ${seconds.toFixed(1)} s: ${error}` : `${f(run?.series ?? 0)} series, ${f(run?.suggestions ?? 0)} suggestions in ${seconds.toFixed(1)} s`}`,
  );
  if (run) console.log(`    ${f(run.series / seconds)} series/s (target: 100,000 in < 60 s); load ${load()}`);
  console.log(
    `    peak RSS ${mb(s.peak.rss)} (the whole process, worker threads included; ${mb(s.before.rss)} before), main heap peak ${mb(s.peak.heap)}`,
  );
  console.log(
    `    CPU: main thread ${cpu(s.threads, process.pid).toFixed(1)} s (event loop busy ${(busy.utilization * 100).toFixed(0)} %), ` +
      `forecast workers ${workers.map((k) => `${cpu(s.threads, k).toFixed(1)} s`).join(' + ') || 'none'}, ` +
      `their loader threads ${sum(loaders).toFixed(1)} s, V8/libuv helpers ${sum(helpers).toFixed(1)} s, PostgreSQL backends ${dbName ? `${dbCpu.toFixed(1)} s` : 'n/a'} (${(seconds * availableParallelism()).toFixed(0)} core-s available)`,
  );
  if (pool)
    console.log(
      `    chunks in flight in the pool: ${occupancy.map((ms, n) => `${n}${n === occupancy.length - 1 ? '+' : ''} for ${(ms / 1000).toFixed(1)} s`).join(', ')} (0: the workers wait for the main thread)`,
    );
  const out = [...t]
    .map(([stage, ms]) => summary(`${label}: ${stage}`, ms))
    .sort((a, b) => b.seconds - a.seconds);
  for (const r of out)
    console.log(
      `    ${r.name.slice(label.length + 2).padEnd(44)} ${r.seconds.toFixed(1).padStart(6)} s busy in ${f(r.ops)} calls`,
    );
  if (run) {
    const sm = run.summary;
    const share = (m: Record<string, number>) =>
      Object.entries(m)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${f(n)} (${((100 * n) / Math.max(1, sm.series)).toFixed(1)} %)`)
        .join(', ');
    if (sm.stages) console.log(`    the run's own stage timings (ms, busy): ${JSON.stringify(sm.stages)}`);
    console.log(`    models: ${share(sm.models)}`);
    console.log(
      `    demand classes: ${share(sm.demand_classes)}; fallbacks: ${share(sm.fallbacks) || 'none'}`,
    );
    console.log(
      `    relative_mae (chosen / seasonal naive, backtest) ${sm.relative_mae?.toFixed(3) ?? 'n/a'} over ${f(sm.backtest_points)} points`,
    );
  }
  const chunks = t.get('chunk in worker pool (dispatch to answer)') ?? [];
  const name = `${label}: runForecasts end to end, ${f(run?.series ?? 0)} series (p50… = chunk latency in the pool)`;
  const end = { ops: run?.series ?? 0, seconds: Math.round(seconds * 10) / 10 };
  return [
    { ...summary(name, chunks, error ? 1 : 0), ...end, throughput: Math.round(end.ops / seconds) },
    ...out,
  ];
};

class RolledBack extends Error {}

/** What the default (rebuilding) nightly run would do to generated history, in a rolled-back transaction. */
const rebuildHazard = async (deps: Deps): Promise<void> => {
  const settings = await forecastSettings(deps.db);
  const from = addDays(today(settings.timeZone), -REBUILD_DAYS);
  const count = async (q: Db | Tx) =>
    Number(
      (await q.query<{ n: string }>('SELECT count(*) AS n FROM demand_days WHERE day >= $1::date', [from]))
        .rows[0]?.n ?? 0,
    );
  const before = await count(deps.db);
  let after = 0;
  let ms = 0;
  try {
    await deps.db.tx(async (tx) => {
      if (deps.db.kind === 'postgres') await tx.query('SET LOCAL statement_timeout = 0');
      const t0 = performance.now();
      await rebuildDemand(tx, from, deps.clock.now());
      ms = performance.now() - t0;
      after = await count(tx);
      throw new RolledBack();
    });
  } catch (e) {
    if (!(e instanceof RolledBack)) throw e;
  }
  console.log(
    `  the default run rebuilds the days from ${from} from orders (${(ms / 1000).toFixed(1)} s): ${f(before)} generated rows would become ${f(after)} (this data set has no orders; rolled back)`,
  );
};

export const forecastScale = async (backend: Backend): Promise<Result[]> => {
  const base = backend === 'postgres' ? FULL_SCALE : SMALL_SCALE;
  const scale: ForecastScale = {
    skus: num('PLAZA_BENCH_FORECAST_SKUS', base.skus),
    locations: num('PLAZA_BENCH_FORECAST_LOCATIONS', base.locations),
  };
  const runs = num('PLAZA_BENCH_FORECAST_RUNS', 2, 0);
  const reuse = backend === 'postgres' ? process.env.PLAZA_BENCH_FORECAST_DB : undefined;
  const keep = backend === 'postgres' && (process.env.PLAZA_BENCH_KEEP === '1' || Boolean(reuse));
  process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
  process.env.PLAZA_TEST_BACKEND = 'postgres';
  const created = backend === 'postgres' && !reuse ? await createTestDb({ poolSize: 1 }) : undefined;
  const url = reuse ? databaseUrl(reuse) : created?.url;
  const dir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'plaza-bench-forecast-')) : undefined;
  const dbName = url ? new URL(url).pathname.slice(1) : undefined;
  const rt = await openRuntime({
    config: loadConfig({
      ...(url ? { DATABASE_URL: url } : { PLAZA_DATA_DIR: dir }),
      ...(process.env.PLAZA_DB_POOL_SIZE ? { PLAZA_DB_POOL_SIZE: process.env.PLAZA_DB_POOL_SIZE } : {}),
      PLAZA_PRIVACY_KEY: process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef',
    }),
    log: createLogger('error'),
  });
  const { deps } = rt;
  const results: Result[] = [];
  try {
    const series = scale.skus * scale.locations;
    if (reuse) {
      console.log(`  reusing database ${reuse}`);
      // a run of a bench that was stopped would hold the one-running-run index for an hour
      await deps.db.query(
        `UPDATE forecast_runs SET status = 'failed', error = 'bench stopped' WHERE status = 'running'`,
      );
    } else {
      console.log(
        `  generating ${f(scale.skus)} SKUs × ${f(scale.locations)} locations = ${f(series)} series, 730 days each${backend === 'pglite' ? ' (PGlite: a smaller data set)' : ''}; load ${load()}`,
      );
      const day = today((await forecastSettings(deps.db)).timeZone);
      const g = await generateForecastData(deps.db, scale, day, {
        ledger: process.env.PLAZA_BENCH_FORECAST_LEDGER === '1',
      });
      console.log(`  data set generated in ${g.seconds.toFixed(1)} s`);
      const rows = g.rows.demand_days ?? 0;
      results.push({
        ...summary(`generate ${f(rows)} demand_days rows (${f(series)} series)`, []),
        ops: rows,
        seconds: Math.round(g.seconds * 10) / 10,
        throughput: Math.round(rows / g.seconds),
      });
    }
    const rows = await countRows(deps.db);
    const list = Object.entries(rows).map(([k, v]) => `${k} ${f(v)}`);
    console.log(`  rows: ${list.join(', ')}`);
    console.log(
      `  demand_days: ${((100 * (rows.demand_days ?? 0)) / (series * 730)).toFixed(1)} % of the ${f(series * 730)} series-days stored`,
    );
    for (const sql of (process.env.PLAZA_BENCH_FORECAST_TRY_SQL ?? '').split(';').filter((x) => x.trim()))
      await deps.db.tx(async (tx) => {
        if (deps.db.kind === 'postgres') await tx.query('SET LOCAL statement_timeout = 0');
        const t0 = performance.now();
        await tx.query(sql);
        console.log(`  tried: ${sql.trim()} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      });
    if (runs === 0) return results;
    for (let i = 1; i <= runs; i++) {
      const label = `run ${i}${i === 1 && !reuse ? ' (empty forecasts)' : ' (nightly refresh)'}`;
      results.push(...(await measureRun(deps, dbName, label, series)));
    }
    await checkLeft(deps.db);
    await rebuildHazard(deps);
  } catch (e) {
    console.error(`\n!!! forecast-scale: ${e instanceof Error ? (e.stack ?? e.message) : String(e)} !!!\n`);
    results.push(summary(`!!! ${e instanceof Error ? e.message.slice(0, 120) : 'failed'}`, [], 1));
    process.exitCode = 1;
  } finally {
    await rt.close();
    if (keep) {
      await created?.db.close();
      console.log(`  database kept: PLAZA_BENCH_FORECAST_DB=${dbName}`);
    } else await created?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  return results;
};
