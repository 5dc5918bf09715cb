/**
 * One forecast (GET /admin/forecasts/series): a SKU at a location (`?sku=…&location=loc_…`) or the
 * SKU over every location (`?sku=…`). The chart of its history and forecast, the chosen model with its
 * backtest error next to seasonal naive's, and "Forecast this SKU again" (POST /admin/forecasts/runs
 * with the SKU: the run happens now and answers 201).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Button, Card, EmptyState, ProblemAlert } from '../../../kit/ui.tsx';
import { Select, useLocationName } from '../inventory/common.tsx';
import { forecastKeys, round2, type Series, seriesPath } from './data.ts';
import { useError } from './forecasts.tsx';
import { ForecastingPage } from './page.tsx';
import { SeriesChart } from './series-chart.tsx';
import { forecastTotal } from './series-data.ts';

const HISTORY_CHOICES = [28, 91, 182, 365] as const;

/** The model and its backtest error next to seasonal naive's. */
const ModelFigures = ({ series }: { series: Series }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const mase = useError();
  const better =
    series.mase !== null && series.baseline_mase !== null
      ? series.mase <= series.baseline_mase
        ? 'better'
        : 'worse'
      : null;
  return (
    <dl className="fc-stats">
      <div>
        <dt>{t('forecasting.fields.model')}</dt>
        <dd data-testid="series-model">
          {t(`forecasting.models.${series.model}`, { defaultValue: series.model })}
        </dd>
      </div>
      <div>
        <dt>{t('forecasting.fields.mase')}</dt>
        <dd data-testid="series-mase">{mase(series.mase)}</dd>
      </div>
      <div>
        <dt>{t('forecasting.fields.baselineMase')}</dt>
        <dd data-testid="series-baseline-mase">{mase(series.baseline_mase)}</dd>
      </div>
      <div>
        <dt>{t('forecasting.fields.fallback')}</dt>
        <dd data-testid="series-fallback">
          {series.fallback
            ? t(`forecasting.fallbacks.${series.fallback}`, { defaultValue: series.fallback })
            : '—'}
        </dd>
      </div>
      <div>
        <dt>{t('forecasting.series.total', { n: f.number(series.forecast.length) })}</dt>
        <dd data-testid="series-total">{f.number(round2(forecastTotal(series)))}</dd>
      </div>
      <div>
        <dt>{t('forecasting.series.computed')}</dt>
        <dd>{series.computed_at ? f.date(series.computed_at) : '—'}</dd>
      </div>
      {better && (
        <p className="fc-wide pz-muted" data-testid="series-verdict">
          {t(`forecasting.series.${better}`)}
        </p>
      )}
    </dl>
  );
};

const SeriesScreen = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const name = useLocationName();
  const [params, setParams] = useSearchParams();
  const sku = params.get('sku') ?? '';
  const location = params.get('location') ?? '';
  const historyDays = Number(params.get('history')) || 91;
  const series = useQuery({
    queryKey: [...forecastKeys.series(sku, location), historyDays],
    enabled: sku !== '',
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/forecasts/series', {
          params: {
            query: { sku, ...(location ? { location_id: location } : {}), history_days: historyDays },
          },
        }),
      ),
  });
  // The SKU's locations, for switching between them and the total.
  const locations = useQuery({
    queryKey: forecastKeys.list({ sku, limit: 200 }),
    enabled: sku !== '',
    queryFn: () => unwrap(staffApi.GET('/admin/forecasts', { params: { query: { sku, limit: 200 } } })),
  });
  const rerun = useMutation({
    mutationFn: () => unwrap(staffApi.POST('/admin/forecasts/runs', { body: { sku } })),
    onSuccess: () => {
      toast(t('forecasting.series.rerunDone', { sku }), 'success');
      return qc.invalidateQueries({ queryKey: forecastKeys.all });
    },
  });
  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        if (value) n.set(key, value);
        else n.delete(key);
        return n;
      },
      { replace: true },
    );
  const title = location
    ? t('forecasting.series.titleAt', { sku, location: name(location) })
    : t('forecasting.series.titleTotal', { sku });
  const notFound = series.error instanceof ApiError && series.error.status === 404;
  return (
    <ForecastingPage tab={0}>
      <Link to={sku ? `/forecasting?sku=${encodeURIComponent(sku)}` : '/forecasting'}>
        {t('forecasting.series.back')}
      </Link>
      <div className="pz-row">
        <h2 data-testid="series-title">{title}</h2>
        <span className="pz-spacer" />
        <Button
          variant="primary"
          onClick={() => rerun.mutate()}
          busy={rerun.isPending}
          disabled={sku === ''}
          data-testid="series-rerun"
        >
          {t('forecasting.series.rerun')}
        </Button>
      </div>
      {rerun.isError && <ProblemAlert error={rerun.error} />}
      {rerun.isSuccess && 'series' in rerun.data && (
        <Alert tone="success">
          <span data-testid="series-rerun-done">
            {t('forecasting.series.rerunSeries', {
              count: rerun.data.series,
              n: f.number(rerun.data.series),
              at: f.date(rerun.data.started_at),
            })}
          </span>
        </Alert>
      )}
      <div className="fc-filters">
        <Select
          label={t('forecasting.fields.location')}
          value={location}
          onChange={(v) => setParam('location', v)}
          allLabel={t('forecasting.series.allLocations')}
          options={[
            ...new Set([
              ...(locations.data?.data ?? []).map((r) => r.location_id),
              ...(location ? [location] : []),
            ]),
          ].map((id) => ({ value: id, label: name(id) }))}
          testId="series-location"
        />
        <Select
          label={t('forecasting.series.history')}
          value={String(historyDays)}
          onChange={(v) => setParam('history', v === '91' ? '' : v)}
          options={HISTORY_CHOICES.map((d) => ({
            value: String(d),
            label: t('forecasting.days', { count: d, n: f.number(d) }),
          }))}
        />
      </div>
      {sku === '' || notFound ? (
        <EmptyState title={t('forecasting.series.none')}>
          <p>{t('forecasting.series.noneHint')}</p>
        </EmptyState>
      ) : (
        <QueryState query={series} lines={8}>
          {(s) => (
            <>
              <Card title={t('forecasting.series.model')}>
                <ModelFigures series={s} />
              </Card>
              <Card title={t('forecasting.chart.title')}>
                <SeriesChart series={s} title={title} />
              </Card>
            </>
          )}
        </QueryState>
      )}
      {location && (
        <p>
          <Link to={seriesPath(sku)}>{t('forecasting.series.seeTotal')}</Link>
        </p>
      )}
    </ForecastingPage>
  );
};

export default SeriesScreen;
