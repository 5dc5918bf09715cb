/** Webhooks: endpoints, their deliveries and dead letters, secret rotation, and failed events. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'webhooks',
  order: 90,
  nav: [{ to: '/webhooks', label: 'webhooks.nav', roles: ['owner', 'manager'] }],
  routes: [
    { path: '/webhooks', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/webhooks/events', lazy: () => import('./events.tsx').then((m) => ({ Component: m.default })) },
    { path: '/webhooks/:id', lazy: () => import('./detail.tsx').then((m) => ({ Component: m.default })) },
  ],
};
