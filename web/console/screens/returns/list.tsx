/** Returns, filtered by location and order, newest first, paged on the server. */
import type { components } from '@plaza/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager } from '../../../kit/table.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import {
  LocationSelect,
  StatusBadge,
  useFilteredPager,
  useLocationName,
  useUrlFilters,
} from '../inventory/common.tsx';

type Return = components['schemas']['Return'];

const Returns = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const name = useLocationName();
  const { values, set, key } = useUrlFilters(['location', 'order'] as const);
  const pager = useFilteredPager(key);
  const [order, setOrder] = useState(values.order);
  const query = useQuery({
    queryKey: ['returns', 'list', values, pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/returns', {
          params: {
            query: {
              limit: 50,
              ...(values.location ? { location_id: values.location } : {}),
              ...(values.order ? { order_id: values.order } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Return, unknown>[] = [
    {
      header: t('returns.fields.id'),
      cell: ({ row }) => (
        <Link to={`/returns/${row.original.id}`} className="pz-mono">
          {row.original.id}
        </Link>
      ),
    },
    { header: t('returns.fields.created'), cell: ({ row }) => f.date(row.original.created_at) },
    {
      header: t('returns.fields.order'),
      cell: ({ row }) => (
        <Link
          to={`/orders/${row.original.order_id}`}
          className="pz-mono"
          onClick={(e) => e.stopPropagation()}
        >
          {row.original.order_id}
        </Link>
      ),
    },
    { header: t('returns.fields.location'), cell: ({ row }) => name(row.original.location_id) },
    { header: t('returns.fields.status'), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      header: t('returns.fields.units'),
      cell: ({ row }) => f.number(row.original.lines.reduce((s, l) => s + l.quantity, 0)),
    },
    {
      header: t('returns.fields.refundMethod'),
      cell: ({ row }) =>
        t(`returns.methods.${row.original.refund_method}`, { defaultValue: row.original.refund_method }),
    },
    {
      header: t('returns.fields.total'),
      cell: ({ row }) => <span className="pz-num">{f.money(row.original.total, row.original.currency)}</span>,
    },
  ];
  return (
    <div className="pz-stack">
      <h1>{t('returns.title')}</h1>
      <form
        className="pz-row"
        onSubmit={(e) => {
          e.preventDefault();
          set({ order: order.trim() });
        }}
      >
        <LocationSelect
          label={t('returns.fields.location')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('inventory.common.allLocations')}
        />
        <div className="pz-field">
          <label htmlFor="ret-order">{t('returns.filters.order')}</label>
          <input
            id="ret-order"
            className="pz-input"
            value={order}
            placeholder="ord_…"
            onChange={(e) => setOrder(e.target.value)}
          />
        </div>
        <Button type="submit">{t('inventory.common.search')}</Button>
      </form>
      <p className="pz-muted">{t('returns.hint')}</p>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('returns.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            empty={t('returns.empty')}
            rowId={(r) => r.id}
            onRowClick={(r) => navigate(`/returns/${r.id}`)}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
    </div>
  );
};

export default Returns;
