/**
 * Campaign rollups (campaign_stats): counts per campaign, variant, medium and metric. The campaign
 * screens read these, never count(*) over message_sends (docs/campaigns.md, "Results").
 */
import type { Queryable } from '../../platform/db.ts';

export interface StatBump {
  campaignId: string;
  variant: string | null;
  medium: string;
  /** planned, holdout, skipped:<reason>, sent, failed, delivered, bounced, complained, opened, clicked,
   * converted, unsubscribed, shown, redeemed, revenue_minor, revenue_minor_sq, cancelled (and holdout_*) */
  metric: string;
  by?: number;
}

const keyOf = (b: StatBump) => [b.campaignId, b.variant ?? '', b.medium, b.metric] as const;
const compare = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/**
 * Adds to the rollups in one statement: duplicates are summed first and the rows go in key order
 * (byte order, as the "C" collation sorts), so concurrent bumps lock rows in one order and cannot
 * deadlock. A zero sum writes nothing.
 */
export const bumpStats = async (q: Queryable, bumps: readonly StatBump[]): Promise<void> => {
  const sums = new Map<string, { key: readonly string[]; n: number }>();
  for (const b of bumps) {
    const key = keyOf(b);
    const k = key.join('\u0000');
    const cur = sums.get(k) ?? { key, n: 0 };
    cur.n += b.by ?? 1;
    sums.set(k, cur);
  }
  const rows = [...sums.values()].filter((r) => r.n !== 0).sort((a, b) => compare(a.key, b.key));
  if (rows.length === 0) return;
  const col = (i: number) => rows.map((r) => r.key[i] as string);
  await q.query(
    `INSERT INTO campaign_stats (campaign_id, variant, medium, metric, n)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
       AS s (campaign_id, variant, medium, metric, n)
     ORDER BY campaign_id COLLATE "C", variant COLLATE "C", medium COLLATE "C", metric COLLATE "C"
     ON CONFLICT (campaign_id, variant, medium, metric) DO UPDATE SET n = campaign_stats.n + excluded.n`,
    [col(0), col(1), col(2), col(3), rows.map((r) => r.n)],
  );
};

export interface StatRow {
  variant: string;
  medium: string;
  metric: string;
  n: number;
}

/** Every rollup row of a campaign (variant '' holds rows without a variant: holdout, winner pending). */
export const campaignStats = async (q: Queryable, campaignId: string): Promise<StatRow[]> =>
  (
    await q.query<{ variant: string; medium: string; metric: string; n: string }>(
      `SELECT variant, medium, metric, n::text AS n FROM campaign_stats WHERE campaign_id = $1
       ORDER BY variant, medium, metric`,
      [campaignId],
    )
  ).rows.map((r) => ({ ...r, n: Number(r.n) }));
