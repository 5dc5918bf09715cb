/** The console's routes: login and accept outside the frame, every area's screens inside it. */
import { Navigate, Outlet, type RouteObject } from 'react-router';
import { StaffSessionProvider } from '../kit/session.tsx';
import { AREAS } from './frame/areas.ts';
import { ConsoleLayout } from './frame/layout.tsx';

const firstScreen = AREAS[0]?.nav[0]?.to ?? '/';

export const routes: RouteObject[] = [
  {
    element: (
      <StaffSessionProvider>
        <Outlet />
      </StaffSessionProvider>
    ),
    children: [
      { path: '/login', lazy: () => import('./frame/login.tsx').then((m) => ({ Component: m.default })) },
      { path: '/accept', lazy: () => import('./frame/accept.tsx').then((m) => ({ Component: m.default })) },
      {
        element: <ConsoleLayout />,
        children: [
          ...(firstScreen !== '/' ? [{ index: true, element: <Navigate to={firstScreen} replace /> }] : []),
          ...AREAS.flatMap((a) => a.routes),
        ],
      },
    ],
  },
];
