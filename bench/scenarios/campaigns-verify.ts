/**
 * Checks a planned campaign against an independent computation in SQL of what each recipient should
 * get (the gate's rules restated over the generated data: holdout hash, restriction, latest consent,
 * bounced address, address, cap from the prior sends, quiet hours in the recipient's zone at the
 * moment the row was written), and the rollups (campaign_stats) against the ledger.
 */
import type { Db } from '../../src/platform/db.ts';
import { SEGMENT_ID } from './campaigns-data.ts';

export interface Verdict {
  /** ledger rows by outcome (status, or status:reason), as written by the planner */
  byOutcome: Map<string, number>;
  rows: number;
  /** recipients whose row differs from the expectation (or is missing, or is extra) */
  mismatches: number;
  examples: string[];
  /** rollup metrics whose count differs from the ledger */
  rollupMismatches: string[];
  /** share of variant A among the rows with a variant */
  variantA: number;
  holdoutShare: number;
}

const EXPECTED_SQL = `
WITH cust AS (
  SELECT c.id, c.email, c.phone, c.processing_restricted_at IS NOT NULL AS restricted,
    c.preferred_location_id, substr(c.id, 5)::bigint AS n
  FROM segment_members m JOIN customers c ON c.id = m.customer_id
  WHERE m.segment_id = $2 AND c.status = 'active'
), media (medium, channel) AS (SELECT * FROM unnest($3::text[], $4::text[])),
consent AS (
  SELECT DISTINCT ON (customer_id, channel) customer_id, channel, status FROM consent_records
  WHERE purpose = 'marketing' ORDER BY customer_id, channel, recorded_at DESC, id DESC
), zones AS MATERIALIZED (SELECT name FROM pg_timezone_names), rows AS (
  SELECT s.customer_id, s.medium, s.created_at,
    s.status || coalesce(':' || s.skip_reason, '') || coalesce(':' || s.delay_reason, '') AS actual
  FROM message_sends s WHERE s.campaign_id = $1
), expected AS (
  SELECT x.id AS customer_id, md.medium,
    CASE
      WHEN ('x' || substr(encode(sha256(convert_to($1 || ':' || x.id, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint
           / 4294967296.0 < $5::float8 / 100 THEN 'holdout:holdout'
      WHEN x.restricted THEN 'skipped:restricted'
      WHEN coalesce(cs.status, '') <> 'granted' THEN 'skipped:no_consent'
      WHEN md.medium = 'email' AND x.n % 1000 = 11 THEN 'skipped:bounced_before'
      WHEN (md.medium = 'email' AND x.email IS NULL) OR (md.medium = 'sms' AND x.phone IS NULL)
        THEN 'skipped:no_address'
      WHEN t.day >= $6 OR t.week >= $7 THEN 'skipped:capped'
      WHEN (r.created_at AT TIME ZONE coalesce(tz.name, loc.timezone, 'UTC'))::time >= $8::time
        OR (r.created_at AT TIME ZONE coalesce(tz.name, loc.timezone, 'UTC'))::time < $9::time
        THEN 'planned:quiet_hours'
      ELSE 'planned'
    END AS expected
  FROM cust x CROSS JOIN media md
  LEFT JOIN rows r ON r.customer_id = x.id AND r.medium = md.medium
  LEFT JOIN consent cs ON cs.customer_id = x.id AND cs.channel = md.channel
  LEFT JOIN locations loc ON loc.id = x.preferred_location_id
  LEFT JOIN customer_traits ct ON ct.customer_id = x.id AND ct.key = 'timezone'
  LEFT JOIN zones tz ON tz.name = ct.value #>> '{}'
  LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE p.sent_at > r.created_at - interval '1 day') AS day,
      count(*) AS week FROM message_sends p
    WHERE p.customer_id = x.id AND p.marketing AND p.status = 'sent'
      AND p.sent_at > r.created_at - interval '7 days' AND p.sent_at <= r.created_at) t ON true
)
SELECT coalesce(e.expected, '-') AS expected, coalesce(r.actual, '-') AS actual, count(*)::int AS n,
  min(coalesce(e.customer_id, r.customer_id) || ' ' || coalesce(e.medium, r.medium)) AS example
FROM expected e FULL JOIN rows r ON r.customer_id = e.customer_id AND r.medium = e.medium
GROUP BY 1, 2 ORDER BY 3 DESC`;

/** The consent channel of the media the benchmark uses. */
const CHANNEL: Record<string, string> = { email: 'email', sms: 'sms' };

export const verifyPlan = async (
  db: Db,
  c: { id: string; media: string[]; holdoutPercent: number },
): Promise<Verdict> =>
  db.tx(async (tx) => {
    await tx.query('SET LOCAL statement_timeout = 0');
    await tx.query("SET LOCAL work_mem = '256MB'");
    const r = await tx.query<{ expected: string; actual: string; n: number; example: string }>(EXPECTED_SQL, [
      c.id,
      SEGMENT_ID,
      c.media,
      c.media.map((m) => CHANNEL[m] ?? m),
      c.holdoutPercent,
      1,
      3,
      '21:00',
      '08:00',
    ]);
    const byOutcome = new Map<string, number>();
    let mismatches = 0;
    let rows = 0;
    const examples: string[] = [];
    for (const x of r.rows) {
      if (x.actual !== '-') {
        const key = x.actual.replace(/^(holdout):holdout$/, '$1');
        byOutcome.set(key, (byOutcome.get(key) ?? 0) + x.n);
        rows += x.n;
      }
      if (x.expected !== x.actual) {
        mismatches += x.n;
        examples.push(`${x.n} × expected ${x.expected}, ledger ${x.actual} (e.g. ${x.example})`);
      }
    }
    const ledger = await tx.query<{ variant: string; medium: string; metric: string; n: string }>(
      `SELECT coalesce(variant, '') AS variant, medium,
         CASE WHEN status = 'skipped' THEN 'skipped:' || skip_reason ELSE status END AS metric, count(*)::text AS n
       FROM message_sends WHERE campaign_id = $1 GROUP BY 1, 2, 3`,
      [c.id],
    );
    const stats = await tx.query<{ variant: string; medium: string; metric: string; n: string }>(
      'SELECT variant, medium, metric, n::text FROM campaign_stats WHERE campaign_id = $1',
      [c.id],
    );
    const key = (x: { variant: string; medium: string; metric: string }) =>
      `${x.variant}|${x.medium}|${x.metric}`;
    const rolled = new Map(stats.rows.map((x) => [key(x), Number(x.n)]));
    const rollupMismatches = ledger.rows
      .filter((x) => rolled.get(key(x)) !== Number(x.n))
      .map((x) => `${key(x)}: ledger ${x.n}, rollup ${rolled.get(key(x)) ?? 0}`);
    const v = await tx.query<{ a: string; total: string; holdout: string; all: string }>(
      `SELECT count(*) FILTER (WHERE variant = 'A')::text AS a, count(variant)::text AS total,
         count(*) FILTER (WHERE status = 'holdout')::text AS holdout, count(*)::text AS all
       FROM message_sends WHERE campaign_id = $1`,
      [c.id],
    );
    const vr = v.rows[0];
    return {
      byOutcome,
      rows,
      mismatches,
      examples: examples.slice(0, 8),
      rollupMismatches,
      variantA: Number(vr?.a ?? 0) / Math.max(1, Number(vr?.total ?? 0)),
      holdoutShare: Number(vr?.holdout ?? 0) / Math.max(1, Number(vr?.all ?? 0)),
    };
  });
