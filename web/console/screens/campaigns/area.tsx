/** Campaigns: one audience over many media (editor with previews, schedule, A/B, holdout), results and why not sent. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'campaigns',
  order: 76,
  nav: [{ to: '/campaigns', label: 'campaigns.nav', roles: ['owner', 'manager'], end: false }],
  routes: [
    { path: '/campaigns', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/campaigns/new', lazy: () => import('./editor.tsx').then((m) => ({ Component: m.default })) },
    { path: '/campaigns/:id', lazy: () => import('./campaign.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/campaigns/:id/edit',
      lazy: () => import('./editor.tsx').then((m) => ({ Component: m.default })),
    },
  ],
};
