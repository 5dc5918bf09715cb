/** Reads and small writes of /admin/replenishment. */
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, validation } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/schemas.ts';

interface SuggestionRow {
  id: string;
  kind: 'purchase' | 'transfer';
  sku: string;
  location_id: string;
  from_location_id: string | null;
  supplier_id: string | null;
  quantity: number;
  status: 'open' | 'accepted' | 'dismissed' | 'superseded';
  detail: Record<string, unknown>;
  created_at: string;
  decided_at: string | null;
  dismissed_until: string | null;
  result_id: string | null;
}

export const listSuggestions = async (
  q: Queryable,
  f: { kind?: string; status: string; location_id?: string; sku?: string; after?: string; limit: number },
): Promise<SuggestionRow[]> =>
  (
    await q.query<SuggestionRow>(
      `SELECT id, kind, sku, location_id, from_location_id, supplier_id, quantity, status, detail,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
              to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS decided_at,
              to_char(dismissed_until, 'YYYY-MM-DD') AS dismissed_until, result_id
         FROM replenishment_suggestions
        WHERE status = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR location_id = $3)
          AND ($4::text IS NULL OR sku = $4) AND ($5::text IS NULL OR id > $5)
        ORDER BY id LIMIT $6`,
      [f.status, f.kind ?? null, f.location_id ?? null, f.sku ?? null, f.after ?? null, f.limit],
    )
  ).rows;

export const suggestedOrders = async (q: Queryable) => {
  const rows = (
    await q.query<{
      id: string;
      sku: string;
      quantity: number;
      supplier_id: string;
      supplier_name: string;
      location_id: string;
    }>(
      `SELECT r.id, r.sku, r.quantity, r.supplier_id, s.name AS supplier_name, r.location_id
         FROM replenishment_suggestions r JOIN suppliers s ON s.id = r.supplier_id
        WHERE r.status = 'open' AND r.kind = 'purchase'
        ORDER BY s.name, r.supplier_id, r.location_id, r.sku`,
    )
  ).rows;
  const orders = new Map<
    string,
    {
      supplier_id: string;
      supplier_name: string;
      location_id: string;
      lines: { suggestion_id: string; sku: string; quantity: number }[];
      units: number;
    }
  >();
  for (const r of rows) {
    const k = `${r.supplier_id}\u0000${r.location_id}`;
    const o = orders.get(k) ?? {
      supplier_id: r.supplier_id,
      supplier_name: r.supplier_name,
      location_id: r.location_id,
      lines: [],
      units: 0,
    };
    o.lines.push({ suggestion_id: r.id, sku: r.sku, quantity: r.quantity });
    o.units += r.quantity;
    orders.set(k, o);
  }
  return [...orders.values()];
};

export const atRisk = async (
  q: Queryable,
  f: { days: number; location_id?: string; sku?: string; cursor?: string; limit: number },
) => {
  const after = decodeCursor(f.cursor);
  const rows = (
    await q.query<{
      sku: string;
      location_id: string;
      stockout_on: string;
      days: number;
      available: number;
      inbound: number;
      demand: number;
      next_arrival_on: string | null;
      computed_at: Date;
    }>(
      `SELECT sku, location_id, to_char(stockout_on, 'YYYY-MM-DD') AS stockout_on, days, available, inbound, demand,
              to_char(next_arrival_on, 'YYYY-MM-DD') AS next_arrival_on, computed_at
         FROM stockout_risks
        WHERE days <= $1 AND ($2::text IS NULL OR location_id = $2) AND ($3::text IS NULL OR sku = $3)
          AND ($4::int IS NULL OR (days, sku, location_id) > ($4, $5::text, $6::text))
        ORDER BY days, sku, location_id LIMIT $7`,
      [
        f.days,
        f.location_id ?? null,
        f.sku ?? null,
        typeof after?.[0] === 'number' ? after[0] : null,
        String(after?.[1] ?? ''),
        String(after?.[2] ?? ''),
        f.limit + 1,
      ],
    )
  ).rows;
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({ ...r, computed_at: r.computed_at.toISOString() })),
    next_cursor: rows.length > f.limit && last ? encodeCursor([last.days, last.sku, last.location_id]) : null,
  };
};

export const putPolicy = async (
  tx: Tx,
  sku: string,
  locationId: string,
  body: {
    source_location_id?: string | null;
    lead_time_days?: number | null;
    review_days?: number | null;
    service_level?: number | null;
  },
  now: Date,
) => {
  const ids = [locationId, ...(body.source_location_id ? [body.source_location_id] : [])];
  const found = (await tx.query<{ id: string }>('SELECT id FROM locations WHERE id = ANY($1)', [ids])).rows;
  for (const id of ids) if (!found.some((r) => r.id === id)) throw notFound('Location', id);
  if (body.source_location_id === locationId)
    throw validation('A location is not its own source', [
      { path: 'body.source_location_id', message: 'must differ from location_id' },
    ]);
  const row = (
    await tx.query<{
      sku: string;
      location_id: string;
      source_location_id: string | null;
      lead_time_days: number | null;
      review_days: number | null;
      service_level: number | null;
      updated_at: Date;
    }>(
      `INSERT INTO replenishment_policies (sku, location_id, source_location_id, lead_time_days, review_days, service_level, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sku, location_id) DO UPDATE SET source_location_id = excluded.source_location_id,
         lead_time_days = excluded.lead_time_days, review_days = excluded.review_days,
         service_level = excluded.service_level, updated_at = excluded.updated_at
       RETURNING sku, location_id, source_location_id, lead_time_days, review_days, service_level, updated_at`,
      [
        sku,
        locationId,
        body.source_location_id ?? null,
        body.lead_time_days ?? null,
        body.review_days ?? null,
        body.service_level ?? null,
        now,
      ],
    )
  ).rows[0];
  if (!row) throw new Error('policy upsert returned nothing');
  const level = row.service_level === null ? null : Math.round(row.service_level * 1000) / 1000;
  return { ...row, service_level: level, updated_at: row.updated_at.toISOString() };
};
