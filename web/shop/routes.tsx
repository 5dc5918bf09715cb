/**
 * The shop's routes. Home is in the first load; every other screen is a lazy route (its own chunk):
 * the product page, checkout, account screens, the QR encoder.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, type RouteObject, useLocation, useRouteError } from 'react-router';
import { EmptyState, ProblemAlert, Skeleton } from '../kit/ui.tsx';
import { loadProductScreen, prefetchProduct } from './catalog.ts';
import { Home } from './home.tsx';
import { ShopLayout } from './layout.tsx';
import { ShopSessionProvider, useShop } from './session.tsx';

/** Screens of a logged-in customer: a guest goes to the login and comes back after it. */
const RequireCustomer = ({ children }: { children: ReactNode }) => {
  const { loggedIn } = useShop();
  const here = useLocation();
  if (!loggedIn)
    return <Navigate to={`/login?next=${encodeURIComponent(here.pathname + here.search)}`} replace />;
  return <>{children}</>;
};

const RouteError = () => {
  const error = useRouteError();
  const { t } = useTranslation();
  return (
    <div className="pz-stack">
      <ProblemAlert error={error} onRetry={() => window.location.reload()} />
      <Link to="/">{t('checkout.backToShop')}</Link>
    </div>
  );
};

const NotFound = () => {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <EmptyState title={t('notFound')}>
        <Link to="/">{t('checkout.backToShop')}</Link>
      </EmptyState>
    </>
  );
};

const screens: RouteObject[] = [
  { index: true, element: <Home /> },
  {
    path: 'p/:handle',
    // Runs alongside the chunk's download: the product's request does not wait for the code.
    loader: ({ params }) => {
      if (params.handle) prefetchProduct(params.handle);
      return null;
    },
    lazy: () => loadProductScreen().then((m) => ({ Component: m.default })),
  },
  {
    path: 'checkout',
    lazy: () => import('./screens/checkout.tsx').then((m) => ({ Component: m.default })),
  },
  { path: 'login', lazy: () => import('./screens/auth.tsx').then((m) => ({ Component: m.Login })) },
  { path: 'signup', lazy: () => import('./screens/auth.tsx').then((m) => ({ Component: m.Signup })) },
  {
    path: 'orders/:id',
    lazy: () => import('./screens/order.tsx').then((m) => ({ Component: m.default })),
  },
  {
    path: 'unsubscribe/:token',
    lazy: () => import('./screens/unsubscribe.tsx').then((m) => ({ Component: m.default })),
  },
  {
    path: 'account',
    element: (
      <RequireCustomer>
        <Outlet />
      </RequireCustomer>
    ),
    children: [
      {
        index: true,
        lazy: () => import('./screens/account.tsx').then((m) => ({ Component: m.default })),
      },
      {
        path: 'orders',
        lazy: () => import('./screens/account.tsx').then((m) => ({ Component: m.Orders })),
      },
      {
        path: 'preferences',
        lazy: () => import('./screens/preferences.tsx').then((m) => ({ Component: m.default })),
      },
      {
        path: 'data',
        lazy: () => import('./screens/my-data.tsx').then((m) => ({ Component: m.default })),
      },
    ],
  },
  { path: '*', element: <NotFound /> },
];

export const routes: RouteObject[] = [
  {
    element: (
      <ShopSessionProvider>
        <ShopLayout />
      </ShopSessionProvider>
    ),
    hydrateFallbackElement: <Skeleton lines={6} />,
    children: [
      // A screen's chunk that fails to load (offline, a new deployment) shows a retry inside the frame.
      { errorElement: <RouteError />, children: screens },
    ],
  },
];
