/** Orders of every channel: the filtered list and one order with its lines, payments, fulfilments and timeline. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'orders',
  order: 40,
  nav: [{ to: '/orders', label: 'orders.nav.orders' }],
  routes: [
    { path: '/orders', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/orders/:id', lazy: () => import('./detail.tsx').then((m) => ({ Component: m.default })) },
  ],
};
