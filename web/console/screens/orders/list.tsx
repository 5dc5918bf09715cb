/** Orders with filters (channel, status, location, dates) in the URL and keyset paging on the server. */
import type { components, paths } from '@plaza/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import '../inventory/inventory.css';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager } from '../../../kit/table.tsx';
import { ProblemAlert } from '../../../kit/ui.tsx';
import {
  dayToIso,
  LocationSelect,
  Select,
  StatusBadge,
  useFilteredPager,
  useLocationName,
  useUrlFilters,
} from '../inventory/common.tsx';
import { useChannelName, useChannels } from './channels.ts';

type Order = components['schemas']['Order'];
type Status = NonNullable<NonNullable<paths['/admin/orders']['get']['parameters']['query']>['status']>;
export const ORDER_STATUSES: Status[] = [
  'pending_payment',
  'confirmed',
  'ready_for_pickup',
  'partially_fulfilled',
  'shipped',
  'delivered',
  'picked_up',
  'completed',
  'cancelled',
  'expired',
];
const isStatus = (v: string): v is Status => (ORDER_STATUSES as string[]).includes(v);

const Orders = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const locationName = useLocationName();
  const channels = useChannels();
  const channelName = useChannelName();
  const { values, set, key } = useUrlFilters(['channel', 'status', 'location', 'from', 'to'] as const);
  const pager = useFilteredPager(key);
  const from = dayToIso(values.from);
  const to = dayToIso(values.to, true);
  const query = useQuery({
    queryKey: ['orders', 'list', values, pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/orders', {
          params: {
            query: {
              limit: 50,
              ...(values.channel ? { channel_id: values.channel } : {}),
              ...(isStatus(values.status) ? { status: values.status } : {}),
              ...(values.location ? { location_id: values.location } : {}),
              ...(from ? { from } : {}),
              ...(to ? { to } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Order, unknown>[] = [
    {
      header: t('orders.cols.number'),
      cell: ({ row }) => <Link to={`/orders/${row.original.id}`}>#{row.original.number}</Link>,
    },
    {
      header: t('orders.cols.placed'),
      cell: ({ row }) => <span className="inv-nowrap">{f.date(row.original.placed_at)}</span>,
    },
    // Staff users cannot read channels: the column would only repeat an id.
    ...(channels.isError
      ? []
      : [
          {
            header: t('orders.cols.channel'),
            cell: ({ row }) => channelName(row.original.channel_id),
          } satisfies ColumnDef<Order, unknown>,
        ]),
    { header: t('orders.cols.customer'), cell: ({ row }) => row.original.email ?? t('orders.noEmail') },
    {
      header: t('orders.cols.fulfillment'),
      cell: ({ row }) =>
        row.original.fulfillment_type === 'pickup'
          ? t('orders.pickupAt', { store: locationName(row.original.pickup_location_id) })
          : t(`orders.fulfillmentTypes.${row.original.fulfillment_type}`, {
              defaultValue: row.original.fulfillment_type,
            }),
    },
    { header: t('orders.cols.status'), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      header: t('orders.cols.payment'),
      cell: ({ row }) => <StatusBadge status={row.original.payment_status} />,
    },
    {
      header: t('orders.cols.total'),
      cell: ({ row }) => <span className="pz-num">{f.money(row.original.total, row.original.currency)}</span>,
    },
  ];
  return (
    <div className="pz-stack">
      <h1>{t('orders.title')}</h1>
      <div className="pz-row">
        {!channels.isError && (
          <Select
            label={t('orders.cols.channel')}
            value={values.channel}
            onChange={(v) => set({ channel: v })}
            allLabel={t('orders.filters.allChannels')}
            options={(channels.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        )}
        <Select
          label={t('orders.cols.status')}
          value={values.status}
          onChange={(v) => set({ status: v })}
          allLabel={t('inventory.common.allStatuses')}
          options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`inventory.common.status.${s}`) }))}
        />
        <LocationSelect
          label={t('orders.filters.location')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('inventory.common.allLocations')}
        />
        <div className="pz-field">
          <label htmlFor="orders-from">{t('orders.filters.from')}</label>
          <input
            id="orders-from"
            type="date"
            className="pz-input"
            value={values.from}
            onChange={(e) => set({ from: e.target.value })}
          />
        </div>
        <div className="pz-field">
          <label htmlFor="orders-to">{t('orders.filters.to')}</label>
          <input
            id="orders-to"
            type="date"
            className="pz-input"
            value={values.to}
            onChange={(e) => set({ to: e.target.value })}
          />
        </div>
      </div>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('orders.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            empty={t('orders.empty')}
            rowId={(r) => r.id}
            onRowClick={(r) => navigate(`/orders/${r.id}`)}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
    </div>
  );
};

export default Orders;
