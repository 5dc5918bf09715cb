/**
 * Replenishment: the open suggestions of the last run. Transfers (from → to, SKU, quantity, reason,
 * the policy's figures in a disclosure) and purchase orders (one per supplier and receiving location,
 * GET /admin/replenishment/purchase-orders), each with ticks and Accept / Dismiss.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Card, EmptyState, ProblemAlert } from '../../../kit/ui.tsx';
import { LocationSelect, useLocationName, useUrlFilters } from '../inventory/common.tsx';
import { forecastKeys, type SuggestedOrder, type Suggestion, seriesPath } from './data.ts';
import { DecisionBar, type Selection, Tick, useSelection } from './decide.tsx';
import { SkuFilter } from './forecasts.tsx';
import { ForecastingPage } from './page.tsx';
import { PolicyDetails, Reason } from './policy-details.tsx';

const SkuLink = ({ sku, location }: { sku: string; location: string }) => (
  <Link className="pz-mono" to={seriesPath(sku, location)}>
    {sku}
  </Link>
);

interface Filter {
  sku: string;
  location: string;
}

const Transfers = ({ filter }: { filter: Filter }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const selection = useSelection();
  const pager = useCursorPager();
  const { reset } = pager;
  const { clear } = selection;
  // biome-ignore lint/correctness/useExhaustiveDependencies: back to the first page, nothing ticked, when the filter changes
  useEffect(() => {
    reset();
    clear();
  }, [filter.sku, filter.location, reset]);
  const list = useQuery({
    queryKey: [...forecastKeys.suggestions('transfer'), filter, pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/replenishment/suggestions', {
          params: {
            query: {
              kind: 'transfer',
              status: 'open',
              limit: 100,
              ...(filter.sku ? { sku: filter.sku } : {}),
              ...(filter.location ? { location_id: filter.location } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.data ?? [];
  const columns: ColumnDef<Suggestion, unknown>[] = [
    {
      id: 'tick',
      header: () => (
        <Tick selection={selection} ids={rows.map((r) => r.id)} label={t('forecasting.decide.tickAll')} />
      ),
      cell: ({ row }) => (
        <Tick
          selection={selection}
          ids={[row.original.id]}
          label={t('forecasting.decide.tick', { sku: row.original.sku })}
          testId="transfer-tick"
        />
      ),
    },
    {
      header: t('forecasting.transfers.route'),
      cell: ({ row }) => (
        <span className="fc-nowrap" data-testid="transfer-route">
          {t('forecasting.transfers.fromTo', {
            from: name(row.original.from_location_id),
            to: name(row.original.location_id),
          })}
        </span>
      ),
    },
    {
      header: t('forecasting.fields.sku'),
      cell: ({ row }) => <SkuLink sku={row.original.sku} location={row.original.location_id} />,
    },
    {
      header: t('forecasting.fields.quantity'),
      cell: ({ row }) => (
        <span className="pz-num" data-testid="transfer-quantity">
          {f.number(row.original.quantity)}
        </span>
      ),
    },
    { header: t('forecasting.fields.reason'), cell: ({ row }) => <Reason detail={row.original.detail} /> },
    {
      header: t('forecasting.policy.title'),
      cell: ({ row }) => <PolicyDetails detail={row.original.detail} />,
    },
  ];
  return (
    <Card title={t('forecasting.transfers.title')}>
      <p className="pz-muted">{t('forecasting.transfers.hint')}</p>
      {list.isError ? (
        <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('forecasting.transfers.title')}
            columns={columns}
            data={list.data?.data}
            loading={list.isPending}
            empty={t('forecasting.transfers.empty')}
            rowId={(r) => r.id}
            rowTestId="transfer-suggestion"
          />
          <Pager pager={pager} nextCursor={list.data?.next_cursor} />
        </>
      )}
      <DecisionBar selection={selection} testId="transfer-decide" />
    </Card>
  );
};

/** One suggested purchase order: a supplier's lines for one receiving location. */
const OrderGroup = ({
  order,
  selection,
  details,
}: {
  order: SuggestedOrder;
  selection: Selection;
  details: ReadonlyMap<string, Suggestion>;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const ids = order.lines.map((l) => l.suggestion_id);
  const title = t('forecasting.purchases.group', {
    supplier: order.supplier_name,
    location: name(order.location_id),
  });
  const columns: ColumnDef<SuggestedOrder['lines'][number], unknown>[] = [
    {
      id: 'tick',
      header: () => (
        <Tick selection={selection} ids={ids} label={t('forecasting.decide.tickGroup', { title })} />
      ),
      cell: ({ row }) => (
        <Tick
          selection={selection}
          ids={[row.original.suggestion_id]}
          label={t('forecasting.decide.tick', { sku: row.original.sku })}
          testId="purchase-tick"
        />
      ),
    },
    {
      header: t('forecasting.fields.sku'),
      cell: ({ row }) => <SkuLink sku={row.original.sku} location={order.location_id} />,
    },
    {
      header: t('forecasting.fields.quantity'),
      cell: ({ row }) => <span className="pz-num">{f.number(row.original.quantity)}</span>,
    },
    {
      header: t('forecasting.fields.reason'),
      cell: ({ row }) => {
        const s = details.get(row.original.suggestion_id);
        return s ? <Reason detail={s.detail} /> : '—';
      },
    },
    {
      header: t('forecasting.policy.title'),
      cell: ({ row }) => {
        const s = details.get(row.original.suggestion_id);
        return s ? <PolicyDetails detail={s.detail} /> : '—';
      },
    },
  ];
  return (
    <section className="fc-group" data-testid="purchase-group">
      <h3 className="fc-h3">
        {title}{' '}
        <span className="fc-sub">{t('forecasting.purchases.units', { n: f.number(order.units) })}</span>
      </h3>
      <DataTable
        caption={title}
        columns={columns}
        data={order.lines}
        rowId={(r) => r.suggestion_id}
        rowTestId="purchase-suggestion"
      />
    </section>
  );
};

/** The grouped answer has no filters: the lines are narrowed here (a group with none left is hidden). */
const narrow = (orders: readonly SuggestedOrder[], filter: Filter): SuggestedOrder[] =>
  orders
    .filter((o) => !filter.location || o.location_id === filter.location)
    .map((o) => {
      const lines = o.lines.filter((l) => !filter.sku || l.sku === filter.sku);
      return { ...o, lines, units: lines.reduce((s, l) => s + l.quantity, 0) };
    })
    .filter((o) => o.lines.length > 0);

const Purchases = ({ filter }: { filter: Filter }) => {
  const { t } = useTranslation();
  const selection = useSelection();
  const { clear } = selection;
  // biome-ignore lint/correctness/useExhaustiveDependencies: nothing ticked when the filter changes
  useEffect(() => clear(), [filter.sku, filter.location]);
  const orders = useQuery({
    queryKey: forecastKeys.orders,
    queryFn: () => unwrap(staffApi.GET('/admin/replenishment/purchase-orders')),
  });
  // The figures behind each line (the grouped answer has the ids only).
  const open = useQuery({
    queryKey: forecastKeys.suggestions('purchase'),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/replenishment/suggestions', {
          params: { query: { kind: 'purchase', status: 'open', limit: 200 } },
        }),
      ),
  });
  const details = useMemo(() => new Map((open.data?.data ?? []).map((s) => [s.id, s])), [open.data]);
  return (
    <Card title={t('forecasting.purchases.title')}>
      <p className="pz-muted">{t('forecasting.purchases.hint')}</p>
      <QueryState query={orders}>
        {(o) =>
          narrow(o.data, filter).length === 0 ? (
            <EmptyState title={t('forecasting.purchases.empty')} />
          ) : (
            <div className="pz-stack">
              {narrow(o.data, filter).map((order) => (
                <OrderGroup
                  key={`${order.supplier_id} ${order.location_id}`}
                  order={order}
                  selection={selection}
                  details={details}
                />
              ))}
            </div>
          )
        }
      </QueryState>
      <DecisionBar selection={selection} testId="purchase-decide" />
    </Card>
  );
};

const Replenishment = () => {
  const { t } = useTranslation();
  const { values, set } = useUrlFilters(['sku', 'location'] as const);
  return (
    <ForecastingPage>
      <div className="fc-filters">
        <SkuFilter key={values.sku} value={values.sku} onApply={(sku) => set({ sku })} />
        <LocationSelect
          label={t('forecasting.replenishment.receiving')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('forecasting.list.allLocations')}
          testId="replenishment-filter-location"
        />
      </div>
      <Transfers filter={values} />
      <Purchases filter={values} />
    </ForecastingPage>
  );
};

export default Replenishment;
