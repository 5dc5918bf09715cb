/** The dashboard: sales, orders and customers per channel, pickups due, low stock. Every role (staff: their stores). */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'dashboard',
  order: 10,
  nav: [{ to: '/dashboard', label: 'dashboard.nav.dashboard' }],
  routes: [
    { path: '/dashboard', lazy: () => import('./dashboard.tsx').then((m) => ({ Component: m.default })) },
  ],
};
