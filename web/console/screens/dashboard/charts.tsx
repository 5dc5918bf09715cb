/** The dashboard's charts: net sales and orders per channel and day, new and returning customers per day. */
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LineChart } from '../../../kit/chart.tsx';
import { formatMoney, formatNumber, useFormat } from '../../../kit/format.ts';
import { Card } from '../../../kit/ui.tsx';
import { channelLines, currenciesOf, type Dashboard, datesBetween } from './series.ts';

export const Charts = ({ data, channelName }: { data: Dashboard; channelName: (id: string) => string }) => {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const dates = useMemo(() => datesBetween(data.from, data.to), [data.from, data.to]);
  const dayLabels = useMemo(() => {
    const f = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    return dates.map((d) => f.format(new Date(`${d}T00:00:00Z`)));
  }, [dates, locale]);
  const currencies = useMemo(() => currenciesOf(data.series), [data.series]);
  const sales = useMemo(
    () =>
      currencies.map((currency) => ({
        currency,
        lines: channelLines(data.series, dates, (p) => p.net, currency).map((l) => ({
          label: channelName(l.channelId),
          values: l.values,
        })),
      })),
    [currencies, data.series, dates, channelName],
  );
  const orders = useMemo(
    () =>
      channelLines(data.series, dates, (p) => p.orders).map((l) => ({
        label: channelName(l.channelId),
        values: l.values,
      })),
    [data.series, dates, channelName],
  );
  const customers = useMemo(() => {
    const sum = (pick: (p: Dashboard['series'][number]) => number) =>
      dates.map((d) => data.series.filter((p) => p.date === d).reduce((s, p) => s + pick(p), 0));
    return [
      { label: t('dashboard.figures.customersNew'), values: sum((p) => p.customers_new) },
      { label: t('dashboard.figures.customersReturning'), values: sum((p) => p.customers_returning) },
    ];
  }, [data.series, dates, t]);
  const count = useCallback((v: number) => formatNumber(v, locale), [locale]);
  const days = formatNumber(data.days, locale);
  return (
    <div className="pz-grid pz-dash-charts">
      {sales.map((s) => (
        <Card key={s.currency} title={t('dashboard.charts.sales', { currency: s.currency, days })}>
          <SalesChart
            dayLabel={t('dashboard.charts.day')}
            days={dayLabels}
            series={s.lines}
            currency={s.currency}
            locale={locale}
            label={t('dashboard.charts.salesLabel', { currency: s.currency, days })}
          />
        </Card>
      ))}
      <Card title={t('dashboard.charts.orders', { days })}>
        <LineChart
          dayLabel={t('dashboard.charts.day')}
          days={dayLabels}
          series={orders}
          formatValue={count}
          integers
          label={t('dashboard.charts.ordersLabel', { days })}
        />
      </Card>
      <Card title={t('dashboard.charts.customers', { days })}>
        <LineChart
          dayLabel={t('dashboard.charts.day')}
          days={dayLabels}
          series={customers}
          formatValue={count}
          integers
          label={t('dashboard.charts.customersLabel', { days })}
        />
      </Card>
    </div>
  );
};

/** A sales chart: amounts in minor units, shown in the currency (the formatter is stable per currency and locale). */
const SalesChart = ({
  days,
  series,
  currency,
  locale,
  label,
  dayLabel,
}: {
  dayLabel: string;
  days: string[];
  series: { label: string; values: number[] }[];
  currency: string;
  locale: string;
  label: string;
}) => {
  const format = useCallback((v: number) => formatMoney(Math.round(v), currency, locale), [currency, locale]);
  return <LineChart dayLabel={dayLabel} days={days} series={series} formatValue={format} label={label} />;
};
