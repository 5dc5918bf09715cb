/** The catalog: products, variants, channels and prices, CSV import. Owners and managers. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'catalog',
  order: 20,
  nav: [{ to: '/catalog', label: 'catalog.nav.products', roles: ['owner', 'manager'] }],
  routes: [
    { path: '/catalog', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/catalog/products/:id',
      lazy: () => import('./detail.tsx').then((m) => ({ Component: m.default })),
    },
    { path: '/catalog/import', lazy: () => import('./import.tsx').then((m) => ({ Component: m.default })) },
  ],
};
