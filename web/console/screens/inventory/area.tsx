/** Inventory by location: levels, the movement ledger, adjustments, transfers and counts. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'inventory',
  order: 30,
  nav: [{ to: '/inventory', label: 'inventory.nav.inventory' }],
  routes: [
    { path: '/inventory', lazy: () => import('./levels.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/inventory/movements',
      lazy: () => import('./movements.tsx').then((m) => ({ Component: m.default })),
    },
    {
      path: '/inventory/transfers',
      lazy: () => import('./transfers.tsx').then((m) => ({ Component: m.default })),
    },
    {
      path: '/inventory/transfers/:id',
      lazy: () => import('./transfer.tsx').then((m) => ({ Component: m.default })),
    },
    { path: '/inventory/counts', lazy: () => import('./counts.tsx').then((m) => ({ Component: m.default })) },
  ],
};
