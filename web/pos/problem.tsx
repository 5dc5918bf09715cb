/**
 * The till's refusals in the cashier's language: the codes a counter meets (declined card, too few
 * points, closed return window …) have POS messages with the problem's numbers; any other problem
 * goes to the kit's ProblemAlert.
 */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../kit/api.ts';
import { Alert, Button, ProblemAlert } from '../kit/ui.tsx';

const member = (e: ApiError, name: string): string | number | undefined => {
  const v = e.problem[name];
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
};

export const PosProblem = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => {
  const { t } = useTranslation();
  if (!(error instanceof ApiError)) return <ProblemAlert error={error} {...(onRetry ? { onRetry } : {})} />;
  const reason = member(error, 'reason');
  const values = {
    balance: member(error, 'balance') ?? '',
    seconds: member(error, 'retry_after_seconds') ?? '',
    days: member(error, 'window_days') ?? '',
  };
  const message =
    (reason !== undefined && t(`errors.${error.code}.${reason}`, { ...values, defaultValue: '' })) ||
    t(`errors.${error.code}.default`, { ...values, defaultValue: '' });
  if (!message) return <ProblemAlert error={error} {...(onRetry ? { onRetry } : {})} />;
  return (
    <Alert>
      <div className="pz-row">
        <span>
          {message} <code>{error.code}</code>
        </span>
        <span className="pz-spacer" />
        {onRetry && <Button onClick={onRetry}>{t('retry', { ns: 'kit' })}</Button>}
      </div>
    </Alert>
  );
};
