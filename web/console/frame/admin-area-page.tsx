/** The frame of an owners' and managers' area with tabs: title, actions, tabs (forecasting, strategy). */
import type { ReactNode } from 'react';
import { RequireAdmin } from '../screens/customers/ui.tsx';
import { SubNav } from '../screens/inventory/common.tsx';

export const AdminAreaPage = ({
  title,
  tabs,
  tab,
  actions,
  headClass,
  children,
}: {
  title: string;
  tabs: { to: string; label: string }[];
  /** The current tab when the path alone cannot tell (a detail screen under its list's tab). */
  tab?: number | undefined;
  actions?: ReactNode;
  headClass?: string;
  children: ReactNode;
}) => (
  <RequireAdmin>
    <div className="pz-stack">
      <div className={headClass ? `pz-row ${headClass}` : 'pz-row'}>
        <h1>{title}</h1>
        <span className="pz-spacer" />
        {actions}
      </div>
      <SubNav label={title} {...(tab !== undefined ? { activeIndex: tab } : {})} items={tabs} />
      {children}
    </div>
  </RequireAdmin>
);
