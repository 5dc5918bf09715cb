/**
 * Checkout: delivery to an address or pickup at a store, then the sandbox test card. Each attempt
 * carries its own Idempotency-Key (kept when the answer was lost, so a retry cannot pay twice);
 * CHECKOUT_IN_PROGRESS and INSUFFICIENT_STOCK are shown with what to do.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { newIdempotencyKey } from '@plaza/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { ApiError, unwrap } from '../../kit/api.ts';
import { Field } from '../../kit/form.tsx';
import { QueryState } from '../../kit/states.tsx';
import { Button, Card, EmptyState } from '../../kit/ui.tsx';
import { useCartEvent } from '../analytics.ts';
import { CART_KEY, type Cart, cartHeader, useCart } from '../cart.ts';
import { chosenStore } from '../parts.tsx';
import { ShopProblem } from '../problem.tsx';
import { rememberOrderToken, useShop, writeGuestCart } from '../session.tsx';
import { Line, Totals } from './lines.tsx';

const values = z.object({
  email: z.string(),
  mode: z.enum(['shipping', 'pickup']),
  location_id: z.string(),
  name: z.string(),
  line1: z.string(),
  line2: z.string(),
  city: z.string(),
  region: z.string(),
  postal_code: z.string(),
  country: z.string(),
  pay: z.enum(['card', 'store']),
  card: z.string(),
});
type Values = z.infer<typeof values>;
const ADDRESS = ['name', 'line1', 'city', 'postal_code'] as const;

const schemaFor = (guest: boolean) =>
  values.superRefine((v, ctx) => {
    if (guest && !z.email().safeParse(v.email).success)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'email' });
    if (v.mode === 'pickup' && !v.location_id)
      ctx.addIssue({ code: 'custom', path: ['location_id'], message: 'required' });
    if (v.mode === 'shipping') {
      for (const f of ADDRESS)
        if (!v[f].trim()) ctx.addIssue({ code: 'custom', path: [f], message: 'required' });
      if (!/^[A-Za-z]{2}$/.test(v.country))
        ctx.addIssue({ code: 'custom', path: ['country'], message: 'country' });
    }
  });

/** Keys that stay for a retry: only when no answer said what happened (network, 5xx, in progress). */
const keepKey = (e: unknown): boolean =>
  !(e instanceof ApiError) || e.status === 0 || e.status >= 500 || e.code === 'IDEMPOTENCY_IN_PROGRESS';

const CheckoutForm = ({ cart }: { cart: Cart }) => {
  const { t } = useTranslation();
  const s = useShop();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const attemptKey = useRef<string | null>(null);
  const [error, setError] = useState<unknown>();
  const stores = useQuery({
    queryKey: ['catalog', 'pickup-stores'],
    queryFn: () => unwrap(s.api.GET('/store/locations')),
    select: (d) => d.data.filter((l) => l.pickup && l.active),
  });
  const schema = useMemo(() => schemaFor(!s.loggedIn), [s.loggedIn]);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      email: cart.email ?? '',
      mode: cart.fulfillment?.type ?? (chosenStore() ? 'pickup' : 'shipping'),
      location_id: (cart.fulfillment?.type === 'pickup' ? cart.fulfillment.location_id : chosenStore()) ?? '',
      name: '',
      line1: '',
      line2: '',
      city: '',
      region: '',
      postal_code: '',
      country: 'US',
      pay: 'card',
      card: '4242 4242 4242 4242',
    },
  });
  const mode = form.watch('mode');
  const pay = form.watch('pay');
  // A logged-in shopper's default address fills the delivery form (until they type their own).
  const me = useQuery({
    queryKey: ['me'],
    enabled: s.loggedIn,
    queryFn: () => unwrap(s.api.GET('/store/customers/me')),
  });
  const saved = me.data?.addresses.find((a) => a.is_default_shipping) ?? me.data?.addresses[0];
  useEffect(() => {
    if (!saved || form.getFieldState('line1').isDirty) return;
    form.reset(
      {
        ...form.getValues(),
        name: saved.name ?? '',
        line1: saved.line1,
        line2: saved.line2 ?? '',
        city: saved.city,
        region: saved.region ?? '',
        postal_code: saved.postal_code ?? '',
        country: saved.country,
      },
      { keepDirtyValues: true },
    );
  }, [saved, form]);
  const err = form.formState.errors;
  const msg = (k: keyof Values) =>
    err[k] ? t(`checkout.invalid.${err[k]?.message ?? 'required'}`) : undefined;

  const onSubmit = form.handleSubmit(async (v) => {
    setError(undefined);
    try {
      const header = cartHeader(s);
      const priced = await unwrap(
        s.api.PUT('/store/carts/{id}/fulfillment', {
          params: { path: { id: cart.id }, header },
          body:
            v.mode === 'pickup'
              ? { type: 'pickup', location_id: v.location_id }
              : {
                  type: 'shipping',
                  address: {
                    name: v.name.trim(),
                    line1: v.line1.trim(),
                    ...(v.line2.trim() ? { line2: v.line2.trim() } : {}),
                    city: v.city.trim(),
                    ...(v.region.trim() ? { region: v.region.trim() } : {}),
                    postal_code: v.postal_code.trim(),
                    country: v.country.toUpperCase(),
                  },
                },
        }),
      );
      qc.setQueryData(CART_KEY, priced);
      attemptKey.current ??= newIdempotencyKey();
      const result = await unwrap(
        s.api.POST('/store/carts/{id}/checkout', {
          params: { path: { id: cart.id }, header: { 'Idempotency-Key': attemptKey.current, ...header } },
          body: {
            ...(s.loggedIn ? {} : { email: v.email.trim() }),
            payment:
              v.mode === 'pickup' && v.pay === 'store'
                ? { provider: 'pay-in-store' }
                : { provider: 'test-card', card_number: v.card.replaceAll(' ', '') },
            expected_total: priced.total,
          },
        }),
      );
      attemptKey.current = null;
      if (result.order_token) rememberOrderToken(result.order.id, result.order_token);
      if (!s.loggedIn) writeGuestCart(null);
      await qc.invalidateQueries({ queryKey: CART_KEY });
      void qc.invalidateQueries({ queryKey: ['orders'] });
      void navigate(`/orders/${result.order.id}?placed=1`, { replace: true });
    } catch (e) {
      if (!keepKey(e)) attemptKey.current = null;
      setError(e);
      // The cart may have changed (stock, prices): show it as Plaza sees it now.
      void qc.invalidateQueries({ queryKey: CART_KEY });
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="pz-stack">
      {!s.loggedIn && (
        <Card title={t('checkout.contact')}>
          <Field
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            error={msg('email')}
            dir="ltr"
            {...form.register('email')}
          />
          <p className="pz-muted">
            <Link to="/login?next=/checkout">{t('checkout.loginInstead')}</Link>
          </p>
        </Card>
      )}
      <Card title={t('checkout.fulfillment')}>
        <fieldset className="pz-stack" style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend className="visually-hidden">{t('checkout.fulfillment')}</legend>
          <label className="shop-choice">
            <input type="radio" value="shipping" {...form.register('mode')} />
            {t('checkout.delivery')}
          </label>
          <label className="shop-choice">
            <input type="radio" value="pickup" {...form.register('mode')} />
            {t('checkout.pickup')}
          </label>
        </fieldset>
        {mode === 'pickup' ? (
          <div className="pz-field">
            <label htmlFor="co-store">{t('checkout.store')}</label>
            <select
              id="co-store"
              className="pz-select"
              aria-invalid={err.location_id ? true : undefined}
              {...form.register('location_id')}
            >
              <option value="">{t('checkout.chooseStore')}</option>
              {(stores.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name} — {l.address.line1}, {l.address.city}
                </option>
              ))}
            </select>
            {err.location_id && (
              <span className="pz-error" role="alert">
                {msg('location_id')}
              </span>
            )}
          </div>
        ) : (
          <div>
            <Field
              label={t('checkout.name')}
              autoComplete="name"
              error={msg('name')}
              dir="auto"
              {...form.register('name')}
            />
            <Field
              label={t('checkout.line1')}
              autoComplete="address-line1"
              error={msg('line1')}
              dir="auto"
              {...form.register('line1')}
            />
            <Field
              label={t('checkout.line2')}
              autoComplete="address-line2"
              dir="auto"
              {...form.register('line2')}
            />
            <Field
              label={t('checkout.city')}
              autoComplete="address-level2"
              error={msg('city')}
              dir="auto"
              {...form.register('city')}
            />
            <Field
              label={t('checkout.region')}
              autoComplete="address-level1"
              dir="auto"
              {...form.register('region')}
            />
            <Field
              label={t('checkout.postalCode')}
              autoComplete="postal-code"
              error={msg('postal_code')}
              dir="auto"
              {...form.register('postal_code')}
            />
            <Field
              label={t('checkout.country')}
              autoComplete="country"
              maxLength={2}
              error={msg('country')}
              {...form.register('country')}
            />
          </div>
        )}
      </Card>
      <Card title={t('checkout.payment')}>
        {mode === 'pickup' && (
          <fieldset className="pz-stack" style={{ border: 'none', padding: 0, margin: '0 0 var(--space-3)' }}>
            <legend className="visually-hidden">{t('checkout.payment')}</legend>
            <label className="shop-choice">
              <input type="radio" value="card" {...form.register('pay')} />
              {t('checkout.payCard')}
            </label>
            <label className="shop-choice">
              <input type="radio" value="store" {...form.register('pay')} />
              {t('checkout.payStore')}
            </label>
          </fieldset>
        )}
        {(mode === 'shipping' || pay === 'card') && (
          <Field
            label={t('checkout.card')}
            inputMode="numeric"
            autoComplete="cc-number"
            hint={t('checkout.testCards')}
            error={msg('card')}
            dir="ltr"
            {...form.register('card')}
          />
        )}
      </Card>
      {error !== undefined && (
        <ShopProblem
          error={error}
          note={
            error instanceof ApiError && error.code === 'INSUFFICIENT_STOCK'
              ? t('problems.fixCart')
              : undefined
          }
        />
      )}
      <Button type="submit" variant="primary" size="lg" busy={form.formState.isSubmitting}>
        {t('checkout.placeOrder')}
      </Button>
    </form>
  );
};

const Checkout = () => {
  const { t } = useTranslation();
  const cart = useCart();
  useCartEvent('Checkout Started', cart.data);
  return (
    <>
      <h1>{t('checkout.title')}</h1>
      <QueryState query={cart} lines={6}>
        {(c) =>
          !c || c.lines.length === 0 ? (
            <EmptyState title={t('cart.empty')}>
              <Link to="/">{t('checkout.backToShop')}</Link>
            </EmptyState>
          ) : (
            <div className="shop-two">
              <CheckoutForm cart={c} />
              <Card title={t('checkout.summary')}>
                <ul className="shop-lines">
                  {c.lines.map((l) => (
                    <Line key={l.id} cart={c} line={l} editable />
                  ))}
                </ul>
                <Totals cart={c} />
              </Card>
            </div>
          )
        }
      </QueryState>
    </>
  );
};

export default Checkout;
