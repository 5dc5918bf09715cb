import type { Queryable } from '../../platform/db.ts';
import type { AdminToken } from './schema.ts';

export interface TokenRow {
  id: string;
  name: string;
  scope: 'admin' | 'staff';
  location_ids: string[];
  token_hint: string;
  created_at: Date;
  created_by: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, scope, location_ids, token_hint, created_at, created_by, last_used_at, revoked_at';

export const toApi = (r: TokenRow): AdminToken => ({
  ...r,
  created_at: r.created_at.toISOString(),
  last_used_at: r.last_used_at?.toISOString() ?? null,
  revoked_at: r.revoked_at?.toISOString() ?? null,
});

export const insertToken = async (
  q: Queryable,
  t: Omit<TokenRow, 'last_used_at' | 'revoked_at'> & { token_hash: string },
): Promise<TokenRow> => {
  const { rows } = await q.query<TokenRow>(
    `INSERT INTO admin_tokens (id, name, scope, location_ids, token_hash, token_hint, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [t.id, t.name, t.scope, t.location_ids, t.token_hash, t.token_hint, t.created_at, t.created_by],
  );
  return rows[0] as TokenRow;
};

export const findActiveByHash = async (q: Queryable, hash: string): Promise<TokenRow | undefined> =>
  (
    await q.query<TokenRow>(
      `SELECT ${COLUMNS} FROM admin_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
      [hash],
    )
  ).rows[0];

export const existsByHash = async (q: Queryable, hash: string): Promise<boolean> =>
  (await q.query('SELECT 1 FROM admin_tokens WHERE token_hash = $1', [hash])).rowCount > 0;

export const listTokens = async (q: Queryable, includeRevoked: boolean): Promise<TokenRow[]> =>
  (
    await q.query<TokenRow>(
      `SELECT ${COLUMNS} FROM admin_tokens ${includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY id LIMIT 1000`,
    )
  ).rows;

export const getToken = async (q: Queryable, id: string, lock = false): Promise<TokenRow | undefined> =>
  (
    await q.query<TokenRow>(`SELECT ${COLUMNS} FROM admin_tokens WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ])
  ).rows[0];

export const countTokens = async (q: Queryable): Promise<number> =>
  (await q.query<{ n: number }>('SELECT count(*) AS n FROM admin_tokens')).rows[0]?.n ?? 0;

/** Active admin-scope tokens other than `exceptId`, locked so two revocations cannot both pass. */
export const otherActiveAdmins = async (q: Queryable, exceptId: string): Promise<number> =>
  (
    await q.query(
      `SELECT id FROM admin_tokens WHERE scope = 'admin' AND revoked_at IS NULL AND id <> $1 ORDER BY id FOR UPDATE`,
      [exceptId],
    )
  ).rowCount;

export const revokeToken = async (q: Queryable, id: string, at: Date): Promise<TokenRow | undefined> =>
  (
    await q.query<TokenRow>(
      `UPDATE admin_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id, at],
    )
  ).rows[0];

export const touchToken = (q: Queryable, id: string, at: Date) =>
  q.query('UPDATE admin_tokens SET last_used_at = $2 WHERE id = $1', [id, at]);
