/** Staff log in to the till with their e-mail and password (the kit's staff session). */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { applyProblemToForm, Field } from '../../kit/form.tsx';
import { safeNext } from '../../kit/next.ts';
import { useStaffSession } from '../../kit/session.tsx';
import { LanguageSwitch } from '../../kit/shell.tsx';
import { Button, Card } from '../../kit/ui.tsx';
import { PosProblem } from '../problem.tsx';

const schema = z.object({
  email: z.email(),
  password: z.string().min(1),
});
type Values = z.infer<typeof schema>;

const LoginScreen = () => {
  const { t } = useTranslation();
  const { user, login } = useStaffSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [error, setError] = useState<unknown>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: '', password: '' } });
  if (user) return <Navigate to={next} replace />;
  const submit = form.handleSubmit(async (v) => {
    setError(null);
    try {
      await login(v.email, v.password);
      navigate(next, { replace: true });
    } catch (e) {
      if (!applyProblemToForm(e, form.setError, ['email', 'password'])) setError(e);
    }
  });
  const errs = form.formState.errors;
  return (
    <main id="main" className="pos-center">
      <Card>
        <div className="pz-row">
          <h1>{t('login.title')}</h1>
          <span className="pz-spacer" />
          <LanguageSwitch />
        </div>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field
            label={t('login.email')}
            type="email"
            autoComplete="username"
            error={
              errs.email
                ? errs.email.type === 'server'
                  ? errs.email.message
                  : t('login.emailInvalid')
                : undefined
            }
            {...form.register('email')}
          />
          <Field
            label={t('login.password')}
            type="password"
            autoComplete="current-password"
            error={
              errs.password
                ? errs.password.type === 'server'
                  ? errs.password.message
                  : t('login.passwordRequired')
                : undefined
            }
            {...form.register('password')}
          />
          {error !== null && <PosProblem error={error} />}
          <Button type="submit" variant="primary" size="lg" busy={form.formState.isSubmitting}>
            {t('login.submit')}
          </Button>
        </form>
      </Card>
    </main>
  );
};

export default LoginScreen;
