/**
 * Campaigns (issue 12): one audience through many media (e-mail, SMS, push, Web Push, banners,
 * in-app, print, ad audiences, the store counter) under one frequency cap and the customer's consent,
 * with a send ledger that makes every send happen once. See docs/campaigns.md.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { campaignJobs } from './jobs-campaigns.ts';
import { senderJobs } from './jobs-sender.ts';
import { offerSubscribers } from './offers.ts';
import { adsRoutes } from './routes-ads.ts';
import { audienceListRoutes } from './routes-audiences.ts';
import { campaignRoutes } from './routes-campaigns.ts';
import { offerRoutes } from './routes-offers.ts';
import { placementAdminRoutes } from './routes-placements.ts';
import { placementStoreRoutes } from './routes-placements-store.ts';
import { printRoutes } from './routes-print.ts';
import { sendRoutes } from './routes-sends.ts';
import { templateRoutes } from './routes-templates.ts';
import { trackingRoutes } from './routes-tracking.ts';
import { trackingSubscribers } from './subscribers-tracking.ts';

export { personalData } from './personal-data.ts';

export const campaignsFlow: PlazaModule = {
  name: 'campaigns',
  tags: [
    {
      name: 'campaigns',
      description: 'Campaigns over every medium, offers, print runs and ad audiences (docs/campaigns.md).',
    },
    { name: 'store: campaigns', description: 'Banner and in-app placements, and offers for the shopper.' },
  ],
  adminRoutes: (app, deps) => {
    campaignRoutes(app, deps);
    audienceListRoutes(app, deps);
    templateRoutes(app, deps);
    sendRoutes(app, deps);
    adsRoutes(app, deps);
    placementAdminRoutes(app, deps);
    printRoutes(app, deps);
    offerRoutes(app, deps);
  },
  storeRoutes: (app, deps) => placementStoreRoutes(app, deps),
  rootRoutes: (app, deps) => trackingRoutes(app, deps),
  subscribers: (deps) => [...trackingSubscribers(deps), ...offerSubscribers(deps)],
  jobs: (deps) => [...campaignJobs(deps), ...senderJobs(deps)],
};
