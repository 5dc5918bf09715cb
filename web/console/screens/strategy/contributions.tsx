/**
 * What decided the result: each factor with its input (as answered or measured, or "missing"), the
 * input's status, the points it gave each strategy and its explanation, in the API's order (the
 * factors that separate the first two strategies most come first).
 */
import { useTranslation } from 'react-i18next';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import { type Contribution, type Measure, STRATEGIES } from './data.ts';
import { MeasureStatus } from './measures.tsx';
import { useNames } from './names.tsx';

export const Contributions = ({
  contributions,
  measures,
  currency,
}: {
  contributions: readonly Contribution[];
  measures: readonly Measure[];
  currency: string;
}) => {
  const { t } = useTranslation();
  const n = useNames();
  const unitOf = (key: string) => measures.find((m) => m.key === key)?.unit;
  const columns: ColumnDef<Contribution, unknown>[] = [
    {
      id: 'factor',
      header: t('strategy.contributions.factor'),
      cell: ({ row }) => (
        <div className="st-cell-text">
          <strong className="st-cap" data-testid="contribution-factor">
            {n.factor(row.original.factor)}
          </strong>
          {n.input(row.original.input) !== n.factor(row.original.factor) && (
            <div className="pz-muted st-small st-cap">{n.input(row.original.input)}</div>
          )}
        </div>
      ),
    },
    {
      id: 'value',
      header: t('strategy.contributions.value'),
      cell: ({ row }) => {
        const c = row.original;
        return (
          <div className="st-cell-text">
            <span className="st-cap" data-testid="contribution-value">
              {c.value === null ? '—' : n.value(c.input, c.source, c.value, currency, unitOf(c.input))}
            </span>{' '}
            <MeasureStatus status={c.status} />
          </div>
        );
      },
    },
    ...STRATEGIES.map(
      (s): ColumnDef<Contribution, unknown> => ({
        id: s,
        header: n.strategy(s),
        cell: ({ row }) => (
          <span className="pz-num" data-sign={Math.sign(row.original.points[s])}>
            {n.signed(row.original.points[s])}
          </span>
        ),
      }),
    ),
    {
      id: 'why',
      header: t('strategy.contributions.why'),
      cell: ({ row }) => (
        <div className="st-cell-text st-explain st-cap">{n.phrase(row.original.explanation)}</div>
      ),
    },
  ];
  return (
    <Card title={t('strategy.contributions.title')}>
      <p className="pz-muted">{t('strategy.contributions.intro')}</p>
      <DataTable
        caption={t('strategy.contributions.title')}
        columns={columns}
        data={[...contributions]}
        rowId={(c) => c.factor}
        rowTestId="contribution-row"
      />
    </Card>
  );
};
