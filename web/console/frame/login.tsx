/** Staff login (e-mail + password); goes back to where the user was sent from. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { Field } from '../../kit/form.tsx';
import { safeNext } from '../../kit/next.ts';
import { useStaffSession } from '../../kit/session.tsx';
import { LanguageSwitch } from '../../kit/shell.tsx';
import { Button, Card, ProblemAlert } from '../../kit/ui.tsx';

const schema = z.object({ email: z.email(), password: z.string().min(1) });
type Values = z.infer<typeof schema>;

export const AuthPage = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <main id="main" className="pz-auth">
    <div className="pz-row">
      <span className="pz-spacer" />
      <LanguageSwitch />
    </div>
    <Card title={title}>{children}</Card>
  </main>
);

const Login = () => {
  const { t } = useTranslation();
  const { user, login } = useStaffSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const form = useForm<Values>({ resolver: zodResolver(schema) });
  if (user) return <Navigate to={safeNext(params.get('next'))} replace />;
  const onSubmit = form.handleSubmit(async (v) => {
    setError(undefined);
    try {
      await login(v.email, v.password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      setError(e);
    }
  });
  return (
    <AuthPage title={t('frame.login.title')}>
      <form onSubmit={onSubmit} noValidate>
        <Field
          label={t('frame.login.email')}
          type="email"
          autoComplete="username"
          error={form.formState.errors.email && t('frame.login.emailInvalid')}
          {...form.register('email')}
        />
        <Field
          label={t('frame.login.password')}
          type="password"
          autoComplete="current-password"
          error={form.formState.errors.password && t('frame.login.passwordRequired')}
          {...form.register('password')}
        />
        {error !== undefined && <ProblemAlert error={error} />}
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>
          {t('frame.login.submit')}
        </Button>
      </form>
    </AuthPage>
  );
};

export default Login;
