/**
 * Issue 11.10, ingestion: Segment batches through `POST /v1/batch` (100 messages of about 1 KB per
 * request, track/page/identify mix from bench/scenarios/events-payload.ts) from a closed-loop load
 * generator with keep-alive connections, against 2 API processes on PostgreSQL (PLAZA_WORKERS=0, plus
 * a third process that runs the workers and takes no requests; 1 process on PGlite); then
 * single `POST /v1/track` messages from 32 clients. Afterwards every acknowledged message must be a row
 * of `events` (counted; a difference fails the run loudly). CPU per 1,000 events per process group.
 *
 * PLAZA_BENCH_BATCH_CLIENTS (default "4,8,16"): the concurrencies of the batch runs.
 */
import type { Backend } from '../lib/env.ts';
import { formatResult, type Result, runLoad } from '../lib/load.ts';
import { cpuPer, sampleCpu } from './events-cpu.ts';
import { createEventsDb, startApis } from './events-env.ts';
import { basicAuth, batchTemplates, fill, post, type Template, trackTemplates } from './events-payload.ts';

const BATCH = 100;

/** Messages a 200 answer acknowledged: all of them, or its `accepted` count when it lists refusals. */
const acknowledged = (status: number, body: string, sent: number): number => {
  if (status !== 200) return 0;
  if (body.length <= 20) return sent;
  const parsed = JSON.parse(body) as { success?: boolean; accepted?: number; refused?: unknown[] };
  if (parsed.success !== true) return 0;
  return parsed.accepted ?? sent - (parsed.refused?.length ?? 0);
};

export const eventsIngest = async (backend: Backend, seconds: number): Promise<Result[]> => {
  const procs = backend === 'postgres' ? 2 : 1;
  const db = await createEventsDb(backend);
  const results: Result[] = [];
  const notes: string[] = [];
  let acked = 0;
  let refused = 0;
  const run = `r${Date.now().toString(36)}`;
  let runs = 0;
  try {
    const apis = await startApis(db, procs, {}, backend === 'postgres');
    try {
      const auth = basicAuth(db.writeKey);
      const database = db.databaseUrl ? new URL(db.databaseUrl).pathname.slice(1) : undefined;
      const drive = async (
        name: string,
        clients: number,
        path: string,
        templates: Template[],
        size: number,
      ) => {
        const tag = `${run}${++runs}`;
        const before = sampleCpu(apis.pids, database, apis.workerPid);
        const ackedBefore = acked;
        const r = await runLoad({
          name,
          clients,
          seconds,
          step: async (c, i) => {
            const base = apis.urls[c % apis.urls.length] as string;
            const t = templates[(c * 7 + i) % templates.length] as Template;
            const a = await post(base, path, fill(t, `${tag}-${c}-${i}`), auth);
            const n = acknowledged(a.status, a.body, size);
            acked += n;
            if (a.status === 200) refused += size - n;
            return a.status;
          },
        });
        const after = sampleCpu(apis.pids, database, apis.workerPid);
        notes.push(`  ${name}: ${cpuPer(before, after, Math.max(1, acked - ackedBefore))}`);
        return r;
      };
      const batches = batchTemplates(40, BATCH, 50_000);
      const bytes = batches.reduce((s, t) => s + t.parts.join('').length, 0) / batches.length / BATCH;
      console.log(`  messages average ${Math.round(bytes)} bytes of JSON; ${procs} API process(es)`);
      const concurrencies = (process.env.PLAZA_BENCH_BATCH_CLIENTS ?? '4,8,16')
        .split(',')
        .map(Number)
        .filter((n) => n > 0);
      for (const clients of concurrencies) {
        const r = await drive(
          `/v1/batch (100 messages), ${clients} clients`,
          clients,
          '/v1/batch',
          batches,
          BATCH,
        );
        const ok = r.statuses['200'] ?? 0;
        results.push({ ...r, name: `${r.name}: requests` });
        // The same run in events: acknowledged messages per second (latency is per request).
        results.push({ ...r, name: `  = events/s`, throughput: Math.round((ok * BATCH) / r.seconds) });
      }
      results.push(
        await drive('/v1/track (1 message), 32 clients', 32, '/v1/track', trackTemplates(200, 50_000), 1),
      );
    } finally {
      if (results.some((r) => Object.keys(r.statuses).some((s) => s >= '500')))
        console.log(`  5xx answers; the processes printed:\n${apis.output().slice(-4000)}`);
      await apis.stop();
    }
    // Every acknowledged message must be stored: count them with no API process running.
    const conn = await db.open();
    let rows = 0;
    try {
      const c = await conn.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE source_id = $1', [
        db.sourceId,
      ]);
      rows = Number(c.rows[0]?.n ?? 0);
    } finally {
      await conn.close();
    }
    for (const n of notes) console.log(n);
    const line = `  acknowledged messages ${acked.toLocaleString('en-US')}, rows in events ${rows.toLocaleString('en-US')}${refused ? `, refused in 200 answers ${refused}` : ''}`;
    console.log(line);
    if (rows !== acked) {
      const msg = `EVENTS LOST OR DUPLICATED: ${acked} messages acknowledged but ${rows} rows stored (${backend})`;
      console.error(`\n!!! ${msg} !!!\n`);
      for (const r of results) console.error(formatResult(r));
      process.exitCode = 1;
      results.push({
        name: `!!! ${msg}`,
        ops: rows,
        errors: Math.abs(rows - acked),
        seconds: 0,
        throughput: 0,
        p50: 0,
        p95: 0,
        p99: 0,
        max: 0,
        statuses: {},
      });
    }
    return results;
  } finally {
    await db.drop();
  }
};
