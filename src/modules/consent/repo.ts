import type { Queryable } from '../../platform/db.ts';
import type { ConsentSource, ConsentStatus, ContactChannel, LegalBasis, Purpose } from './schema.ts';

export interface ConsentRow {
  id: string;
  customer_id: string;
  purpose: Purpose;
  channel: ContactChannel;
  status: ConsentStatus;
  legal_basis: LegalBasis;
  source: ConsentSource;
  sales_channel_id: string | null;
  location_id: string | null;
  ip: string | null;
  user_agent: string | null;
  form_version: string | null;
  recorded_by: string;
  confirmation_token_hash: string | null;
  confirmation_expires_at: Date | null;
  confirms_record_id: string | null;
  recorded_at: Date;
}

const COLS = `id, customer_id, purpose, channel, status, legal_basis, source, sales_channel_id, location_id, ip,
  user_agent, form_version, recorded_by, confirmation_token_hash, confirmation_expires_at, confirms_record_id,
  recorded_at`;

/** Appends a row to the ledger (rows are never changed: a trigger refuses it). */
export const insertConsent = async (q: Queryable, r: ConsentRow): Promise<ConsentRow> =>
  (
    await q.query<ConsentRow>(
      `INSERT INTO consent_records (${COLS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING ${COLS}`,
      [
        r.id,
        r.customer_id,
        r.purpose,
        r.channel,
        r.status,
        r.legal_basis,
        r.source,
        r.sales_channel_id,
        r.location_id,
        r.ip,
        r.user_agent,
        r.form_version,
        r.recorded_by,
        r.confirmation_token_hash,
        r.confirmation_expires_at,
        r.confirms_record_id,
        r.recorded_at,
      ],
    )
  ).rows[0] as ConsentRow;

/** The current state: the latest row per purpose and channel. */
export const currentConsents = async (q: Queryable, customerId: string): Promise<ConsentRow[]> =>
  (
    await q.query<ConsentRow>(
      `SELECT DISTINCT ON (purpose, channel) ${COLS} FROM consent_records WHERE customer_id = $1
       ORDER BY purpose, channel, recorded_at DESC, id DESC`,
      [customerId],
    )
  ).rows;

export const currentConsent = async (
  q: Queryable,
  customerId: string,
  purpose: Purpose,
  channel: ContactChannel,
): Promise<ConsentRow | undefined> =>
  (
    await q.query<ConsentRow>(
      `SELECT ${COLS} FROM consent_records WHERE customer_id = $1 AND purpose = $2 AND channel = $3
       ORDER BY recorded_at DESC, id DESC LIMIT 1`,
      [customerId, purpose, channel],
    )
  ).rows[0];

/** Every row of the ledger of these customers, newest first. */
export const consentHistory = async (q: Queryable, customerIds: readonly string[]): Promise<ConsentRow[]> =>
  (
    await q.query<ConsentRow>(
      `SELECT ${COLS} FROM consent_records WHERE customer_id = ANY($1) ORDER BY recorded_at DESC, id DESC`,
      [customerIds],
    )
  ).rows;

export const pendingByTokenHash = async (q: Queryable, hash: string): Promise<ConsentRow | undefined> =>
  (
    await q.query<ConsentRow>(
      `SELECT ${COLS} FROM consent_records WHERE confirmation_token_hash = $1 AND status = 'pending'`,
      [hash],
    )
  ).rows[0];

export const consentToApi = ({
  customer_id: _c,
  confirmation_token_hash: _t,
  confirmation_expires_at: _e,
  ...r
}: ConsentRow) => ({
  ...r,
  recorded_at: r.recorded_at.toISOString(),
});

/** Gives consent rows to another customer (merge and undo); only their owner changes. */
export const moveConsentRecords = async (
  q: Queryable,
  ids: readonly string[],
  from: string,
  to: string,
): Promise<string[]> =>
  ids.length === 0
    ? []
    : (
        await q.query<{ id: string }>(
          'UPDATE consent_records SET customer_id = $3 WHERE id = ANY($1) AND customer_id = $2 RETURNING id',
          [ids, from, to],
        )
      ).rows.map((r) => r.id);
