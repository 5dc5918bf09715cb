/** Editing an endpoint (URL, filter, enabled, attempts) and rotating its signing secret. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import {
  CheckField,
  ConfirmAction,
  OneTimeValue,
  Problem,
  SelectField,
  TextAreaField,
} from '../customers/ui.tsx';
import { type Endpoint, parseTypes, webhookKeys } from './data.ts';
import { type EndpointValues, endpointSchema } from './list.tsx';

const GRACES = ['0', '3600', '86400', '604800'] as const;

export const EndpointForm = ({ endpoint }: { endpoint: Endpoint }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [enabled, setEnabled] = useState(endpoint.enabled);
  const form = useForm<EndpointValues>({
    resolver: zodResolver(endpointSchema),
    values: {
      url: endpoint.url,
      description: endpoint.description ?? '',
      event_types: endpoint.event_types.join('\n'),
      max_attempts: String(endpoint.max_attempts),
    },
  });
  const save = useMutation({
    mutationFn: (v: EndpointValues) =>
      unwrap(
        staffApi.PATCH('/admin/webhooks/{id}', {
          params: { path: { id: endpoint.id } },
          body: {
            url: v.url,
            description: v.description || null,
            event_types: parseTypes(v.event_types),
            max_attempts: Number(v.max_attempts),
            enabled,
          },
        }),
      ),
    onSuccess: (e) => {
      qc.setQueryData(webhookKeys.one(endpoint.id), e);
      void qc.invalidateQueries({ queryKey: webhookKeys.list });
      toast(t('webhooks.saved'), 'success');
    },
    onError: (e) =>
      applyProblemToForm(e, form.setError, ['url', 'description', 'event_types', 'max_attempts']),
  });
  const err = form.formState.errors;
  return (
    <Card title={t('webhooks.settings')}>
      <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <Field
          label={t('webhooks.fields.url')}
          type="url"
          dir="ltr"
          error={err.url && (err.url.type === 'server' ? err.url.message : t('webhooks.errors.url'))}
          {...form.register('url')}
        />
        <Field label={t('webhooks.fields.description')} {...form.register('description')} />
        <TextAreaField
          label={t('webhooks.fields.eventTypes')}
          hint={t('webhooks.hints.eventTypes')}
          dir="ltr"
          error={err.event_types?.message}
          {...form.register('event_types')}
        />
        <Field
          label={t('webhooks.fields.maxAttempts')}
          inputMode="numeric"
          error={err.max_attempts && t('webhooks.errors.maxAttempts')}
          {...form.register('max_attempts')}
        />
        <CheckField
          label={t('webhooks.fields.enabled')}
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        {save.isError && <Problem error={save.error} />}
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('webhooks.save')}
        </Button>
      </form>
    </Card>
  );
};

export const RotateSecret = ({ endpoint }: { endpoint: Endpoint }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [grace, setGrace] = useState<(typeof GRACES)[number]>('86400');
  const [confirming, setConfirming] = useState(false);
  const [secret, setSecret] = useState<string | undefined>();
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/webhooks/{id}/rotate-secret', {
          params: { path: { id: endpoint.id } },
          body: { grace_seconds: Number(grace) },
        }),
      ),
    onSuccess: (r) => {
      setSecret(r.secret);
      setConfirming(false);
      qc.setQueryData(webhookKeys.one(endpoint.id), r.endpoint);
      return qc.invalidateQueries({ queryKey: webhookKeys.list });
    },
  });
  return (
    <Card title={t('webhooks.rotate.title')}>
      <p className="pz-muted">{t('webhooks.rotate.intro')}</p>
      <p>
        {t('webhooks.fields.secret')}:{' '}
        <span dir="ltr" className="pz-mono">
          {endpoint.secret_hint}
        </span>
        {endpoint.previous_secret_expires_at && (
          <> · {t('webhooks.rotate.previousUntil', { date: f.date(endpoint.previous_secret_expires_at) })}</>
        )}
      </p>
      {secret && <OneTimeValue value={secret} testId="webhook-new-secret" />}
      <div className="cx-filters">
        <SelectField
          label={t('webhooks.rotate.grace')}
          value={grace}
          onChange={(e) => setGrace(GRACES.find((g) => g === e.target.value) ?? '86400')}
          options={GRACES.map((g) => ({ value: g, label: t(`webhooks.rotate.graces.${g}`) }))}
        />
        <div className="pz-field">
          <Button variant="danger" onClick={() => setConfirming(true)} data-testid="webhook-rotate">
            {t('webhooks.rotate.submit')}
          </Button>
        </div>
      </div>
      <ConfirmAction
        open={confirming}
        onOpenChange={(o) => {
          setConfirming(o);
          if (!o) rotate.reset();
        }}
        title={t('webhooks.rotate.confirmTitle')}
        description={grace === '0' ? t('webhooks.rotate.confirmNow') : t('webhooks.rotate.confirmGrace')}
        confirmLabel={t('webhooks.rotate.submit')}
        busy={rotate.isPending}
        error={rotate.error ?? undefined}
        onConfirm={() => rotate.mutate()}
        testId="webhook-rotate-confirm"
      />
    </Card>
  );
};
