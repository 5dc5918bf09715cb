/** One segment: its size over time (uPlot, like the dashboard), its members (paged, CSV), edit and archive. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { LineChart } from '../../../kit/chart.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Alert, Badge, Button, Card, EmptyState } from '../../../kit/ui.tsx';
import { ConfirmAction, RequireAdmin } from '../customers/ui.tsx';
import { type Member, type Segment, segmentKeys } from './data.ts';
import './segments.css';

const Sizes = ({ segment }: { segment: Segment }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useQuery({
    queryKey: segmentKeys.sizes(segment.id),
    queryFn: () =>
      unwrap(staffApi.GET('/admin/segments/{id}/sizes', { params: { path: { id: segment.id } } })),
  });
  const count = useCallback((v: number) => f.number(v), [f.number]);
  const points = query.data?.data;
  const labels = useMemo(() => (points ?? []).map((p) => f.date(p.at)), [points, f.date]);
  const series = useMemo(
    () => [{ label: t('segments.fields.size'), values: (points ?? []).map((p) => p.size) }],
    [points, t],
  );
  return (
    <Card title={t('segments.sizes.title')}>
      <QueryState query={query}>
        {(d) =>
          d.data.length < 2 ? (
            <EmptyState title={t('segments.sizes.few')} />
          ) : (
            <LineChart
              days={labels}
              series={series}
              label={t('segments.sizes.label', { name: segment.name })}
              formatValue={count}
              dayLabel={t('segments.sizes.at')}
              integers
            />
          )
        }
      </QueryState>
    </Card>
  );
};

const Members = ({ segment }: { segment: Segment }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const pager = useCursorPager();
  const query = useQuery({
    queryKey: segmentKeys.members(segment.id, pager.cursor),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/segments/{id}/members', {
          params: {
            path: { id: segment.id },
            query: { limit: 50, ...(pager.cursor ? { cursor: pager.cursor } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Member, unknown>[] = [
    {
      id: 'customer',
      header: t('segments.members.customer'),
      cell: ({ row }) => (
        <Link to={`/customers/${row.original.customer_id}`} dir="auto">
          {row.original.name || row.original.email || row.original.customer_id}
        </Link>
      ),
    },
    {
      id: 'entered',
      header: t('segments.members.entered'),
      cell: ({ row }) => f.date(row.original.entered_at),
    },
  ];
  return (
    <Card
      title={t('segments.members.title')}
      actions={
        <a
          className="pz-btn"
          href={`/admin/segments/${encodeURIComponent(segment.id)}/members.csv`}
          download
          data-testid="segment-csv"
        >
          {t('segments.members.csv')}
        </a>
      }
    >
      <DataTable
        caption={t('segments.members.title')}
        columns={columns}
        data={query.data?.data}
        loading={query.isPending}
        rowId={(m) => m.customer_id}
        rowTestId="segment-member"
        empty={t('segments.members.empty')}
      />
      <Pager pager={pager} nextCursor={query.data?.next_cursor} />
    </Card>
  );
};

const SegmentPage = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const [archiving, setArchiving] = useState(false);
  const query = useQuery({
    queryKey: segmentKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/segments/{id}', { params: { path: { id } } })),
  });
  const archive = useMutation({
    mutationFn: () => unwrap(staffApi.POST('/admin/segments/{id}/archive', { params: { path: { id } } })),
    onSuccess: async () => {
      setArchiving(false);
      await qc.invalidateQueries({ queryKey: segmentKeys.all });
    },
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('segments.breadcrumb')}>
        <Link to="/segments">{t('segments.title')}</Link>
      </nav>
      <QueryState query={query} lines={6}>
        {(s) => (
          <div className="pz-stack">
            <div className="pz-row">
              <h1 dir="auto" data-testid="segment-title">
                {s.name}
              </h1>
              {s.archived_at && <Badge>{t('segments.archived')}</Badge>}
              <span className="pz-spacer" />
              {!s.archived_at && (
                <>
                  <Link className="pz-btn" to={`/segments/${s.id}/edit`}>
                    {t('segments.edit')}
                  </Link>
                  <Button variant="danger" onClick={() => setArchiving(true)}>
                    {t('segments.archive.open')}
                  </Button>
                </>
              )}
            </div>
            {s.description && <p dir="auto">{s.description}</p>}
            <p>
              <span className="sg-count" data-testid="segment-size">
                {f.number(s.size)}
              </span>{' '}
              {t('segments.preview.customers', { count: s.size })}
              {s.last_full_at && (
                <span className="pz-muted">
                  {' '}
                  · {t('segments.evaluatedAt', { date: f.date(s.last_full_at) })}
                </span>
              )}
            </p>
            {s.archived_at && <Alert tone="info">{t('segments.archivedNotice')}</Alert>}
            <details>
              <summary>{t('segments.rulesJson')}</summary>
              <pre className="sg-json" dir="ltr">
                {JSON.stringify(s.rules, null, 2)}
              </pre>
            </details>
            <Sizes segment={s} />
            <Members segment={s} />
            <ConfirmAction
              open={archiving}
              onOpenChange={setArchiving}
              title={t('segments.archive.title')}
              description={t('segments.archive.description')}
              confirmLabel={t('segments.archive.confirm')}
              onConfirm={() => archive.mutate()}
              busy={archive.isPending}
              error={archive.error}
            />
          </div>
        )}
      </QueryState>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <SegmentPage />
  </RequireAdmin>
);

export default Guarded;
