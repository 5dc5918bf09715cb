/** Channels: where a retailer sells (web, app, POS, kiosk, marketplace…) and their publishable keys. */
import type { PlazaModule } from '../../platform/module.ts';
import { channelAdminRoutes, channelStoreRoutes } from './routes.ts';

export type { ChannelRow } from './repo.ts';
export { channelToApi, findChannelByName, getChannel, listChannels, listKeys } from './repo.ts';
export { CHANNEL_TYPES, type ChannelType } from './schema.ts';
export {
  channelKeyResolver,
  createChannel,
  createKey,
  getChannelOrThrow,
  revokeKey,
  updateChannel,
} from './service.ts';
export { type ChannelSettings, channelSettings, DEFAULT_SETTINGS, withDefaults } from './settings.ts';

export const channelsModule: PlazaModule = {
  name: 'channels',
  tags: [
    { name: 'channels', description: 'Sales channels and their publishable keys' },
    { name: 'store', description: 'The channel a /store request comes through, and where its stores are' },
  ],
  adminRoutes: channelAdminRoutes,
  storeRoutes: channelStoreRoutes,
};
export { personalData } from './personal-data.ts';
