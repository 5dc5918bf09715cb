/**
 * Analytics: channel and store performance over a period, attribution by six models, campaigns and
 * media (with their costs), customer value, the exchange rates of report currencies, settings.
 */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'analytics',
  order: 15,
  nav: [{ to: '/analytics', label: 'analytics.nav', roles: ['owner', 'manager'] }],
  routes: [
    { path: '/analytics', lazy: () => import('./channels.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/analytics/attribution',
      lazy: () => import('./attribution.tsx').then((m) => ({ Component: m.default })),
    },
    {
      path: '/analytics/campaigns',
      lazy: () => import('./campaigns.tsx').then((m) => ({ Component: m.default })),
    },
    {
      path: '/analytics/customers',
      lazy: () => import('./customers.tsx').then((m) => ({ Component: m.default })),
    },
    { path: '/analytics/rates', lazy: () => import('./rates.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/analytics/settings',
      lazy: () => import('./settings.tsx').then((m) => ({ Component: m.default })),
    },
  ],
};
