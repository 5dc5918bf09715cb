import type { Queryable } from '../../platform/db.ts';
import type { Endpoint } from './schema.ts';

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  secret: string;
  enabled: boolean;
  max_attempts: number;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ENDPOINT =
  'id, url, description, event_types, secret, enabled, max_attempts, previous_secret, previous_secret_expires_at, created_at, updated_at';

export const endpointToApi = (r: EndpointRow): Endpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  event_types: r.event_types,
  enabled: r.enabled,
  max_attempts: r.max_attempts,
  secret_hint: `…${r.secret.slice(-4)}`,
  previous_secret_expires_at: r.previous_secret_expires_at?.toISOString() ?? null,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const insertEndpoint = async (q: Queryable, e: EndpointRow): Promise<EndpointRow> =>
  (
    await q.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (${ENDPOINT}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${ENDPOINT}`,
      [
        e.id,
        e.url,
        e.description,
        e.event_types,
        e.secret,
        e.enabled,
        e.max_attempts,
        e.previous_secret,
        e.previous_secret_expires_at,
        e.created_at,
        e.updated_at,
      ],
    )
  ).rows[0] as EndpointRow;

export const getEndpoint = async (q: Queryable, id: string): Promise<EndpointRow | undefined> =>
  (await q.query<EndpointRow>(`SELECT ${ENDPOINT} FROM webhook_endpoints WHERE id = $1`, [id])).rows[0];

export const listEndpoints = async (q: Queryable): Promise<EndpointRow[]> =>
  (await q.query<EndpointRow>(`SELECT ${ENDPOINT} FROM webhook_endpoints ORDER BY id LIMIT 500`)).rows;

export const updateEndpoint = async (
  q: Queryable,
  id: string,
  p: {
    url?: string;
    description?: string | null;
    event_types?: string[];
    enabled?: boolean;
    max_attempts?: number;
  },
  at: Date,
): Promise<EndpointRow | undefined> =>
  (
    await q.query<EndpointRow>(
      `UPDATE webhook_endpoints SET url = coalesce($2, url),
         description = CASE WHEN $3::boolean THEN $4 ELSE description END,
         event_types = coalesce($5, event_types), enabled = coalesce($6, enabled),
         max_attempts = coalesce($7, max_attempts), updated_at = $8
       WHERE id = $1 RETURNING ${ENDPOINT}`,
      [
        id,
        p.url ?? null,
        p.description !== undefined,
        p.description ?? null,
        p.event_types ?? null,
        p.enabled ?? null,
        p.max_attempts ?? null,
        at,
      ],
    )
  ).rows[0];

/**
 * Replaces the secret. The old one keeps signing until `previousUntil` (null: it stops at once); a
 * rotation during a grace period drops the secret before the old one, which no receiver uses any more.
 */
export const rotateSecret = async (
  q: Queryable,
  id: string,
  secret: string,
  previousUntil: Date | null,
  at: Date,
): Promise<EndpointRow | undefined> =>
  (
    await q.query<EndpointRow>(
      `UPDATE webhook_endpoints SET secret = $2,
         previous_secret = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret END,
         previous_secret_expires_at = $3, updated_at = $4
       WHERE id = $1 RETURNING ${ENDPOINT}`,
      [id, secret, previousUntil, at],
    )
  ).rows[0];

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const deliveryToApi = (r: DeliveryRow) => ({
  ...r,
  next_attempt_at: r.next_attempt_at.toISOString(),
  last_attempt_at: iso(r.last_attempt_at),
  delivered_at: iso(r.delivered_at),
  created_at: r.created_at.toISOString(),
});

const DELIVERY = `d.id, d.endpoint_id, d.event_id, e.type AS event_type, d.status, d.attempts, d.next_attempt_at,
  d.last_attempt_at, d.last_status, d.last_error, d.delivered_at, d.created_at`;

export const listDeliveries = async (
  q: Queryable,
  f: { endpointId: string; status?: string; before?: string; limit: number },
): Promise<DeliveryRow[]> =>
  (
    await q.query<DeliveryRow>(
      `SELECT ${DELIVERY} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
       WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::text IS NULL OR d.id < $3)
       ORDER BY d.id DESC LIMIT $4`,
      [f.endpointId, f.status ?? null, f.before ?? null, f.limit],
    )
  ).rows;

/** Puts a delivery back in the queue now, with a fresh attempt budget. */
export const redeliver = async (
  q: Queryable,
  endpointId: string,
  deliveryId: string,
  at: Date,
): Promise<DeliveryRow | undefined> => {
  const { rowCount } = await q.query(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, locked_until = NULL
     WHERE id = $1 AND endpoint_id = $2`,
    [deliveryId, endpointId, at],
  );
  if (rowCount === 0) return undefined;
  return (
    await q.query<DeliveryRow>(
      `SELECT ${DELIVERY} FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE d.id = $1`,
      [deliveryId],
    )
  ).rows[0];
};
