/** Orders: one order history for every channel, with state machines and timelines. */
import type { PlazaModule } from '../../platform/module.ts';
import { orderAdminRoutes, orderStoreRoutes } from './routes.ts';

export {
  type CustomerOrderFact,
  customerOrderFacts,
  orderIdsOfCustomers,
  reassignOrders,
} from './customer-orders.ts';
export { getOrderByNumber, orderIdsOfShopper } from './lookup.ts';
export {
  CANCELLABLE,
  FULFILLMENT_STATUSES,
  type FulfillmentStatus,
  fulfillmentMachine,
  NOT_SALES,
  ORDER_STATUSES,
  type OrderStatus,
  orderMachine,
} from './machine.ts';
export {
  addLineQuantities,
  atLocations,
  type FulfillmentRow,
  type FulfillmentType,
  fulfillmentLinesOf,
  fulfillmentsOf,
  getOrder,
  getOrders,
  linesOf,
  listOrders,
  type OrderLineRow,
  type OrderRow,
  pendingOrdersOfCart,
} from './repo.ts';
export { orderTokenOf } from './routes.ts';
export { CancelBody, Order, OrderTokenHeader } from './schema.ts';
export {
  changeFulfillmentStatus,
  changeOrderStatus,
  createOrder,
  getOrderForShopper,
  type NewFulfillment,
  type NewOrderInput,
  type NewOrderLine,
  nextOrderNumber,
  type StagedOrder,
  stageOrder,
  stageOrderStatus,
  updateFulfillmentReservation,
} from './service.ts';
export { type OrderView, orderTimeline, orderViews, toOrderView } from './views.ts';

export const ordersModule: PlazaModule = {
  name: 'orders',
  tags: [
    { name: 'orders', description: 'Orders from every channel' },
    { name: 'store: orders', description: "A shopper's orders" },
  ],
  adminRoutes: orderAdminRoutes,
  storeRoutes: orderStoreRoutes,
};
export { type GuestOrderRow, guestOrdersOf, ordersOfCustomers } from './person.ts';
export { personalData } from './personal-data.ts';
