/** The frame of the forecasting screens: title, tabs, owners and managers only. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AdminAreaPage } from '../../frame/admin-area-page.tsx';
import './forecasting.css';

export const ForecastingPage = ({
  children,
  actions,
  tab,
}: {
  children: ReactNode;
  actions?: ReactNode;
  /** The current tab when the path alone cannot tell (a series is under Forecasts). */
  tab?: number;
}) => {
  const { t } = useTranslation();
  return (
    <AdminAreaPage
      title={t('forecasting.title')}
      tab={tab}
      actions={actions}
      tabs={[
        { to: '/forecasting', label: t('forecasting.tabs.forecasts') },
        { to: '/forecasting/replenishment', label: t('forecasting.tabs.replenishment') },
        { to: '/forecasting/at-risk', label: t('forecasting.tabs.atRisk') },
        { to: '/forecasting/suppliers', label: t('forecasting.tabs.suppliers') },
        { to: '/forecasting/purchase-orders', label: t('forecasting.tabs.purchaseOrders') },
        { to: '/forecasting/settings', label: t('forecasting.tabs.settings') },
      ]}
    >
      {children}
    </AdminAreaPage>
  );
};
