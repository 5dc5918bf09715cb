/**
 * Inventory: one stock truth per SKU and location. Levels change only through the ledger (one
 * conditional statement per change, with its movement); reservations hold stock for checkouts and
 * POS sales without ever overselling, across processes.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { reservationSweeper } from './reservations.ts';
import { levelRoutes } from './routes.ts';
import { reservationRoutes } from './routes-reservations.ts';
import { transferRoutes } from './routes-transfers.ts';

export { levelToApi, movementToApi, reservationToApi, transferToApi } from './api.ts';
export {
  type Availability,
  availability,
  type ChannelAvailability,
  type ChannelLocationStock,
  channelAvailability,
  channelStockSummary,
  type StockSummary,
} from './availability.ts';
export { INVENTORY_EVENTS, type InventoryEvent } from './events.ts';
export { setReservationExpiry, stageHoldsUntilFulfilled } from './hold.ts';
export {
  availableOf,
  type LevelChange,
  type LevelKey,
  type LevelState,
  MOVEMENT_KINDS,
  type MovementKind,
  type Reference,
} from './ledger.ts';
export {
  getLevel,
  type LedgerMismatch,
  type LevelRow,
  type LowStockSummary,
  ledgerMismatches,
  listMovements,
  lowStockSummary,
  type MovementRow,
} from './repo.ts';
export {
  commitReservation,
  expireReservations,
  RESERVATION_TRANSITIONS,
  type ReserveInput,
  releaseReservation,
  reservationSweeper,
  reserve,
  sellNow,
} from './reservations.ts';
export {
  getReservation,
  listReservations,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
} from './reservations-repo.ts';
export { type ManyInput, reserveMany } from './reserve-many.ts';
export { Level, Sku } from './schema.ts';
export { splitReservation } from './split.ts';
export {
  ADJUSTMENT_KINDS,
  type AdjustInput,
  type AdjustmentKind,
  adjust,
  type CountInput,
  type CountResult,
  countStock,
  type LevelSettings,
  receive,
  receiveMany,
  type StockChange,
  updateLevelSettings,
} from './stock.ts';
export {
  cancelTransfer,
  createTransfer,
  receiveTransfer,
  shipTransfer,
  TRANSFER_TRANSITIONS,
} from './transfers.ts';
export { getTransfer, type Transfer, type TransferStatus } from './transfers-repo.ts';

export const inventoryModule: PlazaModule = {
  name: 'inventory',
  tags: [
    {
      name: 'inventory',
      description: 'Stock levels, the movement ledger, reservations, transfers and counts',
    },
  ],
  adminRoutes(app, deps) {
    levelRoutes(app, deps);
    reservationRoutes(app, deps);
    transferRoutes(app, deps);
  },
  jobs: (deps) => [reservationSweeper(deps)],
};
export { personalData } from './personal-data.ts';
