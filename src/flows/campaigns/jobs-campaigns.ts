/**
 * The campaign jobs: the planner (plan.ts), the A/B winner (winner.ts), the settling of planned rows
 * that will never be sent (a cancelled campaign's, or a running campaign's whose segment was deleted)
 * and completion (a sending campaign with nothing planned or in flight left).
 */
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import * as repo from './campaigns-repo.ts';
import { transition } from './campaigns-service.ts';
import { planStep } from './plan.ts';
import { SETTLE_CHUNK, settlePlanned } from './settle.ts';
import { winnerStep } from './winner.ts';

const stillPlanned = async (tx: Tx, campaignId: string): Promise<boolean> =>
  (
    await tx.query(`SELECT 1 FROM message_sends WHERE campaign_id = $1 AND status = 'planned' LIMIT 1`, [
      campaignId,
    ])
  ).rows.length > 0;

/**
 * One run of the settling: a cancelled campaign with planned rows, or a sending/paused campaign whose
 * segment was archived (its planned rows become skipped segment_deleted; once none is left it is
 * completed with that reason). Returns how many rows (or campaigns) it handled.
 */
export const settleStep = async (deps: Deps, limit = SETTLE_CHUNK): Promise<number> =>
  deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    const c = (
      await tx.query<repo.CampaignRow>(
        `SELECT ${repo.CAMPAIGN_COLS} FROM campaigns c
         WHERE (c.status = 'cancelled' AND EXISTS (
                  SELECT 1 FROM message_sends s WHERE s.campaign_id = c.id AND s.status = 'planned'))
            OR (c.status IN ('sending', 'paused') AND c.segment_id IS NOT NULL AND NOT EXISTS (
                  SELECT 1 FROM segments g WHERE g.id = c.segment_id AND g.archived_at IS NULL))
         ORDER BY c.id LIMIT 1 FOR UPDATE OF c SKIP LOCKED`,
      )
    ).rows[0];
    if (!c) return 0;
    const how = c.status === 'cancelled' ? 'cancelled' : 'segment_deleted';
    const n = await settlePlanned(tx, c.id, how, now, limit);
    if (how === 'segment_deleted' && n < limit && !(await stillPlanned(tx, c.id)))
      await transition(tx, deps.clock, c, 'completed', { reason: 'segment_deleted' });
    return Math.max(1, n);
  });

/**
 * Completes sending campaigns with an audience and nothing planned or in flight any more (a banner
 * or in-app campaign for every visitor stays live until cancelled). Returns how many it completed.
 */
export const completeStep = async (deps: Deps): Promise<number> =>
  deps.db.tx(async (tx) => {
    const done = (
      await tx.query<repo.CampaignRow>(
        `SELECT ${repo.CAMPAIGN_COLS} FROM campaigns c
         WHERE c.status = 'sending' AND (c.segment_id IS NOT NULL OR c.list_id IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM message_sends s WHERE s.campaign_id = c.id AND s.status IN ('planned', 'sending'))
         ORDER BY c.id LIMIT 20 FOR UPDATE OF c SKIP LOCKED`,
      )
    ).rows;
    for (const c of done) await transition(tx, deps.clock, c, 'completed');
    return done.length;
  });

/** Cancels the planned rows of a cancelled campaign to the end (the cancel route, after its commit). */
export const settleCancelled = async (deps: Deps, campaignId: string): Promise<void> => {
  for (;;) {
    const n = await deps.db.tx((tx) => settlePlanned(tx, campaignId, 'cancelled', deps.clock.now()));
    if (n < SETTLE_CHUNK) return;
  }
};

export const campaignJobs = (deps: Deps): Job[] => [
  ...Array.from({ length: deps.config.messaging.planWorkers }, (_, i) => ({
    name: i === 0 ? 'campaigns-plan' : `campaigns-plan-${i + 1}`,
    intervalMs: 1_000,
    runOnce: () => planStep(deps),
  })),
  { name: 'campaigns-winner', intervalMs: 15_000, runOnce: () => winnerStep(deps) },
  { name: 'campaigns-settle', intervalMs: 10_000, runOnce: () => settleStep(deps) },
  { name: 'campaigns-complete', intervalMs: 10_000, runOnce: () => completeStep(deps) },
];
