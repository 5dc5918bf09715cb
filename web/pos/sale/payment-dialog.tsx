/**
 * Taking the money: loyalty points first (a discount, up to what is due), then one tender for the
 * rest: the card terminal (the sandbox test card), cash with the change computed, or store credit. A
 * declined card or too little credit leaves the sale open: choose another tender and pay again.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../kit/api.ts';
import { Field } from '../../kit/form.tsx';
import { useFormat } from '../../kit/format.ts';
import { Dialog } from '../../kit/overlay.tsx';
import { Button } from '../../kit/ui.tsx';
import { minorDigits, newKey, type PayBody, parseAmount, type Receipt, type Sale } from '../api.ts';
import { PosProblem } from '../problem.tsx';
import { creditIn, useLoyalty, useStoreCredit } from './customer-data.ts';
import type { SaleApi } from './use-sale.ts';

type Tender = 'card' | 'cash' | 'store-credit';
const TENDERS: Tender[] = ['card', 'cash', 'store-credit'];
const TEST_CARD = '4242 4242 4242 4242';

/** What is left to pay after `pointsValue` of points (points reduce the pre-tax amount; tax follows). */
export const dueAfterPoints = (sale: Sale, pointsValue: number): number => {
  if (pointsValue <= 0) return sale.total;
  const base = sale.prices_include_tax ? sale.total : sale.subtotal;
  const off = Math.min(pointsValue, base);
  if (sale.prices_include_tax || sale.subtotal === 0) return Math.max(0, sale.total - off);
  const rest = sale.subtotal - off;
  return rest + Math.round((sale.tax_total * rest) / sale.subtotal);
};

/** Quick cash amounts: exact, then the next round notes. */
const cashSuggestions = (due: number, currency: string): number[] => {
  const unit = 10 ** minorDigits(currency);
  const steps = [5, 10, 20, 50, 100].map((n) => n * unit);
  const out = [due];
  for (const s of steps) {
    const v = Math.ceil(due / s) * s;
    if (v > due && !out.includes(v)) out.push(v);
  }
  return out.slice(0, 4);
};

export const PaymentDialog = ({
  open,
  onOpenChange,
  saleApi,
  onPaid,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  saleApi: SaleApi;
  onPaid: (receipt: Receipt, pointsUsed: number) => void;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const sale = saleApi.sale;
  const loyalty = useLoyalty(sale?.customer?.id);
  const credit = useStoreCredit(sale?.customer?.id);
  const [tender, setTender] = useState<Tender>('card');
  const [points, setPoints] = useState('');
  const [card, setCard] = useState(TEST_CARD);
  const [cash, setCash] = useState('');
  const attempt = useRef<{ body: string; key: string } | null>(null);
  if (!sale) return null;
  const currency = sale.currency;
  const pointValue = loyalty.data?.point_value ?? 0;
  const balance = loyalty.data?.enrolled ? loyalty.data.balance : 0;
  const base = sale.prices_include_tax ? sale.total : sale.subtotal;
  const maxPoints = pointValue > 0 ? Math.min(balance, Math.ceil(base / pointValue)) : 0;
  const pointsUsed = Math.min(Math.max(0, Math.floor(Number(points) || 0)), maxPoints);
  const due = dueAfterPoints(sale, pointsUsed * pointValue);
  // Points that pay everything still need a tender in the API: cash, none handed over.
  const byPoints = due === 0 && pointsUsed > 0;
  const tendered = byPoints ? 0 : tender === 'cash' ? parseAmount(cash, currency) : undefined;
  const change = tendered !== undefined ? tendered - due : undefined;
  const creditBalance = creditIn(credit.data, currency);
  const err = saleApi.pay.error;
  const fieldErr = (path: string) => (err instanceof ApiError ? err.fieldError(path) : undefined);

  const body = (): PayBody | null => {
    const payment: PayBody['payment'] | null = byPoints
      ? { provider: 'cash', tendered: 0 }
      : tender === 'card'
        ? { provider: 'test-card', card_number: card.replace(/\s/g, '') }
        : tender === 'cash'
          ? tendered !== undefined
            ? { provider: 'cash', tendered }
            : null
          : { provider: 'store-credit' };
    if (!payment) return null;
    return pointsUsed > 0 ? { payment, loyalty_points: pointsUsed } : { payment };
  };
  const pay = () => {
    const b = body();
    if (!b) return;
    const json = JSON.stringify(b);
    // The same body after a lost answer reuses its key, so a retry can never charge twice.
    const retry = attempt.current?.body === json && (!(err instanceof ApiError) || err.status >= 500);
    const key = retry && attempt.current ? attempt.current.key : newKey();
    attempt.current = { body: json, key };
    saleApi.pay.mutate({ body: b, key }, { onSuccess: (receipt) => onPaid(receipt, pointsUsed) });
  };
  const cannot =
    sale.lines.length === 0 ||
    (!byPoints &&
      ((tender === 'cash' && (tendered === undefined || tendered < due)) ||
        (tender === 'store-credit' && creditBalance < due)));

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) saleApi.pay.reset();
        onOpenChange(o);
      }}
      title={t('pay.title')}
      description={t('pay.total', { amount: f.money(sale.total, currency) })}
    >
      <div className="pz-stack">
        {balance > 0 && pointValue > 0 && (
          <div className="pos-points">
            <Field
              label={t('pay.points', { balance: f.number(balance) })}
              inputMode="numeric"
              value={points}
              onChange={(e) => setPoints(e.target.value.replace(/\D/g, ''))}
              hint={t('pay.pointsHint', {
                value: f.money(pointsUsed * pointValue, currency),
                max: f.number(maxPoints),
              })}
              error={fieldErr('body.loyalty_points')}
            />
            <Button onClick={() => setPoints(String(maxPoints))}>{t('pay.usePoints')}</Button>
          </div>
        )}
        <p className="pos-due">
          {t('pay.due')} <strong className="pz-num">{f.money(due, currency)}</strong>
        </p>
        {byPoints ? (
          <p>{t('pay.coveredByPoints')}</p>
        ) : (
          <>
            <div className="pz-tabs-list" role="radiogroup" aria-label={t('pay.tender')}>
              {TENDERS.map((k) => (
                // biome-ignore lint/a11y/useSemanticElements: a row of large touch buttons acting as radios
                <button
                  key={k}
                  type="button"
                  role="radio"
                  aria-checked={tender === k}
                  className="pz-tab"
                  data-state={tender === k ? 'active' : 'inactive'}
                  onClick={() => setTender(k)}
                >
                  {t(`pay.tenders.${k}`)}
                </button>
              ))}
            </div>
            {tender === 'card' && (
              <Field
                label={t('pay.cardNumber')}
                inputMode="numeric"
                autoComplete="off"
                value={card}
                onChange={(e) => setCard(e.target.value)}
                hint={t('pay.cardHint')}
                error={fieldErr('body.payment.card_number')}
              />
            )}
            {tender === 'cash' && (
              <div className="pz-stack">
                <Field
                  label={t('pay.tendered', { currency })}
                  inputMode="decimal"
                  autoComplete="off"
                  value={cash}
                  onChange={(e) => setCash(e.target.value)}
                  error={fieldErr('body.payment.tendered')}
                />
                <div className="pz-row">
                  {cashSuggestions(due, currency).map((v) => (
                    <Button key={v} onClick={() => setCash(String(v / 10 ** minorDigits(currency)))}>
                      {f.money(v, currency)}
                    </Button>
                  ))}
                </div>
                {change !== undefined && change >= 0 && (
                  <p className="pos-change" aria-live="polite">
                    {t('pay.change')} <strong className="pz-num">{f.money(change, currency)}</strong>
                  </p>
                )}
              </div>
            )}
            {tender === 'store-credit' && (
              <p aria-live="polite">
                {sale.customer
                  ? t('pay.creditBalance', { amount: f.money(creditBalance, currency) })
                  : t('pay.creditNeedsCustomer')}
                {sale.customer && creditBalance < due && <> {t('pay.creditShort')}</>}
              </p>
            )}
          </>
        )}
        {err && !fieldErr('body.payment.tendered') && !fieldErr('body.payment.card_number') && (
          <PosProblem error={err} />
        )}
        <Button variant="primary" size="lg" disabled={cannot} busy={saleApi.pay.isPending} onClick={pay}>
          {t('pay.pay', { amount: f.money(due, currency) })}
        </Button>
      </div>
    </Dialog>
  );
};
