/**
 * Issue 11.10, segments: on a data set generated in SQL (bench/scenarios/segments-data.ts: 1,000,000
 * customers with traits and 2,000,000 orders, 10,000,000 events over 90 days), time
 * `POST /admin/segments/preview` of a rule combining a trait, an order condition and a 30-day event
 * count (p50/p95 over several runs, and EXPLAIN ANALYZE of compileRules' query); then save it as a
 * segment (materialised by its first full evaluation) and measure incremental membership: one
 * `POST /v1/track` that makes a customer enter, until segment_members has them.
 *
 * PLAZA_BENCH_SEGMENTS_SCALE: fraction of the full data set (default 1 on PostgreSQL, 0.1 on PGlite).
 * PLAZA_BENCH_KEEP=1 keeps the PostgreSQL database (its name is printed);
 * PLAZA_BENCH_SEGMENTS_DB=<name> runs on such a kept database instead of generating one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { compileRules } from '../../src/flows/segments/compile.ts';
import type { SegmentRules } from '../../src/flows/segments/rules.ts';
import type { Queryable } from '../../src/platform/db.ts';
import type { Backend } from '../lib/env.ts';
import { json, type Result, send } from '../lib/load.ts';
import { adminHeaders, createEventsDb, startApis } from './events-env.ts';
import { basicAuth, post } from './events-payload.ts';
import { type Generated, generate, scaled } from './segments-data.ts';

const PREVIEW_RUNS = 7;
const MEMBERSHIP_RUNS = 5;
const VIEWS = 3;

/** Gold plan, at least 2 orders in the last year, and at least 3 Product Viewed in the last 30 days. */
export const RULE = (views: { op: 'gte' | 'eq'; value: number }): SegmentRules => ({
  all: [
    { trait: { key: 'plan', op: 'eq', value: 'gold' } },
    { orders: { count: { op: 'gte', value: 2 }, within: { days: 365 } } },
    { event: { name: 'Product Viewed', count: views, within: { days: 30 } } },
  ],
});

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 10) / 10;
};

const summary = (name: string, ms: number[], errors = 0): Result => ({
  name,
  ops: ms.length,
  errors,
  seconds: Math.round(ms.reduce((a, b) => a + b, 0) / 100) / 10,
  throughput: 0,
  p50: pct(ms, 50),
  p95: pct(ms, 95),
  p99: pct(ms, 99),
  max: pct(ms, 100),
  statuses: {},
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** EXPLAIN ANALYZE of the preview's count; the plan goes to bench/results/, its main lines to the console. */
const explain = async (conn: Queryable, rules: SegmentRules, backend: Backend) => {
  const q = compileRules(rules, { now: new Date() });
  const plan = await conn.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM (${q.sql}) m`,
    q.params,
  );
  const lines = plan.rows.map((r) => r['QUERY PLAN']);
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  const file = new URL(`../results/segments-explain-${backend}.txt`, import.meta.url);
  writeFileSync(file, `${q.sql}\n\n${JSON.stringify(q.params)}\n\n${lines.join('\n')}\n`);
  console.log(`  EXPLAIN ANALYZE of compileRules' query (bench/results/segments-explain-${backend}.txt):`);
  const main = lines.filter(
    (l) =>
      /Scan|Join|Aggregate|Time:|Workers|JIT|Timing/.test(l) &&
      !/Scan on events_\S+ .*rows=0(\.0+)? loops/.test(l),
  );
  for (const l of main.slice(0, 30)) console.log(`    ${l.slice(0, 150)}`);
};

export const segmentsBench = async (backend: Backend): Promise<Result[]> => {
  const factor = Number(process.env.PLAZA_BENCH_SEGMENTS_SCALE ?? (backend === 'postgres' ? 1 : 0.1));
  const scale = scaled(factor);
  const reuse = backend === 'postgres' ? process.env.PLAZA_BENCH_SEGMENTS_DB : undefined;
  const keep = backend === 'postgres' && (process.env.PLAZA_BENCH_KEEP === '1' || Boolean(reuse));
  let generated: Generated | undefined;
  console.log(
    reuse
      ? `  reusing database ${reuse}`
      : `  generating ${scale.customers.toLocaleString('en-US')} customers, ${scale.orders.toLocaleString('en-US')} orders, ${scale.events.toLocaleString('en-US')} events (scale ${factor})`,
  );
  const db = await createEventsDb(backend, {
    ...(reuse ? { reuse } : {}),
    seed: async (rt, made) => {
      generated = await generate(rt, { webChannelId: made.channelId, sourceId: made.sourceId, scale });
    },
  });
  if (generated) console.log(`  data set generated in ${generated.seconds.toFixed(1)} s`);
  const results: Result[] = [];
  try {
    // Before any API process (PGlite opens in one process at a time): EXPLAIN ANALYZE of the
    // preview's query from compileRules, and customers one Product Viewed away from entering
    // (exactly VIEWS - 1 in 30 days, so not members either).
    const rules = RULE({ op: 'gte', value: VIEWS });
    const first = await db.open();
    let candidates: string[];
    try {
      candidates = await first.tx(async (tx) => {
        // These run as long as they need (the pool's statement timeout is 30 s).
        // as the preview runs it (src/flows/segments/compile-preview.ts: JIT off).
        if (backend === 'postgres') {
          await tx.query('SET LOCAL statement_timeout = 0');
          await tx.query('SET LOCAL jit = off');
        }
        await explain(tx, rules, backend);
        const near = compileRules(RULE({ op: 'eq', value: VIEWS - 1 }), { now: new Date() });
        const c = await tx.query<{ customer_id: string }>(
          `SELECT customer_id FROM (${near.sql}) m ORDER BY customer_id DESC LIMIT ${MEMBERSHIP_RUNS}`,
          near.params,
        );
        return c.rows.map((r) => r.customer_id);
      });
    } finally {
      await first.close();
    }
    const apis = await startApis(db, backend === 'postgres' ? 2 : 1);
    const conn = backend === 'postgres' ? await db.open() : undefined;
    try {
      const base = apis.urls[0] as string;
      const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const r = await send(base, { method, path: `/admin${path}`, body, headers: adminHeaders });
        if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 400)}`);
        return json<T>(r);
      };
      // What the segment looks like now: from the database beside the API (PostgreSQL) or the API (PGlite).
      const state = async (id: string, customerId?: string) => {
        if (conn) {
          const r = await conn.query<{ size: number; last_full_at: Date | null; member: boolean }>(
            `SELECT size, last_full_at, EXISTS (SELECT 1 FROM segment_members m
               WHERE m.segment_id = s.id AND m.customer_id = $2) AS member FROM segments s WHERE s.id = $1`,
            [id, customerId ?? ''],
          );
          const row = r.rows[0];
          return {
            size: Number(row?.size ?? 0),
            full: Boolean(row?.last_full_at),
            member: Boolean(row?.member),
          };
        }
        const s = await admin<Record<string, unknown>>('GET', `/segments/${id}`);
        return {
          size: Number(s.size ?? 0),
          full: Boolean(s.last_full_at ?? s.lastFullAt),
          member: undefined,
        };
      };

      // 1. Preview: count and sample, one request at a time.
      const times: number[] = [];
      let count = -1;
      let failed = 0;
      for (let i = 0; i < PREVIEW_RUNS; i++) {
        const t0 = performance.now();
        const r = await send(base, {
          method: 'POST',
          path: '/admin/segments/preview',
          body: { rules },
          headers: adminHeaders,
        });
        times.push(performance.now() - t0);
        if (r.status === 200) count = json<{ count: number }>(r).count;
        else {
          failed++;
          console.log(`  preview answered ${r.status}: ${r.body.slice(0, 200)}`);
        }
      }
      console.log(
        `  preview: ${count.toLocaleString('en-US')} customers match; runs ${times.map((t) => Math.round(t)).join(', ')} ms`,
      );
      results.push(
        summary(`segment preview (trait + orders + 30-day event count), ${PREVIEW_RUNS} runs`, times, failed),
      );

      // 2. Save it: materialised by its first full evaluation.
      const t0 = performance.now();
      const created = await admin<{ id: string }>('POST', '/segments', {
        name: `Engaged gold buyers ${Date.now()}`,
        rules,
      });
      const createMs = performance.now() - t0;
      let now = await state(created.id);
      for (const deadline = Date.now() + 30 * 60_000; !now.full && Date.now() < deadline; await sleep(200))
        now = await state(created.id);
      const fullMs = performance.now() - t0;
      console.log(
        `  segment saved in ${Math.round(createMs)} ms; materialised (first full evaluation, ${now.size.toLocaleString('en-US')} members) after ${(fullMs / 1000).toFixed(1)} s`,
      );
      results.push(summary(`segment saved and materialised (${now.size} members)`, [fullMs]));

      // 3. Incremental: one /v1/track (to a process without workers when there are two) → member.
      const track = apis.urls.at(-1) as string;
      const auth = basicAuth(db.writeKey);
      const lags: number[] = [];
      let missed = 0;
      for (const customerId of candidates) {
        const before = await state(created.id, customerId);
        const sentAt = new Date().toISOString();
        const body = JSON.stringify({
          userId: `user-${Number(customerId.slice(4))}`,
          event: 'Product Viewed',
          messageId: `bench-enter-${customerId}-${Date.now()}`,
          properties: { product_id: 'prod_1', price: 42 },
          timestamp: sentAt,
          sentAt,
        });
        const t = performance.now();
        const a = await post(track, '/v1/track', body, auth);
        if (a.status !== 200) throw new Error(`track: ${a.status} ${a.body.slice(0, 300)}`);
        let inside = false;
        for (const deadline = Date.now() + 30_000; !inside && Date.now() < deadline; await sleep(20)) {
          const s = await state(created.id, customerId);
          inside = s.member ?? s.size > before.size;
        }
        if (inside) lags.push(performance.now() - t);
        else missed++;
      }
      console.log(
        `  incremental membership: ${lags.map((t) => Math.round(t)).join(', ')} ms${missed ? `; ${missed} never entered within 30 s` : ''}`,
      );
      results.push(
        summary(`one /v1/track → customer in the segment (${candidates.length} customers)`, lags, missed),
      );
      // A kept database is run again: leave no live segment behind to be re-evaluated next time.
      await admin('POST', `/segments/${created.id}/archive`);
      if (missed || candidates.length === 0) {
        console.error(
          `\n!!! incremental membership: ${missed} of ${candidates.length} customers never entered !!!\n`,
        );
        process.exitCode = 1;
      }
    } catch (e) {
      // A refused step (e.g. the evaluation ran out of time) is a result too: say it, keep the others.
      console.error(`\n!!! segments: ${e instanceof Error ? e.message : String(e)} !!!\n`);
      results.push(summary(`!!! ${e instanceof Error ? e.message.slice(0, 120) : 'failed'}`, [], 1));
      process.exitCode = 1;
    } finally {
      await conn?.close();
      await apis.stop();
    }
    return results;
  } finally {
    if (keep)
      console.log(
        `  database kept: PLAZA_BENCH_SEGMENTS_DB=${new URL(db.databaseUrl as string).pathname.slice(1)}`,
      );
    else await db.drop();
  }
};
