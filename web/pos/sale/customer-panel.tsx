/**
 * Finds the customer by phone, e-mail or loyalty card, attaches them to the sale, shows their points
 * and store credit, and pulls their online cart to the counter.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../kit/api.ts';
import { useFormat } from '../../kit/format.ts';
import { Badge, Button, Card, EmptyState, Skeleton } from '../../kit/ui.tsx';
import { api, type CustomerQuery, type PosCustomer } from '../api.ts';
import { PosProblem } from '../problem.tsx';
import { usePosStore } from '../store.tsx';
import { creditIn, useLoyalty, useStoreCredit } from './customer-data.ts';
import { OffersPanel } from './offers-panel.tsx';
import type { SaleApi } from './use-sale.ts';

type Kind = 'phone' | 'email' | 'card';
const KINDS: Kind[] = ['phone', 'email', 'card'];
/** A loyalty card number: 12 characters of an alphabet without 0, 1, I, L, O. */
const CARD = /^[2-9A-HJKMNP-Z]{12}$/i;

/** What the cashier typed or scanned: an e-mail has an @, a phone is digits and punctuation, else a card. */
export const guessKind = (v: string): Kind =>
  v.includes('@')
    ? 'email'
    : /^[+\d\s().-]+$/.test(v.trim()) && v.replace(/\D/g, '').length >= 6
      ? 'phone'
      : 'card';

const Attached = ({
  api: saleApi,
  currency,
  refocus,
}: {
  api: SaleApi;
  currency: string;
  refocus: () => void;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { location } = usePosStore();
  const customer = saleApi.sale?.customer;
  const loyalty = useLoyalty(customer?.id);
  const credit = useStoreCredit(customer?.id);
  if (!customer) return null;
  const pulled = !!saleApi.sale?.cart_id;
  return (
    <div className="pz-stack" aria-live="polite">
      <div>
        <strong>{customer.name ?? customer.email ?? customer.id}</strong>
        {customer.name && customer.email && <div className="pz-muted">{customer.email}</div>}
      </div>
      {loyalty.isPending ? (
        <Skeleton lines={1} />
      ) : loyalty.data?.enrolled ? (
        <div>
          {t('customer.card', { card: loyalty.data.card_number ?? '' })} ·{' '}
          <strong>
            {t('customer.points', { count: loyalty.data.balance, points: f.number(loyalty.data.balance) })}
          </strong>{' '}
          <span className="pz-muted">
            ({f.money(loyalty.data.balance * loyalty.data.point_value, currency)})
          </span>
        </div>
      ) : (
        <div className="pz-muted">{t('customer.noLoyalty')}</div>
      )}
      {credit.data && creditIn(credit.data, currency) > 0 && (
        <div>{t('customer.credit', { amount: f.money(creditIn(credit.data, currency), currency) })}</div>
      )}
      <OffersPanel customerId={customer.id} locationId={location.id} />
      {saleApi.pullOnlineCart.isError && <PosProblem error={saleApi.pullOnlineCart.error} />}
      {saleApi.setCustomer.isError && <PosProblem error={saleApi.setCustomer.error} />}
      <div className="pz-row">
        {pulled ? (
          <Badge tone="success">{t('customer.cartPulled')}</Badge>
        ) : (
          <Button
            busy={saleApi.pullOnlineCart.isPending}
            onClick={() => saleApi.pullOnlineCart.mutate(customer.id, { onSettled: refocus })}
          >
            {t('customer.pullCart')}
          </Button>
        )}
        <Button
          variant="ghost"
          busy={saleApi.setCustomer.isPending}
          onClick={() => saleApi.setCustomer.mutate(null, { onSettled: refocus })}
        >
          {t('customer.detach')}
        </Button>
      </div>
    </div>
  );
};

const Results = ({
  found,
  onAttach,
  busy,
}: {
  found: PosCustomer[];
  onAttach: (c: PosCustomer) => void;
  busy: boolean;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  if (found.length === 0) return <EmptyState title={t('customer.noneFound')} />;
  return (
    <ul className="pos-results" aria-label={t('customer.results')}>
      {found.map((c) => (
        <li key={c.id} className="pos-result">
          <div>
            <strong>{c.name ?? c.email ?? c.phone ?? c.id}</strong>
            <div className="pz-muted">{[c.email, c.phone].filter(Boolean).join(' · ')}</div>
            {c.online_cart && (
              <Badge tone="info">
                {t('customer.onlineCart', {
                  count: c.online_cart.item_count,
                  n: f.number(c.online_cart.item_count),
                })}
              </Badge>
            )}
          </div>
          <Button variant="primary" busy={busy} onClick={() => onAttach(c)}>
            {t('customer.attach')}
          </Button>
        </li>
      ))}
    </ul>
  );
};

export const CustomerPanel = ({
  api: saleApi,
  currency,
  refocus,
}: {
  api: SaleApi;
  currency: string;
  refocus: () => void;
}) => {
  const { t } = useTranslation();
  const { location } = usePosStore();
  const id = useId();
  const [text, setText] = useState('');
  const [kind, setKind] = useState<Kind>('phone');
  const [touched, setTouched] = useState(false);
  const [search, setSearch] = useState<{ query: CustomerQuery; orCard?: string } | null>(null);
  const results = useQuery({
    queryKey: ['pos', 'customers', search],
    enabled: !!search,
    queryFn: async () => {
      const found = await unwrap(api.GET('/admin/pos/customers', { params: { query: search?.query ?? {} } }));
      // A card number of digits only looks like a phone number: try it as a card too.
      if (found.data.length > 0 || !search?.orCard) return found;
      return unwrap(api.GET('/admin/pos/customers', { params: { query: { card: search.orCard } } }));
    },
    staleTime: 0,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    const k = touched ? kind : guessKind(value);
    setKind(k);
    const compact = value.replace(/[\s-]/g, '');
    const orCard = !touched && k === 'phone' && CARD.test(compact) ? compact : undefined;
    const query: CustomerQuery =
      k === 'phone'
        ? { phone: value, location_id: location.id }
        : k === 'email'
          ? { email: value }
          : { card: value };
    setSearch(orCard ? { query, orCard } : { query });
  };
  const attach = (c: PosCustomer) =>
    saleApi.setCustomer.mutate(c.id, {
      onSuccess: () => {
        setSearch(null);
        setText('');
      },
      onSettled: refocus,
    });
  const attached = !!saleApi.sale?.customer;
  return (
    <Card title={t('customer.title')}>
      {attached ? (
        <Attached api={saleApi} currency={currency} refocus={refocus} />
      ) : (
        <div className="pz-stack">
          <form className="pz-stack" onSubmit={submit} aria-label={t('customer.find')}>
            <fieldset className="pos-kinds">
              <legend className="visually-hidden">{t('customer.by')}</legend>
              {KINDS.map((k) => (
                <label key={k} className="pos-kind">
                  <input
                    type="radio"
                    name={`${id}-kind`}
                    value={k}
                    checked={kind === k}
                    onChange={() => {
                      setKind(k);
                      setTouched(true);
                    }}
                  />
                  {t(`customer.kind.${k}`)}
                </label>
              ))}
            </fieldset>
            <div className="pos-scan">
              <label htmlFor={`${id}-q`} className="visually-hidden">
                {t('customer.searchLabel')}
              </label>
              <input
                id={`${id}-q`}
                data-testid="pos-customer-search"
                className="pz-input"
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  if (!touched && e.target.value.trim()) setKind(guessKind(e.target.value));
                }}
                placeholder={t('customer.searchPlaceholder')}
                autoComplete="off"
                spellCheck={false}
              />
              <Button type="submit" busy={results.isFetching}>
                {t('customer.search')}
              </Button>
            </div>
          </form>
          {saleApi.setCustomer.isError && <PosProblem error={saleApi.setCustomer.error} />}
          {search && results.isError && (
            <PosProblem error={results.error} onRetry={() => void results.refetch()} />
          )}
          {search && results.isPending && <Skeleton lines={2} />}
          {search && results.data && (
            <Results found={results.data.data} onAttach={attach} busy={saleApi.setCustomer.isPending} />
          )}
        </div>
      )}
    </Card>
  );
};
