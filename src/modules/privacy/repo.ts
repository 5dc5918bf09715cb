import type { Queryable } from '../../platform/db.ts';

export const REQUEST_KINDS = ['export', 'restrict', 'lift_restriction', 'erase'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type RequestStatus = 'received' | 'completed' | 'rejected';

export interface RequestRow {
  id: string;
  customer_id: string;
  kind: RequestKind;
  status: RequestStatus;
  source: 'customer' | 'admin';
  channel_id: string | null;
  note: string | null;
  received_at: Date;
  due_at: Date;
  completed_at: Date | null;
  processed_by: string | null;
  rejection_reason: string | null;
  result_expires_at: Date | null;
  balance_decision: 'refund' | 'forfeit' | 'wait' | null;
}

const COLS = `id, customer_id, kind, status, source, channel_id, note, received_at, due_at, completed_at, processed_by,
  rejection_reason, result_expires_at, balance_decision`;

/** How long a finished export stays downloadable. */
export const EXPORT_TTL_MS = 7 * 86_400_000;

export const insertRequest = async (
  q: Queryable,
  r: Omit<
    RequestRow,
    | 'status'
    | 'due_at'
    | 'completed_at'
    | 'processed_by'
    | 'rejection_reason'
    | 'result_expires_at'
    | 'balance_decision'
  >,
) =>
  (
    await q.query<RequestRow>(
      `INSERT INTO privacy_requests (id, customer_id, kind, status, source, channel_id, note, received_at, due_at)
       VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $7::timestamptz + interval '30 days')
       ON CONFLICT (customer_id, kind) WHERE status = 'received' DO NOTHING RETURNING ${COLS}`,
      [r.id, r.customer_id, r.kind, r.source, r.channel_id, r.note, r.received_at],
    )
  ).rows[0];

export const openRequest = async (q: Queryable, customerId: string, kind: RequestKind) =>
  (
    await q.query<RequestRow>(
      `SELECT ${COLS} FROM privacy_requests WHERE customer_id = $1 AND kind = $2 AND status = 'received'`,
      [customerId, kind],
    )
  ).rows[0];

export const getRequest = async (q: Queryable, id: string, lock = false): Promise<RequestRow | undefined> =>
  (
    await q.query<RequestRow>(
      `SELECT ${COLS} FROM privacy_requests WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    )
  ).rows[0];

export const exportResult = async (q: Queryable, id: string): Promise<Record<string, unknown> | null> =>
  (
    await q.query<{ result: Record<string, unknown> | null }>(
      "SELECT result FROM privacy_requests WHERE id = $1 AND kind = 'export'",
      [id],
    )
  ).rows[0]?.result ?? null;

/** Forgets the documents of exports whose download period ended; returns how many. */
export const expireExports = async (q: Queryable, now: Date): Promise<number> =>
  (
    await q.query(
      `UPDATE privacy_requests SET result = NULL
       WHERE kind = 'export' AND result IS NOT NULL AND result_expires_at <= $1`,
      [now],
    )
  ).rowCount;

/** Records the decision about balances on an erasure request that waits for them. */
export const setBalanceDecision = (q: Queryable, id: string, decision: 'refund' | 'forfeit' | 'wait') =>
  q.query('UPDATE privacy_requests SET balance_decision = $2 WHERE id = $1', [id, decision]);

export interface RequestFilter {
  customerId?: string;
  status?: RequestStatus;
  kind?: RequestKind;
  overdueAt?: Date;
  before?: string;
  limit: number;
}

export const listRequests = async (q: Queryable, f: RequestFilter): Promise<RequestRow[]> =>
  (
    await q.query<RequestRow>(
      `SELECT ${COLS} FROM privacy_requests
       WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR kind = $3) AND ($4::timestamptz IS NULL OR (status = 'received' AND due_at < $4))
         AND ($5::text IS NULL OR id < $5)
       ORDER BY id DESC LIMIT $6`,
      [
        f.customerId ?? null,
        f.status ?? null,
        f.kind ?? null,
        f.overdueAt ?? null,
        f.before ?? null,
        f.limit,
      ],
    )
  ).rows;

export const closeRequest = async (
  q: Queryable,
  id: string,
  c: {
    status: 'completed' | 'rejected';
    by: string;
    at: Date;
    result?: unknown;
    reason?: string | null;
    expiresAt?: Date | null;
    decision?: 'refund' | 'forfeit' | 'wait' | null;
  },
): Promise<RequestRow> =>
  (
    await q.query<RequestRow>(
      `UPDATE privacy_requests SET status = $2, processed_by = $3, completed_at = $4, result = $5::jsonb,
         rejection_reason = $6, result_expires_at = $7, balance_decision = coalesce($8, balance_decision)
       WHERE id = $1 RETURNING ${COLS}`,
      [
        id,
        c.status,
        c.by,
        c.at,
        c.result === undefined ? null : JSON.stringify(c.result),
        c.reason ?? null,
        c.expiresAt ?? null,
        c.decision ?? null,
      ],
    )
  ).rows[0] as RequestRow;

/** Erasure: earlier exports (everything about the person) and notes are removed from the requests. */
export const requestToApi = (r: RequestRow, now: Date) => ({
  id: r.id,
  customer_id: r.customer_id,
  kind: r.kind,
  status: r.status,
  source: r.source,
  channel_id: r.channel_id,
  note: r.note,
  received_at: r.received_at.toISOString(),
  due_at: r.due_at.toISOString(),
  overdue: r.status === 'received' && r.due_at < now,
  completed_at: r.completed_at?.toISOString() ?? null,
  processed_by: r.processed_by,
  rejection_reason: r.rejection_reason,
  export_expires_at: r.kind === 'export' ? (r.result_expires_at?.toISOString() ?? null) : null,
  balance_decision: r.balance_decision,
});
