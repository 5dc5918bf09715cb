/**
 * Exchange rates (GET/PUT /admin/analytics/rates, POST …/import): the daily rates that convert each
 * currency into a report currency, newest first per pair; enter one, or import a CSV file.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import { analyticsKeys, CURRENCY, type Rate, useAnalyticsSettings, useNames } from './data.ts';
import { AnalyticsPage } from './page.tsx';
import { RateForm } from './rate-form.tsx';
import { RateImport } from './rate-import.tsx';

const LIMIT = 1000;

const RateList = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const into = params.get('into') ?? '';
  const all = useQuery({
    queryKey: analyticsKeys.rates,
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/analytics/rates', { params: { query: { limit: LIMIT } } }))).data,
    placeholderData: keepPreviousData,
  });
  const reportCurrencies = useMemo(
    () => [...new Set((all.data ?? []).map((r) => r.report_currency))].sort(),
    [all.data],
  );
  const columns = useMemo<ColumnDef<Rate, unknown>[]>(
    () => [
      {
        id: 'day',
        header: t('analytics.rates.day'),
        cell: ({ row }) => fmt.day(`${row.original.day}T12:00:00Z`),
      },
      { id: 'currency', header: t('analytics.rates.currency'), cell: ({ row }) => row.original.currency },
      {
        id: 'report',
        header: t('analytics.rates.reportCurrency'),
        cell: ({ row }) => row.original.report_currency,
      },
      {
        id: 'rate',
        header: t('analytics.rates.rate'),
        cell: ({ row }) => (
          <span className="pz-num" data-testid="analytics-rate-value">
            {new Intl.NumberFormat(fmt.locale, { maximumFractionDigits: 8 }).format(row.original.rate)}
          </span>
        ),
      },
    ],
    [t, fmt],
  );
  return (
    <Card title={t('analytics.rates.title')}>
      <div className="an-filters">
        <SelectField
          label={t('analytics.rates.reportCurrency')}
          value={CURRENCY.test(into) ? into : ''}
          onChange={(e) => setParams(e.target.value ? { into: e.target.value } : {}, { replace: true })}
        >
          <option value="">{t('analytics.rates.allCurrencies')}</option>
          {reportCurrencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
      </div>
      <QueryState query={all} lines={4}>
        {(rates) => {
          const shown = into ? rates.filter((r) => r.report_currency === into) : rates;
          return (
            <div className="pz-stack">
              <DataTable
                columns={columns}
                data={shown}
                caption={t('analytics.rates.title')}
                empty={t('analytics.rates.empty')}
                rowId={(r) => `${r.report_currency}:${r.currency}:${r.day}`}
                rowTestId="analytics-rate-row"
              />
              {rates.length >= LIMIT && (
                <p className="pz-muted">{t('analytics.rates.more', { n: fmt.number(LIMIT) })}</p>
              )}
            </div>
          );
        }}
      </QueryState>
    </Card>
  );
};

const Rates = () => {
  const settings = useAnalyticsSettings();
  const names = useNames();
  const timeZone = settings.data?.time_zone ?? 'UTC';
  const currency = names.channels[0]?.currency ?? '';
  return (
    <AnalyticsPage>
      <RateForm timeZone={timeZone} currency={currency} />
      <RateImport />
      <RateList />
    </AnalyticsPage>
  );
};

export default Rates;
