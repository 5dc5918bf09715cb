/**
 * The automatic A/B winner. With `winner` set, the planner sends the variants to a test group
 * (test_percent of the audience, split by the variants' percentages); everyone else gets a planned
 * row with variant NULL, due `after_minutes` later (delay_reason winner_pending). The sender never
 * takes a campaign row whose variant is NULL. When the wait is over, this job picks the variant with
 * the best rate (unique opens, clicks or conversions per sent, from campaign_stats; a tie or no data
 * goes to the first variant), records it as winner_variant and gives it to the waiting rows.
 */
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import * as repo from './campaigns-repo.ts';
import { bumpStats, campaignStats, type StatRow } from './stats.ts';

/** Waiting rows given their variant per transaction. */
export const WINNER_CHUNK = 20_000;

const METRIC = { open: 'opened', click: 'clicked', conversion: 'converted' } as const;

/** The winning variant: the best rate of the metric per sent, over every medium; ties go to the first. */
export const pickWinner = (
  variants: readonly { key: string }[],
  metric: keyof typeof METRIC,
  stats: readonly StatRow[],
): { key: string; rates: Record<string, number> } => {
  const rates: Record<string, number> = {};
  let best = variants[0]?.key ?? '';
  for (const v of variants) {
    const sum = (m: string) =>
      stats.filter((s) => s.variant === v.key && s.metric === m).reduce((n, s) => n + s.n, 0);
    const sent = sum('sent');
    rates[v.key] = sent > 0 ? sum(METRIC[metric]) / sent : 0;
    if ((rates[v.key] ?? 0) > (rates[best] ?? 0)) best = v.key;
  }
  return { key: best, rates };
};

/** Gives the winner to up to `limit` waiting rows (in the unique index's order); returns how many. */
const assignChunk = async (tx: Tx, c: repo.CampaignRow, winner: string, limit: number, now: Date) => {
  const r = await tx.query<{ medium: string; n: string }>(
    `WITH t AS (
       SELECT id FROM message_sends WHERE source_key = $1 AND status = 'planned' AND variant IS NULL
       ORDER BY customer_id, medium LIMIT $3 FOR UPDATE SKIP LOCKED),
     u AS (UPDATE message_sends s SET variant = $2, updated_at = $4 FROM t WHERE s.id = t.id RETURNING s.medium)
     SELECT medium, count(*)::text AS n FROM u GROUP BY medium`,
    [c.id, winner, limit, now],
  );
  let total = 0;
  const bumps = r.rows.flatMap((x) => {
    const n = Number(x.n);
    total += n;
    return [
      { campaignId: c.id, variant: null, medium: x.medium, metric: 'planned', by: -n },
      { campaignId: c.id, variant: winner, medium: x.medium, metric: 'planned', by: n },
    ];
  });
  await bumpStats(tx, bumps);
  return total;
};

/**
 * One run: the first campaign whose winner is due (or picked, with rows still waiting) gets its
 * winner and a chunk of its waiting rows. Returns how many rows it updated (or 1 for a pick alone).
 */
export const winnerStep = async (deps: Deps, limit = WINNER_CHUNK): Promise<number> =>
  deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    const c = (
      await tx.query<repo.CampaignRow>(
        `SELECT ${repo.CAMPAIGN_COLS} FROM campaigns c
         WHERE c.winner IS NOT NULL AND c.status IN ('sending', 'paused') AND c.planned_at IS NOT NULL
           AND (c.winner_variant IS NULL
                AND c.planned_at + make_interval(mins => (c.winner->>'after_minutes')::int) <= $1
             OR c.winner_variant IS NOT NULL AND EXISTS (
                SELECT 1 FROM message_sends s WHERE s.campaign_id = c.id AND s.status = 'planned' AND s.variant IS NULL))
         ORDER BY c.planned_at, c.id LIMIT 1 FOR UPDATE OF c SKIP LOCKED`,
        [now],
      )
    ).rows[0];
    if (!c?.winner) return 0;
    let winner = c.winner_variant;
    if (!winner) {
      const picked = pickWinner(c.variants, c.winner.metric, await campaignStats(tx, c.id));
      winner = picked.key;
      await tx.query('UPDATE campaigns SET winner_variant = $2, updated_at = $3 WHERE id = $1', [
        c.id,
        winner,
        now,
      ]);
      deps.log.info({ campaignId: c.id, winner, rates: picked.rates }, 'campaign A/B winner picked');
    }
    return Math.max(1, await assignChunk(tx, c, winner, limit, now));
  });
