/** Planned campaign rows that will never be sent: a cancelled campaign's, or a deleted segment's. */
import type { Tx } from '../../platform/db.ts';
import { bumpStats } from './stats.ts';

/** Planned rows settled per transaction. */
export const SETTLE_CHUNK = 20_000;

/**
 * Marks up to `limit` planned rows of a campaign as never to be sent: status cancelled (a cancelled
 * campaign) or skipped with reason segment_deleted; rollups `cancelled` / `skipped:segment_deleted`.
 * Rows a sender holds are left to it. Returns how many rows changed.
 */
export const settlePlanned = async (
  tx: Tx,
  campaignId: string,
  how: 'cancelled' | 'segment_deleted',
  now: Date,
  limit = SETTLE_CHUNK,
): Promise<number> => {
  const r = await tx.query<{ variant: string | null; medium: string; n: string }>(
    `WITH t AS (
       SELECT id FROM message_sends WHERE campaign_id = $1 AND status = 'planned'
       ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED),
     u AS (UPDATE message_sends s SET status = $2, skip_reason = $3, updated_at = $5 FROM t WHERE s.id = t.id
           RETURNING s.variant, s.medium)
     SELECT variant, medium, count(*)::text AS n FROM u GROUP BY 1, 2`,
    [campaignId, how === 'cancelled' ? 'cancelled' : 'skipped', how, limit, now],
  );
  const metric = how === 'cancelled' ? 'cancelled' : 'skipped:segment_deleted';
  await bumpStats(
    tx,
    r.rows.map((x) => ({ campaignId, variant: x.variant, medium: x.medium, metric, by: Number(x.n) })),
  );
  return r.rows.reduce((n, x) => n + Number(x.n), 0);
};
