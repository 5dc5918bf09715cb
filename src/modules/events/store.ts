/**
 * The event store's one write path (docs/events.md): the tracking API's group commit and Plaza's own
 * facts both insert through `insertEvents`, a single SQL statement whose data-modifying CTEs
 * de-duplicate by messageId, resolve the customer, append the events, queue identify/alias for
 * identity resolution and mark the resolved customers' audiences dirty — all or nothing.
 */
import type { Queryable } from '../../platform/db.ts';

export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventInput {
  sourceId: string;
  channelId: string | null;
  locationId?: string | null;
  origin: 'client' | 'plaza';
  messageId: string;
  type: EventType;
  event?: string | null;
  userId?: string | null;
  anonymousId?: string | null;
  groupId?: string | null;
  previousId?: string | null;
  /** When the caller knows it (Plaza facts); otherwise resolved from the live identities. */
  customerId?: string | null;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp: Date;
  originalTimestamp?: Date | null;
  sentAt?: Date | null;
  receivedAt: Date;
  flags?: string[];
  retentionMonths: number;
}

/** One row as the statement reads it from its JSON parameter (column names, ISO dates). */
const rowOf = (r: EventInput, i: number) => ({
  i,
  source_id: r.sourceId,
  channel_id: r.channelId,
  location_id: r.locationId ?? null,
  origin: r.origin,
  message_id: r.messageId,
  type: r.type,
  event: r.event ?? null,
  user_id: r.userId ?? null,
  anonymous_id: r.anonymousId ?? null,
  group_id: r.groupId ?? null,
  previous_id: r.previousId ?? null,
  customer_id: r.customerId ?? null,
  properties: r.properties ?? {},
  traits: r.traits ?? {},
  context: r.context ?? {},
  timestamp: r.timestamp.toISOString(),
  original_timestamp: r.originalTimestamp?.toISOString() ?? null,
  sent_at: r.sentAt?.toISOString() ?? null,
  received_at: r.receivedAt.toISOString(),
  flags: r.flags ?? [],
  retention_months: r.retentionMonths,
});

/*
 * All rows travel as ONE jsonb parameter (no thousands of $n, one parse on the server). A messageId
 * already stored for its source, or repeated within the call (the first one wins), is skipped: the
 * ON CONFLICT DO NOTHING … RETURNING of event_message_ids says which rows are new. A userId that is a
 * customer's own id (`cus_…`) names that customer (its survivor when merged).
 */
const INSERT_EVENTS = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(
    i integer, source_id text, channel_id text, location_id text, origin text, message_id text, type text,
    event text, user_id text, anonymous_id text, group_id text, previous_id text, customer_id text,
    properties jsonb, traits jsonb, context jsonb, "timestamp" timestamptz, original_timestamp timestamptz,
    sent_at timestamptz, received_at timestamptz, flags text[], retention_months smallint)
),
firsts AS (
  SELECT DISTINCT ON (source_id, message_id) * FROM input ORDER BY source_id, message_id, i
),
fresh AS (
  INSERT INTO event_message_ids (source_id, message_id, received_at)
  SELECT source_id, message_id, received_at FROM firsts
  ON CONFLICT DO NOTHING
  RETURNING source_id, message_id
),
kept AS (
  SELECT f.*, COALESCE(
    f.customer_id,
    (SELECT ci.customer_id FROM customer_identities ci
      WHERE f.user_id IS NOT NULL AND ci.kind = 'external' AND ci.value = f.user_id AND ci.unlinked_at IS NULL),
    (SELECT COALESCE(c.merged_into, c.id) FROM customers c
      WHERE left(f.user_id, 4) = 'cus_' AND c.id = f.user_id AND c.status <> 'erased'),
    (SELECT ci.customer_id FROM customer_identities ci
      WHERE f.anonymous_id IS NOT NULL AND ci.kind = 'anonymous' AND ci.value = f.anonymous_id
        AND ci.unlinked_at IS NULL)
  ) AS cid
  FROM firsts f JOIN fresh USING (source_id, message_id)
),
inserted AS (
  INSERT INTO events (source_id, channel_id, location_id, origin, message_id, type, event, user_id,
    anonymous_id, group_id, previous_id, customer_id, properties, traits, context, "timestamp",
    original_timestamp, sent_at, received_at, flags, retention_months)
  SELECT source_id, channel_id, location_id, origin, message_id, type, event, user_id, anonymous_id,
    group_id, previous_id, cid, properties, traits, context, "timestamp", original_timestamp, sent_at,
    received_at, flags, retention_months
  FROM kept ORDER BY i
  RETURNING 1
),
queued AS (
  INSERT INTO event_identity_queue (source_id, channel_id, type, user_id, anonymous_id, previous_id, traits,
    "timestamp", received_at)
  SELECT source_id, channel_id, type, user_id, anonymous_id, previous_id, traits, "timestamp", received_at
  FROM kept WHERE type IN ('identify', 'alias') ORDER BY i
  RETURNING 1
),
dirty AS (
  INSERT INTO audience_dirty (customer_id, queued_at)
  SELECT cid, min(received_at) FROM kept WHERE cid IS NOT NULL GROUP BY cid ORDER BY cid COLLATE "C"
  ON CONFLICT (customer_id) DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::integer AS inserted, (SELECT count(*) FROM queued)::integer AS queued`;

/**
 * One statement: skips messageIds already stored for the source (and duplicates within the call),
 * resolves customer_id from live identities (external ← userId, anonymous ← anonymousId) when not
 * given, inserts the events, queues identify/alias into event_identity_queue, and upserts
 * audience_dirty for resolved customers (in customer-id order, "C" collation, like every multi-row
 * upsert of audience_dirty, so concurrent statements lock its rows in the same order and cannot
 * deadlock). Works inside a transaction (Plaza facts) or alone.
 * Returns how many were new.
 */
export const insertEvents = async (
  q: Queryable,
  rows: readonly EventInput[],
): Promise<{ inserted: number; duplicates: number }> => {
  if (rows.length === 0) return { inserted: 0, duplicates: 0 };
  const json = JSON.stringify(rows.map(rowOf));
  const r = await q.query<{ inserted: number }>(INSERT_EVENTS, [json]);
  const inserted = r.rows[0]?.inserted ?? 0;
  return { inserted, duplicates: rows.length - inserted };
};
