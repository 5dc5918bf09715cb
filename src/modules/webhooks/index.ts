/** Webhooks: endpoints, deliveries and the outbox browser for /admin. Delivery itself is in platform/outbox. */
import type { PlazaModule } from '../../platform/module.ts';
import { webhookAdminRoutes } from './routes.ts';

export const webhooksModule: PlazaModule = {
  name: 'webhooks',
  tags: [
    {
      name: 'webhooks',
      description: 'Signed event deliveries to your endpoints, with retries and dead letters',
    },
    { name: 'events', description: 'The outbox: every event Plaza wrote' },
  ],
  adminRoutes: webhookAdminRoutes,
};
export { personalData } from './personal-data.ts';
