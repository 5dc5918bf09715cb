/**
 * EXPLAIN (ANALYZE, BUFFERS) of every statement the planner runs for one chunk: the real planChunk
 * runs on a transaction that explains each SELECT/WITH statement (under a savepoint, rolled back)
 * before running it for real; the whole transaction is then rolled back, so nothing is written.
 * The plans go to bench/results/campaigns-explain.txt, their headlines to the console.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type * as repo from '../../src/flows/campaigns/campaigns-repo.ts';
import { planChunk } from '../../src/flows/campaigns/plan.ts';
import type { Tx } from '../../src/platform/db.ts';
import type { Deps } from '../../src/platform/module.ts';

interface Explained {
  sql: string;
  ms: number;
  lines: string[];
}

const ROLLBACK = new Error('rollback: explain only');

export const explainChunk = async (
  deps: Deps,
  c: repo.CampaignRow,
  ids: readonly string[],
): Promise<void> => {
  const plans: Explained[] = [];
  let totalMs = 0;
  try {
    await deps.db.tx(async (tx) => {
      await tx.query('SET LOCAL statement_timeout = 0');
      const spy: Tx = {
        inTransaction: true,
        query: async <T>(sql: string, params?: readonly unknown[]) => {
          if (/^\s*(SELECT|WITH)\b/i.test(sql) && !/pg_notify/.test(sql)) {
            await tx.query('SAVEPOINT bench_explain');
            const t0 = performance.now();
            const p = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
            const ms = performance.now() - t0;
            await tx.query('ROLLBACK TO SAVEPOINT bench_explain');
            plans.push({ sql, ms, lines: p.rows.map((r) => r['QUERY PLAN']) });
          }
          return tx.query<T>(sql, params);
        },
      };
      const t0 = performance.now();
      await planChunk(spy, deps, c, ids);
      totalMs = performance.now() - t0;
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  const file = new URL('../results/campaigns-explain.txt', import.meta.url);
  writeFileSync(
    file,
    plans
      .map((p) => `-- ${Math.round(p.ms)} ms\n${p.sql.trim()}\n\n${p.lines.join('\n')}\n`)
      .join('\n────────────────────────────────────────\n\n'),
  );
  console.log(
    `  EXPLAIN ANALYZE of one planner chunk (${ids.length} customers, ${plans.length} statements, chunk with explains ${Math.round(totalMs)} ms; bench/results/campaigns-explain.txt):`,
  );
  for (const p of [...plans].sort((a, b) => b.ms - a.ms)) {
    const exec = p.lines.find((l) => l.startsWith('Execution Time'))?.replace('Execution Time: ', '') ?? '?';
    const head = p.sql.replace(/\s+/g, ' ').trim().slice(0, 90);
    console.log(`    ${exec.padStart(12)}  ${head}`);
    const top = p.lines
      .filter((l) => /Scan|Join|Sort|Aggregate|Insert|Unique|Function/.test(l))
      .slice(0, 6)
      .map((l) => `                  ${l.trim().slice(0, 140)}`);
    if (Number.parseFloat(exec) > 50) for (const l of top) console.log(l);
  }
};
