/**
 * Events of the outbox, filtered by status and type in the URL: failed ones (an in-process subscriber
 * gave up after its attempts) can be retried; subscribers that already handled an event are skipped.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { Problem, RequireAdmin, SelectField } from '../customers/ui.tsx';
import { EVENT_STATUSES, type PlazaEvent, webhookKeys } from './data.ts';

const tone = (s: PlazaEvent['status']) =>
  s === 'dispatched' ? 'success' : s === 'failed' ? 'danger' : 'warning';

const EventsPage = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const status = EVENT_STATUSES.find((s) => s === params.get('status'));
  const type = params.get('type') ?? '';
  const [draft, setDraft] = useState(type);
  const pager = useCursorPager();
  const { reset } = pager;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at the first page
  useEffect(() => reset(), [status, type, reset]);
  const query = useQuery({
    queryKey: webhookKeys.events({ status, type, cursor: pager.cursor }),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/events', {
          params: {
            query: {
              limit: 25,
              ...(status ? { status } : {}),
              ...(type ? { type } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const retry = useMutation({
    mutationFn: (e: PlazaEvent) =>
      unwrap(staffApi.POST('/admin/events/{id}/retry', { params: { path: { id: e.id } } })),
    onSuccess: () => {
      toast(t('webhooks.events.retried'), 'success');
      return qc.invalidateQueries({ queryKey: ['events'] });
    },
  });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  const onType = (e: FormEvent) => {
    e.preventDefault();
    set('type', draft.trim());
  };
  const columns: ColumnDef<PlazaEvent, unknown>[] = [
    { id: 'at', header: t('webhooks.events.occurred'), cell: ({ row }) => f.date(row.original.occurred_at) },
    {
      id: 'type',
      header: t('webhooks.events.type'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.type}
        </span>
      ),
    },
    {
      id: 'aggregate',
      header: t('webhooks.events.aggregate'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.aggregate_id ?? ''}
        </span>
      ),
    },
    {
      id: 'status',
      header: t('webhooks.deliveries.status'),
      cell: ({ row }) => (
        <Badge tone={tone(row.original.status)}>{t(`webhooks.events.statuses.${row.original.status}`)}</Badge>
      ),
    },
    {
      id: 'attempts',
      header: t('webhooks.deliveries.attempts'),
      cell: ({ row }) => f.number(row.original.attempts),
    },
    {
      id: 'error',
      header: t('webhooks.events.lastError'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.last_error ?? ''}
        </span>
      ),
    },
    {
      id: 'actions',
      header: t('customers.common.actions'),
      cell: ({ row }) =>
        row.original.status === 'failed' ? (
          <Button
            onClick={() => retry.mutate(row.original)}
            busy={retry.isPending && retry.variables?.id === row.original.id}
            data-testid="event-retry"
          >
            {t('webhooks.events.retry')}
          </Button>
        ) : null,
    },
  ];
  return (
    <div className="pz-stack">
      <nav aria-label={t('customers.breadcrumb')}>
        <Link to="/webhooks">{t('webhooks.title')}</Link>
      </nav>
      <h1>{t('webhooks.events.title')}</h1>
      <p className="pz-muted">{t('webhooks.events.intro')}</p>
      <form className="cx-filters" onSubmit={onType}>
        <SelectField
          label={t('webhooks.deliveries.status')}
          value={status ?? ''}
          onChange={(e) => set('status', e.target.value)}
          options={[
            { value: '', label: t('webhooks.deliveries.any') },
            ...EVENT_STATUSES.map((s) => ({ value: s, label: t(`webhooks.events.statuses.${s}`) })),
          ]}
        />
        <div className="cx-grow">
          <Field
            label={t('webhooks.events.type')}
            hint={t('webhooks.events.typeHint')}
            dir="ltr"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <div className="pz-field">
          <Button type="submit">{t('webhooks.events.filter')}</Button>
        </div>
      </form>
      {retry.isError && <Problem error={retry.error} />}
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('webhooks.events.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            rowId={(e) => e.id}
            empty={status === 'failed' ? t('webhooks.events.noFailed') : t('webhooks.events.empty')}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <EventsPage />
  </RequireAdmin>
);

export default Guarded;
