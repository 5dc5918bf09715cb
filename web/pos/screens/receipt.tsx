/** The receipt of a paid sale, in the till's language, with a Print button (print stylesheet in pos.css). */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';
import { unwrap } from '../../kit/api.ts';
import { useFormat } from '../../kit/format.ts';
import { useStaffSession } from '../../kit/session.tsx';
import { QueryState } from '../../kit/states.tsx';
import { Button } from '../../kit/ui.tsx';
import { api, keys, type Receipt } from '../api.ts';

const pointsFromState = (state: unknown): number => {
  if (typeof state === 'object' && state !== null && 'pointsUsed' in state) {
    const v = (state as { pointsUsed: unknown }).pointsUsed;
    return typeof v === 'number' ? v : 0;
  }
  return 0;
};

/** The time of the sale as the store's clock showed it, not the browser's. */
const storeTime = (iso: string, timeZone: string, locale: string): string => {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
      new Date(iso),
    );
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }
};

const ReceiptView = ({ r, pointsUsed }: { r: Receipt; pointsUsed: number }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { user } = useStaffSession();
  // A sale made in a staff session names the user by id on the receipt: show the name when it is us.
  const staffName =
    user && r.staff.token_id === user.id && r.staff.name === user.id ? user.name : r.staff.name;
  const m = (n: number) => f.money(n, r.currency);
  return (
    <article className="pos-receipt pz-card" data-testid="pos-receipt" aria-labelledby="pos-receipt-title">
      <header className="pos-receipt-head">
        <h1 id="pos-receipt-title">{r.store.name}</h1>
        <address>
          {r.store.address.map((line) => (
            <div key={line}>
              <bdi>{line}</bdi>
            </div>
          ))}
        </address>
        <p>
          {t('receipt.number', { number: r.receipt_number })} ·{' '}
          <time dateTime={r.issued_at}>{storeTime(r.issued_at, r.store.timezone, f.locale)}</time>
        </p>
        <p>
          {t('receipt.servedBy', { name: staffName })}
          {r.customer && <> · {t('receipt.customer', { name: r.customer.name ?? r.customer.email ?? '' })}</>}
        </p>
      </header>
      <table className="pos-receipt-table">
        <caption className="visually-hidden">{t('receipt.items')}</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">{t('receipt.item')}</th>
            <th scope="col">{t('receipt.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {r.lines.map((l) => (
            <tr key={l.sku}>
              <td>
                <bdi>{l.title}</bdi>
                <br />
                <small>
                  {l.sku} · {f.number(l.quantity)} × {m(l.unit_price)}
                  {l.discount > 0 && <> · {t('receipt.lineDiscount', { amount: m(l.discount) })}</>}
                </small>
              </td>
              <td className="pos-n">{m(l.total)}</td>
            </tr>
          ))}
        </tbody>
        <tbody className="pos-receipt-sums">
          <tr>
            <th scope="row">{t('sale.subtotal')}</th>
            <td className="pos-n">{m(r.subtotal)}</td>
          </tr>
          {r.discount_total > 0 && (
            <tr>
              <th scope="row">{t('receipt.discount')}</th>
              <td className="pos-n">−{m(r.discount_total)}</td>
            </tr>
          )}
          <tr>
            <th scope="row">
              {t(r.prices_include_tax ? 'receipt.taxIncluded' : 'receipt.tax', {
                rate: f.number(r.tax_rate_bps / 100),
              })}
            </th>
            <td className="pos-n">{m(r.tax_total)}</td>
          </tr>
          <tr className="pos-receipt-total">
            <th scope="row">{t('sale.total')}</th>
            <td className="pos-n">{m(r.total)}</td>
          </tr>
        </tbody>
        <tbody>
          {pointsUsed > 0 && (
            <tr>
              <th scope="row">
                {t('receipt.pointsUsed', { count: pointsUsed, points: f.number(pointsUsed) })}
              </th>
              <td className="pos-n" />
            </tr>
          )}
          {r.payments
            // Points that paid everything leave a cash payment of nothing: not worth a line.
            .filter((p) => p.amount > 0)
            .map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: payments have no id on the receipt
              <tr key={i}>
                <th scope="row">
                  {t(`receipt.providers.${p.provider}`, { defaultValue: p.display ?? p.provider })}
                  {p.tendered !== null && (
                    <small>
                      <br />
                      {t('receipt.tendered', { amount: m(p.tendered) })} ·{' '}
                      {t('receipt.change', { amount: m(p.change ?? 0) })}
                    </small>
                  )}
                </th>
                <td className="pos-n">{m(p.amount)}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <p className="pos-receipt-foot">
        <small>
          {t('receipt.returns', { count: r.return_window_days })}
          <br />
          <span className="pz-mono">{r.order_id}</span>
        </small>
      </p>
    </article>
  );
};

const ReceiptScreen = () => {
  const { t } = useTranslation();
  const { saleId = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const query = useQuery({
    queryKey: keys.receipt(saleId),
    queryFn: () => unwrap(api.GET('/admin/pos/sales/{id}/receipt', { params: { path: { id: saleId } } })),
  });
  return (
    <div className="pos-receipt-screen pz-stack">
      <div className="pz-row pos-no-print">
        <Button variant="primary" size="lg" onClick={() => window.print()}>
          {t('receipt.print')}
        </Button>
        <Button size="lg" onClick={() => navigate('/')}>
          {t('receipt.newSale')}
        </Button>
        <a
          href={`/admin/pos/sales/${encodeURIComponent(saleId)}/receipt.html`}
          target="_blank"
          rel="noopener"
        >
          {t('receipt.printerVersion')}
        </a>
      </div>
      <QueryState query={query} lines={8}>
        {(r) => <ReceiptView r={r} pointsUsed={pointsFromState(location.state)} />}
      </QueryState>
    </div>
  );
};

export default ReceiptScreen;
