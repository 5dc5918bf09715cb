/**
 * The send ledger's queue side: the sender's transitions (sent, skipped or failed, back to the queue)
 * and the set-based reads the gate needs (bounced addresses, marketing touches, push devices).
 */
import type { Queryable } from '../../platform/db.ts';
import type { SkipReason } from './ledger.ts';

// ── The sender's transitions (src/flows/campaigns/sender.ts claims; these settle) ─────────────────

/** A claimed send went out: recorded right after the provider's answer (the window for a duplicate). */
export const markSent = async (
  q: Queryable,
  a: { id: string; provider: string; providerMessageId: string; address: string | null; at: Date },
): Promise<boolean> =>
  (
    await q.query(
      `UPDATE message_sends SET status = 'sent', provider = $2, provider_message_id = $3, address = $4,
         sent_at = $5, lease_until = NULL, next_attempt_at = NULL, last_error = NULL, updated_at = $5
       WHERE id = $1 AND status = 'sending'`,
      [a.id, a.provider, a.providerMessageId, a.address, a.at],
    )
  ).rowCount > 0;

/** Settles claimed sends as skipped (reason) or failed (provider_failed): nothing more will be tried. */
export const markSkipped = async (
  q: Queryable,
  a: {
    ids: readonly string[];
    status: 'skipped' | 'failed';
    reason: SkipReason;
    error?: string;
    at: Date;
    /** the address that was tried (a failed send), kept for the bounce */
    address?: string;
  },
): Promise<number> =>
  a.ids.length === 0
    ? 0
    : (
        await q.query(
          `UPDATE message_sends SET status = $2, skip_reason = $3, last_error = COALESCE($4, last_error),
             lease_until = NULL, next_attempt_at = NULL, updated_at = $5, address = COALESCE($6, address)
           WHERE id = ANY($1) AND status IN ('sending', 'planned')`,
          [a.ids, a.status, a.reason, a.error?.slice(0, 500) ?? null, a.at, a.address ?? null],
        )
      ).rowCount;

/**
 * Gives claimed sends back to the queue for later: a failed attempt (delay 'retry', the error kept)
 * or quiet hours at send time ('quiet_hours', the attempt not counted).
 */
export const requeueSends = async (
  q: Queryable,
  a: { ids: readonly string[]; dueAt: Date; reason: string; error?: string; countAttempt: boolean; at: Date },
): Promise<number> =>
  a.ids.length === 0
    ? 0
    : (
        await q.query(
          `UPDATE message_sends SET status = 'planned', due_at = $2, delay_reason = $3,
             next_attempt_at = CASE WHEN $5 THEN $2 ELSE next_attempt_at END,
             attempts = CASE WHEN $5 THEN attempts ELSE greatest(attempts - 1, 0) END,
             last_error = COALESCE($4, last_error), lease_until = NULL, updated_at = $6
           WHERE id = ANY($1) AND status = 'sending'`,
          [a.ids, a.dueAt, a.reason, a.error?.slice(0, 500) ?? null, a.countAttempt, a.at],
        )
      ).rowCount;

/** Which of these keyed hashes (addressHash) hard-bounced or complained. */
export const bouncedAmong = async (q: Queryable, hashes: readonly string[]): Promise<Set<string>> => {
  if (hashes.length === 0) return new Set();
  const r = await q.query<{ hash: string }>(
    'SELECT hash FROM message_suppressions WHERE hash = ANY($1::text[])',
    [hashes],
  );
  return new Set(r.rows.map((x) => x.hash));
};

/**
 * Marketing touches per customer for the frequency cap: sent marketing rows (any medium, shown media
 * included) by sent_at, in the last day and the last week before `now`.
 */
export const marketingTouches = async (
  q: Queryable,
  customerIds: readonly string[],
  now: Date,
): Promise<Map<string, { day: number; week: number }>> => {
  if (customerIds.length === 0) return new Map();
  const r = await q.query<{ customer_id: string; day: number; week: number }>(
    `SELECT customer_id, count(*) FILTER (WHERE sent_at > $2::timestamptz - interval '1 day')::int AS day,
       count(*)::int AS week
     FROM message_sends
     WHERE customer_id = ANY($1::text[]) AND marketing AND status = 'sent'
       AND sent_at > $2::timestamptz - interval '7 days' AND sent_at <= $2
     GROUP BY customer_id`,
    [customerIds, now],
  );
  return new Map(r.rows.map((x) => [x.customer_id, { day: x.day, week: x.week }]));
};

/** The newest live push endpoint of each customer: FCM token (push) or Web Push endpoint id (web_push). */
export const pushAddresses = async (
  q: Queryable,
  customerIds: readonly string[],
  medium: 'push' | 'web_push',
): Promise<Map<string, string>> => {
  if (customerIds.length === 0) return new Map();
  const r = await q.query<{ customer_id: string; address: string }>(
    `SELECT DISTINCT ON (customer_id) customer_id, ${medium === 'push' ? 'address' : 'id'} AS address
     FROM message_endpoints
     WHERE customer_id = ANY($1::text[]) AND kind = $2 AND revoked_at IS NULL
     ORDER BY customer_id, last_seen_at DESC, id DESC`,
    [customerIds, medium === 'push' ? 'fcm' : 'web_push'],
  );
  return new Map(r.rows.map((x) => [x.customer_id, x.address]));
};
