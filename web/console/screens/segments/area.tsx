/** Audiences: segments (rule builder with a live count, members, sizes over time) and computed traits. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'segments',
  order: 74,
  nav: [
    { to: '/segments', label: 'segments.nav.segments', roles: ['owner', 'manager'], end: false },
    { to: '/computed-traits', label: 'segments.nav.traits', roles: ['owner', 'manager'], end: false },
  ],
  routes: [
    { path: '/segments', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/segments/new', lazy: () => import('./builder.tsx').then((m) => ({ Component: m.default })) },
    { path: '/segments/:id', lazy: () => import('./segment.tsx').then((m) => ({ Component: m.default })) },
    {
      path: '/segments/:id/edit',
      lazy: () => import('./builder.tsx').then((m) => ({ Component: m.default })),
    },
    {
      path: '/computed-traits',
      lazy: () => import('./traits.tsx').then((m) => ({ Component: m.default })),
    },
  ],
};
