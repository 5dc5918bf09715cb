/**
 * Attribution (GET /admin/analytics/attribution): a period's sales credited to media or campaigns by
 * the six models side by side (table and bar chart), the direct sales and the journeys counted, the
 * lookback and half-life the credits were made with (changed in the settings), what each model means,
 * and the CSV export of the same query. Filters live in the URL (`?from=…&to=…&by=campaign`). The
 * report says nothing of its freshness: it is asked again every few seconds while it has no row, and
 * every minute after.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Card, ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import { AttributionTable, ModelChart, ModelLegend } from './attribution-table.tsx';
import { DATE, useAnalyticsSettings } from './data.ts';
import {
  type Attribution,
  type AttributionQuery,
  BYS,
  exportUrl,
  jsonOnly,
  measureKeys,
  useUrlState,
} from './measure-data.ts';
import { AnalyticsPage } from './page.tsx';
import { CsvLink, PeriodFields, usePeriodError } from './period.tsx';

const SPEC = {
  from: { valid: DATE },
  to: { valid: DATE },
  by: { valid: BYS, fallback: 'medium' },
};

const Stat = ({ label, children, testId }: { label: string; children: string; testId?: string }) => (
  <div>
    <dt>{label}</dt>
    <dd className="pz-num" data-testid={testId}>
      {children}
    </dd>
  </div>
);

/** How the credits were made and what is not credited: lookback, half-life, direct sales, journeys. */
const Basis = ({ data }: { data: Attribution }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const direct =
    data.direct.length === 0
      ? fmt.number(0)
      : data.direct
          .map((d) =>
            t('analytics.attribution.directOf', {
              n: fmt.number(d.conversions),
              revenue: fmt.money(d.revenue, d.currency),
            }),
          )
          .join(' · ');
  return (
    <Card title={t('analytics.attribution.basisTitle')}>
      <dl className="an-stats" data-testid="attribution-basis">
        <Stat label={t('analytics.attribution.direct')} testId="attribution-direct">
          {direct}
        </Stat>
        <Stat label={t('analytics.attribution.converted')} testId="attribution-journeys-converted">
          {fmt.number(data.journeys.converted)}
        </Stat>
        <Stat label={t('analytics.attribution.notConverted')} testId="attribution-journeys-not-converted">
          {fmt.number(data.journeys.not_converted)}
        </Stat>
        <Stat label={t('analytics.attribution.lookback')} testId="attribution-lookback">
          {t('analytics.attribution.days', { n: fmt.number(data.lookback_days) })}
        </Stat>
        <Stat label={t('analytics.attribution.halfLife')} testId="attribution-half-life">
          {t('analytics.attribution.hours', { n: fmt.number(data.half_life_hours) })}
        </Stat>
      </dl>
      <p className="pz-muted">
        {t('analytics.attribution.basisNote')}{' '}
        <Link to="/analytics/settings" data-testid="attribution-settings-link">
          {t('analytics.attribution.changeSettings')}
        </Link>
      </p>
    </Card>
  );
};

const AttributionScreen = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [f, set] = useUrlState(SPEC);
  const settings = useAnalyticsSettings();
  const periodError = usePeriodError(f);
  const q: AttributionQuery = {
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.by === 'campaign' ? { by: 'campaign' as const } : {}),
  };
  const report = useQuery({
    queryKey: measureKeys.attribution(q),
    queryFn: async () =>
      jsonOnly(await unwrap(staffApi.GET('/admin/analytics/attribution', { params: { query: q } }))),
    enabled: !periodError,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => ((query.state.data?.rows.length ?? 0) > 0 ? 60_000 : 5000),
  });
  const data = report.data;
  return (
    <AnalyticsPage>
      <div className="an-filters" data-testid="attribution-filters">
        <PeriodFields
          period={f}
          set={set}
          shown={data}
          timeZone={data?.time_zone ?? settings.data?.time_zone ?? 'UTC'}
          error={periodError}
        />
        <SelectField
          label={t('analytics.attribution.by')}
          value={f.by}
          onChange={(e) => set({ by: e.target.value })}
          options={BYS.map((b) => ({ value: b, label: t(`analytics.attribution.byOption.${b}`) }))}
          data-testid="attribution-by"
        />
        <span className="pz-spacer" />
        <CsvLink
          href={periodError ? undefined : exportUrl('/admin/analytics/attribution', q)}
          testId="attribution-csv"
        />
      </div>
      {periodError ? null : report.isError ? (
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : !data ? (
        <Skeleton lines={8} />
      ) : (
        <div className="pz-stack" aria-busy={report.isFetching || undefined} data-testid="attribution-report">
          <p className="pz-muted">
            {t('analytics.scope', {
              from: fmt.day(`${data.from}T12:00:00Z`),
              to: fmt.day(`${data.to}T12:00:00Z`),
              zone: data.time_zone,
            })}
          </p>
          <AttributionTable data={data} />
          <ModelChart data={data} />
          <div className="pz-grid an-grid">
            <Basis data={data} />
            <ModelLegend />
          </div>
        </div>
      )}
    </AnalyticsPage>
  );
};

export default AttributionScreen;
