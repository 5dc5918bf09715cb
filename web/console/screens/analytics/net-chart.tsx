/**
 * Net sales per channel and day: one chart per currency, or a single chart in the report currency
 * when every day of every currency has a rate into it.
 */
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type ChartSeries, LineChart } from '../../../kit/chart.tsx';
import { formatMoney, useFormat } from '../../../kit/format.ts';
import { Card } from '../../../kit/ui.tsx';
import { type ChannelReport, daysBetween, type Names, type SeriesPoint } from './data.ts';

/** One line per channel over the days: the sum of `pick` of its points of each day (0 on days without). */
const lines = (
  points: readonly SeriesPoint[],
  dates: readonly string[],
  pick: (p: SeriesPoint) => number | null,
  keep: (p: SeriesPoint) => boolean,
  name: (id: string) => string,
): ChartSeries[] => {
  const byChannel = new Map<string, Map<string, number>>();
  for (const p of points) {
    if (!keep(p)) continue;
    const days = byChannel.get(p.channel_id) ?? new Map<string, number>();
    days.set(p.date, (days.get(p.date) ?? 0) + (pick(p) ?? 0));
    byChannel.set(p.channel_id, days);
  }
  return [...byChannel.entries()]
    .map(([id, days]) => ({ label: name(id), values: dates.map((d) => days.get(d) ?? 0) }))
    .sort((a, b) => a.label.localeCompare(b.label));
};

const MoneyChart = ({
  days,
  series,
  currency,
  label,
}: {
  days: string[];
  series: ChartSeries[];
  currency: string;
  label: string;
}) => {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const format = useCallback((v: number) => formatMoney(Math.round(v), currency, locale), [currency, locale]);
  return (
    <LineChart
      dayLabel={t('analytics.chart.day')}
      days={days}
      series={series}
      formatValue={format}
      label={label}
    />
  );
};

export const NetChart = ({ data, names }: { data: ChannelReport; names: Names }) => {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const dates = useMemo(() => daysBetween(data.from, data.to), [data.from, data.to]);
  const dayLabels = useMemo(() => {
    const f = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    return dates.map((d) => f.format(new Date(`${d}T00:00:00Z`)));
  }, [dates, locale]);
  const charts = useMemo(() => {
    const report = data.report_currency;
    if (report && data.missing_rates.length === 0)
      return [
        {
          currency: report,
          series: lines(
            data.series,
            dates,
            (p) => p.net_report,
            () => true,
            names.channel,
          ),
        },
      ];
    const currencies = [...new Set(data.series.map((p) => p.currency))].sort();
    return currencies.map((currency) => ({
      currency,
      series: lines(
        data.series,
        dates,
        (p) => p.net,
        (p) => p.currency === currency,
        names.channel,
      ),
    }));
  }, [data, dates, names.channel]);
  if (charts.length === 0) return null;
  return (
    <div className="pz-grid an-grid">
      {charts.map((c) => (
        <Card key={c.currency} title={t('analytics.chart.title', { currency: c.currency })}>
          <MoneyChart
            days={dayLabels}
            series={c.series}
            currency={c.currency}
            label={t('analytics.chart.label', { currency: c.currency })}
          />
        </Card>
      ))}
    </div>
  );
};
