/**
 * The projected effect over the next three fiscal years: a chart of one metric (revenue, costs,
 * margin, retention or customer lifetime value) with its low–high range as a band, the recommended
 * strategy against the best alternative; and the table of every figure per strategy and year (base,
 * with its range), the costs in detail below it.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BandChart, type ChartBand, type ChartLine } from '../../../kit/band-chart.tsx';
import { SelectField } from '../../../kit/fields.tsx';
import { formatNumber, useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import { minorDigits } from './answers-form.ts';
import type { Projection, Result, Strategy, YearFigures } from './data.ts';
import { useNames } from './names.tsx';
import {
  alternativeOf,
  COSTS,
  dayDate,
  isMoney,
  METRICS,
  type Metric,
  metricSeries,
  type Range,
  rangeOf,
  triple,
} from './values.ts';

type Row = { strategy: Strategy; recommended: boolean; year: YearFigures };
type Cost = (typeof COSTS)[number];

/** Money in minor units, short (€1.2M), for the chart's axis and the table. */
const useCompactMoney = (currency: string): ((minor: number) => string) => {
  const { locale } = useFormat();
  return useMemo(() => {
    const unit = 10 ** minorDigits(currency);
    try {
      const nf = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        notation: 'compact',
        maximumFractionDigits: 1,
      });
      return (minor: number) => nf.format(minor / unit);
    } catch {
      return (minor: number) => formatNumber(Math.round(minor / unit), locale);
    }
  }, [locale, currency]);
};

/** A figure's base, with its low–high range under it. */
const RangeCell = ({ range, format }: { range: Range; format: (v: number) => string }) => {
  const { t } = useTranslation();
  return (
    <div className="st-range">
      <span className="pz-num">{format(range[1])}</span>
      <span className="pz-muted st-small">
        {t('strategy.range', { lo: format(range[0]), hi: format(range[2]) })}
      </span>
    </div>
  );
};

export const Projections = ({ result, currency }: { result: Result; currency: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const money = useCompactMoney(currency);
  const [metric, setMetric] = useState<Metric>('revenue');
  const recommended = result.recommendation.strategy;
  const alternative = alternativeOf(result.scores, recommended);
  // stable while the metric, currency and language are: the chart is drawn again only then
  const formatValue = useMemo(
    () =>
      isMoney(metric)
        ? money
        : (v: number) => t('strategy.percent', { n: formatNumber(Math.round(v * 1000) / 10, f.locale) }),
    [metric, money, t, f.locale],
  );
  const chart = useMemo(() => {
    const { years, series } = metricSeries(result.projections, [recommended, alternative], metric);
    const name = (s: Strategy) => t(`strategy.names.${s}`);
    const lines: ChartLine[] = series.map((s, i) => ({
      label: t('strategy.projections.base', { strategy: name(s.strategy) }),
      values: s.base,
      tone: i === 0 ? 'primary' : 'warning',
      ...(i === 0 ? {} : { dashed: true }),
    }));
    const bands: ChartBand[] = series.map((s, i) => ({
      upperLabel: t('strategy.projections.high', { strategy: name(s.strategy) }),
      lowerLabel: t('strategy.projections.low', { strategy: name(s.strategy) }),
      upper: s.high,
      lower: s.low,
      tone: i === 0 ? 'primary' : 'warning',
      opacity: 0.16,
    }));
    return {
      days: years.map((y) => t('strategy.projections.fy', { n: formatNumber(y, f.locale) })),
      lines,
      bands,
    };
  }, [result.projections, recommended, alternative, metric, t, f.locale]);
  const order = [recommended, alternative, ...result.projections.map((p) => p.strategy)];
  const rows: Row[] = [...new Set(order)]
    .map((s) => result.projections.find((p) => p.strategy === s))
    .filter((p): p is Projection => p !== undefined)
    .flatMap((p) =>
      p.years.map((year) => ({ strategy: p.strategy, recommended: p.strategy === recommended, year })),
    );
  const head: ColumnDef<Row, unknown>[] = [
    {
      id: 'strategy',
      header: t('strategy.projections.strategy'),
      cell: ({ row }) => (
        <span>
          {n.strategy(row.original.strategy)}
          {row.original.recommended && (
            <span className="pz-muted st-small"> · {t('strategy.projections.recommended')}</span>
          )}
        </span>
      ),
    },
    {
      id: 'year',
      header: t('strategy.projections.year'),
      cell: ({ row }) =>
        t('strategy.projections.yearFrom', {
          n: f.number(row.original.year.year),
          start: f.day(dayDate(row.original.year.fiscal_year_start)),
        }),
    },
  ];
  const columns: ColumnDef<Row, unknown>[] = [
    ...head,
    ...METRICS.map(
      (m): ColumnDef<Row, unknown> => ({
        id: m,
        header: t(`strategy.metrics.${m}`),
        cell: ({ row }) => (
          <RangeCell
            range={rangeOf(row.original.year, m)}
            format={m === 'retention_rate' ? n.percent : money}
          />
        ),
      }),
    ),
  ];
  const costColumns: ColumnDef<Row, unknown>[] = [
    ...head,
    ...COSTS.map(
      (c: Cost): ColumnDef<Row, unknown> => ({
        id: c,
        header: t(`strategy.metrics.${c}`),
        cell: ({ row }) => <RangeCell range={triple(row.original.year[c])} format={money} />,
      }),
    ),
  ];
  return (
    <Card title={t('strategy.projections.title')}>
      <p className="pz-muted">
        {t('strategy.projections.intro', {
          recommended: n.label('strategy', recommended),
          alternative: n.label('strategy', alternative),
        })}
      </p>
      <div className="st-fields">
        <SelectField
          label={t('strategy.projections.metric')}
          value={metric}
          onChange={(e) => setMetric(METRICS.find((m) => m === e.target.value) ?? 'revenue')}
          options={METRICS.map((m) => ({ value: m, label: t(`strategy.metrics.${m}`) }))}
          data-testid="projection-metric"
        />
      </div>
      <BandChart
        days={chart.days}
        lines={chart.lines}
        bands={chart.bands}
        label={t('strategy.projections.chart', { metric: t(`strategy.metrics.${metric}`) })}
        formatValue={formatValue}
        dayLabel={t('strategy.projections.year')}
        testId="projection-chart"
      />
      <DataTable
        caption={t('strategy.projections.title')}
        columns={columns}
        data={rows}
        rowId={(r) => `${r.strategy}:${r.year.year}`}
        rowTestId="projection-row"
      />
      <details className="st-details">
        <summary>{t('strategy.projections.costs')}</summary>
        <DataTable
          caption={t('strategy.projections.costs')}
          columns={costColumns}
          data={rows}
          rowId={(r) => `${r.strategy}:${r.year.year}`}
        />
      </details>
    </Card>
  );
};
