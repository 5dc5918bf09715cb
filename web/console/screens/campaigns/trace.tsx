/**
 * "Why not sent": the campaign's recipients by status and reason (GET /admin/campaigns/:id/sends),
 * keyset paged, each reason in words. The filters live in the URL (`?status=skipped&reason=capped`).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Badge, Card, ProblemAlert } from '../../../kit/ui.tsx';
import {
  type Campaign,
  campaignKeys,
  type Sends,
  type SendsQuery,
  SKIP_REASONS,
  type SkipReason,
} from './data.ts';

type Row = Sends['data'][number];
type SendStatus = NonNullable<SendsQuery['status']>;
const SEND_STATUSES: readonly SendStatus[] = ['skipped', 'holdout', 'failed', 'planned', 'sent', 'cancelled'];
const isSendStatus = (v: string | null): v is SendStatus =>
  !!v && (SEND_STATUSES as readonly string[]).includes(v);
const isReason = (v: string | null): v is SkipReason =>
  !!v && (SKIP_REASONS as readonly string[]).includes(v);

export const WhyNotSent = ({ c }: { c: Campaign }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const pager = useCursorPager();
  const [params, setParams] = useSearchParams();
  const reasonParam = params.get('reason');
  const reason = isReason(reasonParam) ? reasonParam : undefined;
  const statusParam = params.get('status');
  const status: SendStatus = isSendStatus(statusParam) ? statusParam : 'skipped';
  const filters = { status, ...(reason && status === 'skipped' ? { reason } : {}) };
  const query = useQuery({
    queryKey: campaignKeys.sends(c.id, { ...filters, cursor: pager.cursor }),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/campaigns/{id}/sends', {
          params: {
            path: { id: c.id },
            query: { limit: 25, ...filters, ...(pager.cursor ? { cursor: pager.cursor } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k === 'status' && v !== 'skipped') next.delete('reason');
    setParams(next, { replace: true });
    pager.reset();
  };
  const why = (r: Row) => {
    const key = r.skip_reason ?? r.delay_reason;
    return key ? t(`campaigns.reasons.${key}`, { defaultValue: key }) : '—';
  };
  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: 'customer',
      header: t('campaigns.trace.customer'),
      cell: ({ row }) => (
        <Link to={`/customers/${row.original.customer_id}?tab=messages`} className="pz-mono" dir="ltr">
          {row.original.customer_id}
        </Link>
      ),
    },
    {
      id: 'medium',
      header: t('campaigns.results.medium'),
      cell: ({ row }) => t(`campaigns.media.${row.original.medium}`),
    },
    {
      id: 'variant',
      header: t('campaigns.results.variant'),
      cell: ({ row }) => row.original.variant?.toUpperCase() ?? '—',
    },
    {
      id: 'status',
      header: t('campaigns.fields.status'),
      cell: ({ row }) => <Badge>{t(`campaigns.sendStatuses.${row.original.status}`)}</Badge>,
    },
    {
      id: 'why',
      header: t('campaigns.trace.why'),
      cell: ({ row }) => <span data-testid="trace-reason">{why(row.original)}</span>,
    },
    {
      id: 'at',
      header: t('campaigns.trace.at'),
      cell: ({ row }) => f.date(row.original.sent_at ?? row.original.due_at),
    },
  ];
  return (
    <Card title={<span id="why-not-sent">{t('campaigns.trace.title')}</span>}>
      <p className="pz-muted">{t('campaigns.trace.intro')}</p>
      <div className="cm-fields">
        <SelectField
          label={t('campaigns.fields.status')}
          value={status}
          onChange={(e) => setParam('status', e.target.value)}
          options={SEND_STATUSES.map((s) => ({ value: s, label: t(`campaigns.sendStatuses.${s}`) }))}
        />
        {status === 'skipped' && (
          <SelectField
            label={t('campaigns.trace.reason')}
            value={reason ?? ''}
            data-testid="trace-reason-filter"
            onChange={(e) => setParam('reason', e.target.value)}
            options={[
              { value: '', label: t('campaigns.trace.anyReason') },
              ...SKIP_REASONS.map((r) => ({ value: r, label: t(`campaigns.reasons.${r}`) })),
            ]}
          />
        )}
      </div>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('campaigns.trace.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            rowId={(r) => r.id}
            rowTestId="trace-row"
            empty={t('campaigns.trace.empty')}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
    </Card>
  );
};
