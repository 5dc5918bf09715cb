/** Checkout: a cart becomes an order, with its stock held and its payment authorized, exactly once. */
import type { PlazaModule } from '../../platform/module.ts';
import { orderActionAdminRoutes, orderActionStoreRoutes } from '../orders/routes.ts';
import { abandonedCheckoutSweeper, deadCheckoutKeySweeper } from './expiry.ts';
import { checkoutRoutes } from './routes.ts';

export { cancelAbandonedCheckouts, settleDeadCheckoutKeys } from './expiry.ts';
export { releaseOrderStock } from './settle.ts';

export const checkoutFlow: PlazaModule = {
  name: 'checkout',
  tags: [{ name: 'store: checkout', description: 'From cart to order, exactly once' }],
  storeRoutes(app, deps) {
    checkoutRoutes(app, deps);
    orderActionStoreRoutes(app, deps);
  },
  adminRoutes: orderActionAdminRoutes,
  jobs: (deps) => [abandonedCheckoutSweeper(deps), deadCheckoutKeySweeper(deps)],
};
