/**
 * Transfers move stock between two locations: requested (no stock moves) → in_transit (`transfer_out`
 * at the source; the units show as `incoming` at the destination) → received, possibly in several
 * partial receipts (`transfer_in` at the destination). Only a requested transfer can be cancelled.
 */
import type { Tx } from '../../platform/db.ts';
import { validation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { writeInventoryEvents } from './events.ts';
import {
  addStock,
  applyDelta,
  byLevel,
  ensureLevels,
  type LevelChange,
  readLevel,
  withSavepoint,
} from './ledger.ts';
import { assertLocationsExist } from './stock.ts';
import type { Transfer, TransferStatus } from './transfers-repo.ts';
import * as repo from './transfers-repo.ts';

/** The transfer state machine, in one place. */
export const TRANSFER_TRANSITIONS: Record<TransferStatus, readonly TransferStatus[]> = {
  requested: ['in_transit', 'cancelled'],
  in_transit: ['partially_received', 'received'],
  partially_received: ['partially_received', 'received'],
  received: [],
  cancelled: [],
};

/** Units shipped and not yet received, per line (0 before shipping and after cancelling). */
export const inTransit = (t: Transfer, line: Transfer['lines'][number]): number =>
  t.status === 'in_transit' || t.status === 'partially_received' ? line.quantity - line.quantity_received : 0;

type TransferFailure = 'NOT_FOUND' | 'INVALID_STATE_TRANSITION';

const load = async (
  tx: Tx,
  id: string,
  to: TransferStatus,
  action: string,
): Promise<Result<Transfer, TransferFailure>> => {
  const t = await repo.getTransfer(tx, id, { forUpdate: true });
  if (!t) return fail('NOT_FOUND', `Transfer ${id} was not found`, { id });
  if (!TRANSFER_TRANSITIONS[t.status].includes(to)) {
    return fail('INVALID_STATE_TRANSITION', `Transfer ${id} is ${t.status}; it cannot be ${action}`, {
      id,
      current_status: t.status,
    });
  }
  return ok(t);
};

const finish = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  type: string,
  changes: LevelChange[],
  extra: Record<string, unknown> = {},
): Promise<Transfer> => {
  const t = (await repo.getTransfer(tx, id)) as Transfer;
  await writeInventoryEvents(
    tx,
    deps.clock,
    [{ type, aggregateType: 'transfer', aggregateId: id, data: { ...t, ...extra } }],
    changes,
  );
  return t;
};

export interface CreateTransferInput {
  from_location_id: string;
  to_location_id: string;
  lines: readonly { sku: string; quantity: number }[];
  note?: string | null;
  actor: string;
}

/** Records a transfer request; no stock moves until it ships. Repeated SKUs are summed. */
export const createTransfer = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: CreateTransferInput,
): Promise<Transfer> => {
  if (input.from_location_id === input.to_location_id) {
    throw validation('A transfer goes between two different locations', [
      { path: 'body.to_location_id', message: 'must differ from from_location_id' },
    ]);
  }
  await assertLocationsExist(tx, [input.from_location_id, input.to_location_id]);
  const sums = new Map<string, number>();
  for (const l of input.lines) sums.set(l.sku, (sums.get(l.sku) ?? 0) + l.quantity);
  const at = deps.clock.now();
  const t: Transfer = {
    id: newId('trf'),
    from_location_id: input.from_location_id,
    to_location_id: input.to_location_id,
    status: 'requested',
    note: input.note ?? null,
    created_by: input.actor,
    created_at: at,
    updated_at: at,
    shipped_at: null,
    received_at: null,
    cancelled_at: null,
    lines: [...sums].map(([sku, quantity]) => ({ sku, quantity, quantity_received: 0 })),
  };
  await repo.insertTransfer(tx, t);
  return finish(tx, deps, t.id, 'transfer.requested', []);
};

/**
 * Ships: takes every line out of the source (`transfer_out`), never below what is reserved there
 * (INSUFFICIENT_STOCK, `available` = unreserved units, and nothing moves).
 */
export const shipTransfer = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  opts: { actor: string },
): Promise<Result<Transfer, TransferFailure | 'INSUFFICIENT_STOCK'>> => {
  const loaded = await load(tx, id, 'in_transit', 'shipped');
  if (!loaded.ok) return loaded;
  const t = loaded.value;
  const at = deps.clock.now();
  const ctx = { actor: opts.actor, reference: { type: 'transfer', id }, at };
  return withSavepoint(tx, async () => {
    const changes: LevelChange[] = [];
    const keys = t.lines.map((l) => ({ ...l, location_id: t.from_location_id })).sort(byLevel);
    for (const line of keys) {
      const key = { sku: line.sku, location_id: line.location_id };
      const change = await applyDelta(
        tx,
        { ...key, kind: 'transfer_out', on_hand_delta: -line.quantity, reserved_delta: 0 },
        ctx,
      );
      if (!change) {
        const level = await readLevel(tx, key);
        const available = level ? level.on_hand - level.reserved : 0;
        return fail('INSUFFICIENT_STOCK', `Only ${available} unreserved unit(s) of ${line.sku} can leave`, {
          ...key,
          requested: line.quantity,
          available,
        });
      }
      changes.push(change);
    }
    // The destination shows the units as incoming from now on.
    await ensureLevels(
      tx,
      t.lines.map((l) => ({ sku: l.sku, location_id: t.to_location_id })),
      at,
    );
    await repo.setTransferStatus(tx, id, 'in_transit', at, 'shipped_at');
    return ok(await finish(tx, deps, id, 'transfer.shipped', changes));
  });
};

/**
 * Receives shipped units at the destination (`transfer_in`): every outstanding unit by default,
 * or the given lines (a partial receipt; more may follow). Receiving more than is outstanding, or a
 * SKU not on the transfer, is refused with VALIDATION_FAILED.
 */
export const receiveTransfer = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  opts: { actor: string; lines?: readonly { sku: string; quantity: number }[] },
): Promise<Result<Transfer, TransferFailure>> => {
  const loaded = await load(tx, id, 'received', 'received');
  if (!loaded.ok) return loaded;
  const t = loaded.value;
  const outstanding = new Map(t.lines.map((l) => [l.sku, l.quantity - l.quantity_received]));
  const wanted = new Map<string, number>();
  for (const l of opts.lines ?? [...outstanding].map(([sku, quantity]) => ({ sku, quantity }))) {
    wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
  }
  const issues = [...wanted].flatMap(([sku, quantity]) => {
    const left = outstanding.get(sku);
    if (left === undefined) return [{ path: 'body.lines', message: `${sku} is not on this transfer` }];
    if (quantity > left) return [{ path: 'body.lines', message: `${sku}: only ${left} outstanding` }];
    return [];
  });
  const first = issues[0];
  if (first) throw validation(first.message, issues);
  const lines = [...wanted]
    .filter(([, quantity]) => quantity > 0)
    .map(([sku, quantity]) => ({ sku, quantity, location_id: t.to_location_id }));
  const at = deps.clock.now();
  const changes = await addStock(tx, 'transfer_in', lines, {
    actor: opts.actor,
    reference: { type: 'transfer', id },
    at,
  });
  await repo.addReceived(tx, id, lines);
  const complete = [...outstanding].every(([sku, left]) => (wanted.get(sku) ?? 0) === left);
  await repo.setTransferStatus(
    tx,
    id,
    complete ? 'received' : 'partially_received',
    at,
    complete ? 'received_at' : undefined,
  );
  const received = lines.map(({ sku, quantity }) => ({ sku, quantity }));
  return ok(await finish(tx, deps, id, 'transfer.received', changes, { received }));
};

/** Cancels a transfer that has not shipped (nothing moved, nothing to undo). */
export const cancelTransfer = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  id: string,
  opts: { actor: string; reason?: string | null },
): Promise<Result<Transfer, TransferFailure>> => {
  const loaded = await load(tx, id, 'cancelled', 'cancelled');
  if (!loaded.ok) return loaded;
  await repo.setTransferStatus(tx, id, 'cancelled', deps.clock.now(), 'cancelled_at');
  return ok(
    await finish(tx, deps, id, 'transfer.cancelled', [], {
      cancelled_by: opts.actor,
      reason: opts.reason ?? null,
    }),
  );
};
