/**
 * Moving what the customers module holds between duplicate profiles (merge and undo): identities,
 * addresses, the merged state. Each function moves only rows still owned by `from`.
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import { updateCustomer } from './repo.ts';

export const moveIdentity = async (
  q: Queryable,
  id: string,
  from: string,
  to: string,
  isPrimary: boolean,
): Promise<boolean> =>
  (
    await q.query(
      `UPDATE customer_identities SET customer_id = $3, is_primary = $4
       WHERE id = $1 AND customer_id = $2 AND unlinked_at IS NULL`,
      [id, from, to, isPrimary],
    )
  ).rowCount === 1;

export const moveAddress = async (
  q: Queryable,
  id: string,
  from: string,
  to: string,
  isDefault: boolean,
  at: Date,
): Promise<boolean> =>
  (
    await q.query(
      `UPDATE customer_addresses SET customer_id = $3, is_default_shipping = $4, updated_at = $5
       WHERE id = $1 AND customer_id = $2`,
      [id, from, to, isDefault, at],
    )
  ).rowCount === 1;

export const liveSessionIds = async (q: Queryable, customerId: string, now: Date): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      'SELECT id FROM customer_sessions WHERE customer_id = $1 AND revoked_at IS NULL AND expires_at > $2',
      [customerId, now],
    )
  ).rows.map((r) => r.id);

/** Marks `id` merged into `into` (or active again with `into = null`). */
export const setMerged = (tx: Tx, id: string, into: string | null, at: Date) =>
  updateCustomer(
    tx,
    id,
    into ? { status: 'merged', merged_into: into } : { status: 'active', merged_into: null },
    at,
  );

/** The customer and every profile merged into it (directly or through a chain of merges). */
export const withMergedAliases = async (q: Queryable, customerId: string): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      `WITH RECURSIVE a(id) AS (
         SELECT $1::text UNION SELECT c.id FROM customers c JOIN a ON c.merged_into = a.id AND c.status = 'merged')
       SELECT id FROM a`,
      [customerId],
    )
  ).rows.map((r) => r.id);

/** Where these customers were seen: sessions opened and identities seen, per sales channel. */
export const channelSightings = async (
  q: Queryable,
  customerIds: readonly string[],
): Promise<{ channel_id: string; first_seen_at: Date; last_seen_at: Date }[]> =>
  (
    await q.query<{ channel_id: string; first_seen_at: Date; last_seen_at: Date }>(
      `SELECT channel_id, min(first_seen_at) AS first_seen_at, max(last_seen_at) AS last_seen_at FROM (
         SELECT channel_id, created_at AS first_seen_at, created_at AS last_seen_at FROM customer_sessions
           WHERE customer_id = ANY($1) AND channel_id IS NOT NULL
         UNION ALL
         SELECT source_channel_id, first_seen_at, last_seen_at FROM customer_identities
           WHERE customer_id = ANY($1) AND source_channel_id IS NOT NULL
       ) s GROUP BY channel_id`,
      [customerIds],
    )
  ).rows;

/** Sessions of these customers (for a data export): never the token hashes. */
export const sessionsOf = async (q: Queryable, customerIds: readonly string[]) =>
  (
    await q.query<{
      id: string;
      customer_id: string;
      channel_id: string | null;
      anonymous_id: string | null;
      created_at: Date;
      expires_at: Date;
      revoked_at: Date | null;
    }>(
      `SELECT id, customer_id, channel_id, anonymous_id, created_at, expires_at, revoked_at FROM customer_sessions
       WHERE customer_id = ANY($1) ORDER BY created_at, id`,
      [customerIds],
    )
  ).rows;
