/** A store the user may not open says so in words (FORBIDDEN), other errors as problems with a retry. */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../kit/api.ts';
import { Alert, ProblemAlert } from '../../../kit/ui.tsx';

export const ForbiddenStore = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.code === 'FORBIDDEN')
    return (
      <Alert>
        <strong>{t('pickups.forbidden.title')}</strong> {t('pickups.forbidden.text')} <code>FORBIDDEN</code>
      </Alert>
    );
  return <ProblemAlert error={error} {...(onRetry ? { onRetry } : {})} />;
};
