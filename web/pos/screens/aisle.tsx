/**
 * Endless aisle: what this store lacks is ordered from the rest of the network, shipped to the
 * customer or picked up later at a store, paid now by card or (for a pickup) at the store.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { ApiError, unwrap } from '../../kit/api.ts';
import { Field } from '../../kit/form.tsx';
import { useFormat } from '../../kit/format.ts';
import { Alert, Button, Card, EmptyState } from '../../kit/ui.tsx';
import { type AisleBody, type AisleResult, api, keys, newKey } from '../api.ts';
import { PosProblem } from '../problem.tsx';
import { useSale } from '../sale/use-sale.ts';
import { usePosStore } from '../store.tsx';

const schema = z.object({
  email: z.union([z.literal(''), z.email()]),
  type: z.enum(['shipping', 'pickup']),
  name: z.string(),
  line1: z.string(),
  city: z.string(),
  postal_code: z.string(),
  country: z.string(),
  pickup_location_id: z.string(),
  provider: z.enum(['test-card', 'pay-in-store']),
  card_number: z.string(),
});
type Values = z.infer<typeof schema>;
const ADDRESS = ['name', 'line1', 'city', 'postal_code', 'country'] as const;

const Done = ({ result, onNext }: { result: AisleResult; onNext: () => void }) => {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Card title={t('aisle.done', { number: result.order.number })}>
      <Alert tone="success">
        {t('aisle.doneDetail', {
          total: f.money(result.order.total, result.order.currency),
          status: t(`aisle.status.${result.order.status}`, { defaultValue: result.order.status }),
        })}
      </Alert>
      {result.order_token && <p className="pz-muted">{t('aisle.guest')}</p>}
      <Button variant="primary" onClick={onNext}>
        {t('aisle.next')}
      </Button>
    </Card>
  );
};

const AisleScreen = () => {
  const { t } = useTranslation();
  const { location, channel } = usePosStore();
  const [params] = useSearchParams();
  const { sale } = useSale();
  const customer = sale?.customer ?? null;
  const [items, setItems] = useState<{ code: string; quantity: number }[]>(() => {
    const code = params.get('code');
    return code ? [{ code, quantity: 1 }] : [];
  });
  const [code, setCode] = useState('');
  const key = useRef(newKey());
  const stores = useQuery({
    queryKey: keys.locations,
    queryFn: () => unwrap(api.GET('/admin/locations', { params: { query: { type: 'store', limit: 200 } } })),
  });
  const pickupStores = (stores.data?.data ?? []).filter((l) => l.pickup && l.active);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      email: customer?.email ?? '',
      type: 'shipping',
      name: customer?.name ?? '',
      line1: '',
      city: '',
      postal_code: '',
      country: location.address.country,
      pickup_location_id: location.pickup ? location.id : '',
      provider: 'test-card',
      card_number: '4242 4242 4242 4242',
    },
  });
  const type = form.watch('type');
  const provider = form.watch('provider');
  const order = useMutation({
    mutationFn: (body: AisleBody) =>
      unwrap(
        api.POST('/admin/pos/endless-aisle', {
          params: { header: { 'Idempotency-Key': key.current } },
          body,
        }),
      ),
    onError: (e) => {
      key.current = newKey();
      if (e instanceof ApiError) {
        for (const f of ADDRESS) {
          const m = e.fieldError(`body.fulfillment.address.${f}`);
          if (m) form.setError(f, { type: 'server', message: m });
        }
        const em = e.fieldError('body.email');
        if (em) form.setError('email', { type: 'server', message: em });
      }
    },
  });
  const addCode = (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim();
    if (!c) return;
    setItems((xs) => {
      const i = xs.findIndex((x) => x.code === c);
      return i < 0
        ? [...xs, { code: c, quantity: 1 }]
        : xs.map((x, j) => (j === i ? { ...x, quantity: x.quantity + 1 } : x));
    });
    setCode('');
  };
  const submit = form.handleSubmit((v) => {
    let bad = false;
    if (v.type === 'shipping')
      for (const f of ADDRESS)
        if (!v[f].trim()) {
          form.setError(f, { type: 'required', message: t('aisle.required') });
          bad = true;
        }
    if (v.type === 'pickup' && !v.pickup_location_id) bad = true;
    if (!customer && !v.email) {
      form.setError('email', { type: 'required', message: t('aisle.emailRequired') });
      bad = true;
    }
    if (bad) return;
    const fulfillment: AisleBody['fulfillment'] =
      v.type === 'shipping'
        ? {
            type: 'shipping',
            address: {
              name: v.name,
              line1: v.line1,
              city: v.city,
              postal_code: v.postal_code,
              country: v.country.toUpperCase(),
            },
          }
        : { type: 'pickup', location_id: v.pickup_location_id };
    const payment: AisleBody['payment'] =
      v.provider === 'pay-in-store' && v.type === 'pickup'
        ? { provider: 'pay-in-store' }
        : { provider: 'test-card', card_number: v.card_number.replace(/\s/g, '') };
    order.mutate({
      channel_id: channel.id,
      items,
      ...(customer ? { customer_id: customer.id } : {}),
      ...(v.email ? { email: v.email } : {}),
      fulfillment,
      payment,
    });
  });
  const errs = form.formState.errors;
  const msg = (k: keyof Values) => errs[k]?.message;
  if (order.data)
    return (
      <Done
        result={order.data}
        onNext={() => {
          order.reset();
          key.current = newKey();
          setItems([]);
        }}
      />
    );
  return (
    <div className="pos-split">
      <section className="pz-stack" aria-labelledby="pos-aisle-title">
        <h1 id="pos-aisle-title">{t('aisle.title')}</h1>
        <p className="pz-muted">{t('aisle.hint')}</p>
        <Card title={t('aisle.items')}>
          <form className="pos-scan" onSubmit={addCode}>
            <label htmlFor="pos-aisle-code" className="visually-hidden">
              {t('sale.scanLabel')}
            </label>
            <input
              id="pos-aisle-code"
              className="pz-input"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              placeholder={t('sale.scanPlaceholder')}
              autoComplete="off"
              spellCheck={false}
            />
            <Button type="submit">{t('sale.add')}</Button>
          </form>
          {items.length === 0 ? (
            <EmptyState title={t('aisle.noItems')} />
          ) : (
            <ul className="pos-list">
              {items.map((it) => (
                <li key={it.code} className="pos-select-row">
                  <span className="pz-mono">{it.code}</span>
                  <span className="pz-num">× {it.quantity}</span>
                  <Button
                    variant="ghost"
                    aria-label={t('sale.remove', { title: it.code })}
                    onClick={() => setItems((xs) => xs.filter((x) => x.code !== it.code))}
                  >
                    {t('sale.removeShort')}
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </section>
      <Card title={t('aisle.deliver')}>
        <form className="pz-stack" onSubmit={(e) => void submit(e)} noValidate>
          {customer ? (
            <p>{t('aisle.forCustomer', { name: customer.name ?? customer.email ?? customer.id })}</p>
          ) : (
            <Field label={t('aisle.email')} type="email" error={msg('email')} {...form.register('email')} />
          )}
          <fieldset className="pos-kinds">
            <legend>{t('aisle.how')}</legend>
            <label className="pos-kind">
              <input type="radio" value="shipping" {...form.register('type')} />
              {t('aisle.shipping')}
            </label>
            <label className="pos-kind">
              <input type="radio" value="pickup" {...form.register('type')} />
              {t('aisle.pickup')}
            </label>
          </fieldset>
          {type === 'shipping' ? (
            <>
              <Field
                label={t('aisle.name')}
                autoComplete="off"
                error={msg('name')}
                {...form.register('name')}
              />
              <Field
                label={t('aisle.line1')}
                autoComplete="off"
                error={msg('line1')}
                {...form.register('line1')}
              />
              <div className="pz-row">
                <Field label={t('aisle.city')} error={msg('city')} {...form.register('city')} />
                <Field
                  label={t('aisle.postalCode')}
                  error={msg('postal_code')}
                  {...form.register('postal_code')}
                />
                <Field
                  label={t('aisle.country')}
                  maxLength={2}
                  error={msg('country')}
                  {...form.register('country')}
                />
              </div>
            </>
          ) : (
            <div className="pz-field">
              <label htmlFor="pos-aisle-store">{t('aisle.pickupStore')}</label>
              <select id="pos-aisle-store" className="pz-select" {...form.register('pickup_location_id')}>
                {pickupStores.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <fieldset className="pos-kinds">
            <legend>{t('aisle.payment')}</legend>
            <label className="pos-kind">
              <input type="radio" value="test-card" {...form.register('provider')} />
              {t('pay.tenders.card')}
            </label>
            {type === 'pickup' && (
              <label className="pos-kind">
                <input type="radio" value="pay-in-store" {...form.register('provider')} />
                {t('aisle.payInStore')}
              </label>
            )}
          </fieldset>
          {(provider === 'test-card' || type === 'shipping') && (
            <Field
              label={t('pay.cardNumber')}
              inputMode="numeric"
              hint={t('pay.cardHint')}
              {...form.register('card_number')}
            />
          )}
          {order.isError && <PosProblem error={order.error} />}
          <Button
            type="submit"
            variant="primary"
            size="lg"
            disabled={items.length === 0}
            busy={order.isPending}
          >
            {t('aisle.submit')}
          </Button>
        </form>
      </Card>
    </div>
  );
};

export default AisleScreen;
