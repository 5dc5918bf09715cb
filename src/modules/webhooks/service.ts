import { randomBytes } from 'node:crypto';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { SECRET_PREFIX } from '../../platform/outbox/signing.ts';
import * as repo from './repo.ts';
import type { CreateEndpointBody, UpdateEndpointBody } from './schema.ts';

/** `whsec_` + standard base64 of 24 random bytes, the Standard Webhooks secret format. */
const newSigningSecret = () => `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;

/** How long the previous secret keeps signing after a rotation, unless the call says otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;

export const createEndpoint = async (tx: Tx, deps: Pick<Deps, 'clock'>, b: CreateEndpointBody) => {
  const now = deps.clock.now();
  const secret = newSigningSecret();
  const row = await repo.insertEndpoint(tx, {
    id: newId('whe'),
    url: b.url,
    description: b.description ?? null,
    event_types: [...new Set(b.event_types ?? [])],
    secret,
    enabled: b.enabled ?? true,
    max_attempts: b.max_attempts ?? 8,
    previous_secret: null,
    previous_secret_expires_at: null,
    created_at: now,
    updated_at: now,
  });
  return { row, secret };
};

export const getEndpointOrThrow = async (q: Queryable, id: string) => {
  const row = await repo.getEndpoint(q, id);
  if (!row) throw notFound('Webhook endpoint', id);
  return row;
};

export const updateEndpoint = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  b: UpdateEndpointBody,
) => {
  const row = await repo.updateEndpoint(
    tx,
    id,
    { ...b, event_types: b.event_types ? [...new Set(b.event_types)] : undefined },
    deps.clock.now(),
  );
  if (!row) throw notFound('Webhook endpoint', id);
  return row;
};

/**
 * Replaces the signing secret. For `graceSeconds` (default 24 h) deliveries carry a signature with the
 * old secret too, so receivers can switch without losing a delivery; 0 revokes the old secret at once.
 */
export const rotateSecret = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS,
) => {
  const secret = newSigningSecret();
  const now = deps.clock.now();
  const until = graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null;
  const row = await repo.rotateSecret(tx, id, secret, until, now);
  if (!row) throw notFound('Webhook endpoint', id);
  return { row, secret };
};

export const redeliver = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  endpointId: string,
  deliveryId: string,
) => {
  const row = await repo.redeliver(tx, endpointId, deliveryId, deps.clock.now());
  if (!row) throw notFound('Webhook delivery', deliveryId);
  return row;
};

interface EventRow {
  id: string;
  seq: number;
  type: string;
  aggregate_type: string | null;
  aggregate_id: string | null;
  data: Record<string, unknown>;
  occurred_at: Date;
  status: 'pending' | 'dispatched' | 'failed';
  attempts: number;
  last_error: string | null;
}

export const eventToApi = (r: EventRow) => ({ ...r, occurred_at: r.occurred_at.toISOString() });

const EVENT = 'id, seq, type, aggregate_type, aggregate_id, data, occurred_at, status, attempts, last_error';

/** `order.*` → SQL LIKE 'order.%'; `*` → everything. */
const likeOf = (pattern: string | undefined): string | null => {
  if (!pattern || pattern === '*') return null;
  const escaped = pattern.replace(/[\\%_]/g, (c) => `\\${c}`);
  return escaped.endsWith('.*') ? `${escaped.slice(0, -1)}%` : escaped;
};

export const listEvents = async (
  q: Queryable,
  f: { type?: string; status?: string; aggregate_id?: string; before?: string; limit: number },
): Promise<EventRow[]> =>
  (
    await q.query<EventRow>(
      `SELECT ${EVENT} FROM outbox_events
       WHERE ($1::text IS NULL OR type LIKE $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR aggregate_id = $3) AND ($4::text IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $5`,
      [likeOf(f.type), f.status ?? null, f.aggregate_id ?? null, f.before ?? null, f.limit],
    )
  ).rows;

/** Re-queues a failed event for the in-process subscribers that have not handled it yet. */
export const retryEvent = async (tx: Tx, deps: Pick<Deps, 'clock'>, id: string) => {
  const { rows } = await tx.query<EventRow>(
    `UPDATE outbox_events SET status = 'pending', attempts = 0, available_at = $2, locked_until = NULL
     WHERE id = $1 AND status = 'failed' RETURNING ${EVENT}`,
    [id, deps.clock.now()],
  );
  if (rows[0]) return rows[0];
  const exists = await tx.query('SELECT 1 FROM outbox_events WHERE id = $1', [id]);
  if (exists.rowCount === 0) throw notFound('Event', id);
  throw new PlazaError('INVALID_STATE_TRANSITION', 'Only failed events can be retried');
};
