/**
 * Messaging (issue 12): the media providers (e-mail over SMTP or the built-in mailbox, SMS, app push,
 * Web Push), their delivery-status callbacks, devices, and the send ledger. See docs/campaigns.md.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { endpointStoreRoutes } from './routes-endpoints.ts';
import { providerHookRoutes } from './routes-hooks.ts';
import { mailboxRoutes } from './routes-mailbox.ts';

export * from './endpoints.ts';
export * from './ledger.ts';
export * from './mailbox.ts';
export { personalData } from './personal-data.ts';
export * from './registry.ts';
export * from './types.ts';

export const messagingModule: PlazaModule = {
  name: 'messaging',
  tags: [
    {
      name: 'messaging',
      description: 'Media providers, the mailbox and delivery callbacks (docs/campaigns.md).',
    },
    { name: 'store: messaging', description: 'Devices and browsers that accept push messages.' },
  ],
  adminRoutes: (app, deps) => mailboxRoutes(app, deps),
  storeRoutes: (app, deps) => endpointStoreRoutes(app, deps),
  rootRoutes: (app, deps) => providerHookRoutes(app, deps),
};
