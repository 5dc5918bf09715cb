/** The inventory screens' tab bar. */
import { useTranslation } from 'react-i18next';
import { SubNav } from './common.tsx';

export const InventoryTabs = () => {
  const { t } = useTranslation();
  return (
    <SubNav
      label={t('inventory.title')}
      items={[
        { to: '/inventory', label: t('inventory.tabs.levels') },
        { to: '/inventory/movements', label: t('inventory.tabs.movements') },
        { to: '/inventory/transfers', label: t('inventory.tabs.transfers') },
        { to: '/inventory/counts', label: t('inventory.tabs.counts') },
      ]}
    />
  );
};
