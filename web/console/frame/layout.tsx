/** The console's frame: navigation from the areas, the user menu, an error boundary per screen. */
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useNavigate } from 'react-router';
import { RequireStaff, useStaffSession } from '../../kit/session.tsx';
import { AppShell } from '../../kit/shell.tsx';
import { ErrorBoundary } from '../../kit/states.tsx';
import { Button, Skeleton } from '../../kit/ui.tsx';
import { AREAS } from './areas.ts';

const UserMenu = () => {
  const { t } = useTranslation();
  const { user, logout } = useStaffSession();
  const navigate = useNavigate();
  if (!user) return null;
  return (
    <span className="pz-row">
      <span className="pz-muted" data-testid="current-user">
        {user.name || user.email} · {t(`frame.roles.${user.role}`)}
      </span>
      <Button
        variant="ghost"
        onClick={async () => {
          await logout();
          navigate('/login');
        }}
      >
        {t('frame.logout')}
      </Button>
    </span>
  );
};

export const ConsoleLayout = () => {
  const { t } = useTranslation();
  const { user } = useStaffSession();
  const nav = AREAS.flatMap((a) =>
    a.nav
      .filter((n) => !n.roles || (user && n.roles.includes(user.role)))
      .map((n) => ({ to: n.to, label: t(n.label), ...(n.end ? { end: true } : {}) })),
  );
  return (
    <RequireStaff>
      <AppShell brand={t('frame.brand')} nav={nav} user={<UserMenu />}>
        <ErrorBoundary>
          <Suspense fallback={<Skeleton lines={6} />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </AppShell>
    </RequireStaff>
  );
};
