/**
 * Demand forecasting per SKU × location (docs/forecasting.md): the demand history kept from orders,
 * POS sales, returns and stock-outs, the models (src/modules/forecasting/models), the nightly run on
 * worker threads, and the API under /admin/forecasts.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { forecastRoutes } from './routes.ts';
import { nightlyStep, RUN_CHANNEL } from './run.ts';

export { rebuildDemand } from './history.ts';
export { nightlyStep, runForecasts } from './run.ts';
export { forecastSettings } from './settings.ts';

export const forecastingFlow: PlazaModule = {
  name: 'forecasting',
  tags: [
    {
      name: 'forecasting',
      description: 'Demand forecasts per SKU and location: history, models, intervals, accuracy, runs',
    },
  ],
  adminRoutes: (app, deps) => forecastRoutes(app, deps),
  jobs: (deps) => [
    { name: 'forecasts-nightly', intervalMs: 60_000, wakeOn: RUN_CHANNEL, runOnce: () => nightlyStep(deps) },
  ],
};
export { personalData } from './personal-data.ts';
