/**
 * Where a day's rebuild spends its time (analytics benchmark): `rebuildDays` of one marked day (the
 * newest) in a transaction that is rolled back, without the pool's 30 s statement timeout, each of
 * its statements timed; the slowest, when over a second, EXPLAIN (ANALYZE, BUFFERS)ed in the same
 * transaction and written to bench/results/analytics-rebuild-explain.txt.
 *
 * `trySql` applies statements to the benchmark's database before the build (PLAZA_BENCH_ANALYTICS_TRY_SQL,
 * `;`-separated: e.g. a candidate index), to measure a fix without changing the migrations.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { rebuildDays } from '../../src/flows/analytics/rollup.ts';
import type { Db, Tx } from '../../src/platform/db.ts';

interface Statement {
  sql: string;
  params: readonly unknown[];
  ms: number;
  rows: number;
}

const ROLLBACK = 'analytics-bench: rolled back on purpose';
const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** Rebuilds the newest marked day and rolls back; prints each statement's time and the slowest's plan. */
export const probeRebuild = async (db: Db): Promise<number> => {
  const day = (
    await db.query<{ d: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS d FROM analytics_dirty_days ORDER BY day DESC LIMIT 1`,
    )
  ).rows[0]?.d;
  if (!day) return 0;
  const log: Statement[] = [];
  let ms = 0;
  let plan: string[] = [];
  await db
    .tx(async (tx) => {
      await tx.query('SET LOCAL statement_timeout = 0');
      const recording: Tx = {
        ...tx,
        async query<T>(sql: string, params?: readonly unknown[]) {
          const t = performance.now();
          const r = await tx.query<T>(sql, params);
          log.push({
            sql,
            params: params ?? [],
            ms: performance.now() - t,
            rows: r.rowCount ?? r.rows.length,
          });
          return r;
        },
      };
      const t0 = performance.now();
      await rebuildDays(recording, [day]);
      ms = performance.now() - t0;
      const worst = [...log].sort((a, b) => b.ms - a.ms)[0];
      if (worst && worst.ms > 1000) {
        const p = await tx.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${worst.sql}`,
          worst.params,
        );
        plan = p.rows.map((r) => r['QUERY PLAN']);
        const dir = new URL('../results/', import.meta.url);
        mkdirSync(dir, { recursive: true });
        writeFileSync(
          new URL('analytics-rebuild-explain.txt', dir),
          `${oneLine(worst.sql)}\n${JSON.stringify(worst.params)}\n\n${plan.join('\n')}\n`,
        );
      }
      throw new Error(ROLLBACK);
    })
    .catch((e: unknown) => {
      if (!(e instanceof Error && e.message === ROLLBACK)) throw e;
    });
  console.log(
    `  one day's rebuild (${day}, rolled back, no statement timeout): ${Math.round(ms)} ms in ${log.length} statements; the slowest:`,
  );
  for (const s of [...log].sort((a, b) => b.ms - a.ms).slice(0, 4))
    console.log(`    ${Math.round(s.ms)} ms (${s.rows} rows): ${oneLine(s.sql).slice(0, 140)}`);
  if (plan.length) {
    console.log('    EXPLAIN ANALYZE of the slowest (bench/results/analytics-rebuild-explain.txt):');
    const main = plan.filter((l) => /Scan|Join|Aggregate|SubPlan|Filter|Time:|loops=\d{3,}/.test(l));
    for (const l of main.slice(0, 24)) console.log(`      ${l.slice(0, 170)}`);
  }
  return ms;
};

/** Applies PLAZA_BENCH_ANALYTICS_TRY_SQL (a fix to measure) to the benchmark's database. */
export const trySql = async (db: Db): Promise<void> => {
  const statements = (process.env.PLAZA_BENCH_ANALYTICS_TRY_SQL ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const sql of statements) {
    const t0 = performance.now();
    await db.tx(async (tx) => {
      await tx.query('SET LOCAL statement_timeout = 0');
      await tx.query(sql);
    });
    console.log(
      `  TRYING A FIX (not in the migrations): ${sql} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
};
