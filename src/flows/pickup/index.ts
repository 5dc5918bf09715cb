/**
 * Click & collect at a store: pickups opened when pickup orders are confirmed (with transfers for
 * stock the store lacks), the store's queue, ready, handover with a code, deadlines and reminders.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { pickupDeadlineSweeper } from './expiry.ts';
import { pickupAdminRoutes, pickupStoreRoutes } from './routes.ts';
import { pickupSetupSubscribers } from './setup.ts';
import { pickupTransferSubscribers } from './transfers.ts';

export { expirePickup, expirePickups, sendPickupReminders } from './expiry.ts';
export { handOver } from './handover.ts';
export { markReady } from './ready.ts';
export { setUpPickup } from './setup.ts';

export const pickupFlow: PlazaModule = {
  name: 'pickup',
  adminRoutes: pickupAdminRoutes,
  storeRoutes: pickupStoreRoutes,
  subscribers: (deps) => [...pickupSetupSubscribers(deps), ...pickupTransferSubscribers(deps)],
  jobs: (deps) => [pickupDeadlineSweeper(deps)],
};
