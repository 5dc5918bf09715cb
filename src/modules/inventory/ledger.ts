/**
 * The only code that changes stock levels. Each change is one SQL statement that updates the level
 * under its condition and appends the matching movement, so a level always equals the sum of its
 * movements and a refused change leaves nothing behind. Callers that touch several levels in one
 * transaction take them in `byLevel` order, so two transactions never wait on each other in a cycle.
 */
import type { Tx } from '../../platform/db.ts';
import type { ErrorCode } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Result } from '../../platform/result.ts';

export const MOVEMENT_KINDS = [
  'receipt',
  'sale',
  'reservation',
  'release',
  'adjustment',
  'transfer_out',
  'transfer_in',
  'return',
  'count_correction',
  'write_off',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** What an outside record a movement or reservation belongs to (an order, a cart, a transfer…). */
export interface Reference {
  type: string;
  id: string;
}

export interface LevelKey {
  sku: string;
  location_id: string;
}

export interface LevelState extends LevelKey {
  on_hand: number;
  reserved: number;
  safety_stock: number;
  low_stock_threshold: number | null;
}

/** One applied change: the level before and after, and the movement that records it. */
export interface LevelChange {
  movement_id: string;
  kind: MovementKind;
  on_hand_delta: number;
  reserved_delta: number;
  before: LevelState;
  after: LevelState;
}

/** Who did it, why, for what, and when (business time from the clock). */
export interface MovementContext {
  actor: string;
  reason?: string | null;
  reference?: Reference | null;
  at: Date;
}

/** What may be sold or held now, never below zero. */
export const availableOf = (l: Pick<LevelState, 'on_hand' | 'reserved' | 'safety_stock'>): number =>
  Math.max(0, l.on_hand - l.reserved - l.safety_stock);

/** The one order in which a transaction takes level rows (JavaScript string order of sku, then location). */
export const byLevel = (a: LevelKey, b: LevelKey): number => {
  if (a.sku !== b.sku) return a.sku < b.sku ? -1 : 1;
  if (a.location_id !== b.location_id) return a.location_id < b.location_id ? -1 : 1;
  return 0;
};

const LEVEL = 'sku, location_id, on_hand, reserved, safety_stock, low_stock_threshold';

const movementValues = (ctx: MovementContext) => [
  ctx.reason ?? null,
  ctx.actor,
  ctx.reference?.type ?? null,
  ctx.reference?.id ?? null,
  ctx.at,
];

export interface Delta extends LevelKey {
  kind: MovementKind;
  on_hand_delta: number;
  reserved_delta: number;
}

/**
 * Applies a delta to an existing level in one conditional UPDATE that also inserts the movement.
 * The condition keeps on_hand ≥ reserved ≥ 0; with `requireAvailable` also on_hand − reserved −
 * safety_stock ≥ 0 afterwards (a reservation or sale may not eat into safety stock or others' holds).
 * Returns undefined, changing nothing, when the level is missing or the condition fails.
 */
export const applyDelta = async (
  tx: Tx,
  d: Delta,
  ctx: MovementContext,
  opts: { requireAvailable?: boolean } = {},
): Promise<LevelChange | undefined> => {
  const movementId = newId('mov');
  const { rows } = await tx.query<LevelState>(
    `WITH upd AS (
       UPDATE inventory_levels
       SET on_hand = on_hand + $3, reserved = reserved + $4, updated_at = $9
       WHERE sku = $1 AND location_id = $2
         AND reserved + $4 >= 0 AND on_hand + $3 >= reserved + $4
         AND (NOT $10::boolean OR on_hand + $3 - reserved - $4 - safety_stock >= 0)
       RETURNING ${LEVEL}
     ), mov AS (
       INSERT INTO inventory_movements (id, sku, location_id, kind, on_hand_delta, reserved_delta,
         reason, actor, reference_type, reference_id, created_at)
       SELECT $11, sku, location_id, $12, $3, $4, $5, $6, $7, $8, $9 FROM upd
     )
     SELECT ${LEVEL} FROM upd`,
    [
      d.sku,
      d.location_id,
      d.on_hand_delta,
      d.reserved_delta,
      ...movementValues(ctx),
      opts.requireAvailable ?? false,
      movementId,
      d.kind,
    ],
  );
  const after = rows[0];
  if (!after) return undefined;
  return {
    movement_id: movementId,
    kind: d.kind,
    on_hand_delta: d.on_hand_delta,
    reserved_delta: d.reserved_delta,
    after,
    before: {
      ...after,
      on_hand: after.on_hand - d.on_hand_delta,
      reserved: after.reserved - d.reserved_delta,
    },
  };
};

export interface Addition extends LevelKey {
  quantity: number;
}

/**
 * Adds stock to many levels in one statement (creating missing levels), one movement of `kind` per
 * line. Lines must be distinct levels with quantity > 0; they are applied in `byLevel` order.
 */
export const addStock = async (
  tx: Tx,
  kind: MovementKind,
  lines: readonly Addition[],
  ctx: MovementContext,
): Promise<LevelChange[]> => {
  if (lines.length === 0) return [];
  const sorted = [...lines].sort(byLevel);
  const ids = sorted.map(() => newId('mov'));
  const { rows } = await tx.query<LevelState>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])
         WITH ORDINALITY AS t(sku, location_id, quantity, movement_id, n)
     ), upd AS (
       INSERT INTO inventory_levels AS l (sku, location_id, on_hand, updated_at)
       SELECT sku, location_id, quantity, $9 FROM input ORDER BY n
       ON CONFLICT (sku, location_id) DO UPDATE
         SET on_hand = l.on_hand + EXCLUDED.on_hand, updated_at = EXCLUDED.updated_at
       RETURNING l.sku, l.location_id, l.on_hand, l.reserved, l.safety_stock, l.low_stock_threshold
     ), mov AS (
       INSERT INTO inventory_movements (id, sku, location_id, kind, on_hand_delta, reserved_delta,
         reason, actor, reference_type, reference_id, created_at)
       SELECT movement_id, sku, location_id, $10, quantity, 0, $5, $6, $7, $8, $9 FROM input ORDER BY n
     )
     SELECT ${LEVEL} FROM upd`,
    [
      sorted.map((l) => l.sku),
      sorted.map((l) => l.location_id),
      sorted.map((l) => l.quantity),
      ids,
      ...movementValues(ctx),
      kind,
    ],
  );
  const after = new Map(rows.map((r) => [`${r.sku}\u0000${r.location_id}`, r]));
  return sorted.map((l, i) => {
    const a = after.get(`${l.sku}\u0000${l.location_id}`) as LevelState;
    return {
      movement_id: ids[i] as string,
      kind,
      on_hand_delta: l.quantity,
      reserved_delta: 0,
      after: a,
      before: { ...a, on_hand: a.on_hand - l.quantity },
    };
  });
};

/** Creates missing levels with zero stock (no movement: nothing changed). */
export const ensureLevels = async (tx: Tx, keys: readonly LevelKey[], at: Date): Promise<void> => {
  if (keys.length === 0) return;
  const sorted = [...keys].sort(byLevel);
  await tx.query(
    `INSERT INTO inventory_levels (sku, location_id, updated_at)
     SELECT sku, location_id, $3 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(sku, location_id, n)
     ORDER BY n
     ON CONFLICT (sku, location_id) DO NOTHING`,
    [sorted.map((k) => k.sku), sorted.map((k) => k.location_id), at],
  );
};

/** Reads one level (no lock), or undefined when it does not exist. */
export const readLevel = async (
  tx: Tx,
  key: LevelKey,
  opts: { forUpdate?: boolean } = {},
): Promise<LevelState | undefined> =>
  (
    await tx.query<LevelState>(
      `SELECT ${LEVEL} FROM inventory_levels WHERE sku = $1 AND location_id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [key.sku, key.location_id],
    )
  ).rows[0];

let savepoints = 0;

/**
 * Runs `fn` inside a SAVEPOINT: a failed Result (or a throw) rolls back everything `fn` wrote while the
 * caller's transaction stays usable; a success keeps it.
 */
export const withSavepoint = async <T, C extends ErrorCode>(
  tx: Tx,
  fn: () => Promise<Result<T, C>>,
): Promise<Result<T, C>> => {
  savepoints = (savepoints + 1) % 1_000_000;
  const name = `plaza_inventory_${savepoints}`;
  await tx.query(`SAVEPOINT ${name}`);
  let result: Result<T, C>;
  try {
    result = await fn();
  } catch (e) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw e;
  }
  if (!result.ok) await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
  await tx.query(`RELEASE SAVEPOINT ${name}`);
  return result;
};
