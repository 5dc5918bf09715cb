/** Journeys: automations that start on a trigger and walk a customer through steps (wait, branch, send …). */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'journeys',
  order: 77,
  nav: [{ to: '/journeys', label: 'journeys.nav', roles: ['owner', 'manager'], end: false }],
  routes: [
    { path: '/journeys', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/journeys/:id', lazy: () => import('./journey.tsx').then((m) => ({ Component: m.default })) },
  ],
};
