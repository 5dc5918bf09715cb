import type { Queryable } from '../../platform/db.ts';
import { containsPattern } from '../../platform/like.ts';
import type { Customer } from './schema.ts';

export type CustomerStatus = 'active' | 'merged' | 'erased';

export interface CustomerRow {
  id: string;
  /** The primary email (null for a customer known only at a store counter). */
  email: string | null;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  /** The primary phone, E.164. */
  phone: string | null;
  birthday: string | null;
  language: string | null;
  preferred_location_id: string | null;
  status: CustomerStatus;
  merged_into: string | null;
  processing_restricted_at: Date | null;
  erased_at: Date | null;
  source: string;
  created_channel_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export const CUSTOMER_COLUMNS = `id, email, password_hash, first_name, last_name, phone, birthday, language,
  preferred_location_id, status, merged_into, processing_restricted_at, erased_at, source, created_channel_id,
  created_at, updated_at`;
const COLUMNS = CUSTOMER_COLUMNS;

export const customerToApi = (r: CustomerRow): Customer => ({
  id: r.id,
  email: r.email,
  first_name: r.first_name,
  last_name: r.last_name,
  phone: r.phone,
  has_account: r.password_hash !== null,
  status: r.status,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const findByEmail = async (
  q: Queryable,
  email: string,
  lock = false,
): Promise<CustomerRow | undefined> =>
  (
    await q.query<CustomerRow>(
      `SELECT ${COLUMNS} FROM customers WHERE email = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [normalizeEmail(email)],
    )
  ).rows[0];

export const getCustomer = async (q: Queryable, id: string): Promise<CustomerRow | undefined> =>
  (await q.query<CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE id = $1`, [id])).rows[0];

export type NewCustomer = Pick<
  CustomerRow,
  | 'id'
  | 'email'
  | 'password_hash'
  | 'first_name'
  | 'last_name'
  | 'phone'
  | 'birthday'
  | 'language'
  | 'preferred_location_id'
  | 'source'
  | 'created_channel_id'
  | 'created_at'
>;

export const insertCustomer = async (q: Queryable, c: NewCustomer): Promise<CustomerRow> =>
  (
    await q.query<CustomerRow>(
      `INSERT INTO customers (id, email, password_hash, first_name, last_name, phone, birthday, language,
         preferred_location_id, source, created_channel_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING ${COLUMNS}`,
      [
        c.id,
        c.email,
        c.password_hash,
        c.first_name,
        c.last_name,
        c.phone,
        c.birthday,
        c.language,
        c.preferred_location_id,
        c.source,
        c.created_channel_id,
        c.created_at,
      ],
    )
  ).rows[0] as CustomerRow;

export const getCustomerForUpdate = async (q: Queryable, id: string): Promise<CustomerRow | undefined> =>
  (await q.query<CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE id = $1 FOR UPDATE`, [id])).rows[0];

export const getCustomers = async (q: Queryable, ids: readonly string[]): Promise<CustomerRow[]> =>
  (await q.query<CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE id = ANY($1) ORDER BY id`, [ids])).rows;

/** Writable profile columns (undefined leaves a column as it is; null clears it). */
export type ProfilePatch = Partial<
  Pick<
    CustomerRow,
    | 'email'
    | 'first_name'
    | 'last_name'
    | 'phone'
    | 'birthday'
    | 'language'
    | 'preferred_location_id'
    | 'status'
    | 'merged_into'
    | 'processing_restricted_at'
    | 'erased_at'
    | 'password_hash'
  >
>;

/** Applies a patch to a customer row; returns the new row. */
export const updateCustomer = async (
  q: Queryable,
  id: string,
  patch: ProfilePatch,
  at: Date,
): Promise<CustomerRow> => {
  const sets = ['updated_at = $2'];
  const params: unknown[] = [id, at];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    params.push(v);
    sets.push(`${k} = $${params.length}`);
  }
  const { rows } = await q.query<CustomerRow>(
    `UPDATE customers SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0] as CustomerRow;
};

/** Customers newest first, keyset-paged by id. */
/**
 * SQL over `customers`: first name, last name and e-mail in lower case, the text `q` searches (and
 * the expression of the trigram index `customers_search_trgm`, migration 0018: keep them equal).
 */
const SEARCH_TEXT =
  "lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, ''))";

export const listCustomers = async (
  q: Queryable,
  f: { before?: string; status?: CustomerStatus; q?: string; limit: number },
): Promise<CustomerRow[]> =>
  (
    await q.query<CustomerRow>(
      `SELECT ${COLUMNS} FROM customers WHERE ($1::text IS NULL OR id < $1) AND ($2::text IS NULL OR status = $2)
         AND ($4::text IS NULL OR ${SEARCH_TEXT} LIKE $4)
       ORDER BY id DESC LIMIT $3`,
      [f.before ?? null, f.status ?? null, f.limit, f.q ? containsPattern(f.q) : null],
    )
  ).rows;

/** Turns a guest (known from a checkout) into an account. */
export const claimGuest = async (
  q: Queryable,
  id: string,
  c: Pick<CustomerRow, 'password_hash' | 'first_name' | 'last_name' | 'phone' | 'updated_at'>,
): Promise<CustomerRow | undefined> =>
  (
    await q.query<CustomerRow>(
      `UPDATE customers SET password_hash = $2, first_name = coalesce($3, first_name),
         last_name = coalesce($4, last_name), phone = coalesce($5, phone), updated_at = $6
       WHERE id = $1 AND password_hash IS NULL RETURNING ${COLUMNS}`,
      [id, c.password_hash, c.first_name, c.last_name, c.phone, c.updated_at],
    )
  ).rows[0];

export interface SessionRow {
  id: string;
  customer_id: string;
  expires_at: Date;
}

export const insertSession = (
  q: Queryable,
  s: SessionRow & {
    token_hash: string;
    channel_id: string | null;
    anonymous_id: string | null;
    created_at: Date;
  },
) =>
  q.query(
    `INSERT INTO customer_sessions (id, customer_id, token_hash, channel_id, anonymous_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [s.id, s.customer_id, s.token_hash, s.channel_id, s.anonymous_id, s.created_at, s.expires_at],
  );

/** Revokes every live session of a customer (merge, erasure); returns the revoked ids. */
export const revokeSessionsOf = async (q: Queryable, customerId: string, at: Date): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      `UPDATE customer_sessions SET revoked_at = $2 WHERE customer_id = $1 AND revoked_at IS NULL RETURNING id`,
      [customerId, at],
    )
  ).rows.map((r) => r.id);

export const findLiveSession = async (
  q: Queryable,
  tokenHash: string,
  now: Date,
): Promise<SessionRow | undefined> =>
  (
    await q.query<SessionRow>(
      `SELECT id, customer_id, expires_at FROM customer_sessions
       WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
      [tokenHash, now],
    )
  ).rows[0];

export const revokeSession = (q: Queryable, id: string, at: Date) =>
  q.query('UPDATE customer_sessions SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1', [id, at]);
