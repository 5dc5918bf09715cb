/** Carts: one cart per customer across channels and devices, priced for the channel it is read through. */
import type { PlazaModule } from '../../platform/module.ts';
import { cartStoreRoutes } from './routes.ts';

export {
  assertActive,
  type CartCaller,
  callerOf,
  cartNotFound,
  cartTokenOf,
  mayOpen,
  openCart,
} from './access.ts';
export { type CartSummaryRow, cartsOfCustomers, noteAnonymousId } from './anonymous.ts';
export { type AttachResult, attachCart, type MergeStrategy } from './merge.ts';
export {
  type PricedLine,
  type Pricing,
  type PricingSettings,
  type PricingSteps,
  priceOrder,
  subtotalOf,
  type Totals,
  unitPriceOf,
} from './pricing.ts';
export {
  activeCartOf,
  CART_CHANNEL,
  type CartRow,
  cartByTokenHash,
  cartWithLines,
  getCart,
  type LineRow,
  linesOf,
  reopenCart,
  stageCheckedOut,
  touchCart,
} from './repo.ts';
export { pricingChannel, viewIn } from './routes.ts';
export { CART_TOKEN_HEADER, Cart, type CartView, MergeResult } from './schema.ts';
export { CART_TOKEN_PREFIX } from './service.ts';
export { availableFor, type CartContext, loadCartContext, type PricingChannel, priceCart } from './view.ts';

export const cartsModule: PlazaModule = {
  name: 'carts',
  tags: [{ name: 'store: carts', description: 'Carts that follow the shopper across devices and channels' }],
  storeRoutes: cartStoreRoutes,
};
export { guestCartIdsOf } from './person.ts';
export { personalData } from './personal-data.ts';
