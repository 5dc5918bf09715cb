/**
 * Snapshots of the customer-value report (docs/analytics.md, "How the figures are kept"): fitting
 * the lifetime-value models on every customer takes seconds at a million orders, too long for a
 * request. A job computes today's report per currency from the rollups and keeps it in
 * `analytics_snapshots`; the report without a segment reads it. A snapshot is recomputed when the
 * rollups changed since (the `analytics_rollup_version` sequence moved) or the day turned, but not
 * more often than its last computation allows (five times its duration, at most 40 s apart), so a
 * slow fit never takes more than a sixth of the database, and the figures stay within about a
 * minute of the rollups.
 */
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { customerValue } from './customers.ts';
import { analyticsTimeZone } from './options.ts';
import { period } from './settings.ts';

export type CustomerValueReport = Awaited<ReturnType<typeof customerValue>>;

const REPORT = 'customers';
const MAX_INTERVAL_MS = 40_000;

interface Stored {
  key: string;
  as_of: string;
  version: string;
  computed_at: Date;
  duration_ms: number;
}

/** The currencies customers bought in, most used first. */
export const buyerCurrencies = async (q: Queryable): Promise<string[]> =>
  (
    await q.query<{ currency: string }>(
      `SELECT currency::text AS currency FROM analytics_sales_daily
       GROUP BY 1 ORDER BY sum(orders - guest_orders) DESC, 1`,
    )
  ).rows.map((r) => r.currency);

const rollupVersion = async (q: Queryable): Promise<bigint> =>
  BigInt(
    (
      await q.query<{ v: string }>(
        'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS v FROM analytics_rollup_version',
      )
    ).rows[0]?.v ?? '0',
  );

/** Today's snapshot of one currency, when there is one (any version: the job keeps it current). */
export const readCustomerSnapshot = async (
  q: Queryable,
  currency: string,
  asOf: string,
): Promise<{ report: CustomerValueReport; computed_at: Date } | null> => {
  const row = (
    await q.query<{ body: CustomerValueReport; computed_at: Date }>(
      `SELECT body, computed_at FROM analytics_snapshots WHERE report = $1 AND key = $2 AND as_of = $3::date`,
      [REPORT, currency, asOf],
    )
  ).rows[0];
  return row ? { report: row.body, computed_at: row.computed_at } : null;
};

/**
 * One run of the job: recomputes the snapshots that are behind and due, one currency per run (the
 * most behind first). Returns how many it computed (0 or 1). No transaction is held while the
 * models are fitted (that is CPU, not database); two processes deciding at the same instant both
 * compute, and the later write wins, which is harmless.
 */
export const snapshotStep = async (deps: Pick<Deps, 'db' | 'clock'>): Promise<number> => {
  const q = deps.db;
  const now = deps.clock.now();
  const { to } = period({}, now, await analyticsTimeZone(q));
  const version = await rollupVersion(q);
  const stored = new Map(
    (
      await q.query<Stored>(
        `SELECT key, to_char(as_of, 'YYYY-MM-DD') AS as_of, version::text AS version, computed_at, duration_ms
         FROM analytics_snapshots WHERE report = $1`,
        [REPORT],
      )
    ).rows.map((r) => [r.key, r]),
  );
  const current = (s: Stored) => s.as_of === to && BigInt(s.version) >= version;
  // the idle run (every 2 s): nothing rebuilt since and the same day; a currency comes or goes only
  // with a rebuild, so the currencies need not be read
  if (stored.size > 0 && [...stored.values()].every(current)) return 0;
  const currencies = await buyerCurrencies(q);
  await q.query('DELETE FROM analytics_snapshots WHERE report = $1 AND NOT (key = ANY($2::text[]))', [
    REPORT,
    currencies,
  ]);
  const due = currencies
    .map((currency) => ({ currency, s: stored.get(currency) }))
    .filter(({ s }) => {
      if (!s) return true;
      if (current(s)) return false;
      const wait = Math.min(MAX_INTERVAL_MS, 5 * s.duration_ms);
      return now.getTime() - s.computed_at.getTime() >= wait || s.as_of !== to;
    })
    .sort((a, b) => (a.s?.computed_at.getTime() ?? 0) - (b.s?.computed_at.getTime() ?? 0));
  const next = due[0];
  if (!next) return 0;
  const t0 = performance.now();
  const body = await customerValue(q, { currency: next.currency, asOf: to });
  const ms = Math.round(performance.now() - t0);
  await q.query(
    `INSERT INTO analytics_snapshots (report, key, as_of, version, computed_at, duration_ms, body)
     VALUES ($1, $2, $3::date, $4, $5, $6, $7::jsonb)
     ON CONFLICT (report, key) DO UPDATE SET as_of = excluded.as_of, version = excluded.version,
       computed_at = excluded.computed_at, duration_ms = excluded.duration_ms, body = excluded.body`,
    [REPORT, next.currency, to, version.toString(), now, ms, JSON.stringify(body)],
  );
  return 1;
};
