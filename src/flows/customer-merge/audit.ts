/** The merge audit: one record per merge, and exactly which rows moved (with their state before). */
import type { Queryable } from '../../platform/db.ts';

export type MoveKind =
  | 'identity'
  | 'device'
  | 'order'
  | 'cart'
  | 'points'
  | 'consent'
  | 'address'
  | 'session'
  | 'loyalty_account';

export interface MergeRow {
  id: string;
  survivor_id: string;
  merged_id: string;
  status: 'merged' | 'undone';
  reason: string | null;
  survivor_before: Record<string, string | null>;
  created_by: string;
  created_at: Date;
  undone_by: string | null;
  undone_at: Date | null;
  undo_report: Record<string, unknown> | null;
}

export interface MoveRow {
  kind: MoveKind;
  row_id: string;
  before: Record<string, unknown>;
}

const COLS = `id, survivor_id, merged_id, status, reason, survivor_before, created_by, created_at, undone_by,
  undone_at, undo_report`;

export const insertMerge = (
  q: Queryable,
  m: Omit<MergeRow, 'status' | 'undone_by' | 'undone_at' | 'undo_report'>,
) =>
  q.query(
    `INSERT INTO customer_merges (id, survivor_id, merged_id, status, reason, survivor_before, created_by, created_at)
     VALUES ($1, $2, $3, 'merged', $4, $5::jsonb, $6, $7)`,
    [
      m.id,
      m.survivor_id,
      m.merged_id,
      m.reason,
      JSON.stringify(m.survivor_before),
      m.created_by,
      m.created_at,
    ],
  );

export const insertMoves = async (q: Queryable, mergeId: string, moves: MoveRow[]): Promise<void> => {
  for (let i = 0; i < moves.length; i += 500) {
    const chunk = moves.slice(i, i + 500);
    const params: unknown[] = [mergeId];
    const values = chunk.map((m) => {
      params.push(m.kind, m.row_id, JSON.stringify(m.before));
      const b = params.length;
      return `($1, $${b - 2}, $${b - 1}, $${b}::jsonb)`;
    });
    await q.query(
      `INSERT INTO customer_merge_moves (merge_id, kind, row_id, before) VALUES ${values.join(', ')}`,
      params,
    );
  }
};

export const getMerge = async (q: Queryable, id: string, lock = false): Promise<MergeRow | undefined> =>
  (
    await q.query<MergeRow>(`SELECT ${COLS} FROM customer_merges WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ])
  ).rows[0];

export const movesOf = async (q: Queryable, mergeId: string): Promise<MoveRow[]> =>
  (
    await q.query<MoveRow>(
      'SELECT kind, row_id, before FROM customer_merge_moves WHERE merge_id = $1 ORDER BY kind, row_id',
      [mergeId],
    )
  ).rows;

export const mergesOf = async (q: Queryable, customerId: string): Promise<MergeRow[]> =>
  (
    await q.query<MergeRow>(
      `SELECT ${COLS} FROM customer_merges WHERE survivor_id = $1 OR merged_id = $1 ORDER BY created_at DESC, id DESC`,
      [customerId],
    )
  ).rows;

export const finishUndo = (q: Queryable, id: string, by: string, at: Date, report: object) =>
  q.query(
    `UPDATE customer_merges SET status = 'undone', undone_by = $2, undone_at = $3, undo_report = $4::jsonb WHERE id = $1`,
    [id, by, at, JSON.stringify(report)],
  );

export const mergeToApi = (m: MergeRow, moves?: MoveRow[]) => ({
  id: m.id,
  survivor_id: m.survivor_id,
  merged_id: m.merged_id,
  status: m.status,
  reason: m.reason,
  created_by: m.created_by,
  created_at: m.created_at.toISOString(),
  undone_by: m.undone_by,
  undone_at: m.undone_at?.toISOString() ?? null,
  undo_report: m.undo_report,
  ...(moves
    ? {
        moved: moves.reduce<Record<string, string[]>>((acc, x) => {
          const list = acc[x.kind] ?? [];
          list.push(x.row_id);
          acc[x.kind] = list;
          return acc;
        }, {}),
      }
    : {}),
});
