/** The scan input: a keyboard-wedge scanner (or a person) types a SKU or barcode and Enter. */
import { type FormEvent, type RefObject, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../kit/api.ts';
import { Alert, Button } from '../../kit/ui.tsx';
import { isCode, problemNumber } from '../api.ts';
import { PosProblem } from '../problem.tsx';
import type { SaleApi } from './use-sale.ts';

export const ScanBox = ({
  sale,
  inputRef,
  refocus,
}: {
  sale: SaleApi;
  inputRef: RefObject<HTMLInputElement | null>;
  refocus: () => void;
}) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [failed, setFailed] = useState<{ code: string; error: unknown } | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = code.trim();
    if (!value) return;
    setCode('');
    setFailed(null);
    sale.addItem.mutate(
      { code: value },
      { onError: (error) => setFailed({ code: value, error }), onSettled: refocus },
    );
  };
  const aisle =
    failed &&
    isCode(failed.error, 'INSUFFICIENT_STOCK') &&
    failed.error instanceof ApiError &&
    failed.error.problem.endless_aisle === true;
  return (
    <div className="pz-stack">
      <form className="pos-scan" onSubmit={submit}>
        <label htmlFor="pos-scan" className="visually-hidden">
          {t('sale.scanLabel')}
        </label>
        <input
          id="pos-scan"
          ref={inputRef}
          data-testid="pos-scan"
          className="pz-input pos-scan-input"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder={t('sale.scanPlaceholder')}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          enterKeyHint="done"
          // biome-ignore lint/a11y/noAutofocus: the till's first job is to scan; the focus belongs here
          autoFocus
        />
        <Button type="submit" variant="primary" size="lg" busy={sale.addItem.isPending}>
          {t('sale.add')}
        </Button>
      </form>
      {failed && aisle && (
        <Alert tone="warning">
          <div className="pz-row">
            <span>
              {t('sale.notInStore', {
                code: failed.code,
                count: problemNumber(failed.error, 'available') ?? 0,
              })}
            </span>
            <span className="pz-spacer" />
            <Button onClick={() => navigate(`/aisle?code=${encodeURIComponent(failed.code)}`)}>
              {t('sale.orderElsewhere')}
            </Button>
          </div>
        </Alert>
      )}
      {failed && !aisle && isCode(failed.error, 'NOT_FOUND') && (
        <Alert>{t('sale.unknownCode', { code: failed.code })}</Alert>
      )}
      {failed && !aisle && !isCode(failed.error, 'NOT_FOUND') && (
        <div>
          <p className="visually-hidden">{t('sale.scanFailed', { code: failed.code })}</p>
          <PosProblem error={failed.error} />
        </div>
      )}
    </div>
  );
};
