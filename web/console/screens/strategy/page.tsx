/** The frame of the strategy screens: title, tabs, owners and managers only. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AdminAreaPage } from '../../frame/admin-area-page.tsx';
import './strategy.css';

export const StrategyPage = ({
  children,
  actions,
  tab,
}: {
  children: ReactNode;
  actions?: ReactNode;
  /** The current tab when the path alone cannot tell (an assessment is under its tab). */
  tab?: number;
}) => {
  const { t } = useTranslation();
  return (
    <AdminAreaPage
      title={t('strategy.title')}
      headClass="st-head"
      tab={tab}
      actions={actions}
      tabs={[
        { to: '/strategy', label: t('strategy.tabs.assessment') },
        { to: '/strategy/questionnaire', label: t('strategy.tabs.questionnaire') },
        { to: '/strategy/history', label: t('strategy.tabs.history') },
        { to: '/strategy/weights', label: t('strategy.tabs.weights') },
      ]}
    >
      {children}
    </AdminAreaPage>
  );
};
