/**
 * Log in and sign up. Logging in sends this browser's guest cart (`x-plaza-cart-token`): Plaza merges
 * it into the account's cart and says what it had to change; signing up logs in right after.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { unwrap } from '../../kit/api.ts';
import { applyProblemToForm, Field } from '../../kit/form.tsx';
import { safeNext } from '../../kit/next.ts';
import { useToast } from '../../kit/toaster.tsx';
import { Button, Card } from '../../kit/ui.tsx';
import { shopAnalytics } from '../analytics.ts';
import { CART_KEY } from '../cart.ts';
import { ShopProblem } from '../problem.tsx';
import { readGuestCart, useShop, writeGuestCart } from '../session.tsx';

/** Logs in with the guest cart; answers the merge's adjustments for a notice. */
const useLogin = () => {
  const s = useShop();
  const qc = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  return async (email: string, password: string) => {
    const guest = readGuestCart();
    const answer = await unwrap(
      s.api.POST('/store/auth/token', {
        params: { header: guest ? { 'x-plaza-cart-token': guest.token } : {} },
        body: { email, password },
      }),
    );
    writeGuestCart(null);
    s.setToken(answer.token);
    // The customer id is the userId Plaza's identity resolution knows.
    shopAnalytics.identify(answer.customer.id);
    if (answer.cart_merge) {
      qc.setQueryData(CART_KEY, answer.cart_merge.cart);
      const changed = answer.cart_merge.adjustments;
      if (changed.length > 0)
        toast(
          t('auth.mergeAdjusted', {
            lines: changed
              .map((a) => `${a.sku}: ${t(`auth.adjust.${a.reason}`, { n: a.quantity })}`)
              .join('; '),
          }),
          'info',
        );
      else if (guest) toast(t('auth.merged'), 'success');
    }
  };
};

const loginSchema = z.object({ email: z.email(), password: z.string().min(1) });
type LoginValues = z.infer<typeof loginSchema>;

export const Login = () => {
  const { t } = useTranslation();
  const { loggedIn } = useShop();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [error, setError] = useState<unknown>();
  const form = useForm<LoginValues>({ resolver: zodResolver(loginSchema) });
  const next = safeNext(params.get('next'), '/account');
  if (loggedIn && !form.formState.isSubmitting) return <Navigate to={next} replace />;
  const onSubmit = form.handleSubmit(async (v) => {
    setError(undefined);
    try {
      await login(v.email, v.password);
      void navigate(next, { replace: true });
    } catch (e) {
      setError(e);
    }
  });
  return (
    <div className="shop-narrow">
      <h1>{t('auth.loginTitle')}</h1>
      <Card>
        <form onSubmit={onSubmit} noValidate>
          <Field
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            error={form.formState.errors.email && t('auth.emailInvalid')}
            dir="ltr"
            {...form.register('email')}
          />
          <Field
            label={t('auth.password')}
            type="password"
            autoComplete="current-password"
            error={form.formState.errors.password && t('auth.passwordRequired')}
            {...form.register('password')}
          />
          {error !== undefined && <ShopProblem error={error} />}
          <div className="pz-row">
            <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>
              {t('auth.login')}
            </Button>
            <Link to={`/signup?next=${encodeURIComponent(next)}`}>{t('auth.toSignup')}</Link>
          </div>
        </form>
      </Card>
    </div>
  );
};

const signupSchema = z.object({
  first_name: z.string().max(100),
  last_name: z.string().max(100),
  email: z.email(),
  password: z.string().min(8).max(128),
});
type SignupValues = z.infer<typeof signupSchema>;

export const Signup = () => {
  const { t } = useTranslation();
  const s = useShop();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [error, setError] = useState<unknown>();
  const form = useForm<SignupValues>({
    resolver: zodResolver(signupSchema),
    defaultValues: { first_name: '', last_name: '', email: '', password: '' },
  });
  const next = safeNext(params.get('next'), '/account');
  if (s.loggedIn && !form.formState.isSubmitting) return <Navigate to={next} replace />;
  const onSubmit = form.handleSubmit(async (v) => {
    setError(undefined);
    try {
      await unwrap(
        s.api.POST('/store/customers', {
          body: {
            email: v.email,
            password: v.password,
            ...(v.first_name ? { first_name: v.first_name } : {}),
            ...(v.last_name ? { last_name: v.last_name } : {}),
          },
        }),
      );
      await login(v.email, v.password);
      void navigate(next, { replace: true });
    } catch (e) {
      if (!applyProblemToForm(e, form.setError, ['email', 'password', 'first_name', 'last_name']))
        setError(e);
    }
  });
  const err = form.formState.errors;
  return (
    <div className="shop-narrow">
      <h1>{t('auth.signupTitle')}</h1>
      <Card>
        <form onSubmit={onSubmit} noValidate>
          <Field
            label={t('auth.firstName')}
            autoComplete="given-name"
            error={err.first_name?.message}
            dir="auto"
            {...form.register('first_name')}
          />
          <Field
            label={t('auth.lastName')}
            autoComplete="family-name"
            error={err.last_name?.message}
            dir="auto"
            {...form.register('last_name')}
          />
          <Field
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            error={err.email && (err.email.type === 'server' ? err.email.message : t('auth.emailInvalid'))}
            dir="ltr"
            {...form.register('email')}
          />
          <Field
            label={t('auth.password')}
            type="password"
            autoComplete="new-password"
            hint={t('auth.passwordHint')}
            error={
              err.password && (err.password.type === 'server' ? err.password.message : t('auth.passwordHint'))
            }
            {...form.register('password')}
          />
          {error !== undefined && <ShopProblem error={error} />}
          <div className="pz-row">
            <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>
              {t('auth.signup')}
            </Button>
            <Link to={`/login?next=${encodeURIComponent(next)}`}>{t('auth.toLogin')}</Link>
          </div>
        </form>
      </Card>
    </div>
  );
};

export default Login;
