import { stateMachine } from '../../platform/state-machine.ts';

export const ORDER_STATUSES = [
  'pending_payment',
  'confirmed',
  'ready_for_pickup',
  'partially_fulfilled',
  'shipped',
  'delivered',
  'picked_up',
  'completed',
  'cancelled',
  'expired',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The order lifecycle, in one place. `pending_payment` lasts from checkout until the provider
 * answers; `completed` is an over-the-counter sale; `expired` is a pickup never collected.
 */
export const orderMachine = stateMachine<OrderStatus>('order', {
  pending_payment: ['confirmed', 'cancelled', 'completed'],
  confirmed: ['ready_for_pickup', 'partially_fulfilled', 'shipped', 'picked_up', 'completed', 'cancelled'],
  ready_for_pickup: ['ready_for_pickup', 'partially_fulfilled', 'picked_up', 'cancelled', 'expired'],
  partially_fulfilled: [
    'partially_fulfilled',
    'ready_for_pickup',
    'shipped',
    'picked_up',
    'delivered',
    'cancelled',
  ],
  shipped: ['delivered'],
  delivered: [],
  picked_up: [],
  completed: [],
  cancelled: [],
  expired: [],
});

export const FULFILLMENT_STATUSES = [
  'pending',
  'awaiting_transfer',
  'ready_for_pickup',
  'shipped',
  'delivered',
  'picked_up',
  'cancelled',
  'expired',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** One shipment or pickup of an order from one location. */
export const fulfillmentMachine = stateMachine<FulfillmentStatus>('fulfillment', {
  pending: ['awaiting_transfer', 'ready_for_pickup', 'shipped', 'picked_up', 'cancelled'],
  awaiting_transfer: ['pending', 'ready_for_pickup', 'cancelled'],
  ready_for_pickup: ['picked_up', 'cancelled', 'expired'],
  shipped: ['delivered'],
  delivered: [],
  picked_up: [],
  cancelled: [],
  expired: [],
});

/**
 * Orders that do not count as sales: cancelled, expired (a pickup never collected) or still waiting
 * for their payment. The one definition for reports and the customer summary.
 */
export const NOT_SALES: readonly string[] = [
  'cancelled',
  'expired',
  'pending_payment',
] satisfies OrderStatus[];

/** Statuses in which an order can still be cancelled by the shopper (payment not captured). */
export const CANCELLABLE: readonly OrderStatus[] = ['pending_payment', 'confirmed', 'ready_for_pickup'];
