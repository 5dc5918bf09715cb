/**
 * The strategy advisor (issue 15): (1) the pure model, `assess()` on 2,000 varied inputs (the property
 * tests' fast-check arbitraries, sampled with a fixed seed), per call, with `scoreAll` and `sensitivity`
 * timed alone to show where the time goes; (2) the demo shop with five times its default history, its
 * analytics rollups built and one forecasting run done, then `measureShop` and a full kept assessment
 * through the service (`runAssessment`) 20 times each. PGlite in a temporary folder, or a fresh
 * PostgreSQL database (dropped at the end).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  copyTouchesStep,
  markAllDays,
  markVisitDaysStep,
  rebuildStep,
} from '../../src/flows/analytics/index.ts';
import { seedDemoHistory } from '../../src/flows/demo/history.ts';
import { seedDemo } from '../../src/flows/demo/index.ts';
import { runForecasts } from '../../src/flows/forecasting/index.ts';
import { measureShop } from '../../src/flows/strategy/measures.ts';
import { runAssessment, today } from '../../src/flows/strategy/service.ts';
import { answersArb, dayArb, measuresArb } from '../../src/modules/strategy/model/arbitraries.test-util.ts';
import { assess, defaultWeights, scoreAll } from '../../src/modules/strategy/model/index.ts';
import { sensitivity } from '../../src/modules/strategy/model/sensitivity.ts';
import { getAnswers } from '../../src/modules/strategy/repo.ts';
import type { AssessmentResult } from '../../src/modules/strategy/result-schema.ts';
import type { Measure, MeasureKey } from '../../src/modules/strategy/schema.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/log.ts';
import type { Deps } from '../../src/platform/module.ts';
import { createTestDb } from '../../src/platform/testing.ts';
import { openRuntime } from '../../src/runtime.ts';
import { type Backend, PG_SERVER } from '../lib/env.ts';
import type { Result } from '../lib/load.ts';
import { load } from './campaigns-stats.ts';

/** Inputs for the pure model, and the runs of each database-backed figure. */
const INPUTS = 2_000;
const DB_RUNS = 20;
const SEED = 15;
const WARM_UP = 200;

const pctOf = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** A result of `ms` samples with three decimals (a pure call takes well under a millisecond). */
const figure = (name: string, ms: readonly number[], errors = 0): Result => {
  const sorted = [...ms].sort((a, b) => a - b);
  const total = ms.reduce((a, b) => a + b, 0);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    name,
    ops: ms.length,
    errors,
    seconds: r3(total / 1000),
    throughput: total > 0 ? Math.round((ms.length * 1000) / total) : 0,
    p50: r3(pctOf(sorted, 50)),
    p95: r3(pctOf(sorted, 95)),
    p99: r3(pctOf(sorted, 99)),
    max: r3(sorted.at(-1) ?? 0),
    statuses: {},
  };
};

const time = (f: () => unknown): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

const timeRuns = async (runs: number, f: () => Promise<unknown>): Promise<number[]> => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return ms;
};

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const share = (part: readonly number[], whole: readonly number[]): string =>
  `${((100 * sum(part)) / Math.max(sum(whole), 1e-9)).toFixed(0)} %`;

/** (1) `assess` on varied inputs, and its two costly parts alone. */
const pureModel = (): Result[] => {
  const weights = defaultWeights();
  const inputs = fc.sample(fc.record({ answers: answersArb, measures: measuresArb, today: dayArb }), {
    seed: SEED,
    numRuns: INPUTS,
  });
  const withWeights = inputs.map((x) => ({ ...x, weights }));
  // Warm-up on the first WARM_UP inputs, so that the timed passes run optimised code.
  for (const x of withWeights.slice(0, WARM_UP)) assess(x);
  // Interleaved per input, so that the other work on the machine weighs on the three alike.
  const results: AssessmentResult[] = [];
  const [whole, scoring, sens] = [[], [], []] as [number[], number[], number[]];
  for (const x of withWeights) {
    whole.push(time(() => results.push(assess(x))));
    scoring.push(time(() => scoreAll(weights, x.answers, x.measures)));
    sens.push(time(() => sensitivity(weights, x.answers, x.measures)));
  }
  const strategies: Record<string, number> = {};
  let flips = 0;
  for (const r of results) {
    strategies[r.recommendation.strategy] = (strategies[r.recommendation.strategy] ?? 0) + 1;
    flips += r.sensitivity.length;
  }
  console.log(
    `  ${INPUTS} inputs (fast-check seed ${SEED}, ${weights.factors.length} factors): recommended ${Object.entries(
      strategies,
    )
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}; ${(flips / INPUTS).toFixed(1)} sensitivity entries per assessment`,
  );
  console.log(
    `  time share of assess(): sensitivity ${share(sens, whole)}, scoreAll ${share(scoring, whole)}; ` +
      `slowest call ${Math.max(...whole).toFixed(1)} ms (load ${load()})`,
  );
  return [
    figure('strategy: assess() per call, 2,000 varied inputs', whole),
    figure('strategy: sensitivity() alone, same inputs', sens),
    figure('strategy: scoreAll() alone, same inputs', scoring),
  ];
};

/** Runs the analytics cursors and the day rebuilds until nothing is left (as the jobs would). */
const buildRollups = async (deps: Deps): Promise<void> => {
  while ((await copyTouchesStep(deps)) > 0);
  while ((await markVisitDaysStep(deps)) > 0);
  await markAllDays(deps.db, deps.clock.now());
  while ((await rebuildStep(deps)) > 0);
};

const statusLine = (measures: Record<MeasureKey, Measure>): string => {
  const by: Record<string, string[]> = { measured: [], thin: [], missing: [] };
  for (const m of Object.values(measures)) by[m.status]?.push(m.key);
  return Object.entries(by)
    .map(([status, keys]) => `${status} (${keys.length}): ${keys.join(', ') || '-'}`)
    .join('\n  ');
};

const num = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : String(Math.round(v * 100) / 100));

const shown = (v: AssessmentResult['contributions'][number]['value']): string =>
  v === null ? 'null' : Array.isArray(v) ? v.join('+') : typeof v === 'number' ? num(v) : v;

/** The recommendation and its top three factors, on one line. */
const recommendationLine = (r: AssessmentResult): string => {
  const top = r.contributions
    .slice(0, 3)
    .map(
      (c) =>
        `${c.factor} = ${shown(c.value)} [${c.status}] (omni ${num(c.points.omnichannel)}, multi ${num(c.points.multichannel)}, hybrid ${num(c.points.hybrid)})`,
    );
  return (
    `${r.recommendation.strategy} "${r.recommendation.name.text}" (scores omni ${num(r.scores.omnichannel)}, ` +
    `multi ${num(r.scores.multichannel)}, hybrid ${num(r.scores.hybrid)}; confidence ${num(r.confidence)}); ` +
    `top factors: ${top.join('; ')}`
  );
};

/** (2) the demo shop with history: measures and a full kept assessment. */
const demoShop = async (deps: Deps): Promise<Result[]> => {
  let t0 = performance.now();
  const demo = await seedDemo(deps);
  // Five times the demo's default volume (about 1,000 orders and 600 counter sales over 60 days).
  const history = await seedDemoHistory(deps, demo, { onlinePerDay: 9.5, counterPerDay: 6.25 });
  const seeded = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await buildRollups(deps);
  const rolled = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const run = await runForecasts(deps);
  const forecast = (performance.now() - t0) / 1000;
  const f = (x: number) => x.toLocaleString('en-US');
  const rows = async (table: string) =>
    Number((await deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
  console.log(
    `  demo shop: ${f(await rows('orders'))} orders, ${f(await rows('customers'))} customers, ${f(await rows('events'))} events ` +
      `(${history?.days ?? '?'} days; seeded in ${seeded.toFixed(1)} s); rollups built in ${rolled.toFixed(1)} s; ` +
      `forecasting run of ${f(run?.series ?? 0)} series in ${forecast.toFixed(1)} s`,
  );
  const saved = await getAnswers(deps.db);
  if (!saved) throw new Error('the demo did not save its strategy answers');
  const day = await today(deps);
  const opts = { today: day, currency: saved.answers.currency };
  const measures = await measureShop(deps, opts);
  console.log(`  measures on ${day}:\n  ${statusLine(measures)}`);
  const measured = await timeRuns(DB_RUNS, () => measureShop(deps, opts));
  let last: AssessmentResult | undefined;
  const assessed = await timeRuns(DB_RUNS, async () => {
    last = (await runAssessment(deps, 'manual', 'bench')).result;
  });
  const weights = defaultWeights();
  const input = { answers: saved.answers, measures, weights, today: day };
  for (let i = 0; i < 20; i++) assess(input);
  const pure = Array.from({ length: DB_RUNS }, () => time(() => assess(input)));
  if (last) console.log(`  recommendation: ${recommendationLine(last)}`);
  console.log(`  (load ${load()})`);
  return [
    figure('strategy: measureShop() on the demo shop (5× history)', measured),
    figure('strategy: runAssessment() (measure, assess, keep)', assessed),
    figure('strategy: assess() alone on the demo shop inputs', pure),
  ];
};

/** `npm run bench -- strategy [--backend pglite|postgres]`. */
export const strategyBench = async (backend: Backend): Promise<Result[]> => {
  const results = pureModel();
  if (backend === 'postgres') {
    process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
    process.env.PLAZA_TEST_BACKEND = 'postgres';
  }
  const created = backend === 'postgres' ? await createTestDb({ poolSize: 1 }) : undefined;
  const dir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'plaza-bench-strategy-')) : undefined;
  try {
    const rt = await openRuntime({
      config: loadConfig({
        ...(created?.url ? { DATABASE_URL: created.url } : { PLAZA_DATA_DIR: dir }),
        PLAZA_PRIVACY_KEY: process.env.PLAZA_PRIVACY_KEY ?? 'plaza-bench-privacy-key-0123456789abcdef',
      }),
      log: createLogger('error'),
    });
    try {
      results.push(...(await demoShop(rt.deps)));
    } finally {
      await rt.close();
    }
  } finally {
    await created?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  return results;
};
