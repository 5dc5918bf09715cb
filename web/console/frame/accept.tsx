/** Accepting an invitation or a password reset link: choose a password, then you are logged in. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { applyProblemToForm, Field } from '../../kit/form.tsx';
import { useStaffSession } from '../../kit/session.tsx';
import { Alert, Button, ProblemAlert } from '../../kit/ui.tsx';
import { AuthPage } from './login.tsx';

const schema = z
  .object({ name: z.string().max(200).optional(), password: z.string().min(10), confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'] });
type Values = z.infer<typeof schema>;

const Accept = () => {
  const { t } = useTranslation();
  const { accept } = useStaffSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const token = params.get('token');
  const form = useForm<Values>({ resolver: zodResolver(schema) });
  if (!token) {
    return (
      <AuthPage title={t('frame.accept.title')}>
        <Alert>{t('frame.accept.noToken')}</Alert>
      </AuthPage>
    );
  }
  const onSubmit = form.handleSubmit(async (v) => {
    setError(undefined);
    try {
      await accept(token, v.password, v.name || undefined);
      navigate('/', { replace: true });
    } catch (e) {
      if (!applyProblemToForm(e, form.setError, ['password', 'name'])) setError(e);
    }
  });
  const errors = form.formState.errors;
  return (
    <AuthPage title={t('frame.accept.title')}>
      <p className="pz-muted">{t('frame.accept.intro')}</p>
      <form onSubmit={onSubmit} noValidate>
        <Field
          label={t('frame.accept.name')}
          autoComplete="name"
          error={errors.name?.message}
          {...form.register('name')}
        />
        <Field
          label={t('frame.accept.password')}
          type="password"
          autoComplete="new-password"
          hint={t('frame.accept.passwordHint')}
          error={
            errors.password &&
            (errors.password.type === 'server' ? errors.password.message : t('frame.accept.passwordHint'))
          }
          {...form.register('password')}
        />
        <Field
          label={t('frame.accept.confirm')}
          type="password"
          autoComplete="new-password"
          error={errors.confirm && t('frame.accept.mismatch')}
          {...form.register('confirm')}
        />
        {error !== undefined && <ProblemAlert error={error} />}
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>
          {t('frame.accept.submit')}
        </Button>
      </form>
    </AuthPage>
  );
};

export default Accept;
