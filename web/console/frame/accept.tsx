/**
 * Accepting an invitation, a password reset or the first owner's set-up link: the page first asks
 * the API what the link is for (without using it), then asks for a password (and, for the first
 * owner, an e-mail: that link names nobody yet). Then you are logged in.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { unwrap } from '../../kit/api.ts';
import { applyProblemToForm, Field } from '../../kit/form.tsx';
import { staffApi, useStaffSession } from '../../kit/session.tsx';
import { Alert, Button, ProblemAlert, Skeleton } from '../../kit/ui.tsx';
import { AuthPage } from './login.tsx';

const schema = z
  .object({
    email: z.union([z.literal(''), z.email()]).optional(),
    name: z.string().max(100).optional(),
    password: z.string().min(10),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'] });
type Values = z.infer<typeof schema>;

const AcceptForm = ({ token }: { token: string }) => {
  const { t } = useTranslation();
  const { accept } = useStaffSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const link = useQuery({
    queryKey: ['staff-link', token],
    queryFn: () => unwrap(staffApi.POST('/admin/auth/link', { body: { token } })),
    retry: false,
  });
  const form = useForm<Values>({ resolver: zodResolver(schema) });
  if (link.isPending) return <Skeleton lines={4} />;
  if (link.isError) return <ProblemAlert error={link.error} />;
  const info = link.data;
  const owner = info.kind === 'owner';
  const onSubmit = form.handleSubmit(async (v) => {
    setError(undefined);
    if (owner && !v.email) {
      form.setError('email', { type: 'required', message: t('frame.login.emailInvalid') });
      return;
    }
    try {
      await accept(token, v.password, v.name || undefined, owner ? v.email : undefined);
      navigate('/', { replace: true });
    } catch (e) {
      if (!applyProblemToForm(e, form.setError, ['password', 'name', 'email'])) setError(e);
    }
  });
  const errors = form.formState.errors;
  return (
    <>
      <p className="pz-muted" data-testid="accept-intro">
        {owner
          ? t('frame.accept.ownerIntro')
          : t(info.kind === 'reset' ? 'frame.accept.resetIntro' : 'frame.accept.inviteIntro', {
              email: info.email ?? '',
              role: t(`frame.roles.${info.role}`),
            })}
      </p>
      <form onSubmit={onSubmit} noValidate>
        {owner && (
          <Field
            label={t('frame.login.email')}
            type="email"
            autoComplete="username"
            error={errors.email?.message}
            {...form.register('email')}
          />
        )}
        <Field
          label={t('frame.accept.name')}
          autoComplete="name"
          defaultValue={info.name ?? ''}
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
    </>
  );
};

const Accept = () => {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token');
  return (
    <AuthPage title={t('frame.accept.title')}>
      {token ? <AcceptForm token={token} /> : <Alert>{t('frame.accept.noToken')}</Alert>}
    </AuthPage>
  );
};

export default Accept;
