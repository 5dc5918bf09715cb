/**
 * The shop's readable refusals: the shop's own message for the codes a shopper meets (with the numbers
 * the problem carries, such as `available`), else the kit's ProblemAlert.
 */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../kit/api.ts';
import { Alert, Button, ProblemAlert } from '../kit/ui.tsx';

const SHOP_CODES = new Set([
  'INSUFFICIENT_STOCK',
  'CHECKOUT_IN_PROGRESS',
  'CART_ALREADY_CHECKED_OUT',
  'PAYMENT_DECLINED',
  'PAYMENT_FAILED',
  'INVALID_CREDENTIALS',
  'ALREADY_EXISTS',
  'RATE_LIMITED',
  'IDENTITY_SUPPRESSED',
  'INVALID_STATE_TRANSITION',
  'PROCESSING_RESTRICTED',
]);

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The shop's sentence for a refusal, or undefined when the kit's generic one should be used. */
export const useShopProblem = () => {
  const { t } = useTranslation();
  return (error: unknown): string | undefined => {
    if (!(error instanceof ApiError) || !SHOP_CODES.has(error.code)) return undefined;
    const p = error.problem;
    return t(`problems.${error.code}`, {
      available: num(p.available) ?? 0,
      seconds: num(p.retry_after_seconds) ?? 2,
      sku: typeof p.sku === 'string' ? p.sku : '',
    });
  };
};

export const ShopProblem = ({
  error,
  onRetry,
  note,
}: {
  error: unknown;
  onRetry?: (() => void) | undefined;
  /** A sentence after the message (what happened to the screen: "the quantity was set back"). */
  note?: string | undefined;
}) => {
  const { t } = useTranslation();
  const shopText = useShopProblem()(error);
  if (!shopText || !(error instanceof ApiError))
    return <ProblemAlert error={error} {...(onRetry ? { onRetry } : {})} />;
  return (
    <Alert>
      <div className="pz-row">
        <span>
          {shopText} {note} <code>{error.code}</code>
        </span>
        <span className="pz-spacer" />
        {onRetry && <Button onClick={onRetry}>{t('retry')}</Button>}
      </div>
    </Alert>
  );
};
