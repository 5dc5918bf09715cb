/** The lines of the sale: big buttons to change a quantity or remove a line. */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../kit/format.ts';
import { Badge, Button, EmptyState } from '../../kit/ui.tsx';
import type { Sale } from '../api.ts';
import { PosProblem } from '../problem.tsx';
import type { SaleApi } from './use-sale.ts';

export const SaleLines = ({
  sale,
  api,
  refocus,
}: {
  sale: Sale | null;
  api: SaleApi;
  refocus: () => void;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  if (!sale || sale.lines.length === 0)
    return <EmptyState title={t('sale.empty')}>{t('sale.emptyHint')}</EmptyState>;
  const change = (lineId: string, quantity: number) =>
    api.setQuantity.mutate({ lineId, quantity }, { onSettled: refocus });
  const busy = api.setQuantity.isPending;
  return (
    <div className="pz-stack">
      {api.setQuantity.isError && <PosProblem error={api.setQuantity.error} />}
      <ul className="pos-lines" aria-label={t('sale.lines')}>
        {sale.lines.map((l) => (
          <li key={l.id} className="pos-line" data-testid="pos-line">
            <div className="pos-line-main">
              <strong>
                <bdi>{l.title}</bdi>
              </strong>
              <span className="pz-muted pz-mono">{l.sku}</span>
              <span className="pz-muted">
                {t('sale.each', { price: f.money(l.unit_price, sale.currency) })}
                {l.available_in_store < l.quantity && (
                  <>
                    {' '}
                    <Badge tone="warning">{t('sale.lowStock', { count: l.available_in_store })}</Badge>
                  </>
                )}
              </span>
            </div>
            <fieldset className="pos-qty" aria-label={t('sale.quantityOf', { title: l.title })}>
              <Button
                aria-label={t('sale.decrease', { title: l.title })}
                disabled={busy || l.quantity <= 1}
                onClick={() => change(l.id, l.quantity - 1)}
              >
                −
              </Button>
              <output className="pos-qty-value pz-num" aria-live="polite">
                {f.number(l.quantity)}
              </output>
              <Button
                aria-label={t('sale.increase', { title: l.title })}
                disabled={busy}
                onClick={() => change(l.id, l.quantity + 1)}
              >
                +
              </Button>
            </fieldset>
            <strong className="pos-line-total pz-num">{f.money(l.total, sale.currency)}</strong>
            <Button
              variant="ghost"
              aria-label={t('sale.remove', { title: l.title })}
              disabled={busy}
              onClick={() => change(l.id, 0)}
            >
              {t('sale.removeShort')}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
};
