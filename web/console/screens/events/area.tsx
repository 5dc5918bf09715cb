/** Event sources: write keys with copy-paste snippets for analytics.js and analytics-node, and a live debugger. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'events',
  order: 72,
  nav: [{ to: '/sources', label: 'events.nav', roles: ['owner', 'manager'], end: false }],
  routes: [
    { path: '/sources', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/sources/:id', lazy: () => import('./source.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/sources/:id/debugger',
      lazy: () => import('./debugger.tsx').then((m) => ({ Component: m.default })),
    },
  ],
};
