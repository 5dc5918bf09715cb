/**
 * Channels and stores (GET /admin/analytics/channels): a period's sales per channel, or per channel
 * and location, with the net in a report currency when one is chosen; net sales per day; pickups and
 * returns; the CSV export of the same rows. Filters live in the URL. While days wait to be rebuilt the
 * report is asked again every few seconds.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Alert, ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import {
  analyticsKeys,
  type ChannelReport,
  reportCurrencies,
  reportQuery,
  useAnalyticsSettings,
  useFilters,
  useNames,
} from './data.ts';
import { ReportFilters } from './filters.tsx';
import { NetChart } from './net-chart.tsx';
import { PickupsTable, ReturnsTable } from './ops-tables.tsx';
import { AnalyticsPage } from './page.tsx';
import { RowsTable } from './rows-table.tsx';

/** The JSON answer (the operation also answers CSV, with format=csv, which is not asked here). */
const json = (answer: ChannelReport | string): ChannelReport => {
  if (typeof answer === 'string') throw new TypeError('a CSV answer to a JSON request');
  return answer;
};

/** Asked again soon while the rollups catch up (days pending, or nothing there yet), else every minute. */
const refetchEvery = (d: ChannelReport | undefined): number =>
  !d || d.freshness.pending_days > 0 ? 3000 : d.rows.length === 0 ? 10_000 : 60_000;

const Notes = ({ data }: { data: ChannelReport }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <>
      {data.report_currency && data.missing_rates.length > 0 && (
        <Alert tone="warning">
          <span data-testid="analytics-missing-rates">
            {t('analytics.missingRates', {
              currency: data.report_currency,
              currencies: data.missing_rates.join(', '),
            })}
          </span>{' '}
          <Link to="/analytics/rates">{t('analytics.enterRates')}</Link>
        </Alert>
      )}
      {data.freshness.pending_days > 0 && (
        <Alert tone="info">
          <span data-testid="analytics-freshness">
            {t('analytics.pending', { n: fmt.number(data.freshness.pending_days) })}
            {data.freshness.oldest_mark &&
              ` ${t('analytics.pendingSince', { at: fmt.date(data.freshness.oldest_mark) })}`}
          </span>
        </Alert>
      )}
    </>
  );
};

const Channels = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [filters, set] = useFilters();
  const names = useNames();
  const settings = useAnalyticsSettings();
  const rates = useQuery({
    queryKey: analyticsKeys.rates,
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/analytics/rates', { params: { query: { limit: 1000 } } }))).data,
    staleTime: 60_000,
  });
  const periodError =
    filters.from && filters.to && filters.from > filters.to ? t('analytics.filters.fromAfterTo') : undefined;
  const q = reportQuery(filters);
  const report = useQuery({
    queryKey: analyticsKeys.report(q),
    // the answer does not say how it is grouped: kept with it, for the rows shown while the next loads
    queryFn: async () => ({
      byLocation: q.group_by === 'location',
      report: json(await unwrap(staffApi.GET('/admin/analytics/channels', { params: { query: q } }))),
    }),
    enabled: !periodError,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => refetchEvery(query.state.data?.report),
  });
  const data = report.data?.report;
  const currencies = useMemo(
    () =>
      reportCurrencies(
        rates.data ?? [],
        names.channels.map((c) => c.currency),
        filters.in,
      ),
    [rates.data, names.channels, filters.in],
  );
  const timeZone = data?.time_zone ?? settings.data?.time_zone ?? 'UTC';
  return (
    <AnalyticsPage>
      <ReportFilters
        filters={filters}
        set={set}
        shown={data}
        timeZone={timeZone}
        names={names}
        currencies={currencies}
        periodError={periodError}
      />
      {periodError ? null : report.isError ? (
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : !data ? (
        <Skeleton lines={10} />
      ) : (
        <div className="pz-stack" aria-busy={report.isFetching || undefined} data-testid="analytics-report">
          <p className="pz-muted" data-testid="analytics-scope">
            {t('analytics.scope', {
              from: fmt.day(`${data.from}T12:00:00Z`),
              to: fmt.day(`${data.to}T12:00:00Z`),
              zone: data.time_zone,
            })}
          </p>
          <Notes data={data} />
          <RowsTable data={data} names={names} byLocation={report.data?.byLocation ?? false} />
          <NetChart data={data} names={names} />
          <div className="pz-grid an-grid">
            <PickupsTable rows={data.pickups} names={names} />
            <ReturnsTable rows={data.returns} names={names} />
          </div>
        </div>
      )}
    </AnalyticsPage>
  );
};

export default Channels;
