/**
 * The ledger side of shown media (banner, in_app, pos, print): a planned row becomes `sent` the first
 * time it is shown, printed or handed over, which is the touch that counts for the frequency cap.
 * Also the few campaign facts the offer, placement and print flows read.
 */
import type { Medium } from '../../modules/messaging/types.ts';
import type { Queryable } from '../../platform/db.ts';
import type { MediumContent } from './templates.ts';

export interface ShownSend {
  id: string;
  campaign_id: string;
  customer_id: string;
  variant: string | null;
  medium: Medium;
}

/**
 * Marks planned rows sent now (conditional UPDATE: a row already sent, skipped or cancelled is left
 * alone, so two impressions at once mark it once). Returns the rows this call changed.
 */
export const markShown = async (
  q: Queryable,
  ids: readonly string[],
  at: Date,
  /** who showed it: `print` and the print run id, `pos` and the location … */
  by?: { provider: string; reference: string },
): Promise<ShownSend[]> => {
  if (ids.length === 0) return [];
  const { rows } = await q.query<ShownSend>(
    `UPDATE message_sends s SET status = 'sent', sent_at = $2, updated_at = $2, attempts = attempts + 1,
       provider = coalesce($3, s.provider), provider_message_id = coalesce($4, s.provider_message_id)
     WHERE s.id = ANY($1::text[]) AND s.status = 'planned'
     RETURNING s.id, s.campaign_id, s.customer_id, s.variant, s.medium`,
    [ids, at, by?.provider ?? null, by?.reference ?? null],
  );
  return rows;
};

/** Marks planned rows skipped with a reason (e.g. no_address for print). Returns the rows changed. */
export const markSkipped = async (
  q: Queryable,
  ids: readonly string[],
  reason: string,
  at: Date,
): Promise<ShownSend[]> => {
  if (ids.length === 0) return [];
  const { rows } = await q.query<ShownSend>(
    `UPDATE message_sends SET status = 'skipped', skip_reason = $2, updated_at = $3
     WHERE id = ANY($1::text[]) AND status = 'planned'
     RETURNING id, campaign_id, customer_id, variant, medium`,
    [ids, reason, at],
  );
  return rows;
};

export interface CampaignVariant {
  key: string;
  split?: number;
  content: Partial<Record<Medium, MediumContent>>;
}

export interface CampaignFacts {
  id: string;
  name: string;
  status: string;
  kind: 'marketing' | 'transactional';
  segment_id: string | null;
  list_id: string | null;
  media: Medium[];
  variants: CampaignVariant[];
  winner_variant: string | null;
  offer: { discount_id?: string; codes?: 'per_recipient' | 'shared'; expires_at?: string } | null;
  product_ids: string[];
}

const FACTS = `id, name, status, kind, segment_id, list_id, media, variants, winner_variant, offer, product_ids`;

export const campaignFacts = async (q: Queryable, id: string): Promise<CampaignFacts | undefined> =>
  (await q.query<CampaignFacts>(`SELECT ${FACTS} FROM campaigns WHERE id = $1`, [id])).rows[0];

export const campaignsFacts = async (
  q: Queryable,
  ids: readonly string[],
): Promise<Map<string, CampaignFacts>> =>
  ids.length === 0
    ? new Map()
    : new Map(
        (
          await q.query<CampaignFacts>(`SELECT ${FACTS} FROM campaigns WHERE id = ANY($1::text[])`, [ids])
        ).rows.map((c) => [c.id, c]),
      );

/** A variant's content for a medium (the row's variant, else the winner, else the first). */
export const contentOf = (
  c: CampaignFacts,
  variant: string | null,
  medium: Medium,
): { key: string; content: MediumContent } | undefined => {
  const v =
    c.variants.find((x) => x.key === variant) ??
    c.variants.find((x) => x.key === c.winner_variant) ??
    c.variants[0];
  const content = v?.content[medium];
  return v && content ? { key: v.key, content } : undefined;
};
