import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { WriteBatch } from './batch.ts';
import type { Clock } from './clock.ts';
import type { Queryable } from './db.ts';
import { PlazaError } from './errors.ts';

/**
 * Idempotency keys for mutations that create money or orders. The first request with a key claims
 * it (with a lease); a replay with the same request gets the first answer; a different request
 * with the same key is refused (IDEMPOTENCY_MISMATCH); a replay while the first is running is told
 * to retry (IDEMPOTENCY_IN_PROGRESS). When the first request died mid-way (lease expired), the next
 * replay resumes it with the resource it had created. A flow may also look a claim up by the resource
 * it created (`claimOfResource`: is the attempt that made this order alive?) and settle dead claims
 * (`completeDeadClaim`, `expireDeadClaim`, found with `deadClaims`), so none stays in progress for ever.
 */
export type Claim =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'resume'; resourceId: string | null };

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header, validated; throws VALIDATION_FAILED when required and missing. */
export const idempotencyKeyOf = (req: FastifyRequest, required: boolean): string | undefined => {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) {
    if (required) {
      throw new PlazaError('VALIDATION_FAILED', 'The Idempotency-Key header is required for this request', {
        errors: [{ path: 'headers.idempotency-key', message: 'is required' }],
      });
    }
    return undefined;
  }
  if (typeof raw !== 'string' || !KEY.test(raw)) {
    throw new PlazaError('VALIDATION_FAILED', 'Idempotency-Key must be 1–255 printable ASCII characters', {
      errors: [{ path: 'headers.idempotency-key', message: 'must be 1–255 printable ASCII characters' }],
    });
  }
  return raw;
};

const canonical = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonical(x)]),
    );
  }
  return v;
};

/** A fingerprint of what a request asks for (method, path, body with keys sorted). */
export const requestHash = (method: string, path: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(canonical(body ?? null))}`)
    .digest('hex');

interface Row {
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
  resource_id: string | null;
  locked_until: Date;
}

/** Claims `key` in `scope`. Call outside any transaction (the claim must survive a rollback). */
export const claimKey = async (
  q: Queryable,
  clock: Clock,
  k: { scope: string; key: string; hash: string; leaseMs?: number },
): Promise<Claim> => {
  const now = clock.now();
  const until = new Date(now.getTime() + (k.leaseMs ?? 60_000));
  const inserted = await q.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash, status, locked_until, created_at)
     VALUES ($1, $2, $3, 'in_progress', $4, $5) ON CONFLICT (scope, key) DO NOTHING`,
    [k.scope, k.key, k.hash, until, now],
  );
  if (inserted.rowCount === 1) return { kind: 'new' };
  const row = (
    await q.query<Row>(
      `SELECT request_hash, status, response_status, response_body, resource_id, locked_until
       FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [k.scope, k.key],
    )
  ).rows[0];
  if (!row) return claimKey(q, clock, k); // deleted in between: claim again
  if (row.request_hash !== k.hash) {
    throw new PlazaError(
      'IDEMPOTENCY_MISMATCH',
      'This Idempotency-Key was already used with a different request; use a new key for a new request',
    );
  }
  if (row.status === 'completed')
    return { kind: 'replay', status: row.response_status ?? 200, body: row.response_body };
  if (row.locked_until > now) {
    throw new PlazaError(
      'IDEMPOTENCY_IN_PROGRESS',
      'The first request with this key is still running; retry shortly',
      {
        retry_after_seconds: Math.max(1, Math.ceil((row.locked_until.getTime() - now.getTime()) / 1000)),
      },
    );
  }
  const taken = await q.query(
    `UPDATE idempotency_keys SET locked_until = $3
     WHERE scope = $1 AND key = $2 AND locked_until = $4 AND status = 'in_progress'`,
    [k.scope, k.key, until, row.locked_until],
  );
  if (taken.rowCount === 0)
    throw new PlazaError('IDEMPOTENCY_IN_PROGRESS', 'Another replay took over this request');
  return { kind: 'resume', resourceId: row.resource_id };
};

/** Records the resource the request created (in the transaction that creates it). */
export const attachResource = (q: Queryable, scope: string, key: string, resourceId: string) =>
  q.query('UPDATE idempotency_keys SET resource_id = $3 WHERE scope = $1 AND key = $2', [
    scope,
    key,
    resourceId,
  ]);

/** Stores the final answer; replays get it from now on. */
export const completeKey = (
  q: Queryable,
  clock: Clock,
  scope: string,
  key: string,
  status: number,
  body: unknown,
) =>
  q.query(
    `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4::jsonb,
       completed_at = $5 WHERE scope = $1 AND key = $2`,
    [scope, key, status, JSON.stringify(body), clock.now()],
  );

/** Forgets a claim whose request failed before changing anything, so the client may retry with it. */
export const releaseKey = (q: Queryable, scope: string, key: string) =>
  q.query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 'in_progress'", [
    scope,
    key,
  ]);

/** attachResource, written when the batch is flushed. */
export const stageAttachResource = (
  batch: WriteBatch,
  scope: string,
  key: string,
  resourceId: string,
): void => {
  batch.add('UPDATE idempotency_keys SET resource_id = $3 WHERE scope = $1 AND key = $2', [
    scope,
    key,
    resourceId,
  ]);
};

/** completeKey, written when the batch is flushed (returns the CTE name). */
export const stageCompleteKey = (
  batch: WriteBatch,
  clock: Clock,
  scope: string,
  key: string,
  status: number,
  body: unknown,
): string =>
  batch.add(
    `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4::jsonb,
       completed_at = $5 WHERE scope = $1 AND key = $2 RETURNING 1`,
    [scope, key, status, JSON.stringify(body), clock.now()],
  );

/** A claim as another request sees it: whose it is, and until when its lease runs. */
export interface ClaimState {
  scope: string;
  key: string;
  status: 'in_progress' | 'completed';
  resource_id: string | null;
  locked_until: Date;
}

const CLAIM = 'scope, key, status, resource_id, locked_until';

/** The claim in `scope` that created `resourceId` (idempotency that belongs to the thing, not the key). */
export const claimOfResource = async (
  q: Queryable,
  scope: string,
  resourceId: string,
): Promise<ClaimState | undefined> =>
  (
    await q.query<ClaimState>(
      `SELECT ${CLAIM} FROM idempotency_keys WHERE scope = $1 AND resource_id = $2 LIMIT 1`,
      [scope, resourceId],
    )
  ).rows[0];

/**
 * Completes a claim whose lease ran out (its request died) with the answer a replay gets from now
 * on. Returns false, changing nothing, when the claim is completed or its lease still runs (a replay
 * resumed it meanwhile): then it is not dead.
 */
export const completeDeadClaim = async (
  q: Queryable,
  clock: Clock,
  c: { scope: string; key: string },
  status: number,
  body: unknown,
): Promise<boolean> => {
  const now = clock.now();
  const { rowCount } = await q.query(
    `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4::jsonb,
       completed_at = $5, locked_until = $5
     WHERE scope = $1 AND key = $2 AND status = 'in_progress' AND locked_until <= $5`,
    [c.scope, c.key, status, JSON.stringify(body), now],
  );
  return rowCount === 1;
};

/**
 * Claims in scopes starting with `scopePrefix` whose lease ran out while in progress, oldest first,
 * after the keyset cursor `after` (for the sweeper).
 */
export const deadClaims = async (
  q: Queryable,
  clock: Clock,
  scopePrefix: string,
  limit: number,
  after?: Pick<ClaimState, 'locked_until' | 'scope' | 'key'>,
): Promise<ClaimState[]> =>
  (
    await q.query<ClaimState>(
      `SELECT ${CLAIM} FROM idempotency_keys
       WHERE status = 'in_progress' AND locked_until <= $1 AND starts_with(scope, $2)
         AND ($3::timestamptz IS NULL OR (locked_until, scope, key) > ($3, $4, $5))
       ORDER BY locked_until, scope, key LIMIT $6`,
      [clock.now(), scopePrefix, after?.locked_until ?? null, after?.scope ?? '', after?.key ?? '', limit],
    )
  ).rows;

/** Forgets a dead claim that created nothing: a replay with its key starts afresh. */
export const expireDeadClaim = async (q: Queryable, clock: Clock, c: { scope: string; key: string }) =>
  (
    await q.query(
      `DELETE FROM idempotency_keys
       WHERE scope = $1 AND key = $2 AND status = 'in_progress' AND resource_id IS NULL AND locked_until <= $3`,
      [c.scope, c.key, clock.now()],
    )
  ).rowCount === 1;
