/** The frame of the analytics screens: title, tabs, owners and managers only. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireAdmin } from '../customers/ui.tsx';
import { SubNav } from '../inventory/common.tsx';
import './analytics.css';

export const AnalyticsPage = ({ children }: { children: ReactNode }) => {
  const { t } = useTranslation();
  return (
    <RequireAdmin>
      <div className="pz-stack">
        <h1>{t('analytics.title')}</h1>
        <SubNav
          label={t('analytics.title')}
          items={[
            { to: '/analytics', label: t('analytics.tabs.channels') },
            { to: '/analytics/attribution', label: t('analytics.tabs.attribution') },
            { to: '/analytics/campaigns', label: t('analytics.tabs.campaigns') },
            { to: '/analytics/customers', label: t('analytics.tabs.customers') },
            { to: '/analytics/rates', label: t('analytics.tabs.rates') },
            { to: '/analytics/settings', label: t('analytics.tabs.settings') },
          ]}
        />
        {children}
      </div>
    </RequireAdmin>
  );
};
