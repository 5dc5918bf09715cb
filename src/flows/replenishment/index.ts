/**
 * Replenishment from the forecasts (docs/forecasting.md, "Replenishment"): reorder points and
 * order-up-to levels per SKU × location, suggested purchases and transfers made after each
 * forecasting run, items at risk of a stock-out, and the API under /admin/replenishment.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { replenishmentRoutes } from './routes.ts';

export { acceptSuggestions, dismissSuggestions } from './actions.ts';
export { normalQuantile, policy } from './policy.ts';
export { refreshSuggestions } from './suggest.ts';

export const replenishmentFlow: PlazaModule = {
  name: 'replenishment',
  tags: [
    {
      name: 'replenishment',
      description: 'Reorder points, suggested purchase orders and transfers, items at risk of a stock-out',
    },
  ],
  adminRoutes: (app, deps) => replenishmentRoutes(app, deps),
};
