/**
 * The analytics benchmark's report latency: each report of /admin/analytics called over HTTP (a real
 * `plaza start` process without workers), one request at a time, RUNS times after 3 warm-ups (10
 * runs when the warm-ups take over 3 s each; 1 warm-up and 5 runs past 10 s, 2 runs past a minute), p50/p95/p99/max
 * against the 500 ms target.
 *
 * For a report that misses it: the same request once more in this process (`buildApp` +
 * `app.inject`) on a Db that records every query with its time, to tell the queries' time from the
 * rest (JavaScript: attribution's Markov chain, the CLV fits …) with a CPU profile of that request
 * summed by function (analytics-profile.ts), then EXPLAIN (ANALYZE, BUFFERS) of
 * its slowest query, written to bench/results/analytics-explain.txt and its main lines printed.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Db, QueryResult } from '../../src/platform/db.ts';
import type { Deps } from '../../src/platform/module.ts';
import { buildApp } from '../../src/server.ts';
import { TEST_ADMIN_TOKEN } from '../../test/support/processes.ts';
import { json, type Result, send } from '../lib/load.ts';
import { profiled } from './analytics-profile.ts';
import { load, summary } from './campaigns-stats.ts';

export const TARGET_MS = 500;

export interface ReportCall {
  name: string;
  path: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const minus = (d: Date, days: number) => new Date(d.getTime() - days * 86_400_000);

/** The reports the issue names (today in UTC, the analytics time zone of the data set). */
export const REPORTS = (now: Date): ReportCall[] => {
  const year = `from=${day(minus(now, 364))}&to=${day(now)}`;
  return [
    { name: 'channels, last 30 days', path: '/admin/analytics/channels' },
    {
      name: 'channels, 365 days, group_by=location',
      path: `/admin/analytics/channels?${year}&group_by=location`,
    },
    { name: 'channels, 30 days, report_currency=EUR', path: '/admin/analytics/channels?report_currency=EUR' },
    {
      name: 'channels, 365 days, report_currency=EUR',
      path: `/admin/analytics/channels?${year}&report_currency=EUR`,
    },
    { name: 'attribution by=medium, 30 days', path: '/admin/analytics/attribution?by=medium' },
    { name: 'attribution by=medium, 365 days', path: `/admin/analytics/attribution?by=medium&${year}` },
    { name: 'attribution by=campaign, 30 days', path: '/admin/analytics/attribution?by=campaign' },
    { name: 'attribution by=campaign, 365 days', path: `/admin/analytics/attribution?by=campaign&${year}` },
    { name: 'campaigns, 30 days (last_touch)', path: '/admin/analytics/campaigns' },
    { name: 'campaigns, 365 days (linear)', path: `/admin/analytics/campaigns?${year}&model=linear` },
    { name: 'customers (USD, as of today)', path: '/admin/analytics/customers' },
  ];
};

const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** Daily rates USD → EUR: the 1st of each of the last 13 months and each of the last 14 days. */
export const enterRates = async (base: string, now: Date): Promise<number> => {
  const days = new Set<string>();
  for (let m = 0; m <= 12; m++)
    days.add(day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 1))));
  for (let d = 0; d < 14; d++) days.add(day(minus(now, d)));
  const rates = [...days].map((d, i) => ({
    day: d,
    currency: 'USD',
    report_currency: 'EUR',
    rate: 0.9 + (i % 7) / 100,
  }));
  const r = await send(base, { method: 'PUT', path: '/admin/analytics/rates', body: { rates }, headers });
  if (r.status !== 200) throw new Error(`rates: ${r.status} ${r.body.slice(0, 300)}`);
  return json<{ saved: number }>(r).saved;
};

export interface Timed {
  call: ReportCall;
  result: Result;
  bytes: number;
}

/** Times each report over HTTP, one request at a time. */
export const timeReports = async (
  base: string,
  calls: readonly ReportCall[],
  runs: number,
): Promise<Timed[]> => {
  const out: Timed[] = [];
  for (const call of calls) {
    const once = async () => {
      const t = performance.now();
      const r = await send(base, { method: 'GET', path: call.path, headers });
      const ms = performance.now() - t;
      if (r.status !== 200) throw new Error(`${call.path}: ${r.status} ${r.body.slice(0, 300)}`);
      return { ms, bytes: r.body.length };
    };
    // 3 warm-ups and `runs` runs; fewer for a report of several seconds (1 and 5 past 10 s)
    const warm = [(await once()).ms];
    if ((warm[0] ?? 0) < 10_000) for (let i = 0; i < 2; i++) warm.push((await once()).ms);
    const mean = warm.reduce((a, b) => a + b, 0) / warm.length;
    const n =
      mean > 60_000
        ? Math.min(runs, 2)
        : mean > 10_000
          ? Math.min(runs, 5)
          : mean > 3000
            ? Math.min(runs, 10)
            : runs;
    const ms: number[] = [];
    let bytes = 0;
    const before = load();
    for (let i = 0; i < n; i++) {
      const a = await once();
      ms.push(a.ms);
      bytes = a.bytes;
    }
    const result = summary(`report: ${call.name}`, ms);
    out.push({ call, result, bytes });
    const verdict = result.p95 < TARGET_MS ? 'met' : 'MISSED';
    console.log(
      `  ${call.name.padEnd(42)} p50 ${String(result.p50).padStart(7)} ms  p95 ${String(result.p95).padStart(7)} ms  p99 ${String(result.p99).padStart(7)} ms  max ${String(result.max).padStart(7)} ms  (${n} runs, ${Math.round(bytes / 1024)} KB; load ${before} → ${load()})  < ${TARGET_MS} ms: ${verdict}`,
    );
  }
  return out;
};

interface Recorded {
  sql: string;
  params: readonly unknown[];
  start: number;
  end: number;
  rows: number;
}

/** A Db whose root queries are recorded (transactions and the rest go to the real one). */
const recording = (db: Db, log: Recorded[]): Db => ({
  ...db,
  async query<T>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    const start = performance.now();
    const r = await db.query<T>(sql, params);
    log.push({ sql, params: params ?? [], start, end: performance.now(), rows: r.rows.length });
    return r;
  },
});

/** Time covered by at least one interval (queries run in parallel under Promise.all). */
const covered = (xs: readonly Recorded[]) => {
  const s = [...xs].sort((a, b) => a.start - b.start);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const x of s) {
    if (x.end > end) {
      total += x.end - Math.max(x.start, end);
      end = x.end;
    }
  }
  return total;
};

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** Where the time of the reports that missed the target goes: queries, the rest, and the slowest query's plan. */
export const explainMisses = async (deps: Deps, missed: readonly ReportCall[]): Promise<void> => {
  if (missed.length === 0) return;
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL('analytics-explain.txt', dir);
  writeFileSync(file, `Analytics reports over ${TARGET_MS} ms, ${new Date().toISOString()}\n`);
  const log: Recorded[] = [];
  const app = await buildApp({ ...deps, db: recording(deps.db, log) });
  try {
    for (const call of missed) {
      log.length = 0;
      const t0 = performance.now();
      const { value: r, hot } = await profiled(() => app.inject({ method: 'GET', url: call.path, headers }));
      const wall = performance.now() - t0;
      if (r.statusCode !== 200) throw new Error(`${call.path}: ${r.statusCode}`);
      const inQueries = covered(log);
      console.log(
        `\n  where the time of "${call.name}" goes (one request in this process, ${Math.round(wall)} ms): ${log.length} queries cover ${Math.round(inQueries)} ms; outside them (JavaScript, JSON) ${Math.round(wall - inQueries)} ms`,
      );
      const js = hot.filter((h) => !/^\((program|idle)\)$/.test(h.name));
      console.log(
        `    CPU of this process by function (self time): ${js
          .slice(0, 8)
          .map((h) => `${h.name} ${h.where} ${Math.round(h.ms)} ms`)
          .join('; ')}`,
      );
      const slow = [...log].sort((a, b) => b.end - b.start - (a.end - a.start));
      for (const q of slow.slice(0, 4))
        console.log(`    ${Math.round(q.end - q.start)} ms, ${q.rows} rows: ${oneLine(q.sql).slice(0, 150)}`);
      const worst = slow[0];
      if (!worst || worst.end - worst.start < 50) continue;
      const plan = await deps.db.tx(async (tx) => {
        await tx.query('SET LOCAL statement_timeout = 0');
        return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${worst.sql}`, worst.params);
      });
      const lines = plan.rows.map((p) => p['QUERY PLAN']);
      appendFileSync(
        file,
        `\n== ${call.name}: ${call.path}\n${oneLine(worst.sql)}\n${JSON.stringify(worst.params).slice(0, 500)}\n\n${lines.join('\n')}\n`,
      );
      console.log('    EXPLAIN ANALYZE of the slowest (bench/results/analytics-explain.txt):');
      const main = lines.filter((l) =>
        /Scan|Join|Aggregate|Sort|Hash |Time:|Workers|JIT|Batches|Disk/.test(l),
      );
      for (const l of main.slice(0, 24)) console.log(`      ${l.slice(0, 160)}`);
    }
  } finally {
    await app.close();
  }
};
