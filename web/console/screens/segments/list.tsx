/** Segments: the list with each segment's size, and the way to the builder. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { CheckField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, useFlagParam } from '../../../kit/table.tsx';
import { Badge, ProblemAlert } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import { type SegmentList, segmentKeys } from './data.ts';

type Row = SegmentList['data'][number];

const SegmentsList = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [archived, setArchived] = useFlagParam('archived');
  const query = useQuery({
    queryKey: segmentKeys.list(archived),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/segments', {
          params: { query: { limit: 100, ...(archived ? { archived: true } : {}) } },
        }),
      ),
  });
  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: 'name',
      header: t('segments.fields.name'),
      cell: ({ row }) => (
        <Link to={`/segments/${row.original.id}`} dir="auto">
          {row.original.name}
        </Link>
      ),
    },
    {
      id: 'size',
      header: t('segments.fields.size'),
      cell: ({ row }) => <span className="pz-num">{f.number(row.original.size)}</span>,
    },
    {
      id: 'refresh',
      header: t('segments.fields.refresh'),
      cell: ({ row }) =>
        t('segments.refresh', {
          count: row.original.refresh_minutes,
          n: f.number(row.original.refresh_minutes),
        }),
    },
    {
      id: 'evaluated',
      header: t('segments.fields.evaluated'),
      cell: ({ row }) => (row.original.last_full_at ? f.date(row.original.last_full_at) : '—'),
    },
    {
      id: 'state',
      header: t('segments.fields.state'),
      cell: ({ row }) =>
        row.original.archived_at ? (
          <Badge>{t('segments.archived')}</Badge>
        ) : (
          <Badge tone="success">{t('segments.active')}</Badge>
        ),
    },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('segments.title')}</h1>
        <span className="pz-spacer" />
        <Link className="pz-btn" data-variant="primary" to="/segments/new" data-testid="segment-new">
          {t('segments.new')}
        </Link>
      </div>
      <p className="pz-muted">{t('segments.intro')}</p>
      <CheckField
        label={t('segments.showArchived')}
        checked={archived}
        onChange={(e) => setArchived(e.target.checked)}
      />
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable
          caption={t('segments.title')}
          columns={columns}
          data={query.data?.data}
          loading={query.isPending}
          rowId={(s) => s.id}
          rowTestId="segment-row"
          empty={t('segments.empty')}
          onRowClick={(s) => navigate(`/segments/${s.id}`)}
        />
      )}
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <SegmentsList />
  </RequireAdmin>
);

export default Guarded;
