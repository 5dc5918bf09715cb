/** The built-in mailbox: with no SMTP server configured, what Plaza e-mailed lands here to be read. */
import type { ConsoleArea } from '../../frame/area.ts';

export const area: ConsoleArea = {
  id: 'mailbox',
  order: 78,
  nav: [{ to: '/mailbox', label: 'mailbox.nav', roles: ['owner', 'manager'], end: false }],
  routes: [
    { path: '/mailbox', lazy: () => import('./list.tsx').then((m) => ({ Component: m.default })) },
    { path: '/mailbox/:id', lazy: () => import('./message.tsx').then((m) => ({ Component: m.default })) },
  ],
};
