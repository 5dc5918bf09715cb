/** `npm run bench`: runs the benchmark scenarios and prints throughput and latency percentiles. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { type Backend, startEnv } from './lib/env.ts';
import { formatResult, type Result } from './lib/load.ts';
import { adminLists } from './scenarios/admin-lists.ts';
import { analyticsBench } from './scenarios/analytics.ts';
import { availability } from './scenarios/availability.ts';
import { campaignsBench } from './scenarios/campaigns.ts';
import { cartOps } from './scenarios/cart.ts';
import { checkouts } from './scenarios/checkout.ts';
import { eventsIngest } from './scenarios/events-ingest.ts';
import { forecastAccuracy } from './scenarios/forecast-demo.ts';
import { forecastScale } from './scenarios/forecast-scale.ts';
import { formatImport, importRows } from './scenarios/import.ts';
import { segmentsBench } from './scenarios/segments.ts';
import { cartStatements } from './scenarios/sql.ts';
import { strategyBench } from './scenarios/strategy.ts';
import { formatUi, uiFigures } from './ui.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '32' },
  },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const wanted = positionals.length
  ? positionals
  : ['availability', 'cart', 'cart-sql', 'checkout', 'import', 'ui'];
const backends: Backend[] = values.backend === 'both' ? ['pglite', 'postgres'] : [values.backend as Backend];

/** Which environments each scenario runs in: PGlite with one process, PostgreSQL with one and two. */
const plans = (backend: Backend): number[] => (backend === 'pglite' ? [1] : [1, 2]);

const SCENARIOS: Record<string, (env: Awaited<ReturnType<typeof startEnv>>) => Promise<Result[]>> = {
  availability: (env) => availability(env, seconds),
  cart: (env) => cartOps(env, seconds, clients),
  checkout: (env) => checkouts(env, seconds, clients),
  'cart-sql': (env) => cartStatements(env, seconds, clients),
};

/** Scenarios that run in this process on a fresh database of their own (admin-lists then serves it with one API process). */
const IN_PROCESS: Record<string, (backend: Backend) => Promise<Result[]>> = {
  import: importRows,
  'admin-lists': (backend) => adminLists(backend, seconds),
  'events-ingest': (backend) => eventsIngest(backend, seconds), // issue 11: /v1/batch and /v1/track
  segments: segmentsBench, // issue 11: preview and membership on 1M customers / 10M events (generated in SQL)
  campaigns: campaignsBench, // issue 12: plan 1M recipients, gate cost, SMTP delivery (PostgreSQL; generated in SQL)
  analytics: analyticsBench, // issue 13: rollups and reports at 1M orders / 10M events, freshness (PostgreSQL; generated in SQL)
  'forecast-accuracy': forecastAccuracy, // issue 14: MASE per model on generated series and on the demo shop's history
  'forecast-scale': forecastScale, // issue 14: 100,000 series in < 60 s (generated in SQL; PGlite: 1,000 series)
  strategy: strategyBench, // issue 15: assess() on 2,000 varied inputs; measureShop and runAssessment on the demo shop
  ui: uiFigures, // bench/ui.ts: the UI in Chromium (first-load JS, product page render, request waterfalls)
};

const all: (Result & { backend: Backend; procs: number; scenario: string })[] = [];
console.log(`Plaza benchmarks on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`);
for (const scenario of wanted) {
  const inProcess = IN_PROCESS[scenario];
  if (inProcess) {
    for (const backend of backends) {
      console.log(`\n${scenario} on ${backend}, in this process:`);
      for (const r of await inProcess(backend)) {
        console.log(
          scenario === 'import' ? formatImport(r) : scenario === 'ui' ? formatUi(r) : formatResult(r),
        );
        all.push({ ...r, backend, procs: 0, scenario });
      }
    }
    continue;
  }
  const run = SCENARIOS[scenario];
  if (!run) {
    const known = [...Object.keys(SCENARIOS), ...Object.keys(IN_PROCESS)].join(', ');
    throw new Error(`unknown scenario ${scenario} (known: ${known})`);
  }
  for (const backend of backends) {
    for (const procs of plans(backend)) {
      if ((scenario === 'availability' || scenario === 'cart-sql') && procs > 1) continue;
      if (scenario === 'cart-sql' && backend === 'pglite') continue;
      const env = await startEnv(backend, procs);
      try {
        console.log(`\n${scenario} on ${backend}, ${procs} API process(es):`);
        for (const r of await run(env)) {
          console.log(formatResult(r));
          all.push({ ...r, backend, procs, scenario });
        }
      } finally {
        await env.close();
      }
    }
  }
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(all, null, 2)}\n`);
console.log('\nResults written to bench/results/latest.json');
