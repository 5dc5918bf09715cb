/** Channels: where the retailer sells, their settings, publishable keys and fulfilment locations. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'channels',
  order: 80,
  nav: [{ to: '/channels', label: 'channels.nav', roles: ['owner', 'manager'] }],
  routes: [
    { path: '/channels', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/channels/:id', lazy: () => import('./detail.tsx').then((m) => ({ Component: m.default })) },
  ],
};
