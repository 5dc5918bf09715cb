import { useTranslation } from 'react-i18next';
import { Card } from '../kit/ui.tsx';

export const Home = () => {
  const { t } = useTranslation();
  return (
    <main id="main" style={{ padding: 'var(--space-5)' }}>
      <Card title={t('title')}>
        <p>{t('welcome')}</p>
      </Card>
    </main>
  );
};
