/**
 * Forecasts (GET /admin/forecasts): the latest forecast of every SKU × location, filtered by SKU,
 * location and model, with the model's backtest error next to seasonal naive's and the demand over the
 * horizon; each row opens its chart. Above it, the last run and "Run now".
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager } from '../../../kit/table.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import {
  LocationSelect,
  Select,
  useFilteredPager,
  useLocationName,
  useUrlFilters,
} from '../inventory/common.tsx';
import {
  type ForecastQuery,
  type ForecastRow,
  forecastKeys,
  round2,
  seriesPath,
  useForecastSettings,
} from './data.ts';
import { ForecastingPage } from './page.tsx';
import { RunCard } from './run-card.tsx';

/** The models a forecast can have (the API's list), for the filter. */
export const MODELS = [
  'seasonal_naive',
  'ses',
  'holt',
  'holt_damped',
  'hw_additive',
  'hw_additive_damped',
  'hw_multiplicative',
  'hw_multiplicative_damped',
  'croston',
  'sba',
  'tsb',
  'combination',
  'zero',
  'profile',
] as const;

/** A scaled error (MASE) to two decimals, or a dash when there was no backtest. */
export const useError = () => {
  const f = useFormat();
  return (v: number | null) => (v === null ? '—' : f.number(round2(v)));
};

/** A SKU typed and applied with Enter or the button (the API matches the exact SKU). */
export const SkuFilter = ({ value, onApply }: { value: string; onApply: (sku: string) => void }) => {
  const { t } = useTranslation();
  const [typed, setTyped] = useState(value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(typed.trim());
  };
  return (
    <form className="fc-filter-form" onSubmit={submit}>
      <Field
        label={t('forecasting.fields.sku')}
        hint={t('forecasting.list.skuHint')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        data-testid="forecast-filter-sku"
      />
      <Button type="submit">{t('forecasting.list.apply')}</Button>
    </form>
  );
};

const Forecasts = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const navigate = useNavigate();
  const mase = useError();
  const settings = useForecastSettings();
  const { values, set, key } = useUrlFilters(['sku', 'location', 'model'] as const);
  const pager = useFilteredPager(key);
  const query: ForecastQuery = {
    limit: 50,
    ...(values.sku ? { sku: values.sku } : {}),
    ...(values.location ? { location_id: values.location } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
  };
  const list = useQuery({
    queryKey: forecastKeys.list(query),
    queryFn: () => unwrap(staffApi.GET('/admin/forecasts', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const horizon = settings.data?.horizon_days ?? 28;
  const columns: ColumnDef<ForecastRow, unknown>[] = [
    {
      header: t('forecasting.fields.sku'),
      cell: ({ row }) => (
        <span className="fc-nowrap">
          <Link
            className="pz-mono"
            to={seriesPath(row.original.sku, row.original.location_id)}
            onClick={(e) => e.stopPropagation()}
            data-testid="forecast-row-sku"
          >
            {row.original.sku}
          </Link>{' '}
          <Link className="fc-sub" to={seriesPath(row.original.sku)} onClick={(e) => e.stopPropagation()}>
            {t('forecasting.list.skuTotal')}
          </Link>
        </span>
      ),
    },
    { header: t('forecasting.fields.location'), cell: ({ row }) => name(row.original.location_id) },
    {
      header: t('forecasting.fields.model'),
      cell: ({ row }) => t(`forecasting.models.${row.original.model}`, { defaultValue: row.original.model }),
    },
    {
      header: t('forecasting.fields.demandClass'),
      cell: ({ row }) =>
        t(`forecasting.classes.${row.original.demand_class}`, { defaultValue: row.original.demand_class }),
    },
    {
      header: t('forecasting.fields.mase'),
      cell: ({ row }) => <span className="pz-num">{mase(row.original.mase)}</span>,
    },
    {
      header: t('forecasting.fields.baselineMase'),
      cell: ({ row }) => <span className="pz-num">{mase(row.original.baseline_mase)}</span>,
    },
    {
      header: t('forecasting.fields.fallback'),
      cell: ({ row }) =>
        row.original.fallback
          ? t(`forecasting.fallbacks.${row.original.fallback}`, { defaultValue: row.original.fallback })
          : '—',
    },
    {
      header: t('forecasting.fields.horizonTotal', { n: f.number(horizon) }),
      cell: ({ row }) => (
        <span className="pz-num" data-testid="forecast-row-total">
          {f.number(round2(row.original.horizon_total))}
        </span>
      ),
    },
  ];
  return (
    <ForecastingPage>
      <RunCard />
      <div className="fc-filters">
        <SkuFilter key={values.sku} value={values.sku} onApply={(sku) => set({ sku })} />
        <LocationSelect
          label={t('forecasting.fields.location')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('forecasting.list.allLocations')}
          testId="forecast-filter-location"
        />
        <Select
          label={t('forecasting.fields.model')}
          value={values.model}
          onChange={(v) => set({ model: v })}
          allLabel={t('forecasting.list.allModels')}
          options={MODELS.map((m) => ({ value: m, label: t(`forecasting.models.${m}`) }))}
          testId="forecast-filter-model"
        />
      </div>
      <Card title={t('forecasting.list.title')}>
        <p className="pz-muted">{t('forecasting.list.maseHint')}</p>
        {list.isError ? (
          <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <DataTable
              caption={t('forecasting.list.title')}
              columns={columns}
              data={list.data?.data}
              loading={list.isPending}
              empty={t('forecasting.list.empty')}
              rowId={(r) => `${r.sku} ${r.location_id}`}
              rowTestId="forecast-row"
              onRowClick={(r) => navigate(seriesPath(r.sku, r.location_id))}
            />
            <Pager pager={pager} nextCursor={list.data?.next_cursor} />
          </>
        )}
      </Card>
    </ForecastingPage>
  );
};

export default Forecasts;
