/** Staff: the people who log into the console and the POS, their roles and store locations. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'staff',
  order: 100,
  nav: [{ to: '/staff', label: 'staff.nav', roles: ['owner', 'manager'] }],
  routes: [
    { path: '/staff', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/staff/:id', lazy: () => import('./detail.tsx').then((m) => ({ Component: m.default })) },
  ],
};
