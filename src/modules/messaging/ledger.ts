/**
 * The send ledger (message_sends): one row per (source, recipient, medium), written before any provider
 * is called. The unique key is what makes a send happen once; the row's id is the idempotency key the
 * provider gets (SMTP Message-ID `<id@plaza>`). See docs/campaigns.md, "Exactly once".
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { normalizeEmail, normalizePhone, suppressionHash } from '../customers/index.ts';
import type { DeliveryStatus, Medium } from './types.ts';

export const SKIP_REASONS = [
  'no_consent',
  'capped',
  'holdout',
  'out_of_stock',
  'bounced_before',
  'no_address',
  'suppressed',
  'restricted',
  'erased',
  'segment_deleted',
  'template_error',
  'provider_failed',
  'no_provider',
  'cancelled',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type SendStatus = 'planned' | 'sending' | 'sent' | 'failed' | 'skipped' | 'holdout' | 'cancelled';

/** Template fields per medium, rendered at send time (journey and transactional sends). */
export interface SendPayload {
  content: Record<string, Record<string, string>>;
  data?: Record<string, unknown>;
}

export interface NewSend {
  sourceKind: 'campaign' | 'journey' | 'transactional';
  /** campaign id; `<enrollment id>:<step key>`; `txn:<kind>:<subject id>` */
  sourceKey: string;
  campaignId?: string | null;
  journeyId?: string | null;
  journeyVersion?: number | null;
  stepKey?: string | null;
  customerId: string;
  medium: Medium;
  marketing: boolean;
  variant?: string | null;
  /** default planned */
  status?: 'planned' | 'holdout' | 'skipped';
  skipReason?: SkipReason | null;
  delayReason?: string | null;
  dueAt: Date;
  payload?: SendPayload | null;
}

export interface SendRow {
  id: string;
  source_kind: string;
  source_key: string;
  campaign_id: string | null;
  journey_id: string | null;
  journey_version: number | null;
  step_key: string | null;
  customer_id: string;
  medium: Medium;
  marketing: boolean;
  variant: string | null;
  status: SendStatus;
  skip_reason: string | null;
  delay_reason: string | null;
  due_at: Date;
  attempts: number;
  provider: string | null;
  provider_message_id: string | null;
  address: string | null;
  payload: SendPayload | null;
  delivery: string | null;
  sent_at: Date | null;
  opened_at: Date | null;
  clicked_at: Date | null;
  converted_at: Date | null;
  created_at: Date;
  lease_until?: Date | null;
  next_attempt_at?: Date | null;
  last_error?: string | null;
  delivered_at?: Date | null;
  unsubscribed_at?: Date | null;
  updated_at?: Date;
}

export const SEND_COLUMNS = `id, source_kind, source_key, campaign_id, journey_id, journey_version, step_key,
  customer_id, medium, marketing, variant, status, skip_reason, delay_reason, due_at, attempts, provider,
  provider_message_id, address, payload, delivery, sent_at, opened_at, clicked_at, converted_at, created_at,
  lease_until, next_attempt_at, last_error, delivered_at, unsubscribed_at, updated_at`;

/**
 * Writes ledger rows in one statement; a row that already exists for (source_key, customer, medium)
 * is left as it is (that is what makes a send happen once). Returns the rows created.
 */
export const enqueueSends = async (
  q: Queryable,
  deps: Pick<Deps, 'clock'>,
  sends: readonly NewSend[],
): Promise<{ created: number; ids: string[] }> => {
  if (sends.length === 0) return { created: 0, ids: [] };
  const now = deps.clock.now();
  const col = <T>(f: (s: NewSend) => T) => sends.map(f);
  const r = await q.query<{ id: string }>(
    `INSERT INTO message_sends (id, source_kind, source_key, campaign_id, journey_id, journey_version, step_key,
       customer_id, medium, marketing, variant, status, skip_reason, delay_reason, due_at, payload,
       created_at, updated_at)
     SELECT u.*, $17::timestamptz, $17::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
       $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::boolean[], $11::text[], $12::text[],
       $13::text[], $14::text[], $15::timestamptz[], $16::jsonb[]) AS u
     ON CONFLICT (source_key, customer_id, medium) DO NOTHING
     RETURNING id`,
    [
      col(() => newId('msg')),
      col((s) => s.sourceKind),
      col((s) => s.sourceKey),
      col((s) => s.campaignId ?? null),
      col((s) => s.journeyId ?? null),
      col((s) => s.journeyVersion ?? null),
      col((s) => s.stepKey ?? null),
      col((s) => s.customerId),
      col((s) => s.medium),
      col((s) => s.marketing),
      col((s) => s.variant ?? null),
      col((s) => s.status ?? 'planned'),
      col((s) => s.skipReason ?? null),
      col((s) => s.delayReason ?? null),
      col((s) => s.dueAt),
      col((s) => (s.payload ? JSON.stringify(s.payload) : null)),
      now,
    ],
  );
  return { created: r.rows.length, ids: r.rows.map((x) => x.id) };
};

export const getSend = async (q: Queryable, id: string): Promise<SendRow | undefined> =>
  (await q.query<SendRow>(`SELECT ${SEND_COLUMNS} FROM message_sends WHERE id = $1`, [id])).rows[0];

export const getSends = async (q: Queryable, ids: readonly string[]): Promise<SendRow[]> =>
  ids.length === 0
    ? []
    : (await q.query<SendRow>(`SELECT ${SEND_COLUMNS} FROM message_sends WHERE id = ANY($1)`, [ids])).rows;

/**
 * The keyed hash under which an address is kept in message_suppressions (the same HMAC as the
 * erasure suppression list: e-mail and phone normalised first). Push endpoints are not hashed:
 * a dead endpoint is revoked instead.
 */
export const addressHash = (
  deps: Pick<Deps, 'config'>,
  medium: Medium,
  address: string,
): string | undefined => {
  if (medium === 'email') return suppressionHash(deps, 'email', normalizeEmail(address));
  if (medium === 'sms') return suppressionHash(deps, 'phone', normalizePhone(address, 'US') ?? address);
  return undefined;
};

/** Adds an address to message_suppressions (idempotent); a dead push endpoint is revoked instead. */
export const suppressAddress = async (
  q: Queryable,
  deps: Pick<Deps, 'config' | 'clock'>,
  a: { medium: Medium; address: string; reason: 'hard_bounce' | 'complaint' | 'manual'; sendId?: string },
): Promise<void> => {
  const now = deps.clock.now();
  const hash = addressHash(deps, a.medium, a.address);
  if (hash) {
    await q.query(
      `INSERT INTO message_suppressions (hash, medium, reason, send_id, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (hash) DO NOTHING`,
      [hash, a.medium, a.reason, a.sendId ?? null, now],
    );
  } else if (a.medium === 'push' || a.medium === 'web_push') {
    await q.query(
      `UPDATE message_endpoints SET revoked_at = $3
       WHERE revoked_at IS NULL AND (id = $1 OR (kind = $2 AND address = $1))`,
      [a.address, a.medium === 'push' ? 'fcm' : 'web_push', now],
    );
  }
};

export interface DeliveryOutcome {
  found: boolean;
  sendId?: string;
  /** the send after the update (for the caller's rollups and touches) */
  send?: SendRow;
  /** false when the callback repeated what the row already said (count it once) */
  changed?: boolean;
  /** the address was added to the suppression list (hard bounce, complaint) */
  suppressed?: boolean;
}

/**
 * Applies a delivery-status callback to its send (found by send id or provider message id):
 * delivered, bounced (a hard bounce suppresses the address), complained (suppresses), failed;
 * opened and clicked are engagements. Every callback is kept in message_callbacks. The module does
 * not touch campaign rollups: it writes a `message.delivery` outbox fact ({ send_id, status, first })
 * in the same transaction, which the campaigns flow turns into a touch and its rollups (counted when
 * `first`).
 */
export const recordDeliveryStatus = async (
  q: Tx,
  deps: Deps,
  s: DeliveryStatus & { raw?: unknown },
): Promise<DeliveryOutcome> => {
  const outcome = await applyDeliveryStatus(q, deps, s);
  if (outcome.found && outcome.sendId)
    await writeEvent(q, deps.clock, {
      type: 'message.delivery',
      aggregateType: 'message_send',
      aggregateId: outcome.sendId,
      data: {
        send_id: outcome.sendId,
        status: s.status,
        first: outcome.changed === true,
        at: s.at.toISOString(),
      },
    });
  return outcome;
};

const applyDeliveryStatus = async (
  q: Tx,
  deps: Deps,
  s: DeliveryStatus & { raw?: unknown },
): Promise<DeliveryOutcome> => {
  const row = s.sendId
    ? await getSend(q, s.sendId)
    : s.providerMessageId
      ? (
          await q.query<SendRow>(
            `SELECT ${SEND_COLUMNS} FROM message_sends WHERE provider = $1 AND provider_message_id = $2 LIMIT 1`,
            [s.provider, s.providerMessageId],
          )
        ).rows[0]
      : undefined;
  await q.query(
    `INSERT INTO message_callbacks (provider, send_id, status, payload, received_at) VALUES ($1, $2, $3, $4, $5)`,
    [
      s.provider,
      row?.id ?? null,
      s.status,
      JSON.stringify({
        provider_message_id: s.providerMessageId ?? null,
        permanent: s.permanent ?? null,
        detail: s.detail?.slice(0, 1000) ?? null,
        at: s.at.toISOString(),
        raw: s.raw ?? null,
      }),
      deps.clock.now(),
    ],
  );
  if (!row) return { found: false };
  if (s.status === 'opened' || s.status === 'clicked') {
    const e = await noteEngagement(q, row.id, s.status, s.at);
    return { found: true, sendId: row.id, send: e.send ?? row, changed: e.first };
  }
  // a later, stronger verdict wins: complained > bounced > failed > delivered
  const hard = s.status === 'complained' || (s.status === 'bounced' && s.permanent !== false);
  const suppress = async () => {
    if (!hard || !row.address) return false;
    await suppressAddress(q, deps, {
      medium: row.medium,
      address: row.address,
      reason: s.status === 'complained' ? 'complaint' : 'hard_bounce',
      sendId: row.id,
    });
    return true;
  };
  const rank: Record<string, number> = { delivered: 1, failed: 2, bounced: 3, complained: 4 };
  if (row.delivery && (rank[row.delivery] ?? 0) >= (rank[s.status] ?? 0)) {
    // told again (a hard bounce after a soft one still suppresses)
    return { found: true, sendId: row.id, send: row, changed: false, suppressed: await suppress() };
  }
  const updated = (
    await q.query<SendRow>(
      `UPDATE message_sends SET delivery = $2, delivered_at = CASE WHEN $2 = 'delivered' THEN $3 ELSE delivered_at END,
         last_error = COALESCE($4, last_error), updated_at = $5
       WHERE id = $1 RETURNING ${SEND_COLUMNS}`,
      [row.id, s.status, s.at, s.detail?.slice(0, 500) ?? null, deps.clock.now()],
    )
  ).rows[0];
  return { found: true, sendId: row.id, send: updated ?? row, changed: true, suppressed: await suppress() };
};

const ENGAGEMENT_COLUMN = {
  opened: 'opened_at',
  clicked: 'clicked_at',
  converted: 'converted_at',
  unsubscribed: 'unsubscribed_at',
} as const;

/**
 * Notes an engagement on a send (sets opened_at / clicked_at / converted_at / unsubscribed_at when
 * still empty). Returns first=true only the first time, for unique counts. A click implies an open.
 */
export const noteEngagement = async (
  q: Queryable,
  sendId: string,
  kind: 'opened' | 'clicked' | 'converted' | 'unsubscribed',
  at: Date,
  orderId?: string,
): Promise<{ first: boolean; send?: SendRow }> => {
  const column = ENGAGEMENT_COLUMN[kind];
  const r = await q.query<SendRow>(
    `UPDATE message_sends SET ${column} = $2, updated_at = $2
       ${kind === 'converted' ? ', converted_order_id = $3' : ''}
       ${kind === 'clicked' ? ', opened_at = COALESCE(opened_at, $2)' : ''}
     WHERE id = $1 AND ${column} IS NULL RETURNING ${SEND_COLUMNS}`,
    kind === 'converted' ? [sendId, at, orderId ?? null] : [sendId, at],
  );
  if (r.rows[0]) return { first: true, send: r.rows[0] };
  return { first: false, send: await getSend(q, sendId) };
};

// the sender's transitions and the gate's reads of the ledger
export * from './ledger-queue.ts';
