/** Rows of `segments` and reads of `segment_members` for /admin/segments. */
import { pgCode, type Queryable, type Tx } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { segmentableCustomer } from './compile.ts';
import type { SegmentRules } from './rules.ts';

export interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  rules: SegmentRules;
  refresh_minutes: number;
  size: number;
  last_full_at: Date | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

const COLS =
  'id, name, description, rules, refresh_minutes, size, last_full_at, created_at, updated_at, archived_at';

export const segmentToApi = (r: SegmentRow) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  rules: r.rules,
  refresh_minutes: r.refresh_minutes,
  size: r.size,
  last_full_at: r.last_full_at?.toISOString() ?? null,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  archived_at: r.archived_at?.toISOString() ?? null,
});

const nameTaken = (e: unknown, name: string | undefined) => {
  if (pgCode(e) === '23505')
    return new PlazaError('ALREADY_EXISTS', `A live segment is already named ${name}`, { name });
  return e;
};

export const getSegment = async (q: Queryable, id: string, lock = false): Promise<SegmentRow | undefined> =>
  (await q.query<SegmentRow>(`SELECT ${COLS} FROM segments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]))
    .rows[0];

export const listSegments = async (
  q: Queryable,
  opts: { archived: boolean; after?: string; limit: number },
): Promise<SegmentRow[]> =>
  (
    await q.query<SegmentRow>(
      `SELECT ${COLS} FROM segments WHERE (archived_at IS NOT NULL) = $1 AND ($2::text IS NULL OR id > $2)
       ORDER BY id LIMIT $3`,
      [opts.archived, opts.after ?? null, opts.limit],
    )
  ).rows;

export const insertSegment = async (
  tx: Tx,
  r: Pick<SegmentRow, 'id' | 'name' | 'description' | 'rules' | 'refresh_minutes' | 'created_at'>,
): Promise<SegmentRow> => {
  try {
    return (
      await tx.query<SegmentRow>(
        `INSERT INTO segments (id, name, description, rules, refresh_minutes, created_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $6) RETURNING ${COLS}`,
        [r.id, r.name, r.description, JSON.stringify(r.rules), r.refresh_minutes, r.created_at],
      )
    ).rows[0] as SegmentRow;
  } catch (e) {
    throw nameTaken(e, r.name);
  }
};

export const updateSegment = async (
  tx: Tx,
  id: string,
  patch: { name?: string; description?: string | null; rules?: SegmentRules; refresh_minutes?: number },
  now: Date,
): Promise<SegmentRow> => {
  try {
    return (
      await tx.query<SegmentRow>(
        `UPDATE segments SET name = COALESCE($2, name),
           description = CASE WHEN $3 THEN $4 ELSE description END,
           rules = COALESCE($5::jsonb, rules), refresh_minutes = COALESCE($6, refresh_minutes),
           -- new rules: the next full evaluation is due at once
           last_full_at = CASE WHEN $5::jsonb IS NULL THEN last_full_at END,
           updated_at = $7
         WHERE id = $1 RETURNING ${COLS}`,
        [
          id,
          patch.name ?? null,
          patch.description !== undefined,
          patch.description ?? null,
          patch.rules === undefined ? null : JSON.stringify(patch.rules),
          patch.refresh_minutes ?? null,
          now,
        ],
      )
    ).rows[0] as SegmentRow;
  } catch (e) {
    throw nameTaken(e, patch.name);
  }
};

export const archiveSegment = async (tx: Tx, id: string, now: Date): Promise<SegmentRow> =>
  (
    await tx.query<SegmentRow>(
      `UPDATE segments SET archived_at = COALESCE(archived_at, $2), updated_at = $2 WHERE id = $1 RETURNING ${COLS}`,
      [id, now],
    )
  ).rows[0] as SegmentRow;

export interface MemberRow {
  customer_id: string;
  entered_at: Date;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
}

/** Full name as the console shows it: first and last name, or null. */
export const fullName = (r: { first_name: string | null; last_name: string | null }): string | null =>
  [r.first_name, r.last_name].filter(Boolean).join(' ') || null;

/**
 * Members of a segment by customer id (the primary key's order, so a page is an index range), after
 * `after`. Customers who became unsegmentable since the last evaluation are left out at once.
 */
export const membersPage = async (
  q: Queryable,
  segmentId: string,
  opts: { after?: string; limit: number },
): Promise<MemberRow[]> =>
  (
    await q.query<MemberRow>(
      `SELECT m.customer_id, m.entered_at, c.first_name, c.last_name, c.email, c.phone
       FROM segment_members m JOIN customers c ON c.id = m.customer_id
       WHERE m.segment_id = $1 AND ($2::text IS NULL OR m.customer_id > $2) AND ${segmentableCustomer('c')}
       ORDER BY m.customer_id LIMIT $3`,
      [segmentId, opts.after ?? null, opts.limit],
    )
  ).rows;
