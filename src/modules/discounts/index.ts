/** Discounts: percent and fixed codes per channel, with validity windows and usage limits. */
import type { PlazaModule } from '../../platform/module.ts';
import { discountAdminRoutes } from './routes.ts';

export { findOfferCode, normalizeOfferCode, type OfferCodeRow } from './offer-codes.ts';
export { type DiscountRow, discountToApi, findByCode } from './repo.ts';
export { DiscountCode } from './schema.ts';
export {
  codeDiscount,
  type DiscountRefusal,
  discountAmount,
  evaluateCode,
  redeemDiscount,
  releaseDiscount,
} from './service.ts';

export const discountsModule: PlazaModule = {
  name: 'discounts',
  tags: [{ name: 'discounts', description: 'Discount codes' }],
  adminRoutes: discountAdminRoutes,
};
export { personalData } from './personal-data.ts';
