import { type Static, Type } from '@sinclair/typebox';
import type { Queryable, Tx } from '../../platform/db.ts';
import { Obj } from '../../platform/http/schemas.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';

/** How a store holds click & collect orders. Every field has a default. */
export const StoreSettings = Type.Object({
  location_id: Type.String(),
  pickup_hold_days: Type.Integer({ description: 'Days a ready order is held before it expires' }),
  pickup_reminder_hours: Type.Integer({
    description: 'Hours before the deadline at which `pickup.reminder` is written (0: no reminder)',
  }),
});
export type StoreSettings = Static<typeof StoreSettings>;

export const StoreSettingsPatch = Obj(
  {
    pickup_hold_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    pickup_reminder_hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 720 })),
  },
  { minProperties: 1 },
);
export type StoreSettingsPatch = Static<typeof StoreSettingsPatch>;

export const DEFAULT_STORE_SETTINGS = { pickup_hold_days: 7, pickup_reminder_hours: 24 } as const;

/** The pickup settings of a location (the defaults when never set). */
export const storeSettings = async (q: Queryable, locationId: string): Promise<StoreSettings> => {
  const row = (
    await q.query<{ pickup_hold_days: number; pickup_reminder_hours: number }>(
      'SELECT pickup_hold_days, pickup_reminder_hours FROM store_settings WHERE location_id = $1',
      [locationId],
    )
  ).rows[0];
  return { location_id: locationId, ...DEFAULT_STORE_SETTINGS, ...(row ?? {}) };
};

/** Changes a location's pickup settings (applies to orders marked ready from now on). */
export const updateStoreSettings = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  locationId: string,
  patch: StoreSettingsPatch,
): Promise<StoreSettings> => {
  const next = { ...(await storeSettings(tx, locationId)), ...patch };
  await tx.query(
    `INSERT INTO store_settings (location_id, pickup_hold_days, pickup_reminder_hours, updated_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (location_id) DO UPDATE SET pickup_hold_days = excluded.pickup_hold_days,
       pickup_reminder_hours = excluded.pickup_reminder_hours, updated_at = excluded.updated_at`,
    [locationId, next.pickup_hold_days, next.pickup_reminder_hours, deps.clock.now()],
  );
  await writeEvent(tx, deps.clock, {
    type: 'store.settings_updated',
    aggregateType: 'location',
    aggregateId: locationId,
    data: { ...next },
  });
  return next;
};
