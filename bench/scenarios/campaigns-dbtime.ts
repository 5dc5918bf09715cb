/**
 * Where a benchmark's database time goes: a Db whose statements (also inside transactions) are
 * timed and summed by their first words. Times are from the client's side (they include waiting for a
 * pooled connection and overlap when statements run concurrently).
 */
import type { Db, Queryable } from '../../src/platform/db.ts';

export interface StatementTimes {
  byStatement: Map<string, { n: number; ms: number }>;
  report(top?: number): string[];
}

const label = (sql: string): string =>
  sql
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(WITH \w+ AS \()/i, '')
    .slice(0, 72);

const timedQueryable = <Q extends Queryable>(q: Q, rec: (sql: string, ms: number) => void): Q =>
  new Proxy(q, {
    get(target, prop) {
      if (prop === 'query')
        return async (sql: string, params?: readonly unknown[]) => {
          const t0 = performance.now();
          try {
            return await target.query(sql, params);
          } finally {
            rec(sql, performance.now() - t0);
          }
        };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

export const timedDb = (db: Db): { db: Db; times: StatementTimes } => {
  const byStatement = new Map<string, { n: number; ms: number }>();
  const rec = (sql: string, ms: number) => {
    const k = label(sql);
    const x = byStatement.get(k) ?? { n: 0, ms: 0 };
    x.n++;
    x.ms += ms;
    byStatement.set(k, x);
  };
  const wrapped = new Proxy(db, {
    get(target, prop) {
      if (prop === 'tx')
        return <T>(fn: Parameters<Db['tx']>[0], o?: Parameters<Db['tx']>[1]) =>
          target.tx((tx) => fn(timedQueryable(tx, rec)) as Promise<T>, o);
      if (prop === 'query') return timedQueryable(target, rec).query;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return {
    db: wrapped,
    times: {
      byStatement,
      report: (top = 10) =>
        [...byStatement]
          .sort((a, b) => b[1].ms - a[1].ms)
          .slice(0, top)
          .map(([k, x]) => `${(x.ms / 1000).toFixed(1).padStart(7)} s ${String(x.n).padStart(7)} ×  ${k}`),
    },
  };
};
