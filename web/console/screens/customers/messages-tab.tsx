/**
 * Customer 360, messages: everything Plaza sent or meant to send this person, on every medium, from
 * campaigns, journeys and transactional mail; with why it was not sent, and whether it was opened or clicked.
 */
import type { paths } from '@plaza/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Badge, ProblemAlert } from '../../../kit/ui.tsx';
import { keys } from './data.ts';

type Messages =
  paths['/admin/customers/{id}/messages']['get']['responses'][200]['content']['application/json'];
type Row = Messages['data'][number];

const tone = (s: string) =>
  s === 'sent'
    ? 'success'
    : s === 'failed'
      ? 'danger'
      : s === 'skipped' || s === 'holdout'
        ? 'warning'
        : 'neutral';

const MessagesTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const pager = useCursorPager();
  const query = useQuery({
    queryKey: keys.part(id, 'messages', pager.cursor),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/customers/{id}/messages', {
          params: { path: { id }, query: { limit: 25, ...(pager.cursor ? { cursor: pager.cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Row, unknown>[] = [
    { id: 'at', header: t('customers.messages.at'), cell: ({ row }) => f.date(row.original.created_at) },
    {
      id: 'medium',
      header: t('customers.messages.medium'),
      cell: ({ row }) => t(`campaigns.media.${row.original.medium}`),
    },
    {
      id: 'source',
      header: t('customers.messages.source'),
      cell: ({ row }) => {
        const r = row.original;
        if (r.campaign_id)
          return (
            <Link to={`/campaigns/${r.campaign_id}`}>
              {r.campaign_name ?? t('customers.messages.campaign')}
            </Link>
          );
        if (r.journey_id)
          return (
            <Link to={`/journeys/${r.journey_id}`}>{r.journey_name ?? t('customers.messages.journey')}</Link>
          );
        return t('customers.messages.transactional');
      },
    },
    {
      id: 'status',
      header: t('customers.messages.status'),
      cell: ({ row }) => (
        <Badge tone={tone(row.original.status)}>{t(`campaigns.sendStatuses.${row.original.status}`)}</Badge>
      ),
    },
    {
      id: 'why',
      header: t('customers.messages.why'),
      cell: ({ row }) => {
        const k = row.original.skip_reason ?? row.original.delay_reason;
        return k ? t(`campaigns.reasons.${k}`, { defaultValue: k }) : '—';
      },
    },
    {
      id: 'engagement',
      header: t('customers.messages.engagement'),
      cell: ({ row }) =>
        [
          row.original.delivery &&
            t(`campaigns.deliveries.${row.original.delivery}`, { defaultValue: row.original.delivery }),
          row.original.opened_at && t('campaigns.metrics.opened'),
          row.original.clicked_at && t('campaigns.metrics.clicked'),
          row.original.converted_at && t('campaigns.metrics.converted'),
        ]
          .filter(Boolean)
          .join(' · ') || '—',
    },
  ];
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <div className="pz-stack">
      <DataTable
        caption={t('customers.tabs.messages')}
        columns={columns}
        data={query.data?.data}
        loading={query.isPending}
        rowId={(r) => r.id}
        rowTestId="customer-message"
        empty={t('customers.messages.empty')}
      />
      <Pager pager={pager} nextCursor={query.data?.next_cursor} />
    </div>
  );
};

export default MessagesTab;
