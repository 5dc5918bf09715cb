/**
 * Issue 13, measurement, on PostgreSQL (`npm run bench -- analytics --backend postgres`):
 * 1. a data set generated in SQL (analytics-data.ts): 200,000 customers, 1,000,000 orders over 365
 *    days on 4 channels and 5 locations with their lines, pickups, returns and refunds, 10,000,000
 *    events (about 5 % touches), 8 campaigns with holdouts and costs;
 * 2. the initial build, as a worker does it after `markAllDays` (a change of time zone): the cursor
 *    jobs of the analytics flow (touches, …) run until idle, then one day's rebuild probed statement
 *    by statement (analytics-rebuild.ts), then `rebuildStep` until no day is left (a failing step,
 *    e.g. past the pool's 30 s statement timeout, ends the run: the job would retry it forever);
 *    days/s, time per step, and the rollups checked against the source tables;
 * 3. each report over HTTP (analytics-reports.ts): p50/p95/p99/max against 500 ms, and where the
 *    time goes (EXPLAIN ANALYZE) for those that miss it;
 * 4. freshness (analytics-fresh.ts): orders written at a steady rate while the worker's analytics
 *    part runs, until each one shows in /admin/analytics/channels; lag against one minute.
 *
 * PLAZA_BENCH_ANALYTICS_SCALE: fraction of the data set (default 1). PLAZA_BENCH_ANALYTICS_PARTS:
 * `build,reports,fresh` (default; empty: only generate). PLAZA_BENCH_REPORTS: only the reports
 * whose names contain one of these (comma-separated). PLAZA_BENCH_REPORT_RUNS (30; 0: only where
 * each report's time goes, one call in this process),
 * PLAZA_BENCH_FRESH_RATE (orders/s, 20), PLAZA_BENCH_FRESH_SECONDS (60), PLAZA_BENCH_FRESH_EVENTS
 * (events/s, 100). PLAZA_BENCH_ANALYTICS_TRY_SQL: statements run on the database before the build
 * (`;`-separated), to measure a candidate fix such as an index without changing the migrations.
 * PLAZA_BENCH_KEEP=1 keeps the database (its name is printed);
 * PLAZA_BENCH_ANALYTICS_DB=<name> runs on such a kept database (the rollups, touches and cursors
 * are emptied first, so the build starts from nothing). Drop it with
 * `psql postgres://postgres@127.0.0.1:5432/postgres -c 'DROP DATABASE <name> WITH (FORCE)'`.
 */
import { analyticsFlow, markAllDays } from '../../src/flows/analytics/index.ts';
import { ROLLUPS } from '../../src/flows/analytics/rollup.ts';
import { TOUCH_EVENTS } from '../../src/flows/analytics/touches.ts';
import { MEDIA } from '../../src/modules/messaging/types.ts';
import { NOT_SALES } from '../../src/modules/orders/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/log.ts';
import type { Deps } from '../../src/platform/module.ts';
import { createTestDb } from '../../src/platform/testing.ts';
import { openRuntime } from '../../src/runtime.ts';
import { type PlazaProcess, startPlaza, TEST_ADMIN_TOKEN } from '../../test/support/processes.ts';
import { type Backend, PG_SERVER } from '../lib/env.ts';
import type { Result } from '../lib/load.ts';
import { generate, readShop, type Shop, scaled } from './analytics-data.ts';
import { freshnessBench } from './analytics-fresh.ts';
import { probeRebuild, trySql } from './analytics-rebuild.ts';
import { enterRates, explainMisses, REPORTS, TARGET_MS, timeReports } from './analytics-reports.ts';
import { vacuum } from './campaigns-data.ts';
import { load, pct, summary } from './campaigns-stats.ts';
import { databaseUrl } from './events-env.ts';

const int = (name: string, d: number) => {
  const v = Number(process.env[name] ?? d);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number ≥ 0`);
  return v;
};

const PRIVACY_KEY = process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef';

/** A kept database starts the build from nothing: no rollups, touches, marks or cursors. */
const resetRollups = async (deps: Deps) => {
  await deps.db.query(
    `TRUNCATE ${[...ROLLUPS, 'analytics_touches', 'analytics_dirty_days', 'analytics_snapshots'].join(', ')}`,
  );
  await deps.db.query(`DELETE FROM plaza_settings WHERE key LIKE 'analytics.%cursor'`);
};

/** markAllDays, the cursor jobs until idle, then the day rebuilds until none is left. */
const buildBench = async (deps: Deps): Promise<{ results: Result[]; built: boolean }> => {
  const jobs = analyticsFlow.jobs?.(deps) ?? [];
  const rollups = jobs.find((j) => j.name === 'analytics-rollups');
  if (!rollups) throw new Error('the analytics flow has no analytics-rollups job');
  const loadBefore = load();
  const t0 = performance.now();
  await markAllDays(deps.db, deps.clock.now());
  const marked =
    (await deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics_dirty_days')).rows[0]?.n ??
    0;
  const markMs = performance.now() - t0;
  console.log(`  markAllDays: ${marked} days marked in ${(markMs / 1000).toFixed(1)} s`);
  const out: Result[] = [];
  const snapshots = jobs.find((j) => j.name === 'analytics-snapshots');
  if (!snapshots) throw new Error('the analytics flow has no analytics-snapshots job');
  for (const job of jobs.filter((j) => j !== rollups && j !== snapshots)) {
    const steps: number[] = [];
    let handled = 0;
    const s0 = performance.now();
    let same = 0;
    for (let last = -1; ; ) {
      const t = performance.now();
      const n = await job.runOnce();
      if (n === 0) break;
      steps.push(performance.now() - t);
      handled += n;
      same = n === last ? same + 1 : 0;
      last = n;
      // a cursor that keeps reading the same few events would keep a worker busy forever
      if (same >= 1000)
        throw new Error(`${job.name} answered ${n} for 1,000 runs in a row: it never goes idle`);
    }
    const s = (performance.now() - s0) / 1000;
    console.log(
      `  ${job.name}: ${handled.toLocaleString('en-US')} handled in ${steps.length} runs, ${s.toFixed(1)} s (per run p50 ${pct(steps, 50)} ms, max ${pct(steps, 100)} ms)`,
    );
    out.push({
      ...summary(`initial build: ${job.name} until idle (one run)`, steps),
      seconds: Math.round(s * 10) / 10,
    });
  }
  await probeRebuild(deps.db);
  const steps: number[] = [];
  let days = 0;
  const r0 = performance.now();
  for (;;) {
    const t = performance.now();
    let n: number;
    try {
      n = await rollups.runOnce();
    } catch (e) {
      // what the worker's job would do too: fail, back off and take the same days again
      const msg = e instanceof Error ? e.message : String(e);
      console.error(
        `\n!!! rebuildStep failed after ${((performance.now() - t) / 1000).toFixed(1)} s (${days} days rebuilt before it): ${msg}; the job would retry the same days forever: the initial build cannot finish !!!\n`,
      );
      process.exitCode = 1;
      out.push(summary(`!!! initial build: rebuildStep failed: ${msg.slice(0, 80)}`, steps, 1));
      return { results: out, built: false };
    }
    if (n === 0) break;
    steps.push(performance.now() - t);
    days += n;
  }
  const rebuild = (performance.now() - r0) / 1000;
  const total = (performance.now() - t0) / 1000;
  console.log(
    `  rebuildStep: ${days} days in ${steps.length} steps, ${rebuild.toFixed(1)} s (${(days / rebuild).toFixed(2)} days/s, ${((rebuild * 1000) / Math.max(1, days)).toFixed(0)} ms a day; per step p50 ${(pct(steps, 50) / 1000).toFixed(1)} s, max ${(pct(steps, 100) / 1000).toFixed(1)} s)`,
  );
  console.log(`  initial build in all: ${total.toFixed(1)} s; load ${loadBefore} → ${load()}`);
  out.push({
    ...summary(`initial build: rebuildStep (${days} days, one step)`, steps),
    seconds: Math.round(rebuild * 10) / 10,
    throughput: Math.round((days / rebuild) * 100) / 100,
  });
  await vacuum(deps.db, [...ROLLUPS, 'analytics_touches']);
  // the customer-value snapshot of each currency, as the job computes it after the rollups moved
  const computed: number[] = [];
  for (;;) {
    const t = performance.now();
    if ((await snapshots.runOnce()) === 0) break;
    computed.push(performance.now() - t);
  }
  console.log(
    `  analytics-snapshots: ${computed.length} customer-value snapshots, ${computed.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`,
  );
  out.push(summary('customer value snapshot: one currency computed by the job', computed));
  return { results: out, built: true };
};

/** The rollups against the source tables (a cheap check that generator and rollups agree). */
const checkRollups = async (deps: Deps): Promise<string[]> => {
  const r = await deps.db.tx(async (tx) => {
    await tx.query('SET LOCAL statement_timeout = 0');
    return (
      await tx.query<Record<string, number>>(
        `SELECT (SELECT coalesce(sum(orders), 0) FROM analytics_sales_daily) AS rolled_sales,
           (SELECT count(*) FROM orders WHERE status <> ALL($1)) AS sales,
           (SELECT coalesce(sum(refunds), 0) FROM analytics_refunds_daily) AS rolled_refunds,
           (SELECT count(*) FROM refunds WHERE status = 'succeeded') AS refunds,
           (SELECT coalesce(sum(returns), 0) FROM analytics_returns_daily) AS rolled_returns,
           (SELECT count(*) FROM returns WHERE status <> 'cancelled') AS returns,
           (SELECT coalesce(sum(ready), 0) FROM analytics_pickups_daily) AS rolled_ready,
           (SELECT count(*) FROM pickups WHERE ready_at IS NOT NULL) AS ready,
           (SELECT round(coalesce(sum(conversions), 0)) FROM analytics_attribution_daily WHERE model = 'last_touch') AS credited,
           (SELECT count(*) FROM analytics_touches) AS touches,
           (SELECT count(*) FROM events e WHERE e.customer_id IS NOT NULL AND (
              (e.source_id = 'src_plaza' AND e.type = 'track' AND e.event = ANY($2) AND coalesce(e.properties->>'medium', '') <> '')
              OR (e.source_id <> 'src_plaza' AND coalesce(e.context->'campaign'->>'medium', '') <> ''
                  AND lower(e.context->'campaign'->>'medium') <> ALL($3)))) AS touch_events,
           (SELECT count(*) FROM analytics_buyer_days) AS buyer_days,
           (SELECT count(*) FROM analytics_attribution_daily) AS attribution_rows,
           (SELECT count(*) FROM analytics_paths_daily) AS path_rows`,
        [NOT_SALES, TOUCH_EVENTS, MEDIA],
      )
    ).rows[0] as Record<string, number>;
  });
  const n = (k: string) => Number(r[k] ?? 0).toLocaleString('en-US');
  console.log(
    `  check: sales ${n('rolled_sales')} rolled up / ${n('sales')} orders; refunds ${n('rolled_refunds')} / ${n('refunds')}; returns ${n('rolled_returns')} / ${n('returns')}; pickups ready ${n('rolled_ready')} / ${n('ready')}; last-touch conversions ${n('credited')} / ${n('sales')} sales; touches ${n('touches')} copied / ${n('touch_events')} touch events`,
  );
  console.log(
    `  rollup rows: buyer days ${n('buyer_days')}, attribution ${n('attribution_rows')}, paths ${n('path_rows')}`,
  );
  const pairs: [string, string][] = [
    ['rolled_sales', 'sales'],
    ['rolled_refunds', 'refunds'],
    ['rolled_returns', 'returns'],
    ['rolled_ready', 'ready'],
    ['credited', 'sales'],
    ['touches', 'touch_events'],
  ];
  return pairs
    .filter(([a, b]) => Number(r[a]) !== Number(r[b]))
    .map(([a, b]) => `${a} ${r[a]} ≠ ${b} ${r[b]}`);
};

export const analyticsBench = async (backend: Backend): Promise<Result[]> => {
  if (backend !== 'postgres') {
    console.log('  analytics: PostgreSQL only (npm run bench -- analytics --backend postgres)');
    return [];
  }
  const reuse = process.env.PLAZA_BENCH_ANALYTICS_DB;
  const keep = process.env.PLAZA_BENCH_KEEP === '1' || Boolean(reuse);
  process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
  process.env.PLAZA_TEST_BACKEND = 'postgres';
  const created = reuse ? undefined : await createTestDb({ poolSize: 1 });
  const url = reuse ? databaseUrl(reuse) : (created?.url as string);
  const name = new URL(url).pathname.slice(1);
  const env = {
    DATABASE_URL: url,
    PLAZA_DB_POOL_SIZE: '16',
    PLAZA_PRIVACY_KEY: PRIVACY_KEY,
    PLAZA_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  };
  const rt = await openRuntime({
    config: loadConfig({ ...process.env, ...env }),
    log: createLogger('error'),
  });
  const { deps } = rt;
  const results: Result[] = [];
  let api: PlazaProcess | undefined;
  try {
    let shop: Shop;
    let customers: number;
    if (reuse) {
      const kept = await readShop(deps.db);
      shop = kept.shop;
      customers = kept.customers;
      console.log(
        `  reusing database ${reuse}: ${kept.orders.toLocaleString('en-US')} orders, ${customers.toLocaleString('en-US')} customers`,
      );
    } else {
      const scale = scaled(Number(process.env.PLAZA_BENCH_ANALYTICS_SCALE ?? 1));
      const f = (x: number) => x.toLocaleString('en-US');
      console.log(
        `  generating ${f(scale.customers)} customers, ${f(scale.orders)} orders, ${f(scale.events)} events in ${name}; load ${load()}`,
      );
      const g = await generate(deps, scale);
      console.log(
        `  data set generated in ${g.seconds.toFixed(1)} s (${g.fkChecked} foreign keys checked: no orphan)`,
      );
      shop = g.shop;
      customers = scale.customers;
    }
    const parts = new Set((process.env.PLAZA_BENCH_ANALYTICS_PARTS ?? 'build,reports,fresh').split(','));
    await trySql(deps.db);
    if (parts.has('build')) {
      if (reuse) await resetRollups(deps);
      const build = await buildBench(deps);
      results.push(...build.results);
      if (!build.built) return results;
      const problems = await checkRollups(deps);
      if (problems.length) {
        console.error(`\n!!! rollups differ from the source tables: ${problems.join('; ')} !!!\n`);
        process.exitCode = 1;
      }
    }
    if (parts.has('reports') || parts.has('fresh'))
      api = await startPlaza({ ...env, PLAZA_WORKERS: '0', LOG_LEVEL: 'error' }, 180_000);
    const base = api?.url as string;
    if (parts.has('reports')) {
      const now = new Date();
      console.log(`  ${await enterRates(base, now)} daily rates USD → EUR entered`);
      const only = (process.env.PLAZA_BENCH_REPORTS ?? '').split(',').filter(Boolean);
      const calls = REPORTS(now).filter((c) => only.length === 0 || only.some((o) => c.name.includes(o)));
      const runs = int('PLAZA_BENCH_REPORT_RUNS', 30);
      // 0 runs: no timing over HTTP, only where the time of each report goes (one call in this process)
      const timed = runs > 0 ? await timeReports(base, calls, runs) : [];
      results.push(...timed.map((t) => t.result));
      await explainMisses(
        deps,
        runs > 0 ? timed.filter((t) => t.result.p95 >= TARGET_MS).map((t) => t.call) : calls,
      );
    }
    if (parts.has('fresh'))
      results.push(
        ...(await freshnessBench(deps, shop, base, {
          ordersPerSecond: int('PLAZA_BENCH_FRESH_RATE', 20),
          seconds: int('PLAZA_BENCH_FRESH_SECONDS', 60),
          eventsPerSecond: int('PLAZA_BENCH_FRESH_EVENTS', 100),
          customers,
        })),
      );
  } catch (e) {
    console.error(`\n!!! analytics: ${e instanceof Error ? (e.stack ?? e.message) : String(e)} !!!\n`);
    results.push(summary(`!!! ${e instanceof Error ? e.message.slice(0, 120) : 'failed'}`, [], 1));
    process.exitCode = 1;
  } finally {
    const out = api?.output() ?? '';
    await api?.stop();
    if (/"level":(50|60)/.test(out)) console.error(`  the API process logged errors:\n${out.slice(-3000)}`);
    await rt.close();
    if (keep) {
      await created?.db.close();
      console.log(`  database kept: PLAZA_BENCH_ANALYTICS_DB=${name}`);
    } else await created?.drop();
  }
  return results;
};
