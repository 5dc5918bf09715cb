/** Every module and flow with routes, subscribers or jobs, in the order their routes are registered. */

import { analyticsFlow } from './flows/analytics/index.ts';
import { campaignsFlow } from './flows/campaigns/index.ts';
import { checkoutFlow } from './flows/checkout/index.ts';
import { customerViewFlow } from './flows/customer-360/index.ts';
import { customerDataFlow } from './flows/customer-data/index.ts';
import { customerMergeFlow } from './flows/customer-merge/index.ts';
import { forecastingFlow } from './flows/forecasting/index.ts';
import { journeysFlow } from './flows/journeys/index.ts';
import { loginFlow } from './flows/login.ts';
import { loyaltyEarnFlow } from './flows/loyalty/earn.ts';
import { paymentsFlow } from './flows/payments/index.ts';
import { pickupFlow } from './flows/pickup/index.ts';
import { posFlow } from './flows/pos/index.ts';
import { privacyFlow } from './flows/privacy/index.ts';
import { replenishmentFlow } from './flows/replenishment/index.ts';
import { reportsFlow } from './flows/reports/index.ts';
import { returnsFlow } from './flows/returns/index.ts';
import { segmentsFlow } from './flows/segments/index.ts';
import { storeCatalogFlow } from './flows/store-catalog/index.ts';
import { storeLocationsModule } from './flows/store-locations.ts';
import { strategyFlow } from './flows/strategy/index.ts';
import { accessModule } from './modules/access/index.ts';
import { cartsModule } from './modules/carts/index.ts';
import { catalogModule } from './modules/catalog/index.ts';
import { channelsModule } from './modules/channels/index.ts';
import { consentModule } from './modules/consent/index.ts';
import { customersModule } from './modules/customers/index.ts';
import { discountsModule } from './modules/discounts/index.ts';
import { eventsModule } from './modules/events/index.ts';
import { inventoryModule } from './modules/inventory/index.ts';
import { locationsModule } from './modules/locations/index.ts';
import { loyaltyModule } from './modules/loyalty/index.ts';
import { messagingModule } from './modules/messaging/index.ts';
import { ordersModule } from './modules/orders/index.ts';
import { pickupsModule } from './modules/pickups/index.ts';
import { privacyModule } from './modules/privacy/index.ts';
import { purchasingModule } from './modules/purchasing/index.ts';
import { staffModule } from './modules/staff/index.ts';
import { storeCreditModule } from './modules/store-credit/index.ts';
import { webhooksModule } from './modules/webhooks/index.ts';
import type { PlazaModule } from './platform/module.ts';

export const MODULES: readonly PlazaModule[] = [
  accessModule,
  staffModule,
  channelsModule,
  customersModule,
  consentModule,
  catalogModule,
  locationsModule,
  inventoryModule,
  purchasingModule,
  storeLocationsModule,
  storeCatalogFlow,
  discountsModule,
  cartsModule,
  ordersModule,
  loyaltyModule,
  loginFlow,
  checkoutFlow,
  loyaltyEarnFlow,
  customerMergeFlow,
  customerViewFlow,
  privacyModule,
  privacyFlow,
  pickupsModule,
  pickupFlow,
  storeCreditModule,
  returnsFlow,
  posFlow,
  paymentsFlow,
  webhooksModule,
  reportsFlow,
  eventsModule,
  customerDataFlow,
  segmentsFlow,
  messagingModule,
  campaignsFlow,
  journeysFlow,
  forecastingFlow,
  replenishmentFlow,
  strategyFlow,
  // last: its subscribers read what the others changed for the same event (merged events)
  analyticsFlow,
];
