/** The single customer view: one timeline from every channel, and the customer's figures. */
import type { PlazaModule } from '../../platform/module.ts';
import { singleViewRoutes } from './routes.ts';

export { customerSummary, derivedStore } from './summary.ts';
export { customerTimeline, kindOf, type TimelineEntry } from './timeline.ts';

export const customerViewFlow: PlazaModule = {
  name: 'customer-360',
  tags: [
    { name: 'customers: single view', description: 'Timeline and summary of a customer across channels' },
  ],
  adminRoutes: singleViewRoutes,
};
