/** The counter's sale screen: scan, the lines, the customer, the totals, pay or void. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useFormat } from '../../kit/format.ts';
import { ConfirmDialog } from '../../kit/overlay.tsx';
import { Button, Card, Skeleton } from '../../kit/ui.tsx';
import { PosProblem } from '../problem.tsx';
import { CustomerPanel } from '../sale/customer-panel.tsx';
import { SaleLines } from '../sale/lines.tsx';
import { PaymentDialog } from '../sale/payment-dialog.tsx';
import { ScanBox } from '../sale/scan-box.tsx';
import { useSale } from '../sale/use-sale.ts';
import { useScanFocus } from '../scan.ts';
import { usePosStore } from '../store.tsx';

const SaleScreen = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const { channel } = usePosStore();
  const saleApi = useSale();
  const { sale, query } = saleApi;
  const scanRef = useRef<HTMLInputElement>(null);
  const refocus = useScanFocus(scanRef);
  const [paying, setPaying] = useState(false);
  const [voiding, setVoiding] = useState(false);
  const currency = sale?.currency ?? channel.currency;
  const loading = !!saleApi.saleId && query.isPending;

  return (
    <div className="pos-sale">
      <section className="pos-sale-main pz-stack" aria-labelledby="pos-sale-title">
        <h1 id="pos-sale-title" className="visually-hidden">
          {t('sale.title')}
        </h1>
        <ScanBox sale={saleApi} inputRef={scanRef} refocus={refocus} />
        {query.isError ? (
          <PosProblem error={query.error} onRetry={() => void query.refetch()} />
        ) : loading ? (
          <Skeleton lines={4} />
        ) : (
          <SaleLines sale={sale} api={saleApi} refocus={refocus} />
        )}
      </section>
      <aside className="pos-sale-side pz-stack" aria-label={t('sale.side')}>
        <CustomerPanel api={saleApi} currency={currency} refocus={refocus} />
        <Card title={t('sale.totals')}>
          <dl className="pos-totals">
            <dt>{t('sale.subtotal')}</dt>
            <dd className="pz-num">{f.money(sale?.subtotal ?? 0, currency)}</dd>
            <dt>{sale?.prices_include_tax ? t('sale.taxIncluded') : t('sale.tax')}</dt>
            <dd className="pz-num">{f.money(sale?.tax_total ?? 0, currency)}</dd>
            <dt className="pos-total-label">{t('sale.total')}</dt>
            <dd className="pos-total pz-num" data-testid="pos-total">
              {f.money(sale?.total ?? 0, currency)}
            </dd>
          </dl>
          <div className="pz-stack">
            {saleApi.voidSale.isError && <PosProblem error={saleApi.voidSale.error} />}
            <Button
              variant="primary"
              size="lg"
              disabled={!sale || sale.lines.length === 0}
              onClick={() => setPaying(true)}
            >
              {t('sale.pay')}
            </Button>
            <Button variant="danger" disabled={!sale} onClick={() => setVoiding(true)}>
              {t('sale.void')}
            </Button>
          </div>
        </Card>
      </aside>
      <PaymentDialog
        open={paying}
        onOpenChange={(o) => {
          setPaying(o);
          if (!o) refocus();
        }}
        saleApi={saleApi}
        onPaid={(receipt, pointsUsed) => {
          setPaying(false);
          navigate(`/receipt/${receipt.sale_id}`, { state: { pointsUsed } });
        }}
      />
      <ConfirmDialog
        open={voiding}
        onOpenChange={(o) => {
          setVoiding(o);
          if (o) saleApi.voidSale.reset();
          else refocus();
        }}
        title={t('sale.voidTitle')}
        description={t('sale.voidHint')}
        confirmLabel={t('sale.voidConfirm')}
        busy={saleApi.voidSale.isPending}
        onConfirm={() =>
          saleApi.voidSale.mutate(undefined, {
            onSettled: () => {
              setVoiding(false);
              refocus();
            },
          })
        }
      />
    </div>
  );
};

export default SaleScreen;
