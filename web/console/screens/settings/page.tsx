/**
 * Settings in tabs (the open tab is kept in the URL: `?tab=`, or `?section=` as the strategy advisor's
 * actions name it).
 */
import { Tabs } from 'radix-ui';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorBoundary } from '../../../kit/states.tsx';
import { Skeleton } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';

const Loyalty = lazy(() => import('./loyalty.tsx'));
const Pickup = lazy(() => import('./pickup.tsx'));
const TokensTab = lazy(() => import('./tokens.tsx'));
const TABS = ['loyalty', 'pickup', 'tokens'] as const;
type Tab = (typeof TABS)[number];

const SettingsPage = () => {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === (params.get('tab') ?? params.get('section'))) ?? 'loyalty';
  return (
    <div className="pz-stack">
      <h1>{t('settings.title')}</h1>
      <p className="pz-muted">{t('settings.intro')}</p>
      <Tabs.Root value={tab} onValueChange={(v) => setParams({ tab: v }, { replace: true })}>
        <Tabs.List className="pz-tabs-list" aria-label={t('settings.title')}>
          {TABS.map((x) => (
            <Tabs.Trigger key={x} value={x} className="pz-tab" data-testid={`settings-tab-${x}`}>
              {t(`settings.tabs.${x}`)}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {TABS.map((x) => (
          <Tabs.Content key={x} value={x}>
            {x === tab && (
              <ErrorBoundary>
                <Suspense fallback={<Skeleton lines={5} />}>
                  {x === 'loyalty' ? <Loyalty /> : x === 'pickup' ? <Pickup /> : <TokensTab />}
                </Suspense>
              </ErrorBoundary>
            )}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <SettingsPage />
  </RequireAdmin>
);

export default Guarded;
