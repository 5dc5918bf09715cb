/**
 * The strategy advisor (docs/strategy.md): omnichannel, multichannel or a hybrid, from the retailer's
 * answers and the shop's own measures, with the effect on accounts and customers; assessments kept
 * and re-run monthly; the API under /admin/strategy.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { strategyRoutes } from './routes.ts';
import { monthlyStep } from './service.ts';

export { personalData } from './personal-data.ts';
export { monthlyStep, runAssessment } from './service.ts';

export const strategyFlow: PlazaModule = {
  name: 'strategy',
  tags: [
    {
      name: 'strategy',
      description:
        'Strategy advisor: questionnaire, measures, assessments with factors, sensitivity, projections and actions, weights',
    },
  ],
  adminRoutes: (app, deps) => strategyRoutes(app, deps),
  jobs: (deps) => [{ name: 'strategy-monthly', intervalMs: 60 * 60_000, runOnce: () => monthlyStep(deps) }],
};
