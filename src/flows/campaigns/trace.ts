/**
 * The "why not sent" trace of a campaign: its ledger rows in id order, filtered by status and skip
 * reason, a page after a cursor (message_sends_campaign_trace, or the primary key, serves the order).
 */
import type { Queryable } from '../../platform/db.ts';

export interface TraceRow {
  id: string;
  customer_id: string;
  medium: string;
  variant: string | null;
  status: string;
  skip_reason: string | null;
  delay_reason: string | null;
  due_at: Date;
  attempts: number;
  provider: string | null;
  delivery: string | null;
  last_error: string | null;
  sent_at: Date | null;
  opened_at: Date | null;
  clicked_at: Date | null;
  converted_at: Date | null;
}

export const traceSends = async (
  q: Queryable,
  campaignId: string,
  f: { status: string | null; reason: string | null; after: string | null; limit: number },
): Promise<TraceRow[]> =>
  (
    await q.query<TraceRow>(
      `SELECT id, customer_id, medium, variant, status, skip_reason, delay_reason, due_at, attempts, provider,
         delivery, last_error, sent_at, opened_at, clicked_at, converted_at
       FROM message_sends
       WHERE campaign_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR skip_reason = $3)
         AND ($4::text IS NULL OR id > $4)
       ORDER BY id LIMIT $5`,
      [campaignId, f.status, f.reason, f.after, f.limit],
    )
  ).rows;
