/** Campaigns: the list (status filter kept in the URL) with each campaign's counts from its rollups. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Badge, ProblemAlert } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import { type CampaignList, campaignKeys, isStatus, LIVE, STATUSES, statusTone } from './data.ts';
import './campaigns.css';

type Row = CampaignList['data'][number];

/** Sent, opened and clicked of one campaign, from GET /admin/campaigns/:id/stats. */
const Counts = ({ row }: { row: Row }) => {
  const f = useFormat();
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: campaignKeys.stats(row.id),
    enabled: row.status !== 'draft',
    queryFn: () => unwrap(staffApi.GET('/admin/campaigns/{id}/stats', { params: { path: { id: row.id } } })),
    refetchInterval: LIVE.includes(row.status) ? 3000 : false,
  });
  if (row.status === 'draft') return <span className="pz-muted">—</span>;
  const m = new Map(Object.entries(query.data?.totals ?? {}));
  return (
    <span className="pz-num" data-testid="campaign-counts">
      {t('campaigns.list.counts', {
        sent: f.number(m.get('sent') ?? 0),
        opened: f.number(m.get('opened') ?? 0),
        clicked: f.number(m.get('clicked') ?? 0),
      })}
    </span>
  );
};

const CampaignsList = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const asked = params.get('status');
  const status = isStatus(asked) ? asked : undefined;
  const query = useQuery({
    queryKey: campaignKeys.list(status),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/campaigns', {
          params: { query: { limit: 100, ...(status ? { status } : {}) } },
        }),
      ),
  });
  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: 'name',
      header: t('campaigns.fields.name'),
      cell: ({ row }) => (
        <Link to={`/campaigns/${row.original.id}`} dir="auto">
          {row.original.name}
        </Link>
      ),
    },
    {
      id: 'status',
      header: t('campaigns.fields.status'),
      cell: ({ row }) => (
        <Badge tone={statusTone(row.original.status)}>{t(`campaigns.statuses.${row.original.status}`)}</Badge>
      ),
    },
    {
      id: 'media',
      header: t('campaigns.fields.media'),
      cell: ({ row }) => row.original.media.map((m) => t(`campaigns.media.${m}`)).join(', '),
    },
    { id: 'counts', header: t('campaigns.list.results'), cell: ({ row }) => <Counts row={row.original} /> },
    {
      id: 'updated',
      header: t('campaigns.fields.updated'),
      cell: ({ row }) => f.date(row.original.updated_at),
    },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('campaigns.title')}</h1>
        <span className="pz-spacer" />
        <Link className="pz-btn" data-variant="primary" to="/campaigns/new" data-testid="campaign-new">
          {t('campaigns.new')}
        </Link>
      </div>
      <p className="pz-muted">{t('campaigns.intro')}</p>
      <div className="cm-fields">
        <SelectField
          label={t('campaigns.list.filter')}
          value={status ?? ''}
          data-testid="campaign-status-filter"
          onChange={(e) => {
            const next = new URLSearchParams(params);
            if (e.target.value) next.set('status', e.target.value);
            else next.delete('status');
            setParams(next, { replace: true });
          }}
          options={[
            { value: '', label: t('campaigns.list.all') },
            ...STATUSES.map((s) => ({ value: s, label: t(`campaigns.statuses.${s}`) })),
          ]}
        />
      </div>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable
          caption={t('campaigns.title')}
          columns={columns}
          data={query.data?.data}
          loading={query.isPending}
          rowId={(c) => c.id}
          rowTestId="campaign-row"
          empty={t('campaigns.empty')}
          onRowClick={(c) => navigate(`/campaigns/${c.id}`)}
        />
      )}
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <CampaignsList />
  </RequireAdmin>
);

export default Guarded;
