/**
 * The costs entered (GET /admin/analytics/costs, newest first, 1,000 at most), each deletable after a
 * confirmation (DELETE /admin/analytics/costs/{id}): a cost entered by mistake is deleted and entered
 * again, there is no edit.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { ConfirmAction } from '../customers/ui.tsx';
import { type Cost, measureKeys, mediumKeys } from './measure-data.ts';

const LIMIT = 1000;

export const CostList = ({ campaignName }: { campaignName: (id: string) => string }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const [doomed, setDoomed] = useState<Cost | undefined>();
  const costs = useQuery({
    queryKey: measureKeys.costs,
    queryFn: async () => (await unwrap(staffApi.GET('/admin/analytics/costs'))).data,
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(staffApi.DELETE('/admin/analytics/costs/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      setDoomed(undefined);
      toast(t('analytics.costs.deleted'), 'success');
      return Promise.all([
        qc.invalidateQueries({ queryKey: ['analytics', 'costs'] }),
        qc.invalidateQueries({ queryKey: ['analytics', 'campaigns'] }),
      ]);
    },
  });
  const columns = useMemo<ColumnDef<Cost, unknown>[]>(
    () => [
      {
        id: 'date',
        header: t('analytics.costs.date'),
        cell: ({ row }) => (
          <span className="an-nowrap">{fmt.day(`${row.original.incurred_on}T12:00:00Z`)}</span>
        ),
      },
      {
        id: 'campaign',
        header: t('analytics.costs.campaign'),
        cell: ({ row }) => (
          <span data-testid="cost-row-campaign" dir="auto">
            {campaignName(row.original.campaign_id)}
          </span>
        ),
      },
      {
        id: 'medium',
        header: t('analytics.costs.medium'),
        cell: ({ row }) => t(mediumKeys(row.original.medium), { defaultValue: row.original.medium }),
      },
      {
        id: 'kind',
        header: t('analytics.costs.kind'),
        cell: ({ row }) =>
          t(`analytics.costs.kinds.${row.original.kind}`, { defaultValue: row.original.kind }),
      },
      {
        id: 'amount',
        header: t('analytics.costs.amount'),
        cell: ({ row }) => (
          <span className="pz-num an-nowrap" data-testid="cost-row-amount">
            {fmt.money(row.original.amount, row.original.currency)}
          </span>
        ),
      },
      {
        id: 'note',
        header: t('analytics.costs.note'),
        cell: ({ row }) => <span dir="auto">{row.original.note ?? ''}</span>,
      },
      {
        id: 'actions',
        header: () => <span className="visually-hidden">{t('analytics.costs.actions')}</span>,
        cell: ({ row }) => (
          <Button
            variant="ghost"
            onClick={() => {
              remove.reset();
              setDoomed(row.original);
            }}
            aria-label={t('analytics.costs.deleteOne', {
              campaign: campaignName(row.original.campaign_id),
              amount: fmt.money(row.original.amount, row.original.currency),
            })}
            data-testid="cost-delete"
          >
            {t('analytics.costs.delete')}
          </Button>
        ),
      },
    ],
    [t, fmt, campaignName, remove],
  );
  return (
    <Card title={t('analytics.costs.title')}>
      <QueryState query={costs} lines={4}>
        {(list) => (
          <div className="pz-stack">
            <DataTable
              columns={columns}
              data={list}
              caption={t('analytics.costs.title')}
              empty={t('analytics.costs.empty')}
              rowId={(c) => c.id}
              rowTestId="cost-row"
            />
            {list.length >= LIMIT && (
              <p className="pz-muted">{t('analytics.costs.more', { n: fmt.number(LIMIT) })}</p>
            )}
          </div>
        )}
      </QueryState>
      <ConfirmAction
        open={doomed !== undefined}
        onOpenChange={(open) => !open && setDoomed(undefined)}
        title={t('analytics.costs.deleteTitle')}
        description={
          doomed &&
          t('analytics.costs.deleteText', {
            campaign: campaignName(doomed.campaign_id),
            amount: fmt.money(doomed.amount, doomed.currency),
            date: fmt.day(`${doomed.incurred_on}T12:00:00Z`),
          })
        }
        confirmLabel={t('analytics.costs.delete')}
        onConfirm={() => doomed && remove.mutate(doomed.id)}
        busy={remove.isPending}
        error={remove.error}
        testId="cost-delete-confirm"
      />
    </Card>
  );
};
