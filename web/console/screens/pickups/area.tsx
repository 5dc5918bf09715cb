/** A store's pickup queue: prepare, mark ready, hand over against the pickup code or QR. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'pickups',
  order: 50,
  nav: [{ to: '/pickups', label: 'pickups.nav.pickups' }],
  routes: [{ path: '/pickups', lazy: () => import('./queue.tsx').then((m) => ({ Component: m.default })) }],
};
