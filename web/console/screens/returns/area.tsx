/** Returns from every channel at every location: the list, one return, receive, refund, cancel. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'returns',
  order: 60,
  nav: [{ to: '/returns', label: 'returns.nav.returns' }],
  routes: [
    { path: '/returns', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/returns/:id', lazy: () => import('./detail.tsx').then((m) => ({ Component: m.default })) },
  ],
};
