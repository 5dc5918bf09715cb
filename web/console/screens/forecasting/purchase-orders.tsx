/**
 * Purchase orders (GET /admin/purchase-orders): newest first, by status, supplier and receiving
 * location; each with its next step (order, receive, cancel) and a link to its lines.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager } from '../../../kit/table.tsx';
import { Card, ProblemAlert } from '../../../kit/ui.tsx';
import {
  LocationSelect,
  Select,
  useFilteredPager,
  useLocationName,
  useUrlFilters,
} from '../inventory/common.tsx';
import { atNoon, forecastKeys, PO_STATUSES, type PurchaseOrder, useSuppliers } from './data.ts';
import { ForecastingPage } from './page.tsx';
import { PoActions, PoStatus } from './po-actions.tsx';

const isStatus = (v: string): v is PurchaseOrder['status'] => (PO_STATUSES as readonly string[]).includes(v);

const PurchaseOrders = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const suppliers = useSuppliers();
  const { values, set, key } = useUrlFilters(['status', 'supplier', 'location'] as const);
  const pager = useFilteredPager(key);
  const list = useQuery({
    queryKey: [...forecastKeys.purchaseOrders(key), pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/purchase-orders', {
          params: {
            query: {
              limit: 50,
              ...(isStatus(values.status) ? { status: values.status } : {}),
              ...(values.supplier ? { supplier_id: values.supplier } : {}),
              ...(values.location ? { location_id: values.location } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<PurchaseOrder, unknown>[] = [
    {
      header: t('forecasting.po.created'),
      cell: ({ row }) => (
        <Link
          className="fc-nowrap"
          to={`/forecasting/purchase-orders/${row.original.id}`}
          data-testid="po-link"
        >
          {f.date(row.original.created_at)}
        </Link>
      ),
    },
    { header: t('forecasting.po.supplier'), cell: ({ row }) => row.original.supplier_name },
    { header: t('forecasting.po.location'), cell: ({ row }) => name(row.original.location_id) },
    {
      header: t('forecasting.po.statusLabel'),
      cell: ({ row }) => (
        <span data-testid="po-status">
          <PoStatus status={row.original.status} />
        </span>
      ),
    },
    {
      header: t('forecasting.po.expected'),
      cell: ({ row }) => <span className="fc-nowrap">{f.day(atNoon(row.original.expected_on))}</span>,
    },
    {
      header: t('forecasting.po.units'),
      cell: ({ row }) => (
        <span className="pz-num">{f.number(row.original.lines.reduce((s, l) => s + l.quantity, 0))}</span>
      ),
    },
    {
      header: t('forecasting.po.outstanding'),
      cell: ({ row }) => <span className="pz-num">{f.number(row.original.outstanding)}</span>,
    },
    {
      id: 'actions',
      header: () => <span className="visually-hidden">{t('forecasting.fields.actions')}</span>,
      cell: ({ row }) => <PoActions po={row.original} />,
    },
  ];
  return (
    <ForecastingPage>
      <div className="fc-filters">
        <Select
          label={t('forecasting.po.statusLabel')}
          value={values.status}
          onChange={(v) => set({ status: v })}
          allLabel={t('forecasting.po.allStatuses')}
          options={PO_STATUSES.map((s) => ({ value: s, label: t(`forecasting.po.status.${s}`) }))}
          testId="po-filter-status"
        />
        <Select
          label={t('forecasting.po.supplier')}
          value={values.supplier}
          onChange={(v) => set({ supplier: v })}
          allLabel={t('forecasting.po.allSuppliers')}
          options={(suppliers.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <LocationSelect
          label={t('forecasting.po.location')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('forecasting.list.allLocations')}
        />
      </div>
      <Card title={t('forecasting.po.title')}>
        {list.isError ? (
          <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <DataTable
              caption={t('forecasting.po.title')}
              columns={columns}
              data={list.data?.data}
              loading={list.isPending}
              empty={t('forecasting.po.empty')}
              rowId={(r) => r.id}
              rowTestId="po-row"
            />
            <Pager pager={pager} nextCursor={list.data?.next_cursor} />
          </>
        )}
      </Card>
    </ForecastingPage>
  );
};

export default PurchaseOrders;
