/** The events the inventory writes to the outbox, always in the transaction of the change. */
import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db.ts';
import { type NewEvent, writeEvents } from '../../platform/outbox/events.ts';
import { availableOf, type LevelChange, type LevelState } from './ledger.ts';

export const INVENTORY_EVENTS = [
  'inventory.adjusted',
  'inventory.counted',
  'inventory.level_updated',
  'inventory.low_stock',
  'inventory.back_in_stock',
  'reservation.created',
  'reservation.released',
  'reservation.committed',
  'reservation.expired',
  'reservation.split',
  'transfer.requested',
  'transfer.shipped',
  'transfer.received',
  'transfer.cancelled',
] as const;
export type InventoryEvent = (typeof INVENTORY_EVENTS)[number];

type BeforeAfter = { before: LevelState; after: LevelState };

export const levelData = (l: LevelState) => ({
  sku: l.sku,
  location_id: l.location_id,
  on_hand: l.on_hand,
  reserved: l.reserved,
  safety_stock: l.safety_stock,
  available: availableOf(l),
  low_stock_threshold: l.low_stock_threshold,
});

/**
 * `inventory.low_stock` when a level's available falls to or below its threshold from above, and
 * `inventory.back_in_stock` when it rises from 0. Events about a SKU share aggregate `sku`/<sku>.
 */
export const stockSignals = (changes: readonly BeforeAfter[]): NewEvent[] =>
  changes.flatMap(({ before, after }) => {
    const was = availableOf(before);
    const now = availableOf(after);
    const threshold = after.low_stock_threshold;
    const out: NewEvent[] = [];
    const signal = (type: InventoryEvent) =>
      out.push({ type, aggregateType: 'sku', aggregateId: after.sku, data: levelData(after) });
    if (threshold !== null && was > threshold && now <= threshold) signal('inventory.low_stock');
    if (was === 0 && now > 0) signal('inventory.back_in_stock');
    return out;
  });

const CHUNK = 1000;

/** Writes `events` plus the stock signals of `changes`, in chunks (bulk receipts make thousands). */
export const writeInventoryEvents = async (
  tx: Tx,
  clock: Clock,
  events: readonly NewEvent[],
  changes: readonly BeforeAfter[] = [],
): Promise<void> => {
  const all = [...events, ...stockSignals(changes)];
  for (let i = 0; i < all.length; i += CHUNK) await writeEvents(tx, clock, all.slice(i, i + CHUNK));
};

/** `inventory.adjusted` for a movement that changed on_hand outside sales and transfers. */
export const adjustedEvent = (c: LevelChange, extra: Record<string, unknown> = {}): NewEvent => ({
  type: 'inventory.adjusted' satisfies InventoryEvent,
  aggregateType: 'sku',
  aggregateId: c.after.sku,
  data: { ...levelData(c.after), kind: c.kind, delta: c.on_hand_delta, movement_id: c.movement_id, ...extra },
});
