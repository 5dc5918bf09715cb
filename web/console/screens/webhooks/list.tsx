/** Webhook endpoints: the list, and registering one (its signing secret is shown once). */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Alert, Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { OneTimeValue, Problem, RequireAdmin, TextAreaField } from '../customers/ui.tsx';
import { type Endpoint, parseTypes, webhookKeys } from './data.ts';

const EXAMPLE_URL = 'https://example.com/plaza';

export const endpointSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  description: z.string().trim().max(500),
  event_types: z.string(),
  max_attempts: z.string().regex(/^([1-9]|1\d|20)$/),
});
export type EndpointValues = z.infer<typeof endpointSchema>;

const CreateEndpoint = ({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [created, setCreated] = useState<{ secret: string; id: string } | undefined>();
  const form = useForm<EndpointValues>({
    resolver: zodResolver(endpointSchema),
    defaultValues: { url: '', description: '', event_types: '', max_attempts: '8' },
  });
  const create = useMutation({
    mutationFn: (v: EndpointValues) =>
      unwrap(
        staffApi.POST('/admin/webhooks', {
          body: {
            url: v.url,
            ...(v.description ? { description: v.description } : {}),
            event_types: parseTypes(v.event_types),
            max_attempts: Number(v.max_attempts),
          },
        }),
      ),
    onSuccess: (r) => {
      setCreated({ secret: r.secret, id: r.endpoint.id });
      form.reset();
      return qc.invalidateQueries({ queryKey: webhookKeys.list });
    },
    onError: (e) =>
      applyProblemToForm(e, form.setError, ['url', 'description', 'event_types', 'max_attempts']),
  });
  const close = (o: boolean) => {
    if (!o) {
      setCreated(undefined);
      create.reset();
    }
    onOpenChange(o);
  };
  const err = form.formState.errors;
  return (
    <Dialog open={open} onOpenChange={close} title={t('webhooks.create.title')}>
      {created ? (
        <div className="pz-stack">
          <Alert tone="success">{t('webhooks.create.done')}</Alert>
          <p>{t('webhooks.secretIntro')}</p>
          <OneTimeValue value={created.secret} testId="webhook-secret" />
          <Button variant="primary" onClick={() => navigate(`/webhooks/${created.id}`)}>
            {t('webhooks.create.openEndpoint')}
          </Button>
        </div>
      ) : (
        <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
          <Field
            label={t('webhooks.fields.url')}
            type="url"
            dir="ltr"
            placeholder={EXAMPLE_URL}
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
          {create.isError && <Problem error={create.error} />}
          <Button type="submit" variant="primary" busy={create.isPending} data-testid="webhook-create-submit">
            {t('webhooks.create.submit')}
          </Button>
        </form>
      )}
    </Dialog>
  );
};

export const EnabledBadge = ({ enabled }: { enabled: boolean }) => {
  const { t } = useTranslation();
  return (
    <Badge tone={enabled ? 'success' : 'neutral'}>
      {enabled ? t('webhooks.enabled') : t('webhooks.disabled')}
    </Badge>
  );
};

const WebhooksList = () => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const query = useQuery({
    queryKey: webhookKeys.list,
    queryFn: () => unwrap(staffApi.GET('/admin/webhooks')),
  });
  const columns: ColumnDef<Endpoint, unknown>[] = [
    {
      id: 'url',
      header: t('webhooks.fields.url'),
      cell: ({ row }) => (
        <Link to={`/webhooks/${row.original.id}`} dir="ltr">
          {row.original.url}
        </Link>
      ),
    },
    {
      id: 'description',
      header: t('webhooks.fields.description'),
      cell: ({ row }) => row.original.description ?? '',
    },
    {
      id: 'types',
      header: t('webhooks.fields.eventTypes'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.event_types.length ? row.original.event_types.join(', ') : t('webhooks.allEvents')}
        </span>
      ),
    },
    {
      id: 'enabled',
      header: t('webhooks.fields.state'),
      cell: ({ row }) => <EnabledBadge enabled={row.original.enabled} />,
    },
    {
      id: 'secret',
      header: t('webhooks.fields.secret'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.secret_hint}
        </span>
      ),
    },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('webhooks.title')}</h1>
        <span className="pz-spacer" />
        <Link className="pz-btn" to="/webhooks/events?status=failed">
          {t('webhooks.events.open')}
        </Link>
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="webhook-create">
          {t('webhooks.create.open')}
        </Button>
      </div>
      <p className="pz-muted">{t('webhooks.intro')}</p>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable
          caption={t('webhooks.title')}
          columns={columns}
          data={query.data?.data}
          loading={query.isPending}
          rowId={(e) => e.id}
          empty={t('webhooks.empty')}
          onRowClick={(e) => navigate(`/webhooks/${e.id}`)}
        />
      )}
      <CreateEndpoint open={creating} onOpenChange={setCreating} />
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <WebhooksList />
  </RequireAdmin>
);

export default Guarded;
