/**
 * Issue 12.8, campaigns on PostgreSQL (`npm run bench -- campaigns --backend postgres`):
 * 1. planning a campaign (e-mail + SMS, two variants, 10 % holdout) to every customer of a generated
 *    data set (campaigns-data.ts; 1,000,000 by default) with the real planner (planStep until done):
 *    total time, recipients and ledger rows per second, time per chunk; then the ledger is checked
 *    against an independent computation (campaigns-verify.ts) and one chunk is EXPLAINed;
 * 2. the gate (consent, suppression, address, cap, quiet hours) alone: gateCheck over chunks of
 *    10,000 customers, µs per recipient;
 * 3. delivery to a local SMTP server with the real sender (campaigns-send.ts): e-mails per second,
 *    claim → SMTP 250 latency, RSS.
 *
 * Sizes: PLAZA_BENCH_CAMPAIGN_RECIPIENTS (customers generated, default 1,000,000),
 * PLAZA_BENCH_CAMPAIGN_SENDS (e-mails delivered, default 50,000), PLAZA_BENCH_SENDERS (sender loops,
 * default 1), PLAZA_BENCH_PLAN_CHUNK (customers per planner step, default the planner's PLAN_CHUNK).
 * PLAZA_BENCH_CAMPAIGNS_PARTS: which parts run, comma-separated (default `plan,gate,send`; empty: only
 * generate the data set, e.g. with PLAZA_BENCH_KEEP=1 to measure later).
 * PLAZA_BENCH_KEEP=1 keeps the database (its name is printed); PLAZA_BENCH_CAMPAIGNS_DB=<name> runs on
 * such a kept database (the ledger and campaigns are emptied first). Drop it with
 * `psql postgres://postgres@127.0.0.1:5432/postgres -c 'DROP DATABASE <name> WITH (FORCE)'`.
 */
import * as repo from '../../src/flows/campaigns/campaigns-repo.ts';
import * as service from '../../src/flows/campaigns/campaigns-service.ts';
import { gateCheck } from '../../src/flows/campaigns/gate.ts';
import { PLAN_CHUNK, planStep } from '../../src/flows/campaigns/plan.ts';
import { campaignStats } from '../../src/flows/campaigns/stats.ts';
import { traceSends } from '../../src/flows/campaigns/trace.ts';
import { providers } from '../../src/modules/messaging/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/log.ts';
import type { Deps } from '../../src/platform/module.ts';
import { createTestDb } from '../../src/platform/testing.ts';
import { openRuntime } from '../../src/runtime.ts';
import { type Backend, PG_SERVER } from '../lib/env.ts';
import type { Result } from '../lib/load.ts';
import { customerCount, customerId, generate, resetLedger, SEGMENT_ID } from './campaigns-data.ts';
import { explainChunk } from './campaigns-explain.ts';
import { deliveryBench, startSmtpChild } from './campaigns-send.ts';
import { load, summary } from './campaigns-stats.ts';
import { verifyPlan } from './campaigns-verify.ts';
import { databaseUrl } from './events-env.ts';

const env = (name: string, d: number) => {
  const v = Number(process.env[name] ?? d);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};

const CONTENT = (v: string) => ({
  email: {
    subject: `${v}: spring sale, {{ customer.first_name }}`,
    html: '<p>Hello {{ customer.first_name }}, 20 % off boots this week.</p>',
    text: 'Hello {{ customer.first_name }}, 20 % off boots this week.',
  },
  sms: { text: `${v}: 20 % off boots this week, {{ customer.first_name }}` },
});

/** Chunk timings from the planner's own debug line ('campaign chunk planned'). */
interface ChunkLog {
  gateMs: number;
  insertMs: number;
  totalMs: number;
}

const planBench = async (deps: Deps, chunkLogs: ChunkLog[], customers: number): Promise<Result[]> => {
  const chunk = env('PLAZA_BENCH_PLAN_CHUNK', PLAN_CHUNK);
  const c = await deps.db.tx((tx) =>
    service.createCampaign(
      tx,
      deps.clock,
      {
        name: 'Bench: spring sale to everyone',
        segment_id: SEGMENT_ID,
        media: ['email', 'sms'],
        holdout_percent: 10,
        variants: [
          { key: 'A', split: 50, content: CONTENT('A') },
          { key: 'B', split: 50, content: CONTENT('B') },
        ],
      },
      'bench',
    ),
  );
  await deps.db.tx((tx) => service.scheduleCampaign(tx, deps.clock, c.id, 'bench'));
  const loadBefore = load();
  const steps: number[] = [];
  chunkLogs.length = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // as many planners as a worker process runs (PLAZA_PLAN_WORKERS), each taking lanes of the audience
  const planners = deps.config.messaging.planWorkers;
  await Promise.all(
    Array.from({ length: planners }, async () => {
      for (;;) {
        const s = performance.now();
        if ((await planStep(deps, chunk)) > 0) {
          steps.push(performance.now() - s);
          continue;
        }
        // nothing free for this planner: done, or another one holds the campaign (cutting its lanes)
        // or the last lane; the worker's loop would try again after its interval, this one sooner
        const status = (await repo.getCampaign(deps.db, c.id))?.status;
        if (status !== 'planning' && status !== 'scheduled') break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const loadAfter = load();
  const v = await verifyPlan(deps.db, { id: c.id, media: ['email', 'sms'], holdoutPercent: 10 });
  const row = (await repo.getCampaign(deps.db, c.id)) as repo.CampaignRow;
  const sum = (k: keyof ChunkLog) => chunkLogs.reduce((a, x) => a + x[k], 0) / 1000;
  console.log(
    `  planned ${customers.toLocaleString('en-US')} customers → ${v.rows.toLocaleString('en-US')} ledger rows in ${seconds.toFixed(1)} s (${Math.round(customers / seconds)} recipients/s, ${Math.round(v.rows / seconds)} rows/s), ${steps.length} steps of ${chunk} by ${planners} planners; campaign now ${row.status}; load ${loadBefore} → ${loadAfter}`,
  );
  console.log(
    `  where the time goes (planner's debug line, summed over ${chunkLogs.length} chunks of ${planners} planners at once): gate ${sum('gateMs').toFixed(1)} s, insert + rollups ${sum('insertMs').toFixed(1)} s, hashes/arrays ${(sum('totalMs') - sum('gateMs') - sum('insertMs')).toFixed(1)} s; outside planChunk (audience page, resume point, commit, waiting for a lane) ${(seconds * planners - sum('totalMs')).toFixed(1)} s; this process used ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU`,
  );
  console.log(
    `  ledger: ${[...v.byOutcome].map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ')}`,
  );
  console.log(
    `  check: holdout ${(v.holdoutShare * 100).toFixed(2)} % of rows, variant A ${(v.variantA * 100).toFixed(2)} % of the rest; ${v.mismatches} rows differ from the independent computation; ${v.rollupMismatches.length} rollups differ from the ledger`,
  );
  // the campaign's screens right after planning: rollups for the counts, the "why not sent" trace pages
  const screen = async (what: string, run: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      await run();
      ms.push(performance.now() - t);
    }
    return `${what} ${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)} ms`;
  };
  const page = (status: string | null, reason: string | null) => () =>
    traceSends(deps.db, c.id, { status, reason, after: null, limit: 51 });
  console.log(
    `  screens at ${customers.toLocaleString('en-US')} recipients (5 runs each): ${[
      await screen('counts (rollups)', () => campaignStats(deps.db, c.id)),
      await screen('trace, first page', page(null, null)),
      await screen('trace of capped', page('skipped', 'capped')),
      await screen('trace of bounced_before (0.04 %)', page('skipped', 'bounced_before')),
    ].join('; ')}`,
  );
  const problems = [
    ...v.examples,
    ...v.rollupMismatches.slice(0, 5),
    ...(Math.abs(v.holdoutShare - 0.1) > 0.01 ? [`holdout share ${v.holdoutShare}`] : []),
    ...(Math.abs(v.variantA - 0.5) > 0.02 ? [`variant A share ${v.variantA}`] : []),
    ...(row.status === 'sending' ? [] : [`campaign ended ${row.status}`]),
  ];
  if (problems.length) {
    console.error(`\n!!! planning check failed:\n  ${problems.join('\n  ')} !!!\n`);
    process.exitCode = 1;
  }
  // one more chunk EXPLAINed (a draft copy of the campaign, rolled back)
  const draft = await deps.db.tx((tx) =>
    service.createCampaign(
      tx,
      deps.clock,
      {
        name: 'Bench: explain',
        segment_id: SEGMENT_ID,
        media: ['email', 'sms'],
        holdout_percent: 10,
        variants: row.variants,
      },
      'bench',
    ),
  );
  const mid = Math.floor(customers / 2);
  await explainChunk(
    deps,
    draft,
    Array.from({ length: Math.min(chunk, customers - mid + 1) }, (_, k) => customerId(mid + k)),
  );
  return [
    {
      ...summary(
        `plan ${customers} recipients (email+sms, A/B, 10% holdout), ${planners} planners: one step`,
        steps,
        problems.length,
      ),
      seconds: Math.round(seconds * 10) / 10,
      throughput: Math.round(customers / seconds),
    },
  ];
};

/** gateCheck alone over chunks of 10,000 customers spread over the data set: µs per recipient. */
const gateBench = async (deps: Deps, customers: number): Promise<Result[]> => {
  const size = Math.min(10_000, customers);
  const chunks = Math.min(20, Math.max(1, Math.floor(customers / size)));
  const out: Result[] = [];
  for (const medium of ['email', 'sms'] as const) {
    const perRecipientUs: number[] = [];
    const loadBefore = load();
    for (let k = 0; k < chunks; k++) {
      const first = 1 + Math.floor((k * (customers - size)) / Math.max(1, chunks - 1));
      const ids = Array.from({ length: size }, (_, j) => customerId(first + j));
      const t0 = performance.now();
      const d = await gateCheck(deps.db, deps, {
        customerIds: ids,
        medium,
        marketing: true,
        now: deps.clock.now(),
      });
      perRecipientUs.push(((performance.now() - t0) * 1000) / size);
      if (d.size !== size) throw new Error(`gateCheck answered ${d.size} of ${size}`);
    }
    const us = summary('', perRecipientUs);
    console.log(
      `  gate ${medium}: ${chunks} chunks of ${size}: p50 ${us.p50} µs, p95 ${us.p95} µs, p99 ${us.p99} µs per recipient (target < 1000 µs); load ${loadBefore} → ${load()}`,
    );
    const r = summary(
      `gateCheck ${medium}, one chunk of ${size} (recipients/s)`,
      perRecipientUs.map((x) => (x * size) / 1000),
    );
    out.push({ ...r, throughput: Math.round(1e6 / us.p50) });
  }
  return out;
};

export const campaignsBench = async (backend: Backend): Promise<Result[]> => {
  if (backend !== 'postgres') {
    console.log('  campaigns: PostgreSQL only (npm run bench -- campaigns --backend postgres)');
    return [];
  }
  const reuse = process.env.PLAZA_BENCH_CAMPAIGNS_DB;
  const keep = process.env.PLAZA_BENCH_KEEP === '1' || Boolean(reuse);
  process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
  process.env.PLAZA_TEST_BACKEND = 'postgres';
  const created = reuse ? undefined : await createTestDb({ poolSize: 1 });
  const url = reuse ? databaseUrl(reuse) : (created?.url as string);
  const name = new URL(url).pathname.slice(1);
  const smtp = await startSmtpChild();
  const chunkLogs: ChunkLog[] = [];
  const log = createLogger('debug', 'bench', {
    write(line: string) {
      if (!line.includes('campaign chunk planned')) {
        if (/"level":(50|60)/.test(line)) process.stderr.write(line);
        return;
      }
      const x = JSON.parse(line) as ChunkLog;
      chunkLogs.push({ gateMs: x.gateMs, insertMs: x.insertMs, totalMs: x.totalMs });
    },
  });
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    PLAZA_SMTP_URL: smtp.url,
    PLAZA_DB_POOL_SIZE: process.env.PLAZA_DB_POOL_SIZE ?? '16',
    PLAZA_PRIVACY_KEY: process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef',
  });
  const rt = await openRuntime({ config, log });
  const { deps } = rt;
  const results: Result[] = [];
  try {
    let customers: number;
    if (reuse) {
      customers = await customerCount(deps.db);
      console.log(`  reusing database ${reuse} (${customers.toLocaleString('en-US')} customers)`);
      await resetLedger(deps, customers);
    } else {
      customers = env('PLAZA_BENCH_CAMPAIGN_RECIPIENTS', 1_000_000);
      console.log(`  generating ${customers.toLocaleString('en-US')} customers in ${name}; load ${load()}`);
      const s = await generate(deps, customers);
      console.log(`  data set generated in ${s.toFixed(1)} s`);
    }
    await deps.db.query("SELECT plaza_events_ensure_partitions((now() - interval '2 days')::date, 2)");
    const parts = new Set((process.env.PLAZA_BENCH_CAMPAIGNS_PARTS ?? 'plan,gate,send').split(','));
    if (parts.has('plan')) results.push(...(await planBench(deps, chunkLogs, customers)));
    if (parts.has('gate')) results.push(...(await gateBench(deps, customers)));
    const big = (
      await deps.db.query<{ id: string }>(
        `SELECT id FROM campaigns WHERE segment_id = $1 AND status = 'sending'`,
        [SEGMENT_ID],
      )
    ).rows[0];
    if (parts.has('send'))
      results.push(
        ...(await deliveryBench(deps, smtp, {
          ...(big ? { fromCampaignId: big.id } : {}),
          customers,
          sends: env('PLAZA_BENCH_CAMPAIGN_SENDS', 50_000),
          senders: env('PLAZA_BENCH_SENDERS', 1),
          load,
        })),
      );
  } catch (e) {
    console.error(`\n!!! campaigns: ${e instanceof Error ? (e.stack ?? e.message) : String(e)} !!!\n`);
    results.push(summary(`!!! ${e instanceof Error ? e.message.slice(0, 120) : 'failed'}`, [], 1));
    process.exitCode = 1;
  } finally {
    await providers(deps).close();
    await rt.close();
    await smtp.close();
    if (keep) {
      await created?.db.close();
      console.log(`  database kept: PLAZA_BENCH_CAMPAIGNS_DB=${name}`);
    } else await created?.drop();
  }
  return results;
};
