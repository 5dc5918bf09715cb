/**
 * Devices and browsers a customer can be reached on by push (message_endpoints): FCM registration
 * tokens of the app and Web Push subscriptions of the shop, each `mep_…`.
 */
import type { Queryable } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';

export type EndpointKind = 'fcm' | 'web_push';

export interface EndpointRow {
  id: string;
  customer_id: string | null;
  anonymous_id: string | null;
  kind: EndpointKind;
  address: string;
  p256dh: string | null;
  auth: string | null;
  user_agent: string | null;
  created_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
}

export interface NewEndpoint {
  kind: EndpointKind;
  address: string;
  customerId: string | null;
  anonymousId: string | null;
  p256dh?: string | null;
  auth?: string | null;
  userAgent?: string | null;
  at: Date;
}

/**
 * Registers a device, or renews it when the same token or subscription comes again (a revoked one
 * comes back to life, its keys and owner updated: a browser re-subscribing is the same endpoint).
 */
export const upsertEndpoint = async (q: Queryable, e: NewEndpoint): Promise<EndpointRow> => {
  const r = await q.query<EndpointRow>(
    `INSERT INTO message_endpoints
       (id, customer_id, anonymous_id, kind, address, p256dh, auth, user_agent, created_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     ON CONFLICT (kind, address) DO UPDATE SET
       customer_id = COALESCE(excluded.customer_id, message_endpoints.customer_id),
       anonymous_id = COALESCE(excluded.anonymous_id, message_endpoints.anonymous_id),
       p256dh = COALESCE(excluded.p256dh, message_endpoints.p256dh),
       auth = COALESCE(excluded.auth, message_endpoints.auth),
       user_agent = COALESCE(excluded.user_agent, message_endpoints.user_agent),
       last_seen_at = excluded.last_seen_at,
       revoked_at = NULL
     RETURNING *`,
    [
      newId('mep'),
      e.customerId,
      e.anonymousId,
      e.kind,
      e.address,
      e.p256dh ?? null,
      e.auth ?? null,
      e.userAgent ?? null,
      e.at,
    ],
  );
  const row = r.rows[0];
  if (!row) throw new Error('message_endpoints upsert returned no row');
  return row;
};

export const getEndpoint = async (q: Queryable, id: string): Promise<EndpointRow | undefined> =>
  (await q.query<EndpointRow>('SELECT * FROM message_endpoints WHERE id = $1', [id])).rows[0];

/** Revokes a device (unsubscribed, or the push service said it is gone). Returns whether it was live. */
export const revokeEndpoint = async (q: Queryable, id: string, at: Date): Promise<boolean> =>
  ((
    await q.query('UPDATE message_endpoints SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
      id,
      at,
    ])
  ).rowCount ?? 0) > 0;

export const revokeEndpointByAddress = async (q: Queryable, kind: EndpointKind, address: string, at: Date) =>
  q.query(
    'UPDATE message_endpoints SET revoked_at = $3 WHERE kind = $1 AND address = $2 AND revoked_at IS NULL',
    [kind, address, at],
  );

/** A customer's live devices of one kind, the most recently seen first (where the sender addresses push). */
export const customerEndpoints = async (
  q: Queryable,
  customerId: string,
  kind: EndpointKind,
): Promise<EndpointRow[]> =>
  (
    await q.query<EndpointRow>(
      `SELECT * FROM message_endpoints WHERE customer_id = $1 AND kind = $2 AND revoked_at IS NULL
       ORDER BY last_seen_at DESC, id DESC LIMIT 20`,
      [customerId, kind],
    )
  ).rows;

/** The live push endpoints (devices) of a customer, by id (a merge moves them to the survivor). */
export const liveEndpointIds = async (q: Queryable, customerId: string): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      'SELECT id FROM message_endpoints WHERE customer_id = $1 AND revoked_at IS NULL ORDER BY id',
      [customerId],
    )
  ).rows.map((r) => r.id);

/** Moves these endpoints from one customer to another (a merge, its undo); returns the ids moved. */
export const moveEndpoints = async (
  q: Queryable,
  ids: readonly string[],
  from: string,
  to: string,
): Promise<string[]> => {
  if (ids.length === 0) return [];
  return (
    await q.query<{ id: string }>(
      'UPDATE message_endpoints SET customer_id = $3 WHERE id = ANY($1::text[]) AND customer_id = $2 RETURNING id',
      [ids, from, to],
    )
  ).rows.map((r) => r.id);
};
