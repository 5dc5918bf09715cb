/** Receipts, returns, adjustments, write-offs, stock counts and level settings. */
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError, validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { getLocations } from '../locations/index.ts';
import { adjustedEvent, levelData, writeInventoryEvents } from './events.ts';
import {
  type Addition,
  addStock,
  applyDelta,
  byLevel,
  ensureLevels,
  type LevelChange,
  type LevelState,
  type MovementKind,
  type Reference,
  readLevel,
  withSavepoint,
} from './ledger.ts';

/** The kinds of manual stock changes, and the sign their delta must have. */
export const ADJUSTMENT_KINDS = ['receipt', 'return', 'adjustment', 'write_off'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];
const SIGN: Record<AdjustmentKind, 'positive' | 'negative' | 'nonzero'> = {
  receipt: 'positive',
  return: 'positive',
  adjustment: 'nonzero',
  write_off: 'negative',
};

export interface AdjustInput {
  sku: string;
  location_id: string;
  /** Units added (> 0) or removed (< 0). */
  delta: number;
  kind: AdjustmentKind;
  reason: string | null;
  actor: string;
  reference?: Reference | null;
}

export interface StockChange {
  movement_id: string;
  level: LevelState;
}

/** NOT_FOUND unless every location exists. */
export const assertLocationsExist = async (q: Queryable, ids: readonly string[]): Promise<void> => {
  const wanted = [...new Set(ids)];
  const found = new Set((await getLocations(q, wanted)).map((l) => l.id));
  const missing = wanted.find((id) => !found.has(id));
  if (missing) throw notFound('Location', missing);
};

const checkDelta = (kind: AdjustmentKind, delta: number): void => {
  const sign = SIGN[kind];
  const good =
    Number.isInteger(delta) &&
    (sign === 'positive' ? delta > 0 : sign === 'negative' ? delta < 0 : delta !== 0);
  if (!good) {
    throw validation(`A ${kind} needs a ${sign} whole delta`, [
      { path: 'body.delta', message: `must be a ${sign} integer for kind ${kind}` },
    ]);
  }
};

/**
 * Adds or removes stock at one location with a movement of `kind`. Removing never goes below what
 * is reserved: that is refused with INSUFFICIENT_STOCK, `available` being the units that can go.
 */
export const adjust = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: AdjustInput,
): Promise<Result<StockChange, 'INSUFFICIENT_STOCK'>> => {
  checkDelta(input.kind, input.delta);
  await assertLocationsExist(tx, [input.location_id]);
  const ctx = { actor: input.actor, reason: input.reason, reference: input.reference, at: deps.clock.now() };
  let change: LevelChange | undefined;
  if (input.delta > 0) {
    [change] = await addStock(tx, input.kind, [{ ...input, quantity: input.delta }], ctx);
  } else {
    change = await applyDelta(tx, { ...input, on_hand_delta: input.delta, reserved_delta: 0 }, ctx);
  }
  if (!change) {
    const level = await readLevel(tx, input);
    const removable = level ? level.on_hand - level.reserved : 0;
    return fail(
      'INSUFFICIENT_STOCK',
      `Only ${removable} unreserved unit(s) of ${input.sku} are at ${input.location_id}; cannot remove ${-input.delta}`,
      {
        sku: input.sku,
        location_id: input.location_id,
        requested: -input.delta,
        available: removable,
        on_hand: level?.on_hand ?? 0,
        reserved: level?.reserved ?? 0,
      },
    );
  }
  await writeInventoryEvents(tx, deps.clock, [adjustedEvent(change, { reason: input.reason })], [change]);
  return ok({ movement_id: change.movement_id, level: change.after });
};

/** Books a receipt (or a return, with kind 'return'): adds `delta` > 0 units. Cannot fail on stock. */
export const receive = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: Omit<AdjustInput, 'kind'> & { kind?: 'receipt' | 'return' },
): Promise<StockChange> => {
  const r = await adjust(tx, deps, { ...input, kind: input.kind ?? 'receipt' });
  if (!r.ok) throw new PlazaError('INTERNAL', 'adding stock cannot run short');
  return r.value;
};

/**
 * Receives many lines at once in one statement (imports, demo seeding): thousands of levels in a
 * few statements. Repeated (sku, location) lines are summed.
 */
export const receiveMany = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  lines: readonly Addition[],
  opts: { actor: string; reason?: string | null; reference?: Reference | null; kind?: 'receipt' | 'return' },
): Promise<LevelChange[]> => {
  const sums = new Map<string, Addition>();
  for (const l of lines) {
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) {
      throw validation(`Quantity for ${l.sku} must be a positive integer`);
    }
    const k = `${l.sku}\u0000${l.location_id}`;
    const prev = sums.get(k);
    sums.set(k, { ...l, quantity: (prev?.quantity ?? 0) + l.quantity });
  }
  await assertLocationsExist(
    tx,
    [...sums.values()].map((l) => l.location_id),
  );
  const kind: MovementKind = opts.kind ?? 'receipt';
  const changes = await addStock(tx, kind, [...sums.values()], { ...opts, at: deps.clock.now() });
  await writeInventoryEvents(
    tx,
    deps.clock,
    changes.map((c) => adjustedEvent(c, { reason: opts.reason ?? null })),
    changes,
  );
  return changes;
};

export interface CountInput {
  location_id: string;
  lines: readonly { sku: string; counted: number }[];
  reason?: string | null;
  actor: string;
}

export interface CountResult {
  id: string;
  location_id: string;
  lines: { sku: string; previous: number; counted: number; delta: number; movement_id: string | null }[];
}

/**
 * Sets on_hand to what was counted, with a `count_correction` movement per line that changed.
 * A count below what is reserved is refused as a whole with CONFLICT (release or move those holds
 * first): holds are promises to shoppers, and the count does not know which of them to break.
 */
export const countStock = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: CountInput,
): Promise<Result<CountResult, 'CONFLICT'>> => {
  const skus = input.lines.map((l) => l.sku);
  const twice = skus.findIndex((s, i) => skus.indexOf(s) !== i);
  if (twice >= 0) {
    throw validation(`SKU ${skus[twice]} is counted twice`, [
      { path: `body.lines.${twice}.sku`, message: 'is listed twice; add the counts up' },
    ]);
  }
  await assertLocationsExist(tx, [input.location_id]);
  const id = newId('cnt');
  const at = deps.clock.now();
  const ctx = { actor: input.actor, reason: input.reason ?? null, reference: { type: 'count', id }, at };
  const lines = input.lines.map((l) => ({ ...l, location_id: input.location_id })).sort(byLevel);
  return withSavepoint(tx, async () => {
    await ensureLevels(
      tx,
      lines.filter((l) => l.counted > 0),
      at,
    );
    const out: CountResult['lines'] = [];
    const changes: LevelChange[] = [];
    for (const l of lines) {
      const level = await readLevel(tx, l, { forUpdate: true });
      const previous = level?.on_hand ?? 0;
      const reserved = level?.reserved ?? 0;
      if (l.counted < reserved) {
        return fail(
          'CONFLICT',
          `${l.sku} counted ${l.counted} but ${reserved} are reserved at ${l.location_id}`,
          { sku: l.sku, location_id: l.location_id, counted: l.counted, reserved },
        );
      }
      const delta = l.counted - previous;
      const change =
        delta === 0
          ? undefined
          : await applyDelta(
              tx,
              { ...l, kind: 'count_correction', on_hand_delta: delta, reserved_delta: 0 },
              ctx,
            );
      // Cannot happen: the row is locked and counted ≥ reserved was checked above.
      if (delta !== 0 && !change) throw new PlazaError('INTERNAL', `count of ${l.sku} could not be applied`);
      if (change) changes.push(change);
      out.push({ sku: l.sku, previous, counted: l.counted, delta, movement_id: change?.movement_id ?? null });
    }
    const result: CountResult = { id, location_id: input.location_id, lines: out };
    await writeInventoryEvents(
      tx,
      deps.clock,
      [
        {
          type: 'inventory.counted',
          aggregateType: 'count',
          aggregateId: id,
          data: { ...result, reason: ctx.reason },
        },
      ],
      changes,
    );
    return ok(result);
  });
};

export interface LevelSettings {
  safety_stock?: number;
  /** null removes the threshold. */
  low_stock_threshold?: number | null;
}

/** Sets safety stock and the low-stock threshold of a level (creating it empty when missing). */
export const updateLevelSettings = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  key: { sku: string; location_id: string },
  settings: LevelSettings,
): Promise<LevelState> => {
  await assertLocationsExist(tx, [key.location_id]);
  const at = deps.clock.now();
  await ensureLevels(tx, [key], at);
  const before = (await readLevel(tx, key, { forUpdate: true })) as LevelState;
  const { rows } = await tx.query<LevelState>(
    `UPDATE inventory_levels SET safety_stock = coalesce($3, safety_stock),
       low_stock_threshold = CASE WHEN $4::boolean THEN $5::int ELSE low_stock_threshold END, updated_at = $6
     WHERE sku = $1 AND location_id = $2
     RETURNING sku, location_id, on_hand, reserved, safety_stock, low_stock_threshold`,
    [
      key.sku,
      key.location_id,
      settings.safety_stock ?? null,
      settings.low_stock_threshold !== undefined,
      settings.low_stock_threshold ?? null,
      at,
    ],
  );
  const after = rows[0] as LevelState;
  await writeInventoryEvents(
    tx,
    deps.clock,
    [
      {
        type: 'inventory.level_updated',
        aggregateType: 'sku',
        aggregateId: key.sku,
        data: { ...levelData(after), changed: Object.keys(settings) },
      },
    ],
    [{ before, after }],
  );
  return after;
};
