/** Rows of `campaigns` (campaigns-service.ts keeps the rules; this file only reads and writes). */
import type { Medium } from '../../modules/messaging/types.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Campaign, CampaignStatus, Schedule, Variant, Winner } from './campaigns-schema.ts';

export interface CampaignRow {
  id: string;
  name: string;
  status: CampaignStatus;
  kind: 'marketing' | 'transactional';
  segment_id: string | null;
  list_id: string | null;
  media: Medium[];
  variants: Variant[];
  schedule: Schedule;
  winner: Winner | null;
  winner_variant: string | null;
  holdout_percent: number;
  throttle: Partial<Record<Medium, number>>;
  offer: { discount_id: string; codes: 'per_recipient' | 'shared' } | null;
  product_ids: string[];
  require_in_stock: boolean;
  utm: Record<string, string> | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  scheduled_at: Date | null;
  planned_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  archived_at: Date | null;
}

export const CAMPAIGN_COLS =
  'id, name, status, kind, segment_id, list_id, media, variants, schedule, winner, winner_variant, ' +
  'holdout_percent, throttle, offer, product_ids, require_in_stock, utm, created_by, created_at, updated_at, ' +
  'scheduled_at, planned_at, started_at, completed_at, cancelled_at, archived_at';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const campaignToApi = (r: CampaignRow, statusReason: string | null = null): Campaign => ({
  id: r.id,
  name: r.name,
  status: r.status,
  status_reason: statusReason,
  kind: r.kind,
  segment_id: r.segment_id,
  list_id: r.list_id,
  media: r.media,
  variants: r.variants,
  schedule: r.schedule,
  winner: r.winner,
  winner_variant: r.winner_variant,
  holdout_percent: r.holdout_percent,
  throttle: r.throttle,
  offer: r.offer,
  product_ids: r.product_ids,
  require_in_stock: r.require_in_stock,
  utm: r.utm,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  scheduled_at: iso(r.scheduled_at),
  planned_at: iso(r.planned_at),
  started_at: iso(r.started_at),
  completed_at: iso(r.completed_at),
  cancelled_at: iso(r.cancelled_at),
});

export const getCampaign = async (q: Queryable, id: string, lock = false): Promise<CampaignRow | undefined> =>
  (
    await q.query<CampaignRow>(
      `SELECT ${CAMPAIGN_COLS} FROM campaigns WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    )
  ).rows[0];

/** Campaigns newest first (ids are time-ordered), after the cursor id, optionally of one status. */
export const listCampaigns = async (
  q: Queryable,
  f: { status?: CampaignStatus; before?: string; limit: number },
): Promise<CampaignRow[]> =>
  (
    await q.query<CampaignRow>(
      `SELECT ${CAMPAIGN_COLS} FROM campaigns
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [f.status ?? null, f.before ?? null, f.limit],
    )
  ).rows;

/** The editable fields of a campaign, as stored. */
export type CampaignFields = Pick<
  CampaignRow,
  | 'name'
  | 'kind'
  | 'segment_id'
  | 'list_id'
  | 'media'
  | 'variants'
  | 'schedule'
  | 'winner'
  | 'holdout_percent'
  | 'throttle'
  | 'offer'
  | 'product_ids'
  | 'require_in_stock'
  | 'utm'
>;

const values = (f: CampaignFields) => [
  f.name,
  f.kind,
  f.segment_id,
  f.list_id,
  f.media,
  JSON.stringify(f.variants),
  JSON.stringify(f.schedule),
  f.winner ? JSON.stringify(f.winner) : null,
  f.holdout_percent,
  JSON.stringify(f.throttle),
  f.offer ? JSON.stringify(f.offer) : null,
  f.product_ids,
  f.require_in_stock,
  f.utm ? JSON.stringify(f.utm) : null,
];

export const insertCampaign = async (
  q: Queryable,
  id: string,
  f: CampaignFields,
  createdBy: string | null,
  now: Date,
): Promise<CampaignRow> =>
  (
    await q.query<CampaignRow>(
      `INSERT INTO campaigns (name, kind, segment_id, list_id, media, variants, schedule, winner, holdout_percent,
         throttle, offer, product_ids, require_in_stock, utm, id, status, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7::jsonb, $8::jsonb, $9, $10::jsonb, $11::jsonb, $12::text[],
         $13, $14::jsonb, $15, 'draft', $16, $17, $17)
       RETURNING ${CAMPAIGN_COLS}`,
      [...values(f), id, createdBy, now],
    )
  ).rows[0] as CampaignRow;

export const updateCampaignFields = async (
  q: Queryable,
  id: string,
  f: CampaignFields,
  now: Date,
): Promise<CampaignRow> =>
  (
    await q.query<CampaignRow>(
      `UPDATE campaigns SET name = $1, kind = $2, segment_id = $3, list_id = $4, media = $5::text[],
         variants = $6::jsonb, schedule = $7::jsonb, winner = $8::jsonb, holdout_percent = $9, throttle = $10::jsonb,
         offer = $11::jsonb, product_ids = $12::text[], require_in_stock = $13, utm = $14::jsonb, updated_at = $16
       WHERE id = $15 RETURNING ${CAMPAIGN_COLS}`,
      [...values(f), id, now],
    )
  ).rows[0] as CampaignRow;

/** Timestamps a status sets (the first time it is reached). */
const STAMP: Partial<Record<CampaignStatus, string>> = {
  scheduled: 'scheduled_at',
  sending: 'planned_at',
  completed: 'completed_at',
  cancelled: 'cancelled_at',
};

/**
 * Sets the status (the caller checked the transition). `scheduledAt` replaces scheduled_at when
 * given; the planner's start sets started_at.
 */
export const setCampaignStatus = async (
  q: Queryable,
  id: string,
  status: CampaignStatus,
  now: Date,
  opts: { scheduledAt?: Date } = {},
): Promise<CampaignRow> => {
  const stamp = STAMP[status];
  const sets = ['status = $2', 'updated_at = $3'];
  if (status === 'scheduled') sets.push('scheduled_at = $4');
  else if (stamp) sets.push(`${stamp} = COALESCE(${stamp}, $3)`);
  if (status === 'planning') sets.push('started_at = COALESCE(started_at, $3)');
  const params: unknown[] = [id, status, now];
  if (status === 'scheduled') params.push(opts.scheduledAt ?? now);
  return (
    await q.query<CampaignRow>(
      `UPDATE campaigns SET ${sets.join(', ')} WHERE id = $1 RETURNING ${CAMPAIGN_COLS}`,
      params,
    )
  ).rows[0] as CampaignRow;
};

/** The reason recorded with the campaign's latest change of status (state_transitions), if any. */
export const statusReasonOf = async (q: Queryable, id: string): Promise<string | null> =>
  (
    await q.query<{ reason: string | null }>(
      `SELECT reason FROM state_transitions WHERE entity_type = 'campaign' AND entity_id = $1
       ORDER BY at DESC, id DESC LIMIT 1`,
      [id],
    )
  ).rows[0]?.reason ?? null;
