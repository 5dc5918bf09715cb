/** The till's frame: the store it is bound to, the screens, who is logged in, language and theme. */
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { RequireStaff, StaffSessionProvider, useStaffSession } from '../kit/session.tsx';
import { LanguageSwitch, ThemeSwitch } from '../kit/shell.tsx';
import { ErrorBoundary } from '../kit/states.tsx';
import { useToast } from '../kit/toaster.tsx';
import { Button } from '../kit/ui.tsx';
import { usePosAnalytics } from './analytics.ts';
import { StoreGate, usePosStore } from './store.tsx';
import './pos.css';

/** Every screen: the staff session and an error boundary. */
export const Root = () => (
  <StaffSessionProvider>
    <ErrorBoundary>
      <Outlet />
    </ErrorBoundary>
  </StaffSessionProvider>
);

const TopBar = () => {
  const { t } = useTranslation();
  const { user, logout } = useStaffSession();
  const { location, change } = usePosStore();
  const toast = useToast();
  const nav = [
    { to: '/', label: t('nav.sale'), end: true },
    { to: '/returns', label: t('nav.returns') },
    { to: '/aisle', label: t('nav.aisle') },
    { to: '/pickups', label: t('nav.pickups') },
  ];
  return (
    <header className="pos-header">
      <div className="pz-topbar pos-topbar">
        <span className="pz-brand">{t('title')}</span>
        <span className="pos-store" data-testid="pos-store">
          {location.name}
        </span>
        <Button variant="ghost" onClick={change}>
          {t('store.change')}
        </Button>
        <span className="pz-spacer" />
        <span className="pz-muted">{user?.name}</span>
        <LanguageSwitch />
        <ThemeSwitch />
        <Button
          onClick={() =>
            void logout().then(
              // A fresh page: nothing of the last cashier's session stays in memory, and the session
              // is read again from the server.
              () => window.location.assign('/pos/login'),
              () => toast(t('logoutFailed'), 'danger'),
            )
          }
        >
          {t('logout')}
        </Button>
      </div>
      <nav className="pos-nav" aria-label={t('nav.label')}>
        {nav.map((n) => (
          <NavLink key={n.to} to={n.to} end={n.end ?? false}>
            {n.label}
          </NavLink>
        ))}
      </nav>
    </header>
  );
};

/** The till's page views and events (analytics.js on the store's POS channel). */
const Analytics = () => {
  usePosAnalytics();
  return null;
};

/** The screens of a logged-in cashier at a chosen store. */
export const PosLayout = () => {
  const { t } = useTranslation();
  return (
    <RequireStaff>
      <div className="pos-app">
        <a href="#main" className="visually-hidden">
          {t('skipToContent', { ns: 'kit' })}
        </a>
        <StoreGate>
          <Analytics />
          <TopBar />
          <main id="main" className="pos-main">
            <ErrorBoundary>
              <Outlet />
            </ErrorBoundary>
          </main>
        </StoreGate>
      </div>
    </RequireStaff>
  );
};
