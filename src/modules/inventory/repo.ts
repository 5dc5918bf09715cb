/** Admin read queries: levels (with in-transit stock) and the movement ledger. */
import type { Queryable } from '../../platform/db.ts';
import type { LevelState, MovementKind } from './ledger.ts';

export interface LevelRow extends LevelState {
  available: number;
  /** The low-stock rule ({@link LOW_STOCK}) evaluated by the database. */
  low_stock: boolean;
  /** Units shipped to this location by transfers and not yet received. */
  incoming: number;
  updated_at: Date;
}

export interface LevelFilter {
  sku?: string;
  location_id?: string;
  /** Only these locations (staff tokens). */
  locationIds?: readonly string[];
  /** Only levels at or below their low-stock threshold. */
  lowStock?: boolean;
  after?: { sku: string; location_id: string };
  limit: number;
}

const AVAILABLE = 'greatest(0, l.on_hand - l.reserved - l.safety_stock)';

/**
 * The low-stock rule, once: a level with a threshold whose available stock (safety stock kept) is at
 * or below it. SQL over `inventory_levels l`; every list, count and API field uses this expression.
 * (The `IS NOT NULL` lets the planner use the partial index of levels that have a threshold.)
 */
export const LOW_STOCK = `(l.low_stock_threshold IS NOT NULL AND ${AVAILABLE} <= l.low_stock_threshold)`;

const INCOMING = `coalesce((SELECT sum(tl.quantity - tl.quantity_received) FROM inventory_transfer_lines tl
    JOIN inventory_transfers t ON t.id = tl.transfer_id
    WHERE tl.sku = l.sku AND t.to_location_id = l.location_id
      AND t.status IN ('in_transit', 'partially_received')), 0)`;

export const listLevels = async (q: Queryable, f: LevelFilter): Promise<LevelRow[]> =>
  (
    await q.query<LevelRow>(
      `SELECT l.sku, l.location_id, l.on_hand, l.reserved, l.safety_stock, l.low_stock_threshold, l.updated_at,
         ${AVAILABLE} AS available, ${LOW_STOCK} AS low_stock, ${INCOMING} AS incoming
       FROM inventory_levels l
       WHERE ($1::text IS NULL OR l.sku = $1) AND ($2::text IS NULL OR l.location_id = $2)
         AND ($3::text[] IS NULL OR l.location_id = ANY($3::text[]))
         AND (NOT $4::boolean OR ${LOW_STOCK})
         AND ($5::text IS NULL OR (l.sku, l.location_id) > ($5::text, $6::text))
       ORDER BY l.sku, l.location_id LIMIT $7`,
      [
        f.sku ?? null,
        f.location_id ?? null,
        f.locationIds ?? null,
        f.lowStock ?? false,
        f.after?.sku ?? null,
        f.after?.location_id ?? null,
        f.limit,
      ],
    )
  ).rows;

export interface LowStockSummary {
  /** Every level at or below its threshold (in the given locations). */
  count: number;
  /** The first `limit` of them, emptiest first (lowest available, then SKU and location). */
  levels: LevelRow[];
}

/**
 * Low-stock levels for a dashboard: how many there are and the emptiest ones, in one statement that
 * reads only levels with a threshold (partial index `inventory_levels_thresholds`).
 */
export const lowStockSummary = async (
  q: Queryable,
  f: { locationIds?: readonly string[] /** ≥ 1 (the count rides on the rows). */; limit: number },
): Promise<LowStockSummary> => {
  const { rows } = await q.query<LevelRow & { total: number }>(
    `WITH low AS (
       SELECT l.sku, l.location_id, l.on_hand, l.reserved, l.safety_stock, l.low_stock_threshold, l.updated_at,
         ${AVAILABLE} AS available, count(*) OVER () AS total
       FROM inventory_levels l
       WHERE ${LOW_STOCK} AND ($1::text[] IS NULL OR l.location_id = ANY($1::text[]))
       ORDER BY available, l.sku, l.location_id LIMIT $2)
     SELECT l.*, true AS low_stock, ${INCOMING} AS incoming FROM low l ORDER BY available, sku, location_id`,
    [f.locationIds ?? null, f.limit],
  );
  return { count: rows[0]?.total ?? 0, levels: rows.map(({ total: _, ...r }) => r) };
};

export const getLevel = async (
  q: Queryable,
  key: { sku: string; location_id: string },
): Promise<LevelRow | undefined> => (await listLevels(q, { ...key, limit: 1 }))[0];

export interface MovementRow {
  id: string;
  sku: string;
  location_id: string;
  kind: MovementKind;
  on_hand_delta: number;
  reserved_delta: number;
  reason: string | null;
  actor: string;
  reference_type: string | null;
  reference_id: string | null;
  created_at: Date;
}

export const getMovement = async (q: Queryable, id: string): Promise<MovementRow | undefined> =>
  (await listMovements(q, { id, limit: 1 }))[0];

export interface MovementFilter {
  id?: string;
  sku?: string;
  location_id?: string;
  locationIds?: readonly string[];
  kind?: MovementKind;
  reference_type?: string;
  reference_id?: string;
  /** Movements older than this id (newest first). */
  before?: string;
  limit: number;
}

export const listMovements = async (q: Queryable, f: MovementFilter): Promise<MovementRow[]> =>
  (
    await q.query<MovementRow>(
      `SELECT id, sku, location_id, kind, on_hand_delta, reserved_delta, reason, actor, reference_type,
         reference_id, created_at
       FROM inventory_movements
       WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR location_id = $2)
         AND ($3::text[] IS NULL OR location_id = ANY($3::text[])) AND ($4::text IS NULL OR kind = $4)
         AND ($5::text IS NULL OR reference_type = $5) AND ($6::text IS NULL OR reference_id = $6)
         AND ($7::text IS NULL OR id < $7) AND ($9::text IS NULL OR id = $9)
       ORDER BY id DESC LIMIT $8`,
      [
        f.sku ?? null,
        f.location_id ?? null,
        f.locationIds ?? null,
        f.kind ?? null,
        f.reference_type ?? null,
        f.reference_id ?? null,
        f.before ?? null,
        f.limit,
        f.id ?? null,
      ],
    )
  ).rows;

export interface LedgerMismatch {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  ledger_on_hand: number;
  ledger_reserved: number;
}

/**
 * Levels that differ from the sums of their movements (an audit: always empty unless someone wrote
 * to inventory_levels behind the ledger's back). Scans everything; for checks and tests, not hot paths.
 */
export const ledgerMismatches = async (q: Queryable): Promise<LedgerMismatch[]> =>
  (
    await q.query<LedgerMismatch>(
      `SELECT sku, location_id, coalesce(l.on_hand, 0) AS on_hand, coalesce(l.reserved, 0) AS reserved,
         coalesce(m.on_hand, 0) AS ledger_on_hand, coalesce(m.reserved, 0) AS ledger_reserved
       FROM inventory_levels l
       FULL JOIN (SELECT sku, location_id, sum(on_hand_delta)::int AS on_hand, sum(reserved_delta)::int AS reserved
                  FROM inventory_movements GROUP BY sku, location_id) m USING (sku, location_id)
       WHERE coalesce(l.on_hand, 0) <> coalesce(m.on_hand, 0) OR coalesce(l.reserved, 0) <> coalesce(m.reserved, 0)
       ORDER BY sku, location_id`,
    )
  ).rows;
