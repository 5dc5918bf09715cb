/**
 * The measures taken from the shop's own data: each with its value (or "missing"), a status badge
 * (measured, thin, missing), the observations behind it, the period, how it was computed (the API's
 * own words, in English, under the translated summary) and its breakdown (per channel, medium …).
 */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Badge } from '../../../kit/ui.tsx';
import type { Measure } from './data.ts';
import { useNames } from './names.tsx';
import { dayDate } from './values.ts';

const TONE = { measured: 'success', thin: 'warning', missing: 'neutral' } as const;

export const MeasureStatus = ({ status }: { status: Measure['status'] | 'given' }) => {
  const { t } = useTranslation();
  return (
    <Badge tone={status === 'given' ? 'info' : TONE[status]}>
      <span data-testid="measure-status" data-status={status}>
        {t(`strategy.status.${status}`)}
      </span>
    </Badge>
  );
};

const Breakdown = ({ m, currency }: { m: Measure; currency: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  if (m.breakdown.length === 0) return <>—</>;
  return (
    <details className="st-details">
      <summary>
        {t('strategy.measures.parts', { count: m.breakdown.length, n: f.number(m.breakdown.length) })}
      </summary>
      <dl className="st-pairs">
        {m.breakdown.map((p) => (
          <div key={p.label}>
            <dt dir="auto">{p.label}</dt>
            <dd>
              {n.measured(m.key, m.unit, p.value, currency)}{' '}
              <span className="pz-muted">
                {t('strategy.measures.sampleShort', { n: f.number(p.sample) })}
              </span>
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
};

export const MeasuresTable = ({
  measures,
  currency,
  testId,
}: {
  measures: readonly Measure[];
  currency: string;
  testId?: string;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const columns: ColumnDef<Measure, unknown>[] = [
    {
      id: 'name',
      header: t('strategy.measures.measure'),
      cell: ({ row }) => (
        <div className="st-cell-text">
          <strong className="st-cap">{n.input(row.original.key)}</strong>
          <div className="pz-muted">{t(`strategy.methods.${row.original.key}`, { defaultValue: '' })}</div>
        </div>
      ),
    },
    {
      id: 'value',
      header: t('strategy.measures.value'),
      cell: ({ row }) => (
        <span className="pz-num" data-testid="measure-value">
          {row.original.value === null
            ? '—'
            : n.measured(row.original.key, row.original.unit, row.original.value, currency)}
        </span>
      ),
    },
    {
      id: 'status',
      header: t('strategy.measures.status'),
      cell: ({ row }) => <MeasureStatus status={row.original.status} />,
    },
    {
      id: 'sample',
      header: t('strategy.measures.sample'),
      cell: ({ row }) => <span className="pz-num">{f.number(row.original.sample)}</span>,
    },
    {
      id: 'period',
      header: t('strategy.measures.period'),
      cell: ({ row }) =>
        row.original.period
          ? t('strategy.range', {
              lo: f.day(dayDate(row.original.period.from)),
              hi: f.day(dayDate(row.original.period.to)),
            })
          : '—',
    },
    {
      id: 'method',
      header: t('strategy.measures.method'),
      cell: ({ row }) => (
        <details className="st-details">
          <summary>{t('strategy.measures.how')}</summary>
          <p lang="en" dir="ltr" className="st-method">
            {row.original.method}
          </p>
        </details>
      ),
    },
    {
      id: 'breakdown',
      header: t('strategy.measures.breakdown'),
      cell: ({ row }) => <Breakdown m={row.original} currency={currency} />,
    },
  ];
  return (
    <div data-testid={testId}>
      <DataTable
        caption={t('strategy.measures.title')}
        columns={columns}
        data={[...measures]}
        rowId={(m) => m.key}
        rowTestId="measure-row"
      />
    </div>
  );
};
