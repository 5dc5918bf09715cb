/**
 * Items at risk (GET /admin/replenishment/at-risk): SKU × locations whose projected stock runs out
 * within a number of days (the setting by default), soonest first, with what is on its way.
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
import { type AtRisk, atNoon, forecastKeys, round2, seriesPath, useForecastSettings } from './data.ts';
import { ForecastingPage } from './page.tsx';

const WINDOWS = [3, 7, 14, 28, 56, 90] as const;

const AtRiskScreen = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const settings = useForecastSettings();
  const { values, set, key } = useUrlFilters(['days', 'location'] as const);
  const pager = useFilteredPager(key);
  const days = /^\d+$/.test(values.days) ? Number(values.days) : undefined;
  const span = days ?? settings.data?.risk_days;
  const list = useQuery({
    queryKey: [...forecastKeys.atRisk(days), values.location, pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/replenishment/at-risk', {
          params: {
            query: {
              limit: 100,
              ...(days !== undefined ? { days } : {}),
              ...(values.location ? { location_id: values.location } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const dayCount = (n: number) => t('forecasting.days', { count: n, n: f.number(n) });
  const columns: ColumnDef<AtRisk, unknown>[] = [
    {
      header: t('forecasting.fields.sku'),
      cell: ({ row }) => (
        <Link
          className="pz-mono"
          to={seriesPath(row.original.sku, row.original.location_id)}
          data-testid="risk-sku"
        >
          {row.original.sku}
        </Link>
      ),
    },
    { header: t('forecasting.fields.location'), cell: ({ row }) => name(row.original.location_id) },
    {
      header: t('forecasting.risk.stockoutOn'),
      cell: ({ row }) => <span className="fc-nowrap">{f.day(atNoon(row.original.stockout_on))}</span>,
    },
    {
      header: t('forecasting.risk.in'),
      cell: ({ row }) => (
        <span data-testid="risk-days">
          {row.original.days === 0 ? t('forecasting.risk.today') : dayCount(row.original.days)}
        </span>
      ),
    },
    {
      header: t('forecasting.risk.available'),
      cell: ({ row }) => <span className="pz-num">{f.number(row.original.available)}</span>,
    },
    {
      header: t('forecasting.risk.inbound'),
      cell: ({ row }) => <span className="pz-num">{f.number(row.original.inbound)}</span>,
    },
    {
      header: t('forecasting.risk.demand'),
      cell: ({ row }) => <span className="pz-num">{f.number(round2(row.original.demand))}</span>,
    },
    {
      header: t('forecasting.risk.nextArrival'),
      cell: ({ row }) =>
        row.original.next_arrival_on ? (
          <span className="fc-nowrap">{f.day(atNoon(row.original.next_arrival_on))}</span>
        ) : (
          t('forecasting.risk.noArrival')
        ),
    },
  ];
  return (
    <ForecastingPage>
      <div className="fc-filters">
        <Select
          label={t('forecasting.risk.window')}
          value={values.days}
          onChange={(v) => set({ days: v })}
          allLabel={
            settings.data
              ? t('forecasting.risk.default', { days: dayCount(settings.data.risk_days) })
              : t('forecasting.risk.defaultPlain')
          }
          options={WINDOWS.map((d) => ({ value: String(d), label: dayCount(d) }))}
          testId="risk-window"
        />
        <LocationSelect
          label={t('forecasting.fields.location')}
          value={values.location}
          onChange={(v) => set({ location: v })}
          allLabel={t('forecasting.list.allLocations')}
        />
      </div>
      <Card
        title={span ? t('forecasting.risk.title', { days: dayCount(span) }) : t('forecasting.tabs.atRisk')}
      >
        <p className="pz-muted">{t('forecasting.risk.hint')}</p>
        {list.isError ? (
          <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <DataTable
              caption={t('forecasting.tabs.atRisk')}
              columns={columns}
              data={list.data?.data}
              loading={list.isPending}
              empty={t('forecasting.risk.empty')}
              rowId={(r) => `${r.sku} ${r.location_id}`}
              rowTestId="risk-row"
            />
            <Pager pager={pager} nextCursor={list.data?.next_cursor} />
          </>
        )}
      </Card>
    </ForecastingPage>
  );
};

export default AtRiskScreen;
