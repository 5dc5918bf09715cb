/** Settings: what the API exposes as settings (the loyalty program, pickup holds per store, API tokens). */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'settings',
  order: 110,
  nav: [{ to: '/settings', label: 'settings.nav', roles: ['owner', 'manager'] }],
  routes: [{ path: '/settings', lazy: () => import('./page.tsx').then((m) => ({ Component: m.default })) }],
};
