/** The frame of the strategy screens: title, tabs, owners and managers only. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireAdmin } from '../customers/ui.tsx';
import { SubNav } from '../inventory/common.tsx';
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
    <RequireAdmin>
      <div className="pz-stack">
        <div className="pz-row st-head">
          <h1>{t('strategy.title')}</h1>
          <span className="pz-spacer" />
          {actions}
        </div>
        <SubNav
          label={t('strategy.title')}
          {...(tab !== undefined ? { activeIndex: tab } : {})}
          items={[
            { to: '/strategy', label: t('strategy.tabs.assessment') },
            { to: '/strategy/questionnaire', label: t('strategy.tabs.questionnaire') },
            { to: '/strategy/history', label: t('strategy.tabs.history') },
            { to: '/strategy/weights', label: t('strategy.tabs.weights') },
          ]}
        />
        {children}
      </div>
    </RequireAdmin>
  );
};
