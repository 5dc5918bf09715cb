/** Click & collect settings of the demo stores (idempotent: only changes what differs). */
import { storeSettings, updateStoreSettings } from '../../modules/pickups/index.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { DemoLocation } from './locations.ts';

/** Hold days and reminder lead time per demo store: the busy downtown store holds orders for less time. */
export const DEMO_PICKUP_SETTINGS: Record<
  string,
  { pickup_hold_days: number; pickup_reminder_hours: number }
> = {
  'Downtown Store': { pickup_hold_days: 5, pickup_reminder_hours: 24 },
  'Riverside Store': { pickup_hold_days: 7, pickup_reminder_hours: 48 },
  'Hawthorne Store': { pickup_hold_days: 10, pickup_reminder_hours: 48 },
};

export const seedStoreSettings = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  locations: readonly DemoLocation[],
): Promise<void> => {
  for (const l of locations) {
    const wanted = DEMO_PICKUP_SETTINGS[l.name];
    if (!wanted) continue;
    const current = await storeSettings(tx, l.id);
    if (
      current.pickup_hold_days !== wanted.pickup_hold_days ||
      current.pickup_reminder_hours !== wanted.pickup_reminder_hours
    ) {
      await updateStoreSettings(tx, deps, l.id, wanted);
    }
  }
};
