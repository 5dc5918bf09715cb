/** Customers: search, the customer 360, merges with preview and undo, data requests. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'customers',
  order: 70,
  nav: [
    { to: '/customers', label: 'customers.nav.customers', end: false },
    { to: '/privacy-requests', label: 'customers.nav.requests', roles: ['owner', 'manager'] },
  ],
  routes: [
    { path: '/customers', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/customers/merge', lazy: () => import('./merge.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/customers/merges/:mergeId',
      lazy: () => import('./merge-record.tsx').then((m) => ({ Component: m.default })),
    },
    { path: '/customers/:id', lazy: () => import('./detail.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/privacy-requests',
      lazy: () => import('./requests-page.tsx').then((m) => ({ Component: m.default })),
    },
  ],
};
