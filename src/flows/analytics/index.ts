/**
 * Measurement (docs/analytics.md): channel and store performance from daily rollups kept by the
 * outbox, exchange rates into a report currency, CSV exports with small cells suppressed.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { rebuildStep } from './rollup.ts';
import { analyticsRoutes } from './routes.ts';
import { measureRoutes } from './routes-measure.ts';
import { snapshotStep } from './snapshot.ts';
import { analyticsSubscribers } from './subscribers.ts';
import { copyTouchesStep, markVisitDaysStep } from './touches.ts';

export { markAllDays, rebuildDays, rebuildStep } from './rollup.ts';
export { snapshotStep } from './snapshot.ts';
export { copyTouchesStep, markVisitDaysStep } from './touches.ts';

export const analyticsFlow: PlazaModule = {
  name: 'analytics',
  tags: [
    {
      name: 'analytics',
      description:
        'Measurement: channel and store performance, campaign results, attribution, lift and customer value',
    },
  ],
  adminRoutes: (app, deps) => {
    analyticsRoutes(app, deps);
    measureRoutes(app, deps);
  },
  subscribers: (deps) => analyticsSubscribers(deps),
  jobs: (deps) => [
    { name: 'analytics-touches', intervalMs: 2_000, runOnce: () => copyTouchesStep(deps) },
    { name: 'analytics-visits', intervalMs: 2_000, runOnce: () => markVisitDaysStep(deps) },
    { name: 'analytics-rollups', intervalMs: 2_000, runOnce: () => rebuildStep(deps) },
    { name: 'analytics-snapshots', intervalMs: 2_000, runOnce: () => snapshotStep(deps) },
  ],
};
