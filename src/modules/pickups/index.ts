/** Pickups: click & collect at a store — codes, readiness, deadlines and the store's hold settings. */
import type { PlazaModule } from '../../platform/module.ts';
import { pickupSettingsRoutes } from './routes.ts';

export { OPEN_PICKUP, PICKUP_STATUSES, type PickupStatus, pickupMachine } from './machine.ts';
export {
  claimHandover,
  countWrongCode,
  dueExpiries,
  dueReminders,
  getPickup,
  insertPickupTransfer,
  listQueue,
  markTransferStep,
  type PickupLineRow,
  type PickupRow,
  type PickupTransferRow,
  pickupLinesOf,
  pickupTransfer,
  pickupTransfersOf,
  type QueueCounts,
  type QueueFilter,
  queueCounts,
  releaseHandover,
  settlePickupLine,
  updatePickup,
} from './repo.ts';
export {
  CODE_LOCK_MS,
  changePickup,
  codeFromInput,
  MAX_CODE_ATTEMPTS,
  type NewPickup,
  openPickup,
  PICKUP_CODE_LENGTH,
  pickupEventData,
  qrPayload,
  verifyPickupCode,
} from './service.ts';
export {
  DEFAULT_STORE_SETTINGS,
  StoreSettings,
  StoreSettingsPatch,
  storeSettings,
  updateStoreSettings,
} from './settings.ts';

export const pickupsModule: PlazaModule = {
  name: 'pickups',
  tags: [
    {
      name: 'pickups',
      description: 'Click & collect: the pickup queue of a store, ready, handover with a code, deadlines',
    },
  ],
  adminRoutes: pickupSettingsRoutes,
};
export { personalData } from './personal-data.ts';
