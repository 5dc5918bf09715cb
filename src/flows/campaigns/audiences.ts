/**
 * A campaign's audience: a live segment (segment_members) or an uploaded list (audience_lists,
 * matched to customers on upload). Lists match rows by customer id, e-mail or phone, normalised as
 * the customers module does, and follow merges to the surviving profile; refused rows are kept by
 * line number and reason only (no personal values).
 */
import { normalizeIdentity } from '../../modules/customers/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';

/** Customers a campaign may reach: not merged away, not erased. */
export const REACHABLE = `c.status = 'active'`;

export interface AudienceRef {
  segment_id: string | null;
  list_id: string | null;
}

/** True when the segment (live, not archived) or the list exists. */
export const audienceAvailable = async (q: Queryable, a: AudienceRef): Promise<boolean> => {
  if (a.segment_id)
    return (
      (await q.query('SELECT 1 FROM segments WHERE id = $1 AND archived_at IS NULL', [a.segment_id])).rows
        .length > 0
    );
  if (a.list_id)
    return (await q.query('SELECT 1 FROM audience_lists WHERE id = $1', [a.list_id])).rows.length > 0;
  return true;
};

/** The members of an audience as SQL over `c` (customers) with the audience id as the given parameter. */
export const audienceSource = (a: AudienceRef, param: string): { from: string; id: string } | null => {
  if (a.segment_id)
    return {
      from: `segment_members m JOIN customers c ON c.id = m.customer_id WHERE m.segment_id = ${param}`,
      id: a.segment_id,
    };
  if (a.list_id)
    return {
      from: `audience_list_members m JOIN customers c ON c.id = m.customer_id WHERE m.list_id = ${param}`,
      id: a.list_id,
    };
  return null;
};

/** How many reachable customers the audience holds now (a live count). */
export const audienceCount = async (q: Queryable, a: AudienceRef): Promise<number> => {
  const src = audienceSource(a, '$1');
  if (!src) return 0;
  const r = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${src.from} AND ${REACHABLE}`, [
    src.id,
  ]);
  return Number(r.rows[0]?.n ?? 0);
};

/**
 * One page of reachable audience members after `after` (and up to `upto`, inclusive) in customer-id
 * order: the planner's keyset within its lane.
 */
export const audienceChunk = async (
  q: Queryable,
  a: AudienceRef,
  after: string | null,
  limit: number,
  upto: string | null = null,
): Promise<string[]> => {
  const src = audienceSource(a, '$1');
  if (!src) return [];
  const r = await q.query<{ id: string }>(
    `SELECT c.id FROM ${src.from} AND ${REACHABLE} AND ($2::text IS NULL OR m.customer_id > $2)
       AND ($4::text IS NULL OR m.customer_id <= $4)
     ORDER BY m.customer_id LIMIT $3`,
    [src.id, after, limit, upto],
  );
  return r.rows.map((x) => x.id);
};

/**
 * Cuts the reachable audience after `after` into up to `lanes` ranges of about equal size, none
 * smaller than `chunk` customers: each range is `(after_id, upto_id]` (NULL: open), in id order.
 */
export const audienceRanges = async (
  q: Queryable,
  a: AudienceRef,
  after: string | null,
  lanes: number,
  chunk: number,
): Promise<{ after: string | null; upto: string | null }[]> => {
  const src = audienceSource(a, '$1');
  if (!src || lanes <= 1) return [{ after, upto: null }];
  const where = `${src.from} AND ${REACHABLE} AND ($2::text IS NULL OR m.customer_id > $2)`;
  const n = Number(
    (await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${where}`, [src.id, after])).rows[0]?.n ??
      0,
  );
  const k = Math.max(1, Math.min(lanes, Math.floor(n / chunk)));
  if (k === 1) return [{ after, upto: null }];
  const size = Math.ceil(n / k);
  const bounds = (
    await q.query<{ id: string }>(
      `SELECT id FROM (SELECT m.customer_id AS id, row_number() OVER (ORDER BY m.customer_id) AS rn FROM ${where}) x
       WHERE rn % $3 = 0 ORDER BY id LIMIT $4`,
      [src.id, after, size, k - 1],
    )
  ).rows.map((x) => x.id);
  const out: { after: string | null; upto: string | null }[] = [];
  let lo = after;
  for (const b of bounds) {
    out.push({ after: lo, upto: b });
    lo = b;
  }
  out.push({ after: lo, upto: null });
  return out;
};

// ── Uploaded lists ──────────────────────────────────────────────────────────────────────────────

export interface ListRowInput {
  line: number;
  customer_id?: string;
  email?: string;
  phone?: string;
}
export type RefusalReason =
  | 'no_identifier'
  | 'invalid_email'
  | 'invalid_phone'
  | 'not_found'
  | 'duplicate'
  | 'invalid_encoding';
export interface Refusal {
  line: number;
  reason: RefusalReason;
}

export interface AudienceListRow {
  id: string;
  name: string;
  rows_total: number;
  rows_matched: number;
  refusals: Refusal[];
  created_at: Date;
}

const CUSTOMER_ID = /^cus_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Customer ids by live identity or profile field (one query per kind for the whole list). */
const matchBy = async (
  q: Queryable,
  kind: 'email' | 'phone',
  values: readonly string[],
): Promise<Map<string, string>> => {
  if (values.length === 0) return new Map();
  const r = await q.query<{ value: string; customer_id: string }>(
    `SELECT DISTINCT ON (v.value) v.value, coalesce(i.customer_id, c.id) AS customer_id
     FROM unnest($1::text[]) AS v (value)
     LEFT JOIN customer_identities i ON i.kind = $2 AND i.value = v.value AND i.unlinked_at IS NULL
     LEFT JOIN customers c ON i.customer_id IS NULL AND c.${kind} = v.value
     WHERE coalesce(i.customer_id, c.id) IS NOT NULL
     ORDER BY v.value, (i.customer_id IS NULL)`,
    [values, kind],
  );
  return new Map(r.rows.map((x) => [x.value, x.customer_id]));
};

/** Survivors of merges (followed up to 20 hops) and only customers that are not erased. */
const survivors = async (q: Queryable, ids: readonly string[]): Promise<Map<string, string>> => {
  const r = await q.query<{ start: string; id: string }>(
    `WITH RECURSIVE chain (start, id, status, merged_into, hops) AS (
       SELECT c.id, c.id, c.status, c.merged_into, 0 FROM customers c WHERE c.id = ANY($1::text[])
       UNION ALL
       SELECT chain.start, c.id, c.status, c.merged_into, chain.hops + 1
       FROM chain JOIN customers c ON c.id = chain.merged_into WHERE chain.status = 'merged' AND chain.hops < 20)
     SELECT start, id FROM chain WHERE status = 'active'`,
    [ids],
  );
  return new Map(r.rows.map((x) => [x.start, x.id]));
};

/**
 * Matches rows to customers: the customer id, else the e-mail, else the phone (E.164 in `country`).
 * Returns the matched customer ids (deduplicated) and the refused lines.
 */
export const matchRows = async (
  q: Queryable,
  rows: readonly ListRowInput[],
  country: string,
): Promise<{ customerIds: string[]; refusals: Refusal[] }> => {
  const refusals: Refusal[] = [];
  const wanted: { line: number; kind: 'id' | 'email' | 'phone'; value: string }[] = [];
  for (const r of rows) {
    const id = r.customer_id?.trim();
    const email = r.email?.trim();
    const phone = r.phone?.trim();
    if (id) {
      if (CUSTOMER_ID.test(id)) wanted.push({ line: r.line, kind: 'id', value: id });
      else refusals.push({ line: r.line, reason: 'not_found' });
    } else if (email) {
      const v = normalizeIdentity('email', email, country);
      if (v) wanted.push({ line: r.line, kind: 'email', value: v });
      else refusals.push({ line: r.line, reason: 'invalid_email' });
    } else if (phone) {
      const v = normalizeIdentity('phone', phone, country);
      if (v) wanted.push({ line: r.line, kind: 'phone', value: v });
      else refusals.push({ line: r.line, reason: 'invalid_phone' });
    } else refusals.push({ line: r.line, reason: 'no_identifier' });
  }
  const of = (k: 'id' | 'email' | 'phone') => [
    ...new Set(wanted.filter((w) => w.kind === k).map((w) => w.value)),
  ];
  const byEmail = await matchBy(q, 'email', of('email'));
  const byPhone = await matchBy(q, 'phone', of('phone'));
  const found = wanted.map((w) => ({
    ...w,
    customer: w.kind === 'id' ? w.value : w.kind === 'email' ? byEmail.get(w.value) : byPhone.get(w.value),
  }));
  const live = await survivors(q, [...new Set(found.flatMap((f) => (f.customer ? [f.customer] : [])))]);
  const seen = new Set<string>();
  for (const f of found) {
    const c = f.customer ? live.get(f.customer) : undefined;
    if (!c) refusals.push({ line: f.line, reason: 'not_found' });
    else if (seen.has(c)) refusals.push({ line: f.line, reason: 'duplicate' });
    else seen.add(c);
  }
  refusals.sort((a, b) => a.line - b.line);
  return { customerIds: [...seen], refusals };
};

const LIST_COLS = 'id, name, rows_total, rows_matched, refusals, created_at';

/** Creates a list with its matched members (one insert). */
export const createAudienceList = async (
  tx: Tx,
  input: {
    name: string;
    rows: readonly ListRowInput[];
    country: string;
    now: Date;
    /** lines refused before matching (a CSV line that is not UTF-8) */
    extraRefusals?: readonly Refusal[];
  },
): Promise<AudienceListRow> => {
  const matched = await matchRows(tx, input.rows, input.country);
  const { customerIds } = matched;
  const refusals = [...matched.refusals, ...(input.extraRefusals ?? [])].sort((a, b) => a.line - b.line);
  const total = input.rows.length + (input.extraRefusals?.length ?? 0);
  const id = newId('aul');
  const row = (
    await tx.query<AudienceListRow>(
      `INSERT INTO audience_lists (id, name, rows_total, rows_matched, refusals, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING ${LIST_COLS}`,
      [id, input.name, total, customerIds.length, JSON.stringify(refusals), input.now],
    )
  ).rows[0] as AudienceListRow;
  await tx.query(
    `INSERT INTO audience_list_members (list_id, customer_id)
     SELECT $1, c FROM unnest($2::text[]) AS c ORDER BY c ON CONFLICT DO NOTHING`,
    [id, customerIds],
  );
  return row;
};

export const getAudienceList = async (q: Queryable, id: string): Promise<AudienceListRow | undefined> =>
  (await q.query<AudienceListRow>(`SELECT ${LIST_COLS} FROM audience_lists WHERE id = $1`, [id])).rows[0];

export const listAudienceLists = async (
  q: Queryable,
  f: { before?: string; limit: number },
): Promise<AudienceListRow[]> =>
  (
    await q.query<AudienceListRow>(
      `SELECT ${LIST_COLS} FROM audience_lists WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [f.before ?? null, f.limit],
    )
  ).rows;
