/** SQL of staff users, their sessions and their one-time links; every function takes the transaction first. */
import type { Queryable } from '../../platform/db.ts';
import type { Role, StaffUser, Status } from './schema.ts';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  location_ids: string[];
  status: Status;
  password_hash: string | null;
  created_at: Date;
  last_login_at: Date | null;
}

const USER = 'id, email, name, role, location_ids, status, password_hash, created_at, last_login_at';

export const userToApi = (u: UserRow): StaffUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  location_ids: u.location_ids,
  status: u.status,
  created_at: u.created_at.toISOString(),
  last_login_at: u.last_login_at?.toISOString() ?? null,
});

export const insertUser = async (
  q: Queryable,
  u: Omit<UserRow, 'last_login_at'> & { created_by: string | null },
): Promise<UserRow> =>
  (
    await q.query<UserRow>(
      `INSERT INTO staff_users (id, email, name, role, location_ids, status, password_hash, created_at, updated_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING ${USER}`,
      [u.id, u.email, u.name, u.role, u.location_ids, u.status, u.password_hash, u.created_at, u.created_by],
    )
  ).rows[0] as UserRow;

export const getUser = async (q: Queryable, id: string, lock = false): Promise<UserRow | undefined> =>
  (await q.query<UserRow>(`SELECT ${USER} FROM staff_users WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]))
    .rows[0];

export const userByEmail = async (q: Queryable, email: string): Promise<UserRow | undefined> =>
  (await q.query<UserRow>(`SELECT ${USER} FROM staff_users WHERE lower(email) = lower($1)`, [email])).rows[0];

export const listUsers = async (
  q: Queryable,
  f: { role?: Role; status?: Status; q?: string; after?: string; limit: number },
): Promise<UserRow[]> => {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return (
    await q.query<UserRow>(
      `SELECT ${USER} FROM staff_users
       WHERE ($1::text IS NULL OR role = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR name ILIKE $3 OR email ILIKE $3) AND ($4::text IS NULL OR id > $4)
       ORDER BY id LIMIT $5`,
      [f.role ?? null, f.status ?? null, like, f.after ?? null, f.limit],
    )
  ).rows;
};

export const updateUser = async (
  q: Queryable,
  id: string,
  p: Partial<Pick<UserRow, 'name' | 'role' | 'location_ids' | 'status' | 'password_hash'>>,
  at: Date,
): Promise<UserRow> =>
  (
    await q.query<UserRow>(
      `UPDATE staff_users SET name = coalesce($2, name), role = coalesce($3, role),
         location_ids = coalesce($4, location_ids), status = coalesce($5, status),
         password_hash = coalesce($6, password_hash), updated_at = $7
       WHERE id = $1 RETURNING ${USER}`,
      [
        id,
        p.name ?? null,
        p.role ?? null,
        p.location_ids ?? null,
        p.status ?? null,
        p.password_hash ?? null,
        at,
      ],
    )
  ).rows[0] as UserRow;

/** Active owners other than `exceptId`, locked so that two demotions cannot both pass. */
export const otherActiveOwners = async (q: Queryable, exceptId: string | null): Promise<number> =>
  (
    await q.query(
      `SELECT id FROM staff_users WHERE role = 'owner' AND status = 'active' AND id <> coalesce($1, '')
       ORDER BY id FOR UPDATE`,
      [exceptId],
    )
  ).rowCount;

export const ownerExists = async (q: Queryable): Promise<boolean> =>
  (await q.query(`SELECT 1 FROM staff_users WHERE role = 'owner' AND status <> 'disabled' LIMIT 1`))
    .rowCount > 0;

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

export const insertSession = (q: Queryable, s: SessionRow & { token_hash: string }) =>
  q.query(
    `INSERT INTO staff_sessions (id, user_id, token_hash, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $4, $5)`,
    [s.id, s.user_id, s.token_hash, s.created_at, s.expires_at],
  );

/** The live session of a token hash with its user (not revoked, within both expiries, user active). */
export const liveSession = async (
  q: Queryable,
  tokenHash: string,
  now: Date,
  idleSince: Date,
): Promise<{ session: SessionRow; user: UserRow } | undefined> => {
  const r = (
    await q.query<SessionRow & { u: UserRow }>(
      `SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, row_to_json(u) AS u
       FROM staff_sessions s JOIN (SELECT ${USER} FROM staff_users) u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3
         AND u.status = 'active'`,
      [tokenHash, now, idleSince],
    )
  ).rows[0];
  if (!r) return undefined;
  const { u, ...session } = r;
  const user: UserRow = {
    ...u,
    created_at: new Date(u.created_at),
    last_login_at: u.last_login_at === null ? null : new Date(u.last_login_at),
  };
  return { session, user };
};

export const touchSession = (q: Queryable, id: string, at: Date) =>
  q.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [id, at]);

export const revokeSession = (q: Queryable, id: string, at: Date) =>
  q.query('UPDATE staff_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, at]);

/** Ends every live session of a user (disabled, role or locations changed, password reset). */
export const revokeSessionsOf = (q: Queryable, userId: string, at: Date) =>
  q.query('UPDATE staff_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [
    userId,
    at,
  ]);

export const setLoggedIn = (q: Queryable, userId: string, at: Date) =>
  q.query('UPDATE staff_users SET last_login_at = $2 WHERE id = $1', [userId, at]);

export type LinkKind = 'invite' | 'reset' | 'owner';

export interface LinkRow {
  id: string;
  kind: LinkKind;
  user_id: string | null;
  created_at: Date;
  expires_at: Date;
}

export const insertLink = (q: Queryable, l: LinkRow & { token_hash: string; created_by: string | null }) =>
  q.query(
    `INSERT INTO staff_links (id, kind, user_id, token_hash, created_at, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [l.id, l.kind, l.user_id, l.token_hash, l.created_at, l.expires_at, l.created_by],
  );

/** The unused, unexpired link of a token hash. */
export const liveLink = async (q: Queryable, tokenHash: string, now: Date): Promise<LinkRow | undefined> =>
  (
    await q.query<LinkRow>(
      `SELECT id, kind, user_id, created_at, expires_at FROM staff_links
       WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
      [tokenHash, now],
    )
  ).rows[0];

/** Uses the link once: true for the one caller that got it while it was live. */
export const spendLink = async (q: Queryable, id: string, now: Date): Promise<boolean> =>
  (
    await q.query(
      'UPDATE staff_links SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2',
      [id, now],
    )
  ).rowCount > 0;

/** Kills a user's other outstanding links (after one was used). */
export const spendLinksOf = (q: Queryable, userId: string, now: Date) =>
  q.query('UPDATE staff_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [userId, now]);

/** Links made for a user since `since` (the reset request's rate limit). */
export const recentLinks = async (q: Queryable, userId: string, since: Date): Promise<number> =>
  (
    await q.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM staff_links WHERE user_id = $1 AND created_at > $2',
      [userId, since],
    )
  ).rows[0]?.n ?? 0;

/** Deletes up to 1,000 sessions and links that ended before `before` (they no longer open anything). */
export const sweepEnded = async (q: Queryable, before: Date): Promise<number> => {
  const sessions = await q.query(
    `DELETE FROM staff_sessions WHERE id IN (
       SELECT id FROM staff_sessions WHERE coalesce(revoked_at, expires_at) < $1 OR last_seen_at < $1 LIMIT 1000)`,
    [before],
  );
  const links = await q.query(
    `DELETE FROM staff_links WHERE id IN (
       SELECT id FROM staff_links WHERE coalesce(used_at, expires_at) < $1 OR expires_at < $1 LIMIT 1000)`,
    [before],
  );
  return sessions.rowCount + links.rowCount;
};
