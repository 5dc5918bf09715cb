/** Stock levels per SKU and location, searchable by SKU and location, with adjustments. */
import type { paths } from '@plaza/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager } from '../../../kit/table.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { AdjustDialog } from './adjust.tsx';
import { LocationSelect, useFilteredPager, useLocationName, useUrlFilters } from './common.tsx';
import { InventoryTabs } from './tabs.tsx';

type Level =
  paths['/admin/inventory/levels']['get']['responses'][200]['content']['application/json']['data'][number];

const Levels = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const { values, set, key } = useUrlFilters(['sku', 'location', 'low'] as const);
  const pager = useFilteredPager(key);
  const [sku, setSku] = useState(values.sku);
  const [adjust, setAdjust] = useState<{ sku: string; location_id: string } | null>(null);
  const query = useQuery({
    queryKey: ['inventory', 'levels', values, pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/inventory/levels', {
          params: {
            query: {
              limit: 50,
              ...(values.sku ? { sku: values.sku } : {}),
              ...(values.location ? { location_id: values.location } : {}),
              ...(values.low === '1' ? { low_stock: true } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Level, unknown>[] = [
    {
      header: t('inventory.fields.sku'),
      cell: ({ row }) => <span className="pz-mono">{row.original.sku}</span>,
    },
    { header: t('inventory.fields.location'), cell: ({ row }) => name(row.original.location_id) },
    { header: t('inventory.fields.onHand'), cell: ({ row }) => f.number(row.original.on_hand) },
    { header: t('inventory.fields.reserved'), cell: ({ row }) => f.number(row.original.reserved) },
    { header: t('inventory.fields.safety'), cell: ({ row }) => f.number(row.original.safety_stock) },
    {
      header: t('inventory.fields.available'),
      cell: ({ row }) => (
        <span className="pz-row">
          <strong className="pz-num">{f.number(row.original.available)}</strong>
          {row.original.low_stock && <Badge tone="warning">{t('inventory.levels.low')}</Badge>}
        </span>
      ),
    },
    { header: t('inventory.fields.incoming'), cell: ({ row }) => f.number(row.original.incoming) },
    {
      header: t('inventory.fields.actions'),
      cell: ({ row }) => (
        <span className="pz-row">
          <Button onClick={() => setAdjust({ sku: row.original.sku, location_id: row.original.location_id })}>
            {t('inventory.adjust.action')}
          </Button>
          <Link
            to={`/inventory/movements?sku=${encodeURIComponent(row.original.sku)}&location=${row.original.location_id}`}
          >
            {t('inventory.levels.history')}
          </Link>
        </span>
      ),
    },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('inventory.title')}</h1>
        <span className="pz-spacer" />
        <Button
          variant="primary"
          onClick={() => setAdjust({ sku: values.sku, location_id: values.location })}
        >
          {t('inventory.adjust.new')}
        </Button>
      </div>
      <InventoryTabs />
      <form
        className="pz-row"
        onSubmit={(e) => {
          e.preventDefault();
          set({ sku: sku.trim() });
        }}
      >
        <div className="pz-field">
          <label htmlFor="inv-sku">{t('inventory.levels.searchSku')}</label>
          <input
            id="inv-sku"
            className="pz-input"
            value={sku}
            onChange={(e) => setSku(e.target.value)}
            placeholder={t('inventory.levels.skuPlaceholder')}
          />
        </div>
        <LocationSelect
          label={t('inventory.fields.location')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('inventory.common.allLocations')}
        />
        <label className="pz-row">
          <input
            type="checkbox"
            checked={values.low === '1'}
            onChange={(e) => set({ low: e.target.checked ? '1' : '' })}
          />
          {t('inventory.levels.lowOnly')}
        </label>
        <Button type="submit">{t('inventory.common.search')}</Button>
      </form>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('inventory.levels.caption')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            empty={t('inventory.levels.empty')}
            rowId={(r) => `${r.sku}@${r.location_id}`}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
      {adjust && <AdjustDialog initial={adjust} onClose={() => setAdjust(null)} />}
    </div>
  );
};

export default Levels;
