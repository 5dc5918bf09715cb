/** Fulfilment routing: where a cart ships from, or how a pickup store gets what it lacks. */
export { loadRouting, type RoutingContext, routingFrom, unitsAt } from './plan.ts';
export {
  type Allocation,
  aggregate,
  distanceKm,
  type Need,
  type PickupPlan,
  planPickup,
  planShipping,
  type RoutingLocation,
  type ShippingPlan,
  type Stock,
} from './routing.ts';
