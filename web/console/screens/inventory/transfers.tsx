/** Transfers between locations: the list (status, location) and a new request. */
import type { components, paths } from '@plaza/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import './inventory.css';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager } from '../../../kit/table.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import {
  LocationSelect,
  Select,
  StatusBadge,
  useFilteredPager,
  useLocationName,
  useUrlFilters,
} from './common.tsx';
import { InventoryTabs } from './tabs.tsx';
import { NewTransferDialog } from './transfer-new.tsx';

type Transfer = components['schemas']['Transfer'];
type Status = NonNullable<
  NonNullable<paths['/admin/inventory/transfers']['get']['parameters']['query']>['status']
>;
const STATUSES: Status[] = ['requested', 'in_transit', 'partially_received', 'received', 'cancelled'];
const isStatus = (v: string): v is Status => (STATUSES as string[]).includes(v);

const Transfers = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const navigate = useNavigate();
  const { values, set, key } = useUrlFilters(['status', 'location'] as const);
  const pager = useFilteredPager(key);
  const [creating, setCreating] = useState(false);
  const query = useQuery({
    queryKey: ['inventory', 'transfers', values, pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/inventory/transfers', {
          params: {
            query: {
              limit: 50,
              ...(isStatus(values.status) ? { status: values.status } : {}),
              ...(values.location ? { location_id: values.location } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Transfer, unknown>[] = [
    {
      header: t('inventory.fields.when'),
      cell: ({ row }) => (
        <Link className="inv-nowrap" to={`/inventory/transfers/${row.original.id}`}>
          {f.date(row.original.created_at)}
        </Link>
      ),
    },
    { header: t('inventory.transfers.from'), cell: ({ row }) => name(row.original.from_location_id) },
    { header: t('inventory.transfers.to'), cell: ({ row }) => name(row.original.to_location_id) },
    { header: t('inventory.fields.status'), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      header: t('inventory.transfers.units'),
      cell: ({ row }) => f.number(row.original.lines.reduce((s, l) => s + l.quantity, 0)),
    },
    { header: t('inventory.transfers.inTransit'), cell: ({ row }) => f.number(row.original.in_transit) },
    { header: t('inventory.transfers.note'), cell: ({ row }) => row.original.note ?? '' },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('inventory.title')}</h1>
        <span className="pz-spacer" />
        <Button variant="primary" onClick={() => setCreating(true)}>
          {t('inventory.transfers.new')}
        </Button>
      </div>
      <InventoryTabs />
      <div className="pz-row">
        <Select
          label={t('inventory.fields.status')}
          value={values.status}
          onChange={(v) => set({ status: v })}
          allLabel={t('inventory.common.allStatuses')}
          options={STATUSES.map((s) => ({ value: s, label: t(`inventory.common.status.${s}`) }))}
        />
        <LocationSelect
          label={t('inventory.fields.location')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('inventory.common.allLocations')}
        />
      </div>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('inventory.transfers.caption')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            empty={t('inventory.transfers.empty')}
            rowId={(r) => r.id}
            onRowClick={(r) => navigate(`/inventory/transfers/${r.id}`)}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
      {creating && (
        <NewTransferDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => navigate(`/inventory/transfers/${id}`)}
        />
      )}
    </div>
  );
};

export default Transfers;
