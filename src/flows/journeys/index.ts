/**
 * Journeys (issue 12): automations that start on an event, a segment entry, a date trait or a stock
 * event, then wait, branch, send, update traits and exit on conversion. See docs/campaigns.md.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { journeyJobs } from './jobs.ts';
import { journeyRoutes } from './routes.ts';
import { stockWatchStoreRoutes } from './routes-store.ts';
import { journeySubscribers } from './subscribers.ts';

export { personalData } from './personal-data.ts';

export const journeysFlow: PlazaModule = {
  name: 'journeys',
  tags: [
    {
      name: 'journeys',
      description: 'Automations: triggers, waits, branches and sends (docs/campaigns.md).',
    },
    { name: 'store: journeys', description: 'Back-in-stock alerts at a store.' },
  ],
  adminRoutes: (app, deps) => journeyRoutes(app, deps),
  storeRoutes: (app, deps) => stockWatchStoreRoutes(app, deps),
  subscribers: (deps) => journeySubscribers(deps),
  jobs: (deps) => journeyJobs(deps),
};
