import { stateMachine } from '../../platform/state-machine.ts';

export const PICKUP_STATUSES = [
  'to_prepare',
  'ready',
  'collected',
  'partially_collected',
  'expired',
  'cancelled',
] as const;
export type PickupStatus = (typeof PICKUP_STATUSES)[number];

/**
 * The click & collect lifecycle of one order at its store. `to_prepare` until staff mark it ready
 * (only once every unit is in the store); `ready` until the customer collects it (a partial
 * handover that keeps the rest stays `ready`), or its deadline passes (`expired`).
 * `partially_collected`: some units were collected and the rest cancelled or expired.
 */
export const pickupMachine = stateMachine<PickupStatus>('pickup', {
  to_prepare: ['ready', 'cancelled'],
  ready: ['ready', 'collected', 'partially_collected', 'expired', 'cancelled'],
  collected: [],
  partially_collected: [],
  expired: [],
  cancelled: [],
});

/** States in which the pickup is still open (the store has work or a customer to wait for). */
export const OPEN_PICKUP: readonly PickupStatus[] = ['to_prepare', 'ready'];
