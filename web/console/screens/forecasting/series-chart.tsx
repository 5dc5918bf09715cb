/**
 * One series drawn: the daily history (stock-out days marked), the forecast's mean and its 80 % and
 * 95 % intervals, a divider where the forecast starts; and the same figures as a table in a disclosure,
 * for whoever does not read the picture.
 */
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BandChart, type ChartBand, type ChartLine, type ChartMarks } from '../../../kit/band-chart.tsx';
import { formatNumber, useFormat } from '../../../kit/format.ts';
import { atNoon, round2, type Series } from './data.ts';
import { seriesChart } from './series-data.ts';

export const SeriesChart = ({ series, title }: { series: Series; title: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { locale } = f;
  const chart = useMemo(() => seriesChart(series), [series]);
  const days = useMemo(() => {
    const fmt = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    return chart.days.map((d) => fmt.format(new Date(`${d}T00:00:00Z`)));
  }, [chart.days, locale]);
  const lines: ChartLine[] = useMemo(
    () => [
      { label: t('forecasting.chart.history'), values: chart.history, tone: 'muted' },
      { label: t('forecasting.chart.forecast'), values: chart.mean, tone: 'primary', dashed: true },
    ],
    [chart, t],
  );
  const bands: ChartBand[] = useMemo(
    () => [
      {
        upperLabel: t('forecasting.chart.hi95'),
        lowerLabel: t('forecasting.chart.lo95'),
        upper: chart.hi95,
        lower: chart.lo95,
        opacity: 0.12,
      },
      {
        upperLabel: t('forecasting.chart.hi80'),
        lowerLabel: t('forecasting.chart.lo80'),
        upper: chart.hi80,
        lower: chart.lo80,
        opacity: 0.22,
      },
    ],
    [chart, t],
  );
  const marks: ChartMarks[] = useMemo(
    () => [{ label: t('forecasting.chart.stockout'), values: chart.stockouts, tone: 'danger' }],
    [chart, t],
  );
  const format = useCallback((v: number) => formatNumber(Math.round(v * 10) / 10, locale), [locale]);
  return (
    <div className="pz-stack">
      <BandChart
        days={days}
        lines={lines}
        bands={bands}
        marks={marks}
        splitAt={chart.splitAt}
        label={t('forecasting.chart.label', { title })}
        formatValue={format}
        dayLabel={t('forecasting.chart.day')}
        testId="forecast-chart"
      />
      <p className="pz-muted" data-testid="forecast-chart-note">
        {t('forecasting.chart.note', {
          history: f.number(series.history.length),
          forecast: f.number(series.forecast.length),
          stockouts: f.number(chart.stockoutDays),
        })}
      </p>
      <details className="fc-details">
        <summary>{t('forecasting.chart.table')}</summary>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
        <section className="pz-table-wrap" tabIndex={0} aria-label={t('forecasting.chart.table')}>
          <table className="pz-table">
            <caption className="visually-hidden">{t('forecasting.chart.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('forecasting.chart.day')}</th>
                <th scope="col">{t('forecasting.chart.forecast')}</th>
                <th scope="col">{t('forecasting.chart.interval80')}</th>
                <th scope="col">{t('forecasting.chart.interval95')}</th>
              </tr>
            </thead>
            <tbody>
              {series.forecast.map((d) => (
                <tr key={d.day} data-testid="forecast-day">
                  <td>{f.day(atNoon(d.day))}</td>
                  <td className="pz-num">{f.number(round2(d.mean))}</td>
                  <td className="pz-num">
                    {t('forecasting.range', { lo: f.number(round2(d.lo80)), hi: f.number(round2(d.hi80)) })}
                  </td>
                  <td className="pz-num">
                    {t('forecasting.range', { lo: f.number(round2(d.lo95)), hi: f.number(round2(d.hi95)) })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </details>
    </div>
  );
};
