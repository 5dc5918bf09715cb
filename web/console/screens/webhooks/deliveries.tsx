/** An endpoint's deliveries, filtered by status (dead letters with `?status=dead`), with redelivery. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { Problem, SelectField } from '../customers/ui.tsx';
import { DELIVERY_STATUSES, type Delivery, webhookKeys } from './data.ts';

const tone = (s: Delivery['status']) => (s === 'delivered' ? 'success' : s === 'dead' ? 'danger' : 'warning');

export const Deliveries = ({ endpointId }: { endpointId: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const status = DELIVERY_STATUSES.find((s) => s === params.get('status'));
  const pager = useCursorPager();
  const { reset } = pager;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at the first page
  useEffect(() => reset(), [status, reset]);
  const query = useQuery({
    queryKey: webhookKeys.deliveries(endpointId, { status, cursor: pager.cursor }),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/webhooks/{id}/deliveries', {
          params: {
            path: { id: endpointId },
            query: {
              limit: 25,
              ...(status ? { status } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const redeliver = useMutation({
    mutationFn: (d: Delivery) =>
      unwrap(
        staffApi.POST('/admin/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
          params: { path: { id: endpointId, deliveryId: d.id } },
        }),
      ),
    onSuccess: () => {
      toast(t('webhooks.deliveries.redelivered'), 'success');
      return qc.invalidateQueries({ queryKey: ['webhooks', endpointId, 'deliveries'] });
    },
  });
  const columns: ColumnDef<Delivery, unknown>[] = [
    {
      id: 'created',
      header: t('webhooks.deliveries.created'),
      cell: ({ row }) => f.date(row.original.created_at),
    },
    {
      id: 'event',
      header: t('webhooks.deliveries.event'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.event_type}
        </span>
      ),
    },
    {
      id: 'status',
      header: t('webhooks.deliveries.status'),
      cell: ({ row }) => (
        <Badge tone={tone(row.original.status)}>
          {t(`webhooks.deliveries.statuses.${row.original.status}`)}
        </Badge>
      ),
    },
    {
      id: 'attempts',
      header: t('webhooks.deliveries.attempts'),
      cell: ({ row }) => f.number(row.original.attempts),
    },
    {
      id: 'last',
      header: t('webhooks.deliveries.lastAnswer'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {[row.original.last_status, row.original.last_error].filter((x) => x !== null).join(' ')}
        </span>
      ),
    },
    {
      id: 'next',
      header: t('webhooks.deliveries.next'),
      cell: ({ row }) =>
        row.original.status === 'pending'
          ? f.date(row.original.next_attempt_at)
          : row.original.delivered_at
            ? f.date(row.original.delivered_at)
            : '—',
    },
    {
      id: 'actions',
      header: t('customers.common.actions'),
      cell: ({ row }) =>
        row.original.status === 'pending' ? null : (
          <Button
            onClick={() => redeliver.mutate(row.original)}
            busy={redeliver.isPending && redeliver.variables?.id === row.original.id}
            data-testid="delivery-redeliver"
          >
            {t('webhooks.deliveries.redeliver')}
          </Button>
        ),
    },
  ];
  return (
    <Card title={t('webhooks.deliveries.title')}>
      <div className="cx-filters">
        <SelectField
          label={t('webhooks.deliveries.status')}
          value={status ?? ''}
          onChange={(e) => {
            const next = new URLSearchParams(params);
            if (e.target.value) next.set('status', e.target.value);
            else next.delete('status');
            setParams(next, { replace: true });
          }}
          options={[
            { value: '', label: t('webhooks.deliveries.any') },
            ...DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`webhooks.deliveries.statuses.${s}`) })),
          ]}
        />
      </div>
      {redeliver.isError && <Problem error={redeliver.error} />}
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('webhooks.deliveries.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            rowId={(d) => d.id}
            empty={status === 'dead' ? t('webhooks.deliveries.noDead') : t('webhooks.deliveries.empty')}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
    </Card>
  );
};
