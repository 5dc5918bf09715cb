/** The registry of personal data: every module's declaration (see src/platform/personal-data.ts). */

import { personalData as analytics } from './flows/analytics/personal-data.ts';
import { personalData as campaigns } from './flows/campaigns/personal-data.ts';
import { personalData as customerMerge } from './flows/customer-merge/index.ts';
import { personalData as forecasting } from './flows/forecasting/index.ts';
import { personalData as journeys } from './flows/journeys/personal-data.ts';
import { personalData as segments } from './flows/segments/index.ts';
import { personalData as strategy } from './flows/strategy/index.ts';
import { personalData as access } from './modules/access/index.ts';
import { personalData as carts } from './modules/carts/index.ts';
import { personalData as catalog } from './modules/catalog/index.ts';
import { personalData as channels } from './modules/channels/index.ts';
import { personalData as consent } from './modules/consent/index.ts';
import { personalData as customers } from './modules/customers/index.ts';
import { personalData as discounts } from './modules/discounts/index.ts';
import { personalData as events } from './modules/events/index.ts';
import { personalData as inventory } from './modules/inventory/index.ts';
import { personalData as locations } from './modules/locations/index.ts';
import { personalData as loyalty } from './modules/loyalty/index.ts';
import { personalData as messaging } from './modules/messaging/personal-data.ts';
import { personalData as orders } from './modules/orders/index.ts';
import { personalData as payments } from './modules/payments/index.ts';
import { personalData as pickups } from './modules/pickups/index.ts';
import { personalData as pos } from './modules/pos/index.ts';
import { personalData as privacy } from './modules/privacy/index.ts';
import { personalData as purchasing } from './modules/purchasing/index.ts';
import { personalData as returns } from './modules/returns/index.ts';
import { personalData as staff } from './modules/staff/index.ts';
import { personalData as storeCredit } from './modules/store-credit/index.ts';
import { personalData as webhooks } from './modules/webhooks/index.ts';
import { isPersonal, type PersonalDataDeclaration, type PersonalTable } from './platform/personal-data.ts';
import { personalData as platform } from './platform/personal-data-tables.ts';

export const PERSONAL_DATA: PersonalDataDeclaration = [
  ...platform,
  ...customers,
  ...carts,
  ...consent,
  ...loyalty,
  ...storeCredit,
  ...orders,
  ...payments,
  ...returns,
  ...pickups,
  ...pos,
  ...privacy,
  ...discounts,
  ...inventory,
  ...purchasing,
  ...catalog,
  ...channels,
  ...locations,
  ...access,
  ...staff,
  ...webhooks,
  ...customerMerge,
  ...events,
  ...segments,
  ...messaging,
  ...campaigns,
  ...journeys,
  ...analytics,
  ...forecasting,
  ...strategy,
];

/** The tables that hold personal data (their owner conditions use ids that erasure does not change, so order does not matter). */
export const PERSONAL_TABLES: readonly PersonalTable[] = PERSONAL_DATA.filter(isPersonal);
