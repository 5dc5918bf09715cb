/** The movement ledger (newest first), filtered by SKU, location and kind. */
import type { paths } from '@plaza/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import './inventory.css';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager } from '../../../kit/table.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import { LocationSelect, Select, useFilteredPager, useLocationName, useUrlFilters } from './common.tsx';
import { InventoryTabs } from './tabs.tsx';

type MovementQuery = NonNullable<paths['/admin/inventory/movements']['get']['parameters']['query']>;
type Kind = NonNullable<MovementQuery['kind']>;
type Movement =
  paths['/admin/inventory/movements']['get']['responses'][200]['content']['application/json']['data'][number];

const KINDS: Kind[] = [
  'receipt',
  'sale',
  'reservation',
  'release',
  'adjustment',
  'transfer_out',
  'transfer_in',
  'return',
  'count_correction',
  'write_off',
];
const isKind = (v: string): v is Kind => (KINDS as string[]).includes(v);

/** Transfers and orders named by a movement open their page; other references show as text. */
const Reference = ({ type, id }: { type: string | null; id: string | null }) => {
  if (!id) return null;
  const to =
    type === 'transfer'
      ? `/inventory/transfers/${id}`
      : type === 'order' || id.startsWith('ord_')
        ? `/orders/${id}`
        : '';
  return to ? (
    <Link className="pz-mono" to={to}>
      {id}
    </Link>
  ) : (
    <span className="pz-mono">{id}</span>
  );
};

const signed = (n: number, fmt: (n: number) => string) => (n > 0 ? `+${fmt(n)}` : n === 0 ? '' : fmt(n));

const Movements = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const { values, set, key } = useUrlFilters(['sku', 'location', 'kind'] as const);
  const pager = useFilteredPager(key);
  const [sku, setSku] = useState(values.sku);
  const query = useQuery({
    queryKey: ['inventory', 'movements', values, pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/inventory/movements', {
          params: {
            query: {
              limit: 50,
              ...(values.sku ? { sku: values.sku } : {}),
              ...(values.location ? { location_id: values.location } : {}),
              ...(isKind(values.kind) ? { kind: values.kind } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Movement, unknown>[] = [
    {
      header: t('inventory.fields.when'),
      cell: ({ row }) => <span className="inv-nowrap">{f.date(row.original.created_at)}</span>,
    },
    {
      header: t('inventory.fields.sku'),
      cell: ({ row }) => (
        <Link className="pz-mono inv-nowrap" to={`/inventory?sku=${encodeURIComponent(row.original.sku)}`}>
          {row.original.sku}
        </Link>
      ),
    },
    { header: t('inventory.fields.location'), cell: ({ row }) => name(row.original.location_id) },
    {
      header: t('inventory.fields.kind'),
      cell: ({ row }) => <span className="inv-nowrap">{t(`inventory.kinds.${row.original.kind}`)}</span>,
    },
    {
      header: t('inventory.fields.onHand'),
      cell: ({ row }) => <span className="pz-num">{signed(row.original.on_hand_delta, f.number)}</span>,
    },
    {
      header: t('inventory.fields.reserved'),
      cell: ({ row }) => <span className="pz-num">{signed(row.original.reserved_delta, f.number)}</span>,
    },
    { header: t('inventory.fields.reason'), cell: ({ row }) => row.original.reason ?? '' },
    {
      header: t('inventory.fields.reference'),
      cell: ({ row }) => <Reference type={row.original.reference_type} id={row.original.reference_id} />,
    },
    {
      header: t('inventory.fields.actor'),
      cell: ({ row }) => <span className="pz-mono">{row.original.actor}</span>,
    },
  ];
  return (
    <div className="pz-stack">
      <h1>{t('inventory.title')}</h1>
      <InventoryTabs />
      <form
        className="pz-row"
        onSubmit={(e) => {
          e.preventDefault();
          set({ sku: sku.trim() });
        }}
      >
        <div className="pz-field">
          <label htmlFor="mov-sku">{t('inventory.levels.searchSku')}</label>
          <input id="mov-sku" className="pz-input" value={sku} onChange={(e) => setSku(e.target.value)} />
        </div>
        <LocationSelect
          label={t('inventory.fields.location')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('inventory.common.allLocations')}
        />
        <Select
          label={t('inventory.fields.kind')}
          value={values.kind}
          onChange={(v) => set({ kind: v })}
          allLabel={t('inventory.movements.allKinds')}
          options={KINDS.map((k) => ({ value: k, label: t(`inventory.kinds.${k}`) }))}
        />
        <Button type="submit">{t('inventory.common.search')}</Button>
      </form>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('inventory.movements.caption')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            empty={t('inventory.movements.empty')}
            rowId={(r) => r.id}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
    </div>
  );
};

export default Movements;
