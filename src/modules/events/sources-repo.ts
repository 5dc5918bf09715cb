/** Event sources and their write keys: the SQL (src/modules/events/sources.ts has the rules). */
import type { Queryable } from '../../platform/db.ts';
import { pgCode } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';

export type SourceKind = 'web' | 'app' | 'pos' | 'server' | 'plaza';

export interface SourceRow {
  id: string;
  name: string;
  kind: SourceKind;
  channel_id: string | null;
  retention_months: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

export interface WriteKeyRow {
  id: string;
  source_id: string;
  key: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** A key with what the tracking API needs of its source (one row per lookup). */
export interface ActiveWriteKey {
  key_id: string;
  source_id: string;
  source_name: string;
  kind: SourceKind;
  channel_id: string | null;
  retention_months: number;
  expires_at: Date | null;
}

const SOURCE = 'id, name, kind, channel_id, retention_months, created_at, updated_at, archived_at';
const KEY = 'id, source_id, key, created_at, expires_at, revoked_at';

const nameTaken = (e: unknown, name: string): never => {
  if (pgCode(e) === '23505') {
    throw new PlazaError('ALREADY_EXISTS', `An event source named "${name}" already exists`, { name });
  }
  throw e;
};

export const insertSource = async (q: Queryable, s: Omit<SourceRow, 'archived_at'>): Promise<SourceRow> => {
  try {
    const { rows } = await q.query<SourceRow>(
      `INSERT INTO event_sources (id, name, kind, channel_id, retention_months, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${SOURCE}`,
      [s.id, s.name, s.kind, s.channel_id, s.retention_months, s.created_at],
    );
    return rows[0] as SourceRow;
  } catch (e) {
    return nameTaken(e, s.name);
  }
};

export const getSource = async (q: Queryable, id: string): Promise<SourceRow | undefined> =>
  (await q.query<SourceRow>(`SELECT ${SOURCE} FROM event_sources WHERE id = $1`, [id])).rows[0];

/** Locks the source row for a change (keys, archive) so concurrent changes queue. */
export const lockSource = async (q: Queryable, id: string): Promise<SourceRow | undefined> =>
  (await q.query<SourceRow>(`SELECT ${SOURCE} FROM event_sources WHERE id = $1 FOR UPDATE`, [id])).rows[0];

export const listSources = async (
  q: Queryable,
  f: { kind?: string; channelId?: string; archived: boolean; after?: string; limit: number },
): Promise<SourceRow[]> =>
  (
    await q.query<SourceRow>(
      `SELECT ${SOURCE} FROM event_sources
       WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR channel_id = $2)
         AND ($3::boolean OR archived_at IS NULL) AND ($4::text IS NULL OR id > $4)
       ORDER BY id LIMIT $5`,
      [f.kind ?? null, f.channelId ?? null, f.archived, f.after ?? null, f.limit],
    )
  ).rows;

export const updateSource = async (
  q: Queryable,
  id: string,
  p: { name?: string; retention_months?: number },
  now: Date,
): Promise<SourceRow | undefined> => {
  try {
    return (
      await q.query<SourceRow>(
        `UPDATE event_sources SET name = coalesce($2, name), retention_months = coalesce($3, retention_months),
           updated_at = $4
         WHERE id = $1 RETURNING ${SOURCE}`,
        [id, p.name ?? null, p.retention_months ?? null, now],
      )
    ).rows[0];
  } catch (e) {
    return nameTaken(e, p.name ?? '');
  }
};

export const archiveSource = async (q: Queryable, id: string, now: Date): Promise<SourceRow | undefined> =>
  (
    await q.query<SourceRow>(
      `UPDATE event_sources SET archived_at = coalesce(archived_at, $2), updated_at = $2
       WHERE id = $1 RETURNING ${SOURCE}`,
      [id, now],
    )
  ).rows[0];

export const insertKey = async (q: Queryable, k: Omit<WriteKeyRow, 'revoked_at'>): Promise<WriteKeyRow> =>
  (
    await q.query<WriteKeyRow>(
      `INSERT INTO event_write_keys (id, source_id, key, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${KEY}`,
      [k.id, k.source_id, k.key, k.created_at, k.expires_at],
    )
  ).rows[0] as WriteKeyRow;

export const listKeys = async (q: Queryable, sourceId: string): Promise<WriteKeyRow[]> =>
  (
    await q.query<WriteKeyRow>(
      `SELECT ${KEY} FROM event_write_keys WHERE source_id = $1 ORDER BY created_at DESC, id DESC`,
      [sourceId],
    )
  ).rows;

export const getKey = async (q: Queryable, sourceId: string, id: string): Promise<WriteKeyRow | undefined> =>
  (
    await q.query<WriteKeyRow>(`SELECT ${KEY} FROM event_write_keys WHERE source_id = $1 AND id = $2`, [
      sourceId,
      id,
    ])
  ).rows[0];

/** Sets expires_at (never later than an earlier one) and/or revoked_at. */
export const endKey = async (
  q: Queryable,
  id: string,
  p: { expiresAt?: Date; revokedAt?: Date },
): Promise<WriteKeyRow> =>
  (
    await q.query<WriteKeyRow>(
      `UPDATE event_write_keys
       SET expires_at = CASE WHEN $2::timestamptz IS NULL THEN expires_at
                             ELSE least(coalesce(expires_at, $2::timestamptz), $2::timestamptz) END,
           revoked_at = coalesce(revoked_at, $3::timestamptz)
       WHERE id = $1 RETURNING ${KEY}`,
      [id, p.expiresAt ?? null, p.revokedAt ?? null],
    )
  ).rows[0] as WriteKeyRow;

/** The key with its source, if neither the key is revoked nor the source archived (expiry is checked by the caller). */
export const findActiveKey = async (q: Queryable, key: string): Promise<ActiveWriteKey | undefined> =>
  (
    await q.query<ActiveWriteKey>(
      `SELECT k.id AS key_id, s.id AS source_id, s.name AS source_name, s.kind, s.channel_id,
              s.retention_months, k.expires_at
       FROM event_write_keys k JOIN event_sources s ON s.id = k.source_id
       WHERE k.key = $1 AND k.revoked_at IS NULL AND s.archived_at IS NULL`,
      [key],
    )
  ).rows[0];

/**
 * The newest key of a live source of `kind` for a channel that is neither revoked nor expired at `now`
 * (the POS's and the shop's key), with its source.
 */
export const newestChannelKey = async (
  q: Queryable,
  channelId: string,
  kind: SourceKind,
  now: Date,
): Promise<(WriteKeyRow & { source_name: string }) | undefined> =>
  (
    await q.query<WriteKeyRow & { source_name: string }>(
      `SELECT k.id, k.source_id, k.key, k.created_at, k.expires_at, k.revoked_at, s.name AS source_name
       FROM event_sources s JOIN event_write_keys k ON k.source_id = s.id
       WHERE s.channel_id = $1 AND s.kind = $2 AND s.archived_at IS NULL
         AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $3)
       ORDER BY (k.expires_at IS NULL) DESC, k.created_at DESC, k.id DESC LIMIT 1`,
      [channelId, kind, now],
    )
  ).rows[0];

/** The keys of several sources (a page of the list), newest first. */
export const keysOfSources = async (q: Queryable, sourceIds: readonly string[]): Promise<WriteKeyRow[]> =>
  sourceIds.length === 0
    ? []
    : (
        await q.query<WriteKeyRow>(
          `SELECT ${KEY} FROM event_write_keys WHERE source_id = ANY($1::text[]) ORDER BY created_at DESC, id DESC`,
          [sourceIds],
        )
      ).rows;
