import type { RouteObject } from 'react-router';
import { Skeleton } from '../kit/ui.tsx';
import { PosLayout, Root } from './layout.tsx';

type Screen = Promise<{ default: React.ComponentType }>;
const screen = (load: () => Screen) => () => load().then((m) => ({ Component: m.default }));

/** Screens are lazy-loaded: each is its own chunk. */
export const routes: RouteObject[] = [
  {
    element: <Root />,
    hydrateFallbackElement: <Skeleton lines={4} />,
    children: [
      { path: 'login', lazy: screen(() => import('./screens/login.tsx')) },
      {
        element: <PosLayout />,
        children: [
          { index: true, lazy: screen(() => import('./screens/sale.tsx')) },
          { path: 'receipt/:saleId', lazy: screen(() => import('./screens/receipt.tsx')) },
          { path: 'returns', lazy: screen(() => import('./screens/returns.tsx')) },
          { path: 'aisle', lazy: screen(() => import('./screens/aisle.tsx')) },
          { path: 'pickups', lazy: screen(() => import('./screens/pickups.tsx')) },
        ],
      },
    ],
  },
];
